import type { KeyObject } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import type { IssuedCertificate } from '../../ca/authority.js';
import { certificateArn } from '../../domain/certificates/certificate-record.js';
import type { CertificateStatus } from '../../domain/certificates/certificate-status.js';
import type { OperationContext } from '../context.js';

export interface RegisteredCertificate {
  readonly certificateArn: string;
  readonly certificateId: string;
  readonly certificatePem: string;
}

/**
 * The issuance steps every creating operation shares, in order: sign with the issuing CA,
 * then commit the record. The caller only answers after the commit, so a client never
 * holds a certificate the registry does not know.
 */
export async function issueAndRegister(
  ctx: OperationContext,
  request: {
    readonly subject: Buffer;
    readonly publicKey: KeyObject;
    readonly status: CertificateStatus;
    /** Runs after signing, before the record is committed (fleet provisioning records the ownership token). */
    readonly beforeCommit?: (certificateId: string) => Promise<void>;
  },
): Promise<RegisteredCertificate> {
  const now = ctx.now();
  const issued: IssuedCertificate = await ctx.authority.issue({
    subject: request.subject,
    publicKey: request.publicKey,
    now,
  });
  const created = now.getTime();
  await request.beforeCommit?.(issued.certificateId);
  await ctx.registry.certificates.insertCertificate({
    ...ctx.scope,
    certificateId: issued.certificateId,
    status: request.status,
    certificatePem: issued.pem,
    ownedBy: ctx.scope.accountId,
    creationDate: created,
    lastModifiedDate: created,
    customerVersion: 1,
    generationId: randomUUID(),
    notBefore: issued.notBefore.getTime(),
    notAfter: issued.notAfter.getTime(),
    certificateMode: 'DEFAULT',
    // What CRLs and OCSP know it by; only certificates fleetca issued carry it.
    issuedBy: issued.issuedBy,
  });
  return {
    certificateArn: certificateArn(ctx.scope, issued.certificateId),
    certificateId: issued.certificateId,
    certificatePem: issued.pem,
  };
}

export function initialStatus(setAsActive: boolean | undefined): CertificateStatus {
  return setAsActive === true ? 'ACTIVE' : 'INACTIVE';
}
