import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { IssuedCertificate } from '../../../src/ca/authority.js';
import { type FileCertificateAuthority, openFileAuthority } from '../../../src/ca/bootstrap.js';
import { readCertificateParts } from '../../../src/ca/certificate-reader.js';
import { type DerElement, readChildren, Tag } from '../../../src/ca/der.js';
import { checkDer } from '../../../src/ca/der-check.js';
import { encodeName } from '../../../src/ca/distinguished-name.js';
import { parseOcspRequest } from '../../../src/ca/ocsp/ocsp-request.js';
import {
  buildOcspResponse,
  CERT_ID_HASHES,
  ecdsaResponderSigner,
  issuerHashes,
  type OcspCertStatus,
  type OcspResponseInput,
  ocspStatusResponse,
  type ResponderSigner,
  responderKeyHash,
} from '../../../src/ca/ocsp/ocsp-response.js';
import { fromPem } from '../../../src/ca/pem.js';
import { CRL_REASONS } from '../../../src/domain/certificates/revocation.js';
import { makeTempDir, openssl, opensslRun, writeTemp } from '../../helpers/ca-test-support.js';

const tmp = makeTempDir('ocsp-response');
after(() => tmp.remove());

const HOUR = 3_600_000;
let ca: FileCertificateAuthority;
let issuingDer: Buffer;
let leaf: IssuedCertificate;
let responderCertificate: IssuedCertificate;
let signer: ResponderSigner;
const paths: Record<'chain' | 'issuing' | 'leaf', string> = { chain: '', issuing: '', leaf: '' };

before(async () => {
  ca = await openFileAuthority(join(tmp.path, 'ca'));
  issuingDer = fromPem(ca.issuingPem, ['CERTIFICATE']).der;
  const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  leaf = await ca.issue({ subject: encodeName('CN=device'), publicKey: key.publicKey, now: new Date() });
  responderCertificate = await ca.issueOcspResponderCertificate({
    publicKey: key.publicKey,
    now: new Date(),
    lifetimeMs: HOUR,
  });
  signer = ecdsaResponderSigner(key.privateKey);
  paths.chain = writeTemp(tmp.path, 'chain.pem', ca.chainPem());
  paths.issuing = writeTemp(tmp.path, 'issuing.pem', ca.issuingPem);
  paths.leaf = writeTemp(tmp.path, 'leaf.pem', leaf.pem);
});

/** A request for the leaf from `openssl ocsp`, parsed. */
function requestFromOpenssl(options: readonly string[] = []) {
  const out = join(tmp.path, 'req.der');
  openssl(['ocsp', ...options, '-issuer', paths.issuing, '-cert', paths.leaf, '-reqout', out]);
  return { path: out, parsed: parseOcspRequest(readFileSync(out)) };
}

function responseInput(certIdDer: Buffer, status: OcspCertStatus, nonce?: Buffer): OcspResponseInput {
  const now = new Date();
  return {
    responder: {
      certificateDer: responderCertificate.der,
      keyHash: responderKeyHash(responderCertificate.der),
      signer,
    },
    producedAt: now,
    responses: [
      { certIdDer, status, thisUpdate: new Date(now.getTime() - 60_000), nextUpdate: new Date(now.getTime() + HOUR) },
    ],
    ...(nonce === undefined ? {} : { nonce }),
  };
}

/** `openssl ocsp` verifying a response for the leaf (its own request without a nonce, so the status is printed). */
function opensslStatus(response: Buffer) {
  const respin = writeTemp(tmp.path, 'resp.der', response);
  return opensslRun([
    'ocsp',
    '-respin',
    respin,
    '-CAfile',
    paths.chain,
    '-issuer',
    paths.issuing,
    '-cert',
    paths.leaf,
    '-no_nonce',
  ]);
}

describe('OCSP response (RFC 6960 §4.2)', () => {
  it('answers good, verified by openssl ocsp against the chain through the delegated responder', async () => {
    const { parsed } = requestFromOpenssl(['-no_nonce']);
    const response = await buildOcspResponse(responseInput(parsed.certIds[0]?.der as Buffer, { kind: 'good' }));
    const result = opensslStatus(response);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /leaf\.pem: good\n/);
    assert.match(result.stderr + result.stdout, /Response verify OK/);
  });

  it('answers revoked with its time and reason, revoked without a reason, and unknown', async () => {
    const { parsed } = requestFromOpenssl(['-no_nonce']);
    const certIdDer = parsed.certIds[0]?.der as Buffer;
    const revokedAt = Date.parse('2026-02-03T04:05:06.789Z');
    const withReason = opensslStatus(
      await buildOcspResponse(
        responseInput(certIdDer, { kind: 'revoked', revokedAt, reason: CRL_REASONS.certificateHold }),
      ),
    );
    assert.equal(withReason.status, 0, withReason.stderr);
    assert.match(
      withReason.stdout,
      /leaf\.pem: revoked\n[\s\S]*Reason: certificateHold\n\s+Revocation Time: Feb {2}3 04:05:06 2026 GMT/,
    );
    assert.match(withReason.stderr + withReason.stdout, /Response verify OK/);
    const noReason = opensslStatus(await buildOcspResponse(responseInput(certIdDer, { kind: 'revoked', revokedAt })));
    assert.match(noReason.stdout, /leaf\.pem: revoked\n/);
    assert.doesNotMatch(noReason.stdout, /Reason:/);
    const unknown = opensslStatus(await buildOcspResponse(responseInput(certIdDer, { kind: 'unknown' })));
    assert.match(unknown.stdout, /leaf\.pem: unknown\n/);
    assert.match(unknown.stderr + unknown.stdout, /Response verify OK/);
  });

  it('echoes the nonce, which openssl checks against its own request', async () => {
    const { path, parsed } = requestFromOpenssl();
    assert.ok(parsed.nonce);
    const certIdDer = parsed.certIds[0]?.der as Buffer;
    const echoed = writeTemp(
      tmp.path,
      'nonce.der',
      await buildOcspResponse(responseInput(certIdDer, { kind: 'good' }, parsed.nonce)),
    );
    const ok = opensslRun(['ocsp', '-reqin', path, '-respin', echoed, '-CAfile', paths.chain]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stderr + ok.stdout, /Response verify OK/);
    const other = Buffer.from(parsed.nonce);
    other[other.length - 1] = (other[other.length - 1] as number) ^ 1;
    const wrong = writeTemp(
      tmp.path,
      'wrong.der',
      await buildOcspResponse(responseInput(certIdDer, { kind: 'good' }, other)),
    );
    const refused = opensslRun(['ocsp', '-reqin', path, '-respin', wrong, '-CAfile', paths.chain]);
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr + refused.stdout, /Nonce Verify error/);
    // The extension's extnValue is an OCTET STRING around exactly the bytes the parser returned.
    const text = openssl(['ocsp', '-respin', echoed, '-resp_text', '-noverify']).toString();
    assert.match(text, new RegExp(`OCSP Nonce: \\n\\s+${parsed.nonce.toString('hex').toUpperCase()}\\n`));
  });

  it('names the responder by key, with producedAt and the updates as GeneralizedTime of whole seconds', async () => {
    const { parsed } = requestFromOpenssl(['-no_nonce', '-sha256']);
    const certIdDer = parsed.certIds[0]?.der as Buffer;
    const producedAt = new Date('2026-08-09T10:11:12.999Z');
    const response = await buildOcspResponse({
      ...responseInput(certIdDer, { kind: 'good' }),
      producedAt,
      responses: [
        { certIdDer, status: { kind: 'good' }, thisUpdate: producedAt, nextUpdate: new Date('2051-01-01T00:00:00Z') },
      ],
    });
    const text = openssl([
      'ocsp',
      '-respin',
      writeTemp(tmp.path, 'r.der', response),
      '-resp_text',
      '-noverify',
    ]).toString();
    const spkiKeyHash = createHash('sha1')
      .update(
        new X509Certificate(responderCertificate.der).publicKey.export({ type: 'spki', format: 'der' }).subarray(-65),
      )
      .digest('hex');
    assert.match(text, new RegExp(`Responder Id: ${spkiKeyHash.toUpperCase()}\\n`));
    assert.match(text, /Hash Algorithm: sha256\n/);
    assert.match(text, /Signature Algorithm: ecdsa-with-SHA256/);
    assert.match(text, /Version: 1 \(0x0\)/);
    // Walk the DER: OCSPResponse → responseBytes → BasicOCSPResponse → ResponseData.
    const outer = checkDer(response);
    const [status, bytes] = readChildren(response, outer) as [DerElement, DerElement];
    assert.equal(response.subarray(status.start, status.contentEnd).toString('hex'), '0a0100');
    const [responseBytes] = readChildren(response, bytes) as [DerElement];
    const [type, octets] = readChildren(response, responseBytes) as [DerElement, DerElement];
    assert.equal(response.subarray(type.start, type.contentEnd).toString('hex'), '06092b0601050507300101');
    const basicDer = response.subarray(octets.contentStart, octets.contentEnd);
    const basic = checkDer(basicDer);
    const [tbs, , , certs] = readChildren(basicDer, basic) as DerElement[];
    const [responderId, produced, responses, ...rest] = readChildren(basicDer, tbs as DerElement) as DerElement[];
    assert.equal(rest.length, 0, 'no version, no extensions without a nonce');
    assert.equal(
      basicDer.subarray(responderId?.start, responderId?.contentEnd).toString('hex'),
      `a2160414${spkiKeyHash}`,
    );
    assert.equal(basicDer.subarray(produced?.start, produced?.contentEnd).toString(), '\x18\x0f20260809101112Z');
    const [single] = readChildren(basicDer, responses as DerElement) as [DerElement];
    const [certId, certStatus, thisUpdate, nextUpdate] = readChildren(basicDer, single) as DerElement[];
    assert.deepEqual(basicDer.subarray(certId?.start, certId?.contentEnd), certIdDer);
    assert.equal(basicDer.subarray(certStatus?.start, certStatus?.contentEnd).toString('hex'), '8000');
    assert.equal(thisUpdate?.tag, Tag.GENERALIZED_TIME);
    assert.equal(
      basicDer.subarray(nextUpdate?.start, nextUpdate?.contentEnd).toString('latin1'),
      '\xa0\x11\x18\x0f20510101000000Z',
    );
    const [certificate] = readChildren(basicDer, readChildren(basicDer, certs as DerElement)[0] as DerElement) as [
      DerElement,
    ];
    assert.deepEqual(basicDer.subarray(certificate.start, certificate.contentEnd), responderCertificate.der);
  });

  it('may be signed by the issuing CA itself with sha256WithRSAEncryption', async () => {
    const { parsed } = requestFromOpenssl(['-no_nonce']);
    const issuer = ca.revocationIssuer();
    const response = await buildOcspResponse({
      ...responseInput(parsed.certIds[0]?.der as Buffer, { kind: 'revoked', revokedAt: Date.now() - 1000 }),
      responder: {
        certificateDer: issuer.certificateDer,
        keyHash: responderKeyHash(issuer.certificateDer),
        signer: issuer.signer,
      },
    });
    const result = opensslStatus(response);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /leaf\.pem: revoked\n/);
    assert.match(result.stderr + result.stdout, /Response verify OK/);
  });

  it('is refused by openssl when the responder key did not sign it', async () => {
    const { parsed } = requestFromOpenssl(['-no_nonce']);
    const stranger = ecdsaResponderSigner(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
    const input = responseInput(parsed.certIds[0]?.der as Buffer, { kind: 'good' });
    const forged = await buildOcspResponse({ ...input, responder: { ...input.responder, signer: stranger } });
    const result = opensslStatus(forged);
    assert.doesNotMatch(result.stderr + result.stdout, /Response verify OK/);
    assert.notEqual(result.status, 0);
  });

  it('refuses inputs it cannot encode', async () => {
    const input = responseInput(Buffer.from('3000', 'hex'), { kind: 'good' });
    await assert.rejects(buildOcspResponse({ ...input, responses: [] }), RangeError);
    const single = input.responses[0] as OcspResponseInput['responses'][number];
    await assert.rejects(
      buildOcspResponse({ ...input, responses: [{ ...single, certIdDer: Buffer.from('0400', 'hex') }] }),
    );
    await assert.rejects(
      buildOcspResponse({ ...input, responses: [{ ...single, certIdDer: Buffer.from('300000', 'hex') }] }),
    );
    await assert.rejects(
      buildOcspResponse({
        ...input,
        responses: [{ ...single, nextUpdate: new Date(single.thisUpdate.getTime() - 1000) }],
      }),
      RangeError,
    );
    assert.throws(
      () => ecdsaResponderSigner(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey),
      TypeError,
    );
  });
});

describe('OCSP status-only responses', () => {
  it('are OCSPResponse { responseStatus } with no responseBytes, as openssl reads them', () => {
    const expected = { malformedRequest: 1, internalError: 2, tryLater: 3, unauthorized: 6 } as const;
    for (const [status, code] of Object.entries(expected) as [keyof typeof expected, number][]) {
      const der = ocspStatusResponse(status);
      assert.equal(der.toString('hex'), `30030a010${code}`);
      const text = opensslRun(['ocsp', '-respin', writeTemp(tmp.path, 's.der', der), '-resp_text', '-noverify']);
      assert.match(text.stdout + text.stderr, new RegExp(`Responder Error: ${status.toLowerCase()} \\(${code}\\)`));
    }
  });
});

describe('CertID hashes', () => {
  it('match what openssl puts in a CertID for each hash fleetca knows', () => {
    assert.deepEqual([...CERT_ID_HASHES.values()], ['sha1', 'sha256', 'sha384', 'sha512']);
    for (const [dotted, hash] of CERT_ID_HASHES) {
      const { parsed } = requestFromOpenssl(['-no_nonce', `-${hash}`]);
      const id = parsed.certIds[0];
      assert.equal(id?.hashAlgorithm, dotted);
      const expected = issuerHashes(issuingDer, hash);
      assert.deepEqual(id?.issuerNameHash, expected.nameHash, hash);
      assert.deepEqual(id?.issuerKeyHash, expected.keyHash, hash);
    }
    // The key hash is the SKI fleetca writes (RFC 5280 method 1, the same SHA-1 of the key's bits).
    assert.equal(issuerHashes(issuingDer, 'sha1').keyHash.toString('hex'), leaf.issuedBy.issuerKeyId);
    assert.deepEqual(
      issuerHashes(issuingDer, 'sha256').nameHash,
      createHash('sha256').update(readCertificateParts(issuingDer).subject).digest(),
    );
  });
});
