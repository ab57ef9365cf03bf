import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { readCertificateParts } from '../../src/ca/certificate-reader.js';
import { readCertificateSigningRequest } from '../../src/ca/csr.js';
import { encodeName, parseName } from '../../src/ca/distinguished-name.js';
import { AWS_SAMPLE_CERTIFICATE_PEM } from '../helpers/aws-sample-certificate.js';
import { openssl } from '../helpers/ca-test-support.js';

const hex = (b: Buffer) => b.toString('hex');

/** What `openssl asn1parse` says about a DER blob, one element per line, without offsets. */
function asn1(der: Buffer): string[] {
  return openssl(['asn1parse', '-inform', 'DER'], der)
    .toString()
    .trim()
    .split('\n')
    .map((line) =>
      line
        .replace(/^.*?(?:cons|prim):\s*/, '')
        .replace(/\s+/g, ' ')
        .trim(),
    );
}

describe('encodeName', () => {
  it('encodes CN=AWS IoT Certificate exactly like AWS (UTF8String)', () => {
    const aws = readCertificateParts(new X509Certificate(AWS_SAMPLE_CERTIFICATE_PEM).raw).subject;
    assert.equal(hex(encodeName('CN=AWS IoT Certificate')), hex(aws));
    assert.equal(hex(aws), '301e311c301a06035504030c1341575320496f54204365727469666963617465');
  });

  it('keeps the written order, one attribute per RDN, with the right string types', () => {
    const der = encodeName('CN=device-1,O=Acme,OU=Fleet,C=US,L=Seattle,ST=Washington,serialNumber=ABC-123');
    assert.deepEqual(asn1(der), [
      'SEQUENCE',
      'SET',
      'SEQUENCE',
      'OBJECT :commonName',
      'UTF8STRING :device-1',
      'SET',
      'SEQUENCE',
      'OBJECT :organizationName',
      'UTF8STRING :Acme',
      'SET',
      'SEQUENCE',
      'OBJECT :organizationalUnitName',
      'UTF8STRING :Fleet',
      'SET',
      'SEQUENCE',
      'OBJECT :countryName',
      'PRINTABLESTRING :US',
      'SET',
      'SEQUENCE',
      'OBJECT :localityName',
      'UTF8STRING :Seattle',
      'SET',
      'SEQUENCE',
      'OBJECT :stateOrProvinceName',
      'UTF8STRING :Washington',
      'SET',
      'SEQUENCE',
      'OBJECT :serialNumber',
      'PRINTABLESTRING :ABC-123',
    ]);
  });

  it('encodes emailAddress and DC as IA5String and dotted OIDs as UTF8String', () => {
    assert.deepEqual(asn1(encodeName('DC=example,emailAddress=a@example.com,1.2.3.4=x')), [
      'SEQUENCE',
      'SET',
      'SEQUENCE',
      'OBJECT :domainComponent',
      'IA5STRING :example',
      'SET',
      'SEQUENCE',
      'OBJECT :emailAddress',
      'IA5STRING :a@example.com',
      'SET',
      'SEQUENCE',
      'OBJECT :1.2.3.4',
      'UTF8STRING :x',
    ]);
  });

  it('matches openssl req -subj for the same name', () => {
    // openssl's default string mask (utf8only) uses UTF8String for everything but countryName, as we do.
    const csr = openssl([
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      '/dev/null',
      '-subj',
      '/CN=fleetca Root CA 0a1b2c3d/O=fleetca/OU=a, b/C=DE/L=Köln/ST=NRW',
      '-utf8',
    ]).toString();
    const theirs = readCertificateSigningRequest(csr).subject;
    assert.equal(hex(encodeName('CN=fleetca Root CA 0a1b2c3d,O=fleetca,OU=a\\, b,C=DE,L=Köln,ST=NRW')), hex(theirs));
  });

  it('is case-insensitive in attribute types and accepts a dotted OID for a known type', () => {
    assert.deepEqual(encodeName('cn=x'), encodeName('CN=x'));
    assert.deepEqual(encodeName('2.5.4.3=x'), encodeName('CN=x'));
    assert.deepEqual(encodeName('2.5.4.6=US'), encodeName('C=US'));
    assert.throws(() => encodeName('2.5.4.6=USA'), /two-letter country code/);
    assert.deepEqual(encodeName('SERIALNUMBER=1'), encodeName('serialNumber=1'));
  });

  it('handles escapes, hex pairs, UTF-8 and spaces', () => {
    assert.equal(parseName('CN=a\\,b')[0]?.value, 'a,b');
    assert.equal(parseName('CN=a\\+b\\;c\\"d\\\\e\\<\\>\\=\\#')[0]?.value, 'a+b;c"d\\e<>=#');
    assert.equal(parseName('CN=\\41\\42')[0]?.value, 'AB');
    assert.equal(parseName('CN=caf\\C3\\A9')[0]?.value, 'café');
    assert.equal(parseName('CN=\\#1')[0]?.value, '#1');
    assert.equal(parseName('CN=\\ x\\ ')[0]?.value, ' x ');
    assert.deepEqual(
      parseName('CN=x, O = y z ').map((a) => [a.type, a.value]),
      [
        ['CN', 'x'],
        ['O', 'y z'],
      ],
    );
    assert.equal(hex(encodeName('CN=café')), hex(encodeName('CN=caf\\C3\\A9')));
    assert.ok(encodeName('CN=café').includes(Buffer.from('café', 'utf8')));
  });

  it('accepts "=" inside a value, as in the AWS issuer', () => {
    assert.equal(
      parseName('OU=Amazon Web Services O=Amazon.com Inc. L=Seattle ST=Washington C=US')[0]?.value,
      'Amazon Web Services O=Amazon.com Inc. L=Seattle ST=Washington C=US',
    );
  });

  const bad: Array<[string, RegExp]> = [
    ['', /empty/],
    ['   ', /empty/],
    ['CN', /expected TYPE=value/],
    ['=x', /missing attribute type/],
    ['CN=', /empty value/],
    ['CN=  ', /empty value/],
    ['CN=x,', /expected TYPE=value/],
    ['CN=x,,O=y', /expected TYPE=value|missing attribute type/],
    ['XX=y', /unknown attribute type "XX"/],
    ['CN=a+OU=b', /multi-valued/],
    ['CN=x\\', /dangling/],
    ['CN=\\zz', /not a valid escape/],
    ['CN=\\4', /not a valid hex escape/],
    ['CN=#0403', /hex-encoded/],
    ['CN=a;b', /must be escaped/],
    ['CN=a"b', /must be escaped/],
    ['C=USA', /two-letter country code/],
    ['C=U1', /two-letter country code/],
    ['serialNumber=a_b', /PrintableString/],
    ['emailAddress=é@x', /IA5String/],
    ['DC=ex\\C3\\A9', /IA5String/],
    ['CN=\\C3', /not valid UTF-8/],
  ];
  for (const [text, pattern] of bad) {
    it(`refuses ${JSON.stringify(text)}`, () => {
      assert.throws(
        () => encodeName(text),
        (e: Error) => e.constructor === Error && pattern.test(e.message),
      );
    });
  }
});
