import type { CaCertificateRecord } from '../ca-certificates/ca-certificate-record.js';
import { type ValidityPeriod, validityRefusal } from './admission.js';

/**
 * May a certificate the registry does not know be registered on its first connection, and with which CA
 * (just-in-time registration, reference §2.2; JITP §2.3). The door finds the registered CA certificates whose
 * subject is the certificate's issuer and whose key verifies its signature, in any account and region; this rule
 * decides on them. AWS tells accounts apart by the SNI a device sends (multi-account registration); fleetca has one
 * endpoint, so a certificate that two usable CAs in different scopes vouch for is refused rather than guessed.
 */
export interface AutoRegistrationFacts {
  /** The presented certificate's validity; null when its dates cannot be read. */
  readonly validity: ValidityPeriod | null;
  /** The registered CA certificates that signed it (name and signature checked), oldest first. */
  readonly signers: readonly CaCertificateRecord[];
  readonly now: number;
}

/** Why an unknown certificate was not registered, as a short fixed code (log lines and metrics use it). */
export type AutoRegistrationRefusalCode =
  | 'outside_validity'
  | 'no_registered_ca'
  | 'ca_inactive'
  | 'ca_outside_validity'
  | 'auto_registration_disabled'
  | 'ambiguous_ca';

export type AutoRegistration =
  | {
      readonly register: true;
      readonly ca: CaCertificateRecord;
      /** `jitp` when the CA carries a registration configuration (a template to run), else `jitr`. */
      readonly flow: 'jitr' | 'jitp';
    }
  | {
      readonly register: false;
      readonly code: AutoRegistrationRefusalCode;
      readonly reason: string;
      /** The CA that signed it, when there is exactly one the refusal is about. */
      readonly caCertificateId?: string;
    };

/**
 * Registered when the certificate is within its validity and exactly one CA that signed it is ACTIVE, within its own
 * validity, with auto-registration ENABLE. Otherwise the refusal names the first thing that failed, about the oldest
 * signer, so a log line tells an operator what to change.
 */
export function decideAutoRegistration(facts: AutoRegistrationFacts): AutoRegistration {
  const { validity, signers, now } = facts;
  if (validityRefusal(validity, now)) {
    return { register: false, code: 'outside_validity', reason: 'the certificate is expired or not yet valid' };
  }
  if (signers.length === 0) {
    return {
      register: false,
      code: 'no_registered_ca',
      reason: 'the certificate is not signed by any registered CA certificate',
    };
  }
  const usable = signers.filter((ca) => caRefusal(ca, now) === undefined);
  const [ca, ...others] = usable;
  if (ca === undefined) {
    const first = signers[0] as CaCertificateRecord;
    const refusal = caRefusal(first, now) as { code: AutoRegistrationRefusalCode; reason: string };
    return { register: false, ...refusal, caCertificateId: first.certificateId };
  }
  if (others.length > 0) {
    return {
      register: false,
      code: 'ambiguous_ca',
      reason: `more than one registered CA certificate (${usable.map((c) => c.certificateId).join(', ')}) may auto-register it`,
    };
  }
  return { register: true, ca, flow: hasTemplate(ca) ? 'jitp' : 'jitr' };
}

/** Why this CA cannot auto-register what it signed, or undefined when it can. */
function caRefusal(
  ca: CaCertificateRecord,
  now: number,
): { code: AutoRegistrationRefusalCode; reason: string } | undefined {
  if (ca.status !== 'ACTIVE') return { code: 'ca_inactive', reason: `the CA certificate is ${ca.status}` };
  if (now < ca.notBefore || now > ca.notAfter) {
    return { code: 'ca_outside_validity', reason: 'the CA certificate is expired or not yet valid' };
  }
  if (ca.autoRegistrationStatus !== 'ENABLE') {
    return { code: 'auto_registration_disabled', reason: 'the CA certificate does not allow auto-registration' };
  }
  return undefined;
}

function hasTemplate(ca: CaCertificateRecord): boolean {
  const config = ca.registrationConfig;
  return config !== undefined && (config.templateBody !== undefined || config.templateName !== undefined);
}

/**
 * Whether a registered certificate presented again is one auto-registration made and no one activated yet: AWS
 * publishes the registered event again for it (reference §2.2 step 4). Only auto-registration creates a
 * PENDING_ACTIVATION certificate with a CA id (RegisterCertificate refuses that status; fleet provisioning's
 * certificates name no registered CA).
 */
export function awaitsActivation(certificate: { readonly status: string; readonly caCertificateId?: string }): boolean {
  return certificate.status === 'PENDING_ACTIVATION' && certificate.caCertificateId !== undefined;
}
