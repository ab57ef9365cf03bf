import type {
  CaDeleteRule,
  CaRegistrationRule,
  CaUpdateRule,
} from '../domain/ca-certificates/ca-certificate-lifecycle.js';
import type { CaCertificateRecord } from '../domain/ca-certificates/ca-certificate-record.js';
import type { Scope } from '../domain/scope.js';
import type { ListCursor } from './keyset-page.js';

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
  /**
   * Every account's and region's CA certificates whose subject Name hashes to `subjectHash`, oldest first: the
   * CAs that may have signed a certificate nobody registered yet (just-in-time registration knows no scope before
   * it finds the CA). CA certificates are few, so this reads without an index of its own.
   */
  findCaCertificatesBySubjectInAnyScope(subjectHash: string): Promise<readonly CaCertificateRecord[]>;
  /** Keyset pages ordered by (creationDate, certificateId), newest first unless ascending. */
  listCaCertificates(scope: Scope, query: CaListQuery): Promise<CaListPage>;
  /** Applies the rule's change, bumping customerVersion by one; returns the record as it is afterwards. */
  updateCaCertificate(scope: Scope, certificateId: string, rule: CaUpdateRule): Promise<CaCertificateRecord>;
  deleteCaCertificate(scope: Scope, certificateId: string, rule: CaDeleteRule): Promise<void>;
}
