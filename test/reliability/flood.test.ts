import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { floodPart } from '../../bench/reliability/flood.js';

test('flood (quick form): probes answer within 1 s during idle floods on both doors, and memory returns', async () => {
  const workDir = await mkdtemp(join(tmpdir(), 'fleetca-flood-'));
  try {
    const report = await floodPart.run({ quick: true, workDir, log: (line) => process.stderr.write(`${line}\n`) });
    assert.equal(report.checks.length, 3);
    for (const check of report.checks) {
      assert.equal(check.pass, true, `${check.description}: ${check.measured}\n${report.tables.join('\n')}`);
    }
    // The flood really happened and the guard really acted on it.
    assert.match(
      report.notes.join('\n'),
      /Guard closings over the run: .*(first_request_timeout|handshake_timeout|evicted)/,
    );
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
});
