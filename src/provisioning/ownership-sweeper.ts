import type { Logger } from 'pino';
import type { DeleteRule } from '../domain/certificates/certificate-lifecycle.js';
import type { Registry } from '../registry/registry.js';

/** What one sweep did with the expired tokens it was given. */
export interface SweepCounts {
  /** Expired tokens looked at (and forgotten, every one). */
  readonly tokens: number;
  /** Certificates deleted: token unredeemed, still PENDING_ACTIVATION, nothing attached. */
  readonly deleted: number;
  /** Certificates of unredeemed tokens kept because they were activated or attached meanwhile. */
  readonly kept: number;
  /** Tokens RegisterThing redeemed: their certificates were provisioned and stay. */
  readonly redeemed: number;
}

/** Thrown by the delete rule to keep a certificate; never leaves this module. */
class KeepCertificate extends Error {}

/** Expired tokens handled per batch. */
export const SWEEP_BATCH = 200;
/** Batches in one run at most, so that one run drains a backlog without running for ever. */
const MAX_BATCHES_PER_RUN = 50;

/**
 * Reference §4.3: a certificate created over MQTT that "has not been activated and has not been attached to a
 * policy or a thing by the time the token expires" is deleted. The decision runs as DeleteCertificate's rule,
 * inside the store's transaction, so a certificate activated or attached concurrently is never deleted. Then
 * the token row goes, whatever became of the certificate.
 */
export async function sweepExpiredOwnership(registry: Registry, now: number, limit: number): Promise<SweepCounts> {
  const expired = await registry.ownershipTokens.expired(now, limit);
  let deleted = 0;
  let kept = 0;
  let redeemed = 0;
  for (const token of expired) {
    if (token.redeemed) {
      redeemed++;
    } else {
      // Set by the rule: a certificate already gone is not counted as deleted.
      const seen = { certificate: false };
      const onlyUnclaimed: DeleteRule = (current, attachments) => {
        seen.certificate = current !== undefined;
        if (current === undefined) return { detachPolicies: false };
        const unattached = attachments.things === 0 && attachments.policies === 0;
        if (current.status !== 'PENDING_ACTIVATION' || !unattached) throw new KeepCertificate();
        return { detachPolicies: false };
      };
      try {
        await registry.certificates.deleteCertificate(token.scope, token.certificateId, onlyUnclaimed);
        if (seen.certificate) deleted++;
      } catch (error) {
        if (!(error instanceof KeepCertificate)) throw error;
        kept++;
      }
    }
    await registry.ownershipTokens.forget(token.scope, token.certificateId);
  }
  return { tokens: expired.length, deleted, kept, redeemed };
}

export interface OwnershipSweeperOptions {
  readonly intervalMs: number;
  readonly logger: Pick<Logger, 'error' | 'info'>;
  /** Expired tokens per batch (tests). */
  readonly batchSize?: number;
  /** The clock (tests). */
  readonly now?: () => number;
}

/**
 * Sweeps every `intervalMs` until the returned function is called; that function resolves once a run under
 * way has finished. Runs never overlap (a tick during a run is skipped), the timer does not keep the process
 * alive, and a failed run is logged and tried again at the next tick.
 */
export function startOwnershipSweeper(registry: Registry, options: OwnershipSweeperOptions): () => Promise<void> {
  const { logger } = options;
  const batchSize = options.batchSize ?? SWEEP_BATCH;
  const now = options.now ?? Date.now;
  let running: Promise<void> | undefined;
  let stopped = false;

  const run = async () => {
    for (let batch = 0; batch < MAX_BATCHES_PER_RUN && !stopped; batch++) {
      const counts = await sweepExpiredOwnership(registry, now(), batchSize);
      if (counts.deleted > 0 || counts.kept > 0) logger.info({ sweep: counts }, 'expired ownership tokens swept');
      // A short batch means no expired token is left.
      if (counts.tokens < batchSize) return;
    }
  };
  const tick = () => {
    if (running !== undefined || stopped) return;
    running = run()
      .catch((error: unknown) => logger.error({ err: error }, 'ownership sweep failed'))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, options.intervalMs);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
