import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type FileCertificateAuthority, openFileAuthority } from '../../src/ca/bootstrap.js';
import { readCertificateParts } from '../../src/ca/certificate-reader.js';
import { encodeName } from '../../src/ca/distinguished-name.js';
import { checkRevocationUrls } from '../../src/ca/revocation-urls.js';
import { makeTempDir, openssl } from '../helpers/ca-test-support.js';

const tmp = makeTempDir('revocation-urls');
after(() => tmp.remove());

const URLS = { crlUrl: 'http://ca.example.test:8080/crl/issuing.crl', ocspUrl: 'https://ocsp.example.test/ocsp' };
const publicKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
let plain: FileCertificateAuthority;
let withUrls: FileCertificateAuthority;

before(async () => {
  plain = await openFileAuthority(join(tmp.path, 'ca'));
  withUrls = await openFileAuthority(join(tmp.path, 'ca'), { revocationUrls: URLS });
});

const extensionIds = (der: Buffer) => readCertificateParts(der).extensions.map((e) => e.oid);

describe('CRL distribution point and OCSP URL in issued certificates', () => {
  it('are printed by openssl x509 -text for a device certificate, after the AWS profile extensions', async () => {
    const leaf = await withUrls.issue({ subject: encodeName('CN=device'), publicKey, now: new Date() });
    const text = openssl(['x509', '-noout', '-text'], leaf.pem).toString();
    assert.match(
      text,
      /X509v3 CRL Distribution Points: \n\s+Full Name:\s+URI:http:\/\/ca\.example\.test:8080\/crl\/issuing\.crl\n/,
    );
    assert.match(text, /Authority Information Access: \n\s+OCSP - URI:https:\/\/ocsp\.example\.test\/ocsp\n/);
    assert.doesNotMatch(text, /(CRL Distribution Points|Authority Information Access): critical/);
    assert.deepEqual(extensionIds(leaf.der), [
      '2.5.29.35',
      '2.5.29.14',
      '2.5.29.19',
      '2.5.29.15',
      '2.5.29.31',
      '1.3.6.1.5.5.7.1.1',
    ]);
    // Written out octet by octet (every length below 128): CRLDistributionPoints { DistributionPoint {
    // distributionPoint [0] { fullName [0] { uniformResourceIdentifier [6] } } } }, and AuthorityInfoAccess {
    // AccessDescription { id-ad-ocsp, uniformResourceIdentifier [6] } }.
    const wrap = (tag: number, content: number[]) => [tag, content.length, ...content];
    const uri = (url: string) => wrap(0x86, [...Buffer.from(url, 'ascii')]);
    const cdp = wrap(0x30, wrap(0x30, wrap(0xa0, wrap(0xa0, uri(URLS.crlUrl)))));
    const aia = wrap(0x30, wrap(0x30, [...Buffer.from('06082b06010505073001', 'hex'), ...uri(URLS.ocspUrl)]));
    const extensions = readCertificateParts(leaf.der).extensions;
    assert.deepEqual([...(extensions[4]?.value ?? [])], cdp);
    assert.deepEqual([...(extensions[5]?.value ?? [])], aia);
  });

  it('are carried by claim certificates too, after BasicConstraints and KeyUsage', async () => {
    const claim = await withUrls.issueClaim({ publicKey, now: new Date() });
    assert.deepEqual(extensionIds(claim.der), ['2.5.29.19', '2.5.29.15', '2.5.29.31', '1.3.6.1.5.5.7.1.1']);
    const text = openssl(['x509', '-noout', '-text'], claim.pem).toString();
    assert.match(text, /OCSP - URI:https:\/\/ocsp\.example\.test\/ocsp/);
  });

  it('are absent without revocation URLs, from leaves, claims and the server profile alike', async () => {
    const leaf = await plain.issue({ subject: encodeName('CN=device'), publicKey, now: new Date() });
    assert.deepEqual(extensionIds(leaf.der), ['2.5.29.35', '2.5.29.14', '2.5.29.19', '2.5.29.15']);
    const claim = await plain.issueClaim({ publicKey, now: new Date() });
    assert.deepEqual(extensionIds(claim.der), ['2.5.29.19', '2.5.29.15']);
    const server = await withUrls.issueServerCertificate({ names: ['localhost'], publicKey, now: new Date() });
    assert.ok(!extensionIds(server.der).includes('2.5.29.31'));
  });

  it('refuses URLs a certificate cannot carry, before touching the CA directory', async () => {
    for (const urls of [
      { crlUrl: 'ftp://ca.example.test/crl', ocspUrl: URLS.ocspUrl },
      { crlUrl: URLS.crlUrl, ocspUrl: 'ocsp.example.test' },
      { crlUrl: 'http://ca.example.test/a crl', ocspUrl: URLS.ocspUrl },
      { crlUrl: 'http://ca.example.test/é', ocspUrl: URLS.ocspUrl },
      { crlUrl: '', ocspUrl: URLS.ocspUrl },
    ]) {
      assert.throws(() => checkRevocationUrls(urls), RangeError, JSON.stringify(urls));
      await assert.rejects(openFileAuthority(join(tmp.path, 'ca'), { revocationUrls: urls }), RangeError);
    }
  });
});
