/**
 * A real certificate issued by AWS IoT CreateKeysAndCertificate (us-west-2, 2021), copied from
 * /work/shared/reference/aws-iot-behaviour.md Appendix A. AWS assigned it the certificateId below.
 */
export const AWS_SAMPLE_CERTIFICATE_PEM = [
  '-----BEGIN CERTIFICATE-----',
  'MIIDWTCCAkGgAwIBAgIUEchkf5vV9scKHUhh5r4bt1dcdwowDQYJKoZIhvcNAQEL',
  'BQAwTTFLMEkGA1UECwxCQW1hem9uIFdlYiBTZXJ2aWNlcyBPPUFtYXpvbi5jb20g',
  'SW5jLiBMPVNlYXR0bGUgU1Q9V2FzaGluZ3RvbiBDPVVTMB4XDTIxMDUxMDE5Mjg1',
  'OVoXDTQ5MTIzMTIzNTk1OVowHjEcMBoGA1UEAwwTQVdTIElvVCBDZXJ0aWZpY2F0',
  'ZTCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBAK3Q3aSmOwXvPKF5RDGC',
  '7zBwDX9J0BFMMOCbG5xFuc97YCdjm7mx5zh+7bz89Qje1pZpwuyw6M3vq3/3hSAo',
  'zUtEBRty1ADTwnYPXj1V4breWnHAP/yT8uSVc542titDvGmDVSGKohY0mH3BlNoC',
  'KOmyTvgjlrzqr65wawrhXotmqkKC+e4kFmoaDq5A111o/WoUV/gfa3hmb5PNxr7N',
  'ybEN7JOJ2WcKZQWGrst/XmQpyIp614CHxivDH43En5qR3RAH4qyQdvcvUYmERxQh',
  '4f0Uvcu81GCq/7DSWQ56TtVWlEMP16h/Wk1p6NbshTTGnRvORzFOGwS2z06UF0Xd',
  'svECAwEAAaNgMF4wHwYDVR0jBBgwFoAUD3bqlWzwCtcMNSvjJo/TKCZ+YccwHQYD',
  'VR0OBBYEFAC4J7L0rjfYmwjFKnnlvT48Uf6FMAwGA1UdEwEB/wQCMAAwDgYDVR0P',
  'AQH/BAQDAgeAMA0GCSqGSIb3DQEBCwUAA4IBAQC5kPIAwvTTju/vS+g86zKFzfGw',
  'kXWtZHgx9lNlJtwbviQDAbkbT8xYR5C25HMkhKra2yjoX5WsmKkdf1GbIg5WOB2Z',
  'B8OAmKfNT8+OgGrcsiwRpsuC7cQaMyo0wtRgQNR2melCXWO1PH7bmWM09gi//t0+',
  'UlY4BcaNcOr/FFSoC+l9shT2UsxZZSplHsdn8GXq+EYZhTubYdGf8Ao/65pxpqVX',
  '/t6PBEPT2qZ7B0sbuYnFIkOtLj0AGCTpC1jEZTqkCKnwKl2XqsLO0e/OlDdrCIKV',
  'P2E/APREUv2Aggd2yDhwq+tuWHUPM6MUcycRfLtXF9VzbMyxg+jwdvTuVxKv',
  '-----END CERTIFICATE-----',
]
  .join('\n')
  .concat('\n');

export const AWS_SAMPLE_CERTIFICATE_ID = 'e50c3a38921785d1584a5386c0586c8d1df4bfc9ec16941837bae4dab96c3071';
