import type Database from 'better-sqlite3';
import type { CertificateStatus } from '../../domain/certificates/certificate-status.js';
import type { ClaimGrantRule } from '../../domain/provisioning/claim-grant.js';
import { heldClaim } from '../../domain/provisioning/held-claim.js';
import type {
  ProvisioningClaim,
  ProvisioningClaimRecord,
  TemporaryClaim,
} from '../../domain/provisioning/provisioning-claim-record.js';
import type { TemplateType } from '../../domain/provisioning/template-type.js';
import type { Scope } from '../../domain/scope.js';
import {
  type ClaimLookupRow,
  claimRecordFromRow,
  liveClaimFromRow,
  type ProvisioningClaimRow,
} from '../provisioning-claim-row.js';
import type { ProvisioningClaimStore } from '../provisioning-claim-store.js';
import type { RegistryChange } from '../registry-changes.js';
import type { SqliteAnnouncer } from './sqlite-changes.js';
import type { CertificateKey } from './sqlite-statements.js';

interface ClaimKey extends CertificateKey {
  readonly template_name: string;
}

interface ClaimValues extends ClaimKey {
  readonly kind: 'temporary' | 'registered';
  readonly certificate_pem: string | null;
  readonly expires_at: number | null;
  readonly created_at: number;
}

type TemplateKey = Omit<ClaimKey, 'certificate_id'>;

const SCOPE = 'account_id = @account_id AND region = @region';
const CLAIM_KEY = `${SCOPE} AND certificate_id = @certificate_id AND template_name = @template_name`;

/**
 * ProvisioningClaimStore on the registry's shared better-sqlite3 connection. Inserts and grants are BEGIN
 * IMMEDIATE transactions, so the template (and certificate) they check cannot change before they commit.
 */
export class SqliteProvisioningClaimStore implements ProvisioningClaimStore {
  readonly #insertTemporary: (claim: TemporaryClaim) => boolean;
  readonly #grant: (key: ClaimKey, createdAt: number, rule: ClaimGrantRule) => boolean;
  readonly #revoke: (key: ClaimKey, change: RegistryChange) => boolean;
  readonly #announcer: SqliteAnnouncer;
  readonly #list: Database.Statement<[{ account_id: string; region: string; now: number }], ProvisioningClaimRow>;
  readonly #lookup: Database.Statement<[{ certificate_id: string; now: number }], ClaimLookupRow>;
  readonly #deleteExpired: Database.Statement<[{ now: number }]>;

  constructor(db: Database.Database, announcer: SqliteAnnouncer = {}) {
    this.#announcer = announcer;
    const insert = db.prepare<[ClaimValues]>(
      `INSERT INTO provisioning_claims (account_id, region, certificate_id, template_name, kind, certificate_pem,
        expires_at, created_at)
        VALUES (@account_id, @region, @certificate_id, @template_name, @kind, @certificate_pem, @expires_at, @created_at)`,
    );
    const templateType = db
      .prepare<[TemplateKey], string>(
        `SELECT template_type FROM provisioning_templates WHERE ${SCOPE} AND template_name = @template_name`,
      )
      .pluck();
    const certificateStatus = db
      .prepare<[CertificateKey], string>(
        `SELECT status FROM certificates WHERE ${SCOPE} AND certificate_id = @certificate_id`,
      )
      .pluck();
    const conflicting = db
      .prepare<[CertificateKey], number>(
        `SELECT COUNT(*) FROM provisioning_claims WHERE certificate_id = @certificate_id
          AND NOT (${SCOPE} AND kind = 'registered')`,
      )
      .pluck();
    const granted = db
      .prepare<[ClaimKey], number>(`SELECT 1 FROM provisioning_claims WHERE ${CLAIM_KEY} AND kind = 'registered'`)
      .pluck();
    this.#insertTemporary = db.transaction((claim: TemporaryClaim) => {
      const key = claimKey(claim, claim.certificateId, claim.templateName);
      if (templateType.get(key) === undefined) return false;
      insert.run({
        ...key,
        kind: 'temporary',
        certificate_pem: claim.certificatePem,
        expires_at: claim.expiresAt,
        created_at: claim.createdAt,
      });
      return true;
    }).immediate;
    this.#grant = db.transaction((key: ClaimKey, createdAt: number, rule: ClaimGrantRule) => {
      // A throwing rule aborts the transaction and its error reaches the caller untouched.
      rule({
        certificateStatus: certificateStatus.get(key) as CertificateStatus | undefined,
        templateType: templateType.get(key) as TemplateType | undefined,
        conflictingClaims: conflicting.get(key) ?? 0,
      });
      if (granted.get(key) !== undefined) return false;
      insert.run({ ...key, kind: 'registered', certificate_pem: null, expires_at: null, created_at: createdAt });
      return true;
    }).immediate;
    const revoke = db.prepare<[ClaimKey]>(`DELETE FROM provisioning_claims WHERE ${CLAIM_KEY} AND kind = 'registered'`);
    // Live sessions holding the grant hear it was withdrawn, in this process and (logged) in others.
    this.#revoke = db.transaction((key: ClaimKey, change: RegistryChange) => {
      if (revoke.run(key).changes === 0) return false;
      announcer.changeLog?.append(change);
      return true;
    }).immediate;
    this.#list = db.prepare(
      `SELECT account_id, region, certificate_id, template_name, kind, expires_at, created_at
        FROM provisioning_claims WHERE ${SCOPE} AND (kind = 'registered' OR expires_at > @now)
        ORDER BY certificate_id, template_name`,
    );
    this.#lookup = db.prepare(
      `SELECT p.account_id, p.region, p.template_name, p.kind, p.certificate_pem, p.expires_at
        FROM provisioning_claims p WHERE p.certificate_id = @certificate_id
        AND ((p.kind = 'temporary' AND p.expires_at > @now)
          OR (p.kind = 'registered' AND EXISTS (SELECT 1 FROM certificates c WHERE c.account_id = p.account_id
            AND c.region = p.region AND c.certificate_id = p.certificate_id AND c.status = 'ACTIVE')))`,
    );
    this.#deleteExpired = db.prepare(`DELETE FROM provisioning_claims WHERE kind = 'temporary' AND expires_at <= @now`);
  }

  async insertTemporary(claim: TemporaryClaim): Promise<boolean> {
    return this.#insertTemporary(claim);
  }

  async grant(
    scope: Scope,
    certificateId: string,
    templateName: string,
    createdAt: number,
    rule: ClaimGrantRule,
  ): Promise<boolean> {
    return this.#grant(claimKey(scope, certificateId, templateName), createdAt, rule);
  }

  async revoke(scope: Scope, certificateId: string, templateName: string): Promise<boolean> {
    const change: RegistryChange = { kind: 'claims-withdrawn', ...scope, templateName, certificateId };
    const revoked = this.#revoke(claimKey(scope, certificateId, templateName), change);
    if (revoked) this.#announcer.changes?.publish(change);
    return revoked;
  }

  async listClaims(scope: Scope, now: number): Promise<readonly ProvisioningClaimRecord[]> {
    return this.#list.all({ account_id: scope.accountId, region: scope.region, now }).map(claimRecordFromRow);
  }

  async findByCertificateId(certificateId: string, now: number): Promise<ProvisioningClaim | undefined> {
    return heldClaim(certificateId, this.#lookup.all({ certificate_id: certificateId, now }).map(liveClaimFromRow));
  }

  async deleteExpired(now: number): Promise<number> {
    return this.#deleteExpired.run({ now }).changes;
  }
}

function claimKey(scope: Scope, certificateId: string, templateName: string): ClaimKey {
  return {
    account_id: scope.accountId,
    region: scope.region,
    certificate_id: certificateId,
    template_name: templateName,
  };
}
