import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { derFuzzPart } from '../../bench/reliability/der-fuzz.js';

describe('DER fuzzing (quick form)', () => {
  // The 50 ms target is a speed figure: measured and reported by the bench (full form), not asserted here.
  it('no 5xx, no hang, nothing accepted or signed that OpenSSL refuses', async () => {
    const workDir = mkdtempSync(join(tmpdir(), 'fleetca-der-fuzz-'));
    try {
      const report = await derFuzzPart.run({ quick: true, workDir, log: () => {} });
      assert.ok(report.checks.length >= 6, 'the part reports its checks');
      const failed = report.checks.filter(
        (check) => check.pass !== true && !/ ms in the server/.test(check.description),
      );
      assert.deepEqual(
        failed.map((check) => `${check.description}: ${check.measured}`),
        [],
        [...report.notes, ...report.tables].join('\n'),
      );
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  });
});
