import { randomUUID } from 'node:crypto';
import { ServiceError, serviceErrors } from '../../errors.js';
import { type CaCertificateRecord, caCertificateArn, type RegistrationConfig } from './ca-certificate-record.js';
import type { AutoRegistrationStatus, CaCertificateStatus } from './ca-certificate-status.js';

/**
 * The CA certificate rules, run inside the store's transaction: registration limits and
 * uniqueness, ACTIVE ⇄ INACTIVE updates, and deletion only once deactivated.
 */

/** What a registration rule decides on, read in the same transaction as the insert it allows. */
export interface CaRegistrationState {
  /** The CA certificate with the same id already registered in the same account and region. */
  readonly existing: CaCertificateRecord | undefined;
  /** How many CA certificates with the same subject the account already holds in the region. */
  readonly sameSubject: number;
  /** Whether another account holds the same CA certificate in DEFAULT mode in the same region. */
  readonly defaultModeElsewhere: boolean;
}

/** Decides whether a CA certificate may be registered; throws to refuse. */
export type CaRegistrationRule = (state: CaRegistrationState) => void;

/** The new values of a CA certificate's mutable fields, decided by an update rule. */
export interface CaCertificateChange {
  readonly status: CaCertificateStatus;
  readonly autoRegistrationStatus: AutoRegistrationStatus;
  /** Absent removes the configuration. */
  readonly registrationConfig?: RegistrationConfig;
  readonly lastModifiedDate: number;
  readonly generationId: string;
}

/**
 * Decides an update from the current record (undefined when it does not exist): undefined for
 * "nothing to change", a change to apply, or a throw to refuse.
 */
export type CaUpdateRule = (current: CaCertificateRecord | undefined) => CaCertificateChange | undefined;

/** Decides whether a CA certificate may be deleted; throws to refuse. */
export type CaDeleteRule = (current: CaCertificateRecord | undefined) => void;

/** "You can register up to 10 CA certificates with the same CA subject field" (RegisterCACertificate). */
export const MAX_CA_CERTIFICATES_PER_SUBJECT = 10;

export function caRegistrationRule(record: CaCertificateRecord): CaRegistrationRule {
  return ({ existing, sameSubject, defaultModeElsewhere }) => {
    const arn = caCertificateArn(record, record.certificateId);
    if (existing) {
      throw serviceErrors.alreadyExists('The CA certificate is already registered', record.certificateId, arn);
    }
    // A CA may be registered in DEFAULT mode by one account per region; SNI_ONLY by any number of them.
    if (record.certificateMode === 'DEFAULT' && defaultModeElsewhere) {
      throw serviceErrors.alreadyExists(
        'The CA certificate is already registered in DEFAULT mode by another account in this region',
        record.certificateId,
        arn,
      );
    }
    if (sameSubject >= MAX_CA_CERTIFICATES_PER_SUBJECT) {
      throw new ServiceError(
        'LimitExceededException',
        `At most ${MAX_CA_CERTIFICATES_PER_SUBJECT} CA certificates with the same subject can be registered`,
      );
    }
  };
}

/** What UpdateCACertificate asks for; absent members leave the field as it is. */
export interface CaUpdateRequest {
  readonly newStatus?: CaCertificateStatus;
  readonly newAutoRegistrationStatus?: AutoRegistrationStatus;
  readonly registrationConfig?: RegistrationConfig;
  readonly removeAutoRegistration?: boolean;
}

export function caUpdateRule(request: CaUpdateRequest, now: number): CaUpdateRule {
  return (current) => {
    if (!current) throw serviceErrors.notFound();
    const status = request.newStatus ?? current.status;
    const autoRegistrationStatus = request.newAutoRegistrationStatus ?? current.autoRegistrationStatus;
    const registrationConfig =
      request.removeAutoRegistration === true ? undefined : (request.registrationConfig ?? current.registrationConfig);
    const unchanged =
      status === current.status &&
      autoRegistrationStatus === current.autoRegistrationStatus &&
      sameConfig(registrationConfig, current.registrationConfig);
    // Idempotent like UpdateCertificate: asking for what is already there changes nothing, not even the version.
    if (unchanged) return undefined;
    return {
      status,
      autoRegistrationStatus,
      ...(registrationConfig && { registrationConfig }),
      lastModifiedDate: now,
      generationId: randomUUID(),
    };
  };
}

export function caDeletionRule(certificateId: string): CaDeleteRule {
  return (current) => {
    if (!current) throw serviceErrors.notFound();
    if (current.status === 'ACTIVE') {
      throw serviceErrors.certificateState(
        `Certificate must be deactivated (not ACTIVE) before deletion. Id: ${certificateId}`,
      );
    }
  };
}

function sameConfig(a: RegistrationConfig | undefined, b: RegistrationConfig | undefined): boolean {
  return a?.templateBody === b?.templateBody && a?.roleArn === b?.roleArn && a?.templateName === b?.templateName;
}
