/** Identifiers the help examples of several operations share, so that the examples read as one story. */

export const EXAMPLE_CERTIFICATE_ID = 'f2d4b0a0c0e59d3c3a2b5d0c3d7f2e1a4b6c8d0e2f4a6b8c0d2e4f6a8b0c2d4e';
export const EXAMPLE_CA_CERTIFICATE_ID = '9b1e8f3c2d5a7e6f4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a';
export const EXAMPLE_CERTIFICATE_ARN = `arn:aws:iot:us-east-1:123456789012:cert/${EXAMPLE_CERTIFICATE_ID}`;
