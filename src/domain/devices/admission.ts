import type { CertificateStatus } from '../certificates/certificate-status.js';
import type { ProvisioningClaim } from '../provisioning/provisioning-claim-record.js';
import type { Scope } from '../scope.js';
import type { DevicePrincipal } from './device-principal.js';

/** When a certificate is valid, from its notBefore and notAfter (epoch ms, both inclusive). */
export interface ValidityPeriod {
  readonly notBefore: number;
  readonly notAfter: number;
}

/** One registration of the presented certificate, in some account and region. */
export interface CertificateRegistration extends Scope {
  readonly status: CertificateStatus;
}

/** The claim the certificate holds, as the registry's lookup found it. */
export type HeldClaim = Pick<ProvisioningClaim, 'accountId' | 'region' | 'kind' | 'templateNames' | 'expiresAt'>;

/** What the registry (and the certificate itself) says about a certificate asking to be connected. */
export interface AdmissionFacts {
  /** The SHA-256 of the certificate's DER. */
  readonly certificateId: string;
  /**
   * When the certificate is valid; null when its dates cannot be read. Absent when a live session is examined
   * again: validity is checked when a certificate connects, and a session is not ended by its certificate's expiry
   * (a temporary claim's session ends at the claim's expiry instead).
   */
  readonly validity?: ValidityPeriod | null;
  /** Every registration of the certificate, across accounts and regions. */
  readonly registrations: readonly CertificateRegistration[];
  readonly claim: HeldClaim | undefined;
  readonly now: number;
}

/** Why a certificate was not admitted, as a short fixed code (metrics label them by it). */
export type RefusalCode = 'outside_validity' | 'ambiguous_registration' | 'unknown_certificate' | 'not_active';

export interface Refusal {
  readonly admitted: false;
  readonly code: RefusalCode;
  readonly reason: string;
}

export type Admission = { readonly admitted: true; readonly principal: DevicePrincipal } | Refusal;

/**
 * May this certificate be connected, and as whom: admission by the presented certificate as AWS IoT does it, not
 * by chain validation but by what the registry holds for the leaf (reference §4.5). Admitted: a certificate within
 * its validity that is ACTIVE in exactly one account and region (a device, and a claim for the templates it was
 * granted there), or an unregistered certificate holding an unexpired temporary claim (CreateProvisioningClaim).
 */
export function decideAdmission(facts: AdmissionFacts): Admission {
  const { certificateId, validity, registrations, claim, now } = facts;
  const refused = validityRefusal(validity, now) ?? registrationRefusal(registrations);
  if (refused) return refused;
  const registered = registrations.find((r) => statusAdmits(r.status));
  if (registered) {
    const scope = { accountId: registered.accountId, region: registered.region };
    const templates = claim?.kind === 'registered' && sameScope(claim, scope) ? claim.templateNames : [];
    return {
      admitted: true,
      principal: { scope, certificateId, device: true, provisioningTemplates: new Set(templates) },
    };
  }
  const unexpired = claim?.expiresAt !== undefined && now < claim.expiresAt;
  if (claim?.kind === 'temporary' && unexpired && registrations.length === 0) {
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

/**
 * The first step of decideAdmission, on the certificate alone: refused when outside its validity (or unreadable).
 * A door may take it before any registry lookup, since nothing the registry holds can admit such a certificate.
 */
export function validityRefusal(validity: AdmissionFacts['validity'], now: number): Refusal | undefined {
  if (validity === undefined) return undefined;
  if (validity !== null && validity.notBefore <= now && now <= validity.notAfter) return undefined;
  return { admitted: false, code: 'outside_validity', reason: 'the certificate is expired or not yet valid' };
}

/**
 * The second step, on the registrations alone: refused when ACTIVE in more than one account or region, whatever
 * claim it holds (so a door may take it before looking the claim up).
 */
export function registrationRefusal(registrations: readonly CertificateRegistration[]): Refusal | undefined {
  if (registrations.filter((r) => statusAdmits(r.status)).length <= 1) return undefined;
  // AWS tells the accounts apart by SNI (multi-account registration); fleetca has no per-account endpoints.
  return {
    admitted: false,
    code: 'ambiguous_registration',
    reason: 'the certificate is ACTIVE in more than one account or region',
  };
}

/**
 * Whether a live session keeps its place after the registry was looked at again (after the change feed may have
 * missed changes): the certificate, decided on afresh, is still admitted in the session's account and region,
 * as a device if it was one, and for every template the session was admitted with.
 */
export function keepsAdmission(session: DevicePrincipal, facts: Omit<AdmissionFacts, 'validity'>): boolean {
  const fresh = decideAdmission(facts);
  if (!fresh.admitted) return false;
  const { principal } = fresh;
  if (!sameScope(principal.scope, session.scope)) return false;
  if (session.device && !principal.device) return false;
  return [...session.provisioningTemplates].every((name) => principal.provisioningTemplates.has(name));
}

/**
 * Whether a certificate with this status may be connected as a device: ACTIVE only. The change feed tests each
 * change with it too (DELETED there: the certificate is gone).
 */
export function statusAdmits(status: CertificateStatus | 'DELETED'): boolean {
  return status === 'ACTIVE';
}

function sameScope(a: Scope, b: Scope): boolean {
  return a.accountId === b.accountId && a.region === b.region;
}
