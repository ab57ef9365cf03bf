import { serviceErrors } from '../../errors.js';
import { CreateProvisioningClaim } from '../../model/provisioning.js';
import type { ProvisioningClaimStore } from '../../registry/provisioning-claim-store.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';
import { templateNotFound } from './provisioning-templates.js';

export interface CreateProvisioningClaimInput {
  readonly templateName: string;
}

export const createProvisioningClaim = defineOperation({
  model: CreateProvisioningClaim,
  run,
  cli: {
    examples: [
      {
        title: 'To create a five-minute provisioning claim',
        description:
          "Issues a key pair and a claim certificate that may only use the template's fleet-provisioning topics, for five minutes. The private key is returned only in this response.",
        command: 'fleetca iot create-provisioning-claim --template-name FleetTemplate',
      },
    ],
  },
});

/**
 * A temporary claim for an enabled fleet-provisioning template: a fresh RSA-2048 key pair and a claim
 * certificate valid five minutes, stored only as a claim (it is not a registered certificate and is never
 * listed). The private key exists only in this response.
 */
async function run(input: CreateProvisioningClaimInput, ctx: OperationContext) {
  const template = await ctx.registry.provisioningTemplates.getTemplate(ctx.scope, input.templateName);
  if (!template) throw templateNotFound(input.templateName);
  // The model lists no more specific error than InvalidRequestException for a template that cannot be used.
  if (!template.enabled) {
    throw serviceErrors.invalidRequest(`Template ${input.templateName} is disabled`);
  }
  if (template.templateType !== 'FLEET_PROVISIONING') {
    throw serviceErrors.invalidRequest(
      `Template ${input.templateName} is of type ${template.templateType}; provisioning claims need a FLEET_PROVISIONING template`,
    );
  }
  // A full key-generation queue (back-pressure) becomes the API's throttling error in invokeOperation.
  const keys = await ctx.keys.generate();
  const now = ctx.now();
  const issued = await ctx.authority.issueClaim({ publicKey: keys.publicKey, now });
  const claims = ctx.registry.provisioningClaims;
  const stored = await claims.insertTemporary({
    ...ctx.scope,
    certificateId: issued.certificateId,
    certificatePem: issued.pem,
    templateName: input.templateName,
    expiresAt: issued.notAfter.getTime(),
    createdAt: now.getTime(),
  });
  // Deleted between the read above and the insert: the claim would be for nothing.
  if (!stored) throw templateNotFound(input.templateName);
  await pruneNowAndThen(claims, now.getTime());
  return {
    certificateId: issued.certificateId,
    certificatePem: issued.pem,
    keyPair: {
      PublicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }) as string,
      PrivateKey: keys.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
    },
    expiration: issued.notAfter.getTime(),
  };
}

/** Expired claims are swept at most this often per store and process: a sweep scans the claims table. */
const PRUNE_INTERVAL_MS = 60_000;
const lastPruned = new WeakMap<ProvisioningClaimStore, number>();

/** Keeps expired claims from piling up when no device endpoint runs to sweep them. */
async function pruneNowAndThen(claims: ProvisioningClaimStore, now: number): Promise<void> {
  const last = lastPruned.get(claims);
  if (last !== undefined && now - last < PRUNE_INTERVAL_MS) return;
  lastPruned.set(claims, now);
  await claims.deleteExpired(now);
}
