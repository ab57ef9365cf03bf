/**
 * Why a store refused to open or to carry out a request. These are operator or programming
 * problems, not AWS service errors: the doors report them as internal failures.
 */
export type StoreErrorCode =
  /** The file exists but is not a SQLite database (or is encrypted / corrupt at the header); not a usable store URL. */
  | 'NOT_A_DATABASE'
  /** The database holds tables that fleetca did not create. */
  | 'FOREIGN_DATABASE'
  /** The schema was migrated by a newer fleetca than this one. */
  | 'SCHEMA_TOO_NEW'
  /** schema_migrations disagrees with the migrations this code ships (renamed or missing versions). */
  | 'SCHEMA_MISMATCH'
  /** A registry file that must exist (an initialised data directory's) is gone, or only its -wal is left. */
  | 'MISSING'
  /** A registry file is empty (0 bytes): fleetca never leaves one so, so its data was lost. */
  | 'EMPTY'
  /** The database could not be opened at all (missing directory, permissions, ...). */
  | 'OPEN_FAILED'
  /** A status or delete rule asked for something the store cannot do consistently. */
  | 'RULE_CONTRACT'
  /**
   * The database server cannot be reached or is shutting down / starting up (PostgreSQL). Transient:
   * the doors answer ServiceUnavailableException, and the request may be retried.
   */
  | 'UNAVAILABLE';

/** Raised by a certificate store with a machine-readable `code` and a message meant for an operator. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
