import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { PartReport, ReliabilityPart } from '../../bench/reliability/part.js';

/**
 * Runs a reliability part's quick form in a fresh directory and asserts that it measured something and that every
 * one of its checks passed; the figures go to the test's diagnostics.
 */
export async function assertQuickPartPasses(
  t: TestContext,
  part: ReliabilityPart,
  minChecks: number,
): Promise<PartReport> {
  const workDir = await mkdtemp(join(tmpdir(), `fleetca-reliability-${part.name}-`));
  let keep = true;
  try {
    const report = await part.run({ quick: true, workDir, log: (line) => t.diagnostic(line) });
    for (const check of report.checks) t.diagnostic(`${check.description}: ${check.measured}`);
    assert.ok(report.checks.length >= minChecks, `${part.name} reported ${report.checks.length} checks`);
    const failing = report.checks.filter((check) => check.pass !== true);
    assert.deepEqual(
      failing,
      [],
      `${part.name} failed (work directory kept: ${workDir}); notes:\n${report.notes.join('\n')}`,
    );
    keep = false;
    return report;
  } finally {
    if (!keep) await rm(workDir, { recursive: true, force: true });
  }
}
