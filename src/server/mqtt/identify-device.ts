import { createHash, X509Certificate } from 'node:crypto';
import type { Scope } from '../../registry/certificate-record.js';
import type { ProvisioningClaim } from '../../registry/provisioning-claim-record.js';
import type { CertificateStore } from '../../registry/store.js';
import type { DevicePrincipal } from './device-principal.js';

/** The claim a presented certificate holds (ProvisioningClaimStore.findByCertificateId). */
export type ClaimLookup = (certificateId: string, now: number) => Promise<ProvisioningClaim | undefined>;

/** Why a certificate was not admitted, as a short fixed code (metrics label them by it). */
export type RefusalCode = 'outside_validity' | 'ambiguous_registration' | 'unknown_certificate' | 'not_active';

export type Identification =
  | { readonly admitted: true; readonly principal: DevicePrincipal }
  | { readonly admitted: false; readonly code: RefusalCode; readonly reason: string };

/**
 * Admission of a connection by its client certificate, as AWS IoT does it: not by chain validation but by
 * looking the presented leaf up in the registry (reference §4.5). Admitted: an ACTIVE registered certificate
 * (a device, and a claim too if it was granted templates), or an unexpired temporary claim certificate.
 */
export async function identifyDevice(
  der: Buffer,
  registry: { readonly certificates: CertificateStore; readonly findClaim: ClaimLookup },
  now: number,
): Promise<Identification> {
  const certificateId = createHash('sha256').update(der).digest('hex');
  if (!withinValidity(der, now))
    return { admitted: false, code: 'outside_validity', reason: 'the certificate is expired or not yet valid' };
  const registrations = await registry.certificates.findRegistrations(certificateId);
  const active = registrations.filter((r) => r.status === 'ACTIVE');
  if (active.length > 1) {
    // AWS tells the accounts apart by SNI (multi-account registration); fleetca has no per-account endpoints.
    return {
      admitted: false,
      code: 'ambiguous_registration',
      reason: 'the certificate is ACTIVE in more than one account or region',
    };
  }
  const claim = await registry.findClaim(certificateId, now);
  const registered = active[0];
  if (registered) {
    const scope = { accountId: registered.accountId, region: registered.region };
    const templates = claim?.kind === 'registered' && sameScope(claim, scope) ? claim.templateNames : [];
    return {
      admitted: true,
      principal: { scope, certificateId, device: true, provisioningTemplates: new Set(templates) },
    };
  }
  if (claim?.kind === 'temporary' && registrations.length === 0) {
    return {
      admitted: true,
      principal: {
        scope: { accountId: claim.accountId, region: claim.region },
        certificateId,
        device: false,
        provisioningTemplates: new Set(claim.templateNames),
        expiresAt: claim.expiresAt,
      },
    };
  }
  const status = registrations[0]?.status;
  return status === undefined
    ? { admitted: false, code: 'unknown_certificate', reason: 'unknown certificate' }
    : { admitted: false, code: 'not_active', reason: `the certificate is ${status}` };
}

function sameScope(a: Scope, b: Scope): boolean {
  return a.accountId === b.accountId && a.region === b.region;
}

function withinValidity(der: Buffer, now: number): boolean {
  try {
    const certificate = new X509Certificate(der);
    return Date.parse(certificate.validFrom) <= now && now <= Date.parse(certificate.validTo);
  } catch {
    return false;
  }
}
