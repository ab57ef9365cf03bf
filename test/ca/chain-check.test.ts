import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type ChainLink, certificatesOfBundle, chainProblems, isSelfIssued, viewOf } from '../../src/ca/chain-check.js';
import { type Issued, TestPki } from '../helpers/test-pki.js';

const link = (issued: Issued, name: string): ChainLink => ({ certificate: new X509Certificate(issued.pem), name });

/** The certificate with the last octet of its signature changed (ECDSA: the end of s), still well-formed. */
function withAlteredSignature(issued: Issued): X509Certificate {
  const der = Buffer.from(new X509Certificate(issued.pem).raw);
  der[der.length - 1] = (der[der.length - 1] as number) ^ 0x01;
  return new X509Certificate(der);
}

describe('chainProblems', () => {
  let dir: string;
  let pki: TestPki;
  let root: Issued;
  let intermediate: Issued;
  let leaf: Issued;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fleetca-chain-check-'));
    pki = new TestPki(dir);
    root = pki.ca('root', { subject: '/O=Test/CN=Root' });
    intermediate = pki.ca('intermediate', { subject: '/O=Test/CN=Intermediate', issuer: root });
    leaf = pki.leaf('leaf', intermediate);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const chain = () => [link(leaf, 'the certificate'), link(intermediate, 'the issuing CA'), link(root, 'the root CA')];

  test('a chain whose every link verifies and whose certificates are all valid now has no problem', () => {
    assert.deepEqual(chainProblems(chain(), new Date()), []);
    assert.ok(isSelfIssued(new X509Certificate(root.pem)));
    assert.ok(!isSelfIssued(new X509Certificate(intermediate.pem)));
  });

  test('before its notBefore and after its notAfter, each certificate says so, in chain order', () => {
    const longAgo = chainProblems(chain(), new Date('2001-01-01T00:00:00Z'));
    assert.equal(longAgo.length, 3);
    assert.match(longAgo[0] ?? '', /^The certificate is not valid before \d{4}-\d\d-\d\dT[\d:.]+Z\.$/);
    assert.match(longAgo[2] ?? '', /^The root CA is not valid before /);
    const farAhead = chainProblems(chain(), new Date('2100-01-01T00:00:00Z'));
    assert.deepEqual(
      farAhead.map((problem) => problem.replace(/ on .*/, '')),
      ['The certificate expired', 'The issuing CA expired', 'The root CA expired'],
    );
  });

  test('a CA of the same name but another key did not issue it', () => {
    const impostor = pki.ca('impostor', { subject: '/O=Test/CN=Intermediate', issuer: root });
    assert.deepEqual(chainProblems([link(leaf, 'the certificate'), link(impostor, 'the issuing CA')], new Date()), [
      'The certificate was not issued by the issuing CA: it names O=Test, CN=Intermediate but not its key.',
    ]);
  });

  test('a signature altered after signing does not verify, on a link and on a root', () => {
    const forgedLeaf = { certificate: withAlteredSignature(leaf), name: 'the certificate' };
    assert.deepEqual(chainProblems([forgedLeaf, link(intermediate, 'the issuing CA')], new Date()), [
      'The signature of the issuing CA on the certificate does not verify.',
    ]);
    const forgedRoot = { certificate: withAlteredSignature(root), name: 'the root CA' };
    assert.deepEqual(chainProblems([forgedRoot], new Date()), [
      'The root CA names itself as its issuer, but its self-signature does not verify.',
    ]);
  });

  test('a CA that is not the issuer named: which issuer, which CA', () => {
    const problems = chainProblems([link(leaf, 'the certificate'), link(root, 'the root CA')], new Date());
    assert.deepEqual(problems, [
      'The certificate was not issued by the root CA: its issuer is O=Test, CN=Intermediate, not O=Test, CN=Root.',
    ]);
  });

  test('the view of a certificate: one-line names, validity in epoch ms; bundles split in order', () => {
    const certificate = new X509Certificate(leaf.pem);
    const view = viewOf(certificate, leaf.pem);
    assert.deepEqual(
      [view.subject, view.issuer, view.certificatePem],
      ['CN=leaf', 'O=Test, CN=Intermediate', leaf.pem],
    );
    assert.deepEqual(
      [view.notBefore, view.notAfter],
      [Date.parse(certificate.validFrom), Date.parse(certificate.validTo)],
    );
    const bundle = certificatesOfBundle(intermediate.pem + root.pem);
    assert.deepEqual(
      bundle.map((x) => x.subject),
      ['O=Test\nCN=Intermediate', 'O=Test\nCN=Root'],
    );
  });
});
