// biome-ignore-all lint/suspicious/noTemplateCurlyInString: policy variables are written ${name}, not JavaScript templates
/**
 * The iot:Certificate.* variables read from certificates made with openssl — the subject and alternative names of
 * AWS's use-policy-variables.md example — and used by the Authorizer.
 */

import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, describe, test } from 'node:test';
import {
  certificatePolicyVariables,
  escapeDnValue,
  serialNumberText,
} from '../../src/ca/certificate-policy-variables.js';
import { Authorizer } from '../../src/domain/policies/authorizer.js';
import { compilePolicy, resourceArn } from '../../src/domain/policies/compiled-policy.js';
import { makeTempDir, openssl, writeTemp } from '../helpers/ca-test-support.js';

const dir = makeTempDir('cert-policy-variables-');
after(() => dir.remove());

const CONFIG = `[req]
distinguished_name = dn
[dn]
[full]
subjectAltName = DNS:example.com,IP:1.2.3.4,URI:ResourceIdentifier001,email:device1@example.com,dirName:dir_sect,DNS:b.example.com,IP:2001:db8::1
issuerAltName = DNS:issuer.com,IP:5.6.7.8
[plain]
basicConstraints = CA:FALSE
[dir_sect]
C = US
O = IoT
OU = SmartHome
CN = LightBulbCert
`;

function makeCertificate(name: string, subject: string, serial: string, extensions: string): Buffer {
  const config = writeTemp(dir.path, `${name}.cnf`, CONFIG);
  const key = `${dir.path}/${name}.key`;
  const pem = openssl([
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    key,
    '-subj',
    subject,
    '-set_serial',
    serial,
    '-config',
    config,
    '-extensions',
    extensions,
    '-days',
    '30',
  ]);
  return new X509Certificate(pem).raw;
}

const SUBJECT =
  '/C=US/O=IoT Devices/OU=LightBulb/OU=Amazon Web Services O=Amazon.com Inc. L=Seattle/ST=NY/CN=LightBulb Device Cert' +
  '/GN=Bulb/initials=ZZ/dnQualifier=Bulb001/SN=Multi Color/title=RGB/pseudonym=RGB Device/generationQualifier=4/serialNumber=123';

describe('a certificate with every attribute AWS maps', () => {
  const variables = certificatePolicyVariables(makeCertificate('full', SUBJECT, '0x921285cbb7a5e086', 'full'));

  const EXPECTED: ReadonlyArray<[string, string[]]> = [
    ['SerialNumber', ['10525622389124227206']],
    ['Subject.Country', ['US']],
    ['Subject.Organization', ['IoT Devices']],
    ['Subject.OrganizationalUnit', ['LightBulb', 'Amazon Web Services O\\=Amazon.com Inc. L\\=Seattle']],
    ['Subject.State', ['NY']],
    ['Subject.CommonName', ['LightBulb Device Cert']],
    ['Subject.GivenName', ['Bulb']],
    ['Subject.Initials', ['ZZ']],
    ['Subject.DistinguishedNameQualifier', ['Bulb001']],
    ['Subject.Surname', ['Multi Color']],
    ['Subject.Title', ['RGB']],
    ['Subject.Pseudonym', ['RGB Device']],
    ['Subject.GenerationQualifier', ['4']],
    ['Subject.SerialNumber', ['123']],
    ['Issuer.CommonName', ['LightBulb Device Cert']],
    ['Subject.AlternativeName.DNSName', ['example.com', 'b.example.com']],
    ['Subject.AlternativeName.IPAddress', ['1.2.3.4', '2001:db8::1']],
    ['Subject.AlternativeName.UniformResourceIdentifier', ['ResourceIdentifier001']],
    ['Subject.AlternativeName.RFC822Name', ['device1@example.com']],
    ['Subject.AlternativeName.DirectoryName', ['/C=US/O=IoT/OU=SmartHome/CN=LightBulbCert']],
    ['Issuer.AlternativeName.DNSName', ['issuer.com']],
    ['Issuer.AlternativeName.IPAddress', ['5.6.7.8']],
  ];
  for (const [key, values] of EXPECTED) {
    test(key, () => assert.deepEqual(variables.get(key), values));
  }

  test('nothing the certificate lacks is present', () => {
    assert.equal(variables.has('Issuer.AlternativeName.RFC822Name'), false);
    assert.equal(variables.size, 13 * 2 + 5 + 2 + 1);
  });

  test("AWS's example policy: client id = serial number, topic under the organization", () => {
    const scope = { accountId: '123456789012', region: 'us-east-1' };
    const policy = compilePolicy(
      'serial',
      '1',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['iot:Connect'],
            Resource: ['arn:aws:iot:us-east-1:123456789012:client/${iot:Certificate.SerialNumber}'],
          },
          {
            Effect: 'Allow',
            Action: ['iot:Publish'],
            Resource: [
              'arn:aws:iot:us-east-1:123456789012:topic/${iot:Certificate.Subject.Organization}/device-stats/${iot:ClientId}/*',
            ],
          },
        ],
      }),
    );
    const authorizer = new Authorizer([policy], { scope, clientId: '10525622389124227206', certificate: variables });
    assert.equal(
      authorizer.allows({ action: 'iot:Connect', resource: resourceArn(scope, 'client', '10525622389124227206') }),
      true,
    );
    assert.equal(
      authorizer.allows({ action: 'iot:Connect', resource: resourceArn(scope, 'client', '921285cbb7a5e086') }),
      false,
    );
    const topic = resourceArn(scope, 'topic', 'IoT Devices/device-stats/10525622389124227206/temp');
    assert.equal(authorizer.decide({ action: 'iot:Publish', resource: topic }).decision, 'ALLOWED');
  });
});

describe('a plain certificate', () => {
  const variables = certificatePolicyVariables(makeCertificate('plain', '/CN=device-1', '5', 'plain'));

  test('only the common names and the serial number', () => {
    assert.deepEqual(Object.fromEntries(variables), {
      'Subject.CommonName': ['device-1'],
      'Issuer.CommonName': ['device-1'],
      SerialNumber: ['5'],
    });
  });
});

test('serial numbers are decimal, read as the INTEGER they encode', () => {
  assert.equal(serialNumberText(Buffer.from('00921285cbb7a5e086', 'hex')), '10525622389124227206');
  assert.equal(serialNumberText(Buffer.from('01', 'hex')), '1');
  assert.equal(serialNumberText(Buffer.from('ff', 'hex')), '-1');
  assert.throws(() => serialNumberText(Buffer.alloc(0)));
});

test('DN values escape , " \\ + = < > ; with a backslash', () => {
  assert.equal(escapeDnValue('a,b"c\\d+e=f<g>h;i'), 'a\\,b\\"c\\\\d\\+e\\=f\\<g\\>h\\;i');
  assert.equal(escapeDnValue('plain text'), 'plain text');
});

test('what is not a certificate is refused', () => {
  assert.throws(() => certificatePolicyVariables(Buffer.from('3000', 'hex')));
});
