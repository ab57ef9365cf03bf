import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CHECKS, mqttFuzzPart } from '../../bench/reliability/mqtt-fuzz.js';

test('MQTT fuzzing, quick form: no crash, no hang, no unhandled error, no invalid UTF-8 routed, memory level', async (t) => {
  const workDir = await mkdtemp(join(tmpdir(), 'fleetca-mqtt-fuzz-'));
  try {
    // The seed is in the log lines: a failure can be repeated with --seed.
    const report = await mqttFuzzPart.run({ quick: true, workDir, log: (line) => t.diagnostic(line) });
    for (const check of report.checks)
      t.diagnostic(`${check.pass ? 'pass' : 'FAIL'}: ${check.description}: ${check.measured}`);
    for (const note of report.notes) t.diagnostic(note);
    assert.deepEqual(
      report.checks.map((check) => check.description).sort(),
      Object.values(CHECKS).sort(),
      'every check was made',
    );
    // The 1 s round trip is a speed target, reported by the benchmark, not asserted in a test.
    const failed = report.checks.filter((check) => check.description !== CHECKS.speed && check.pass !== true);
    assert.deepEqual(failed, [], report.notes.join('\n'));
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
});
