import { randomUUID } from 'node:crypto';
import { toPem } from '../../ca/pem.js';
import { readSubmittedCertificate, type SubmittedCertificate } from '../../ca/submitted-certificate.js';
import type { CaCertificateRecord } from '../../domain/ca-certificates/ca-certificate-record.js';
import type { CertificateRecord } from '../../domain/certificates/certificate-record.js';
import type { CertificateStatus } from '../../domain/certificates/certificate-status.js';
import { type AutoRegistrationRefusalCode, decideAutoRegistration } from '../../domain/devices/auto-registration.js';
import type { Scope } from '../../domain/scope.js';
import type { Registry } from '../../registry/registry.js';
import { DuplicateCertificateError } from '../../registry/store.js';
import { provisionJustInTime } from './provision.js';

/** What auto-registration reads and writes. */
export type AutoRegistrationRegistry = Pick<
  Registry,
  'certificates' | 'caCertificates' | 'provisioning' | 'provisioningTemplates'
>;

export type AutoRegistrationOutcome =
  | {
      readonly kind: 'registered';
      readonly flow: 'jitr' | 'jitp';
      readonly scope: Scope;
      readonly certificateId: string;
      readonly caCertificateId: string;
      /** The status the certificate has now: PENDING_ACTIVATION after JITR, what the template set after JITP. */
      readonly status: CertificateStatus;
      readonly registeredAt: number;
      readonly thingName?: string;
    }
  /** Another connection of the same certificate (on this replica or another) registered it first. */
  | { readonly kind: 'already-registered'; readonly certificateId: string }
  | {
      readonly kind: 'refused';
      readonly code: AutoRegistrationRefusalCode | 'unreadable_certificate';
      readonly reason: string;
      readonly certificateId: string;
      readonly caCertificateId?: string;
    }
  /** JITP's template could not be applied: nothing was registered. */
  | {
      readonly kind: 'provisioning-failed';
      readonly reason: string;
      readonly scope: Scope;
      readonly certificateId: string;
      readonly caCertificateId: string;
    };

/**
 * Just-in-time registration of a certificate the registry does not know (reference §2.2, §2.3): the registered CA
 * certificates that signed it are found by its issuer name in every account and region and checked with their keys
 * (the checks RegisterCertificate makes, ca/submitted-certificate.ts), the domain decides whether one of them may
 * auto-register it, and it is registered PENDING_ACTIVATION in that CA's account and region, with its id and
 * certificate mode — alone (JITR), or in the same transaction as what the CA's template provisions (JITP). The
 * registry's uniqueness makes it happen once however many connections present the certificate at the same instant.
 */
export async function autoRegister(
  der: Buffer,
  registry: AutoRegistrationRegistry,
  now: number,
): Promise<AutoRegistrationOutcome> {
  let certificate: SubmittedCertificate;
  try {
    certificate = readSubmittedCertificate(toPem('CERTIFICATE', der));
  } catch (err) {
    const reason = `the certificate cannot be read: ${(err as Error).message}`;
    return { kind: 'refused', code: 'unreadable_certificate', reason, certificateId: '' };
  }
  const { certificateId } = certificate;
  const candidates = await registry.caCertificates.findCaCertificatesBySubjectInAnyScope(certificate.issuerHash);
  const decision = decideAutoRegistration({
    validity: { notBefore: certificate.notBefore.getTime(), notAfter: certificate.notAfter.getTime() },
    signers: candidates.filter((ca) => signedBy(certificate, ca)),
    now,
  });
  if (!decision.register) {
    const { code, reason, caCertificateId } = decision;
    return { kind: 'refused', code, reason, certificateId, ...(caCertificateId !== undefined && { caCertificateId }) };
  }
  const { ca } = decision;
  const scope = { accountId: ca.accountId, region: ca.region };
  const record = pendingRecord(certificate, ca, now);
  const registered = { kind: 'registered', scope, certificateId, caCertificateId: ca.certificateId } as const;
  if (decision.flow === 'jitr') {
    try {
      await registry.certificates.insertCertificate(record);
    } catch (err) {
      if (err instanceof DuplicateCertificateError) return { kind: 'already-registered', certificateId };
      throw err;
    }
    return { ...registered, flow: 'jitr', status: record.status, registeredAt: now };
  }
  const provisioned = await provisionJustInTime(registry, ca, record, der, now);
  if (provisioned.kind === 'exists') return { kind: 'already-registered', certificateId };
  if (provisioned.kind === 'failed') {
    return { ...registered, kind: 'provisioning-failed', reason: provisioned.reason };
  }
  return {
    ...registered,
    flow: 'jitp',
    status: provisioned.status,
    registeredAt: now,
    ...(provisioned.thingName !== undefined && { thingName: provisioned.thingName }),
  };
}

/** Whether this registered CA certificate's name and key are the certificate's issuer's. */
function signedBy(certificate: SubmittedCertificate, ca: CaCertificateRecord): boolean {
  try {
    return certificate.isSignedBy(readSubmittedCertificate(ca.certificatePem, 'CA certificate'));
  } catch {
    // A stored CA certificate was read when it was registered; one that no longer reads vouches for nothing.
    return false;
  }
}

/** The record RegisterCertificate would write, PENDING_ACTIVATION, in the CA's account, region and mode. */
function pendingRecord(certificate: SubmittedCertificate, ca: CaCertificateRecord, now: number): CertificateRecord {
  return {
    accountId: ca.accountId,
    region: ca.region,
    certificateId: certificate.certificateId,
    status: 'PENDING_ACTIVATION',
    certificatePem: toPem('CERTIFICATE', certificate.der),
    caCertificateId: ca.certificateId,
    ownedBy: ca.accountId,
    creationDate: now,
    lastModifiedDate: now,
    customerVersion: 1,
    generationId: randomUUID(),
    notBefore: certificate.notBefore.getTime(),
    notAfter: certificate.notAfter.getTime(),
    certificateMode: ca.certificateMode,
  };
}
