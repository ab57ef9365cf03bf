/**
 * Checks every response the load produced, after its round (so the checking does not compete with the servers
 * for the CPU while they are timed). A check returns undefined when the response is right, else what is wrong.
 */

import { createHash, createPrivateKey, createPublicKey, type KeyObject, X509Certificate } from 'node:crypto';
import type { PreparedCsr } from './csr.js';
import type { Reply } from './sigv4-client.js';

/**
 * How a server derives certificateId. AWS IoT (and fleetca): hex SHA-256 of the certificate's DER. moto, by
 * default, hashes the PEM text instead — a known moto deviation (its `iot.use_valid_cert` setting switches to
 * DER); the benchmark holds moto to its own rule so that its responses are still checked for consistency.
 */
export type CertificateIdRule = 'sha256-of-der' | 'sha256-of-pem';

export interface ServerRules {
  readonly certificateId: CertificateIdRule;
  /**
   * Whether CreateCertificateFromCsr certifies the CSR's key. moto does not: it issues a certificate for a
   * fresh RSA key of its own and keeps only the CSR's subject; for moto we check the subject instead.
   */
  readonly certifiesCsrKey: boolean;
}

export const FLEETCA_RULES: ServerRules = { certificateId: 'sha256-of-der', certifiesCsrKey: true };
export const MOTO_RULES: ServerRules = { certificateId: 'sha256-of-pem', certifiesCsrKey: false };

export type Outcome = 'ok' | 'throttled' | 'failed';

/** Throttling is the server saying "not now" (HTTP 429, or AWS's 400 ThrottlingException): not a failure. */
export function isThrottled(reply: Reply): boolean {
  if (reply.status === 429) return true;
  if (reply.status !== 400) return false;
  return reply.errorType === 'ThrottlingException' || /ThrottlingException|Rate exceeded/.test(reply.body);
}

interface IssuedCertificate {
  readonly certificateArn: string;
  readonly certificateId: string;
  readonly certificatePem: string;
  readonly keyPair?: { readonly PublicKey?: unknown; readonly PrivateKey?: unknown };
}

/** CreateKeysAndCertificate: the certificate, its id and ARN, and a key pair that belongs to it. */
export function checkKeysAndCertificate(reply: Reply, rules: ServerRules): string | undefined {
  const parsed = parseIssued(reply, rules);
  if (typeof parsed === 'string') return parsed;
  const { issued, certificate } = parsed;
  const { PublicKey, PrivateKey } = issued.keyPair ?? {};
  if (typeof PublicKey !== 'string' || typeof PrivateKey !== 'string') return 'keyPair.PublicKey/PrivateKey missing';
  try {
    const certifiedKey = spki(certificate.publicKey);
    if (!certifiedKey.equals(spki(createPublicKey(PublicKey)))) return 'keyPair.PublicKey is not the certified key';
    if (!certifiedKey.equals(spki(createPublicKey(createPrivateKey(PrivateKey))))) {
      return 'keyPair.PrivateKey does not belong to the certified key';
    }
  } catch (err) {
    return `key pair unreadable: ${(err as Error).message}`;
  }
  return undefined;
}

/** CreateCertificateFromCsr: the certificate, its id and ARN, for the CSR's key (or, for moto, its subject). */
export function checkCertificateFromCsr(reply: Reply, csr: PreparedCsr, rules: ServerRules): string | undefined {
  const parsed = parseIssued(reply, rules);
  if (typeof parsed === 'string') return parsed;
  const { certificate } = parsed;
  if (rules.certifiesCsrKey) {
    if (!spki(certificate.publicKey).equals(csr.publicKeySpki)) return "the certificate is not for the CSR's key";
  } else if (!certificate.subject.split('\n').includes(`CN=${csr.commonName}`)) {
    return `subject ${JSON.stringify(certificate.subject)} is not the CSR's CN=${csr.commonName}`;
  }
  return undefined;
}

/** DescribeCertificate: 200 and a description of the certificate asked for. */
export function checkDescription(reply: Reply, certificateId: string): string | undefined {
  if (reply.status !== 200) return `HTTP ${reply.status}: ${reply.body.slice(0, 200)}`;
  const json = parseJson(reply.body) as { certificateDescription?: { certificateId?: unknown } } | undefined;
  const described = json?.certificateDescription?.certificateId;
  return described === certificateId ? undefined : `described ${String(described)}, asked for ${certificateId}`;
}

/** The health endpoint: 200 (its body is the server's business). */
export function checkHealth(reply: Reply): string | undefined {
  return reply.status === 200 ? undefined : `HTTP ${reply.status}: ${reply.body.slice(0, 200)}`;
}

/** The certificateId a server following `rule` gives this certificate. */
export function expectedCertificateId(certificatePem: string, certificate: X509Certificate, rule: CertificateIdRule) {
  const hashed = rule === 'sha256-of-der' ? certificate.raw : Buffer.from(certificatePem, 'utf8');
  return createHash('sha256').update(hashed).digest('hex');
}

function parseIssued(
  reply: Reply,
  rules: ServerRules,
): string | { issued: IssuedCertificate; certificate: X509Certificate } {
  if (reply.status !== 200) return `HTTP ${reply.status}: ${reply.body.slice(0, 200)}`;
  const issued = parseJson(reply.body) as Partial<IssuedCertificate> | undefined;
  if (!issued) return `not JSON: ${reply.body.slice(0, 200)}`;
  const { certificateArn, certificateId, certificatePem } = issued;
  if (typeof certificateArn !== 'string' || typeof certificateId !== 'string' || typeof certificatePem !== 'string') {
    return 'certificateArn, certificateId or certificatePem missing';
  }
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certificatePem);
  } catch (err) {
    return `certificatePem does not parse: ${(err as Error).message}`;
  }
  const expectedId = expectedCertificateId(certificatePem, certificate, rules.certificateId);
  if (certificateId !== expectedId) return `certificateId ${certificateId} is not the ${rules.certificateId}`;
  if (!certificateArn.endsWith(`:cert/${certificateId}`))
    return `certificateArn ${certificateArn} does not name the id`;
  return { issued: issued as IssuedCertificate, certificate };
}

function spki(key: KeyObject): Buffer {
  return key.export({ type: 'spki', format: 'der' });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
