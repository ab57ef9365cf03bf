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
import type { PgDatabase } from './pg-database.js';
import { announceChange } from './pg-notify.js';

const INSERT = `INSERT INTO provisioning_claims (account_id, region, certificate_id, template_name, kind,
  certificate_pem, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`;
/** Held until commit, so that DeleteProvisioningTemplate waits for the claim and then removes it with the template. */
const TEMPLATE_TYPE = `SELECT template_type FROM provisioning_templates
  WHERE account_id = $1 AND region = $2 AND template_name = $3 FOR KEY SHARE`;
/** Grants of one certificate id are serialized: the conflicting-claims count is about rows not yet written. */
const CERTIFICATE_LOCK = 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))';
const GRANT_STATE = `SELECT
  (SELECT status FROM certificates WHERE account_id = $1 AND region = $2 AND certificate_id = $3) AS status,
  (SELECT COUNT(*) FROM provisioning_claims WHERE certificate_id = $3
    AND NOT (account_id = $1 AND region = $2 AND kind = 'registered')) AS conflicting,
  EXISTS (SELECT 1 FROM provisioning_claims WHERE account_id = $1 AND region = $2 AND certificate_id = $3
    AND template_name = $4 AND kind = 'registered') AS granted`;
const REVOKE = `DELETE FROM provisioning_claims WHERE account_id = $1 AND region = $2 AND certificate_id = $3
  AND template_name = $4 AND kind = 'registered'`;
const LIST = `SELECT account_id, region, certificate_id, template_name, kind, expires_at, created_at
  FROM provisioning_claims WHERE account_id = $1 AND region = $2 AND (kind = 'registered' OR expires_at > $3)
  ORDER BY certificate_id COLLATE "C", template_name COLLATE "C"`;
const LOOKUP = `SELECT p.account_id, p.region, p.template_name, p.kind, p.certificate_pem, p.expires_at
  FROM provisioning_claims p WHERE p.certificate_id = $1
  AND ((p.kind = 'temporary' AND p.expires_at > $2)
    OR (p.kind = 'registered' AND EXISTS (SELECT 1 FROM certificates c WHERE c.account_id = p.account_id
      AND c.region = p.region AND c.certificate_id = p.certificate_id AND c.status = 'ACTIVE')))`;
const DELETE_EXPIRED = `DELETE FROM provisioning_claims WHERE kind = 'temporary' AND expires_at <= $1`;

/** ProvisioningClaimStore on PostgreSQL (READ COMMITTED transactions, see the statements' comments). */
export class PgProvisioningClaimStore implements ProvisioningClaimStore {
  readonly #db: PgDatabase;

  constructor(db: PgDatabase) {
    this.#db = db;
  }

  insertTemporary(claim: TemporaryClaim): Promise<boolean> {
    return this.#db.transaction(async (tx) => {
      const template = await tx.query(TEMPLATE_TYPE, [claim.accountId, claim.region, claim.templateName]);
      if (template.rowCount === 0) return false;
      await tx.query(INSERT, [
        claim.accountId,
        claim.region,
        claim.certificateId,
        claim.templateName,
        'temporary',
        claim.certificatePem,
        claim.expiresAt,
        claim.createdAt,
      ]);
      return true;
    });
  }

  grant(
    scope: Scope,
    certificateId: string,
    templateName: string,
    createdAt: number,
    rule: ClaimGrantRule,
  ): Promise<boolean> {
    return this.#db.transaction(async (tx) => {
      await tx.query(CERTIFICATE_LOCK, [`fleetca/provisioning-claim/${certificateId}`]);
      const template = await tx.query<{ template_type: string }>(TEMPLATE_TYPE, [
        scope.accountId,
        scope.region,
        templateName,
      ]);
      const { rows } = await tx.query<{ status: string | null; conflicting: string; granted: boolean }>(GRANT_STATE, [
        scope.accountId,
        scope.region,
        certificateId,
        templateName,
      ]);
      const state = rows[0];
      // A throwing rule rolls the transaction back and its error reaches the caller untouched.
      rule({
        certificateStatus: (state?.status ?? undefined) as CertificateStatus | undefined,
        templateType: template.rows[0]?.template_type as TemplateType | undefined,
        conflictingClaims: Number(state?.conflicting ?? 0),
      });
      if (state?.granted === true) return false;
      await tx.query(INSERT, [
        scope.accountId,
        scope.region,
        certificateId,
        templateName,
        'registered',
        null,
        null,
        createdAt,
      ]);
      return true;
    });
  }

  async revoke(scope: Scope, certificateId: string, templateName: string): Promise<boolean> {
    return this.#db.transaction(async (tx) => {
      const deleted = await tx.query(REVOKE, [scope.accountId, scope.region, certificateId, templateName]);
      if ((deleted.rowCount ?? 0) === 0) return false;
      // Delivered at commit to every replica, whose sessions holding the grant then end.
      await announceChange(tx, { kind: 'claims-withdrawn', ...scope, templateName, certificateId });
      return true;
    });
  }

  async listClaims(scope: Scope, now: number): Promise<readonly ProvisioningClaimRecord[]> {
    const { rows } = await this.#db.query<ProvisioningClaimRow>(LIST, [scope.accountId, scope.region, now]);
    return rows.map(claimRecordFromRow);
  }

  async findByCertificateId(certificateId: string, now: number): Promise<ProvisioningClaim | undefined> {
    const { rows } = await this.#db.query<ClaimLookupRow>(LOOKUP, [certificateId, now]);
    return heldClaim(certificateId, rows.map(liveClaimFromRow));
  }

  async deleteExpired(now: number): Promise<number> {
    return (await this.#db.query(DELETE_EXPIRED, [now])).rowCount ?? 0;
  }
}
