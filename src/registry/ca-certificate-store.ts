import type { AutoRegistrationStatus, CaCertificateStatus } from '../domain/ca-certificates/ca-certificate-status.js';
import type { CaCertificateRecord, RegistrationConfig } from './ca-certificate-record.js';
import type { ListCursor, Scope } from './certificate-record.js';

/** A page request for ListCACertificates. */
export interface CaListQuery {
  readonly limit: number;
  readonly ascending: boolean;
  readonly after?: ListCursor;
  /** Only CA certificates whose registration configuration names this provisioning template. */
  readonly templateName?: string;
}

export interface CaListPage {
  readonly records: readonly CaCertificateRecord[];
  /** Present when more records follow the last one returned. */
  readonly next?: ListCursor;
}

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

/**
 * The registered CA certificates. Like CertificateStore, every read-then-write step runs inside the
 * store's transaction under the rule it is given, so concurrent requests cannot slip between them.
 */
export interface CaCertificateStore {
  /**
   * Runs the rule on the current state and, unless it throws, inserts the record with its tags.
   * Throws DuplicateCertificateError if the id exists in the scope and the rule did not refuse.
   */
  registerCaCertificate(record: CaCertificateRecord, rule: CaRegistrationRule): Promise<void>;
  getCaCertificate(scope: Scope, certificateId: string): Promise<CaCertificateRecord | undefined>;
  /** The scope's CA certificates whose subject Name hashes to `subjectHash`, oldest first. */
  findCaCertificatesBySubject(scope: Scope, subjectHash: string): Promise<readonly CaCertificateRecord[]>;
  /** Keyset pages ordered by (creationDate, certificateId), newest first unless ascending. */
  listCaCertificates(scope: Scope, query: CaListQuery): Promise<CaListPage>;
  /** Applies the rule's change, bumping customerVersion by one; returns the record as it is afterwards. */
  updateCaCertificate(scope: Scope, certificateId: string, rule: CaUpdateRule): Promise<CaCertificateRecord>;
  deleteCaCertificate(scope: Scope, certificateId: string, rule: CaDeleteRule): Promise<void>;
}
