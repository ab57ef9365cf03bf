import type { KeyObject } from 'node:crypto';
import { OWNERSHIP_TOKEN_LIFETIME_MS } from '../../provisioning/ownership-token.js';
import { issueAndRegister } from '../certificates/issue-certificate.js';
import { type OperationContext, ownershipTokensOf } from '../context.js';

export interface PendingCertificate {
  readonly certificateId: string;
  readonly certificatePem: string;
  readonly certificateOwnershipToken: string;
}

/**
 * What both certificate-creating operations of the device API share: the certificate starts PENDING_ACTIVATION
 * and comes with an ownership token for RegisterThing. The token's row is committed before the certificate, so
 * every such certificate can be swept if it is never claimed.
 */
export async function issuePendingCertificate(
  ctx: OperationContext,
  subject: Buffer,
  publicKey: KeyObject,
): Promise<PendingCertificate> {
  const tokens = ownershipTokensOf(ctx);
  const expiresAt = ctx.now().getTime() + OWNERSHIP_TOKEN_LIFETIME_MS;
  const registered = await issueAndRegister(ctx, {
    subject,
    publicKey,
    status: 'PENDING_ACTIVATION',
    beforeCommit: (certificateId) => ctx.registry.ownershipTokens.record(ctx.scope, certificateId, expiresAt),
  });
  const token = tokens.mint({ scope: ctx.scope, certificateId: registered.certificateId, expiresAt });
  return {
    certificateId: registered.certificateId,
    certificatePem: registered.certificatePem,
    certificateOwnershipToken: token,
  };
}
