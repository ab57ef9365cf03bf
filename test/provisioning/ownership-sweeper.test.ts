import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DeleteRule } from '../../src/domain/certificates/certificate-lifecycle.js';
import { startOwnershipSweeper } from '../../src/provisioning/ownership-sweeper.js';
import type { ExpiredOwnershipToken } from '../../src/registry/ownership-token-store.js';
import type { Registry } from '../../src/registry/registry.js';
import { eventually } from '../helpers/eventually.js';
import { makeRecord, SCOPE } from '../registry/certificate-fixtures.js';

/** Just enough of a registry for the sweeper: expired tokens in memory, every certificate unclaimed. */
function fakeRegistry(tokenCount: number, expired?: (limit: number) => Promise<readonly ExpiredOwnershipToken[]>) {
  const tokens: ExpiredOwnershipToken[] = Array.from({ length: tokenCount }, (_, i) => ({
    scope: SCOPE,
    certificateId: `cert-${i}`,
    redeemed: false,
  }));
  const deleted: string[] = [];
  const registry = {
    ownershipTokens: {
      expired: expired ?? (async (_now: number, limit: number) => tokens.slice(0, limit)),
      forget: async (_scope: unknown, certificateId: string) => {
        tokens.splice(
          tokens.findIndex((t) => t.certificateId === certificateId),
          1,
        );
      },
    },
    certificates: {
      deleteCertificate: async (_scope: unknown, certificateId: string, rule: DeleteRule) => {
        rule(makeRecord(certificateId, { status: 'PENDING_ACTIVATION' }), { things: 0, policies: 0 });
        deleted.push(certificateId);
      },
    },
  } as unknown as Registry;
  return { registry, tokens, deleted };
}

function recordingLogger() {
  const errors: unknown[][] = [];
  const infos: unknown[][] = [];
  return {
    errors,
    infos,
    logger: {
      error: (...args: unknown[]) => errors.push(args),
      info: (...args: unknown[]) => infos.push(args),
    } as never,
  };
}

describe('startOwnershipSweeper', () => {
  test('sweeps on its interval, draining a backlog in one run, and logs what it deleted', async () => {
    const { registry, tokens, deleted } = fakeRegistry(5);
    const { logger, infos } = recordingLogger();
    const stop = startOwnershipSweeper(registry, { intervalMs: 10, logger, batchSize: 2 });
    try {
      await eventually('the backlog swept', () => tokens.length === 0);
      assert.deepEqual(deleted, ['cert-0', 'cert-1', 'cert-2', 'cert-3', 'cert-4']);
      assert.ok(infos.length >= 3);
    } finally {
      await stop();
    }
  });

  test('runs never overlap; stop waits for the run under way and no run starts after it', async () => {
    let calls = 0;
    let inFlight = 0;
    let most = 0;
    let release: () => void = () => {};
    const { registry } = fakeRegistry(0, async () => {
      calls++;
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      inFlight--;
      return [];
    });
    const { logger } = recordingLogger();
    const stop = startOwnershipSweeper(registry, { intervalMs: 5, logger });
    await eventually('the first sweep', () => calls === 1);
    await sleep(50);
    assert.equal(calls, 1);
    const stopped = stop();
    release();
    await stopped;
    assert.equal(inFlight, 0);
    await sleep(30);
    assert.equal(calls, 1);
    assert.equal(most, 1);
  });

  test('a failing run is logged, not thrown, and the next tick tries again', async () => {
    let calls = 0;
    const { registry } = fakeRegistry(0, async () => {
      calls++;
      if (calls === 1) throw new Error('registry unavailable');
      return [];
    });
    const { logger, errors } = recordingLogger();
    const stop = startOwnershipSweeper(registry, { intervalMs: 5, logger });
    try {
      await eventually('a second sweep', () => calls >= 2);
      assert.equal(errors.length, 1);
      const [details, message] = errors[0] ?? [];
      assert.match(String(message), /ownership sweep failed/);
      assert.equal((details as { err: Error }).err.message, 'registry unavailable');
    } finally {
      await stop();
    }
  });
});
