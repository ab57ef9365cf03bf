import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { test } from 'node:test';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';

test('ca export prints the issuing CA then the root, and is stable across runs', async () => {
  const env = cliEnv(await tempHome());
  const first = await runCli(['ca', 'export'], env);
  assert.equal(first.code, 0, first.stderr);
  const pems = first.stdout.match(/-----BEGIN CERTIFICATE-----\n[^-]+-----END CERTIFICATE-----\n/g) ?? [];
  assert.equal(pems.join(''), first.stdout, 'nothing but two PEM blocks');
  const [issuing, root] = pems.map((pem) => new X509Certificate(pem));
  assert.ok(issuing && root);
  assert.ok(issuing.checkIssued(root), 'the first is issued by the second');
  assert.ok(root.checkIssued(root), 'the second is self-signed');
  assert.ok(issuing.ca && root.ca);
  assert.equal((await runCli(['ca', 'export'], env)).stdout, first.stdout);
});

test('ca: help, and its bad input', async () => {
  const env = cliEnv(await tempHome());
  const help = await runCli(['ca', 'help'], env);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /fleetca ca export/);

  const missing = await runCli(['ca'], env);
  assert.equal(missing.code, 252);
  assert.match(missing.stderr, /the following arguments are required: subcommand/);

  const unknown = await runCli(['ca', 'export', '--pem'], env);
  assert.equal(unknown.code, 252);
  assert.match(unknown.stderr, /fleetca: \[ERROR\]: Unknown options: --pem\n$/);

  const typo = await runCli(['ca', 'exprot'], env);
  assert.equal(typo.code, 252);
  assert.match(typo.stderr, /argument subcommand: Found invalid choice 'exprot'/);
  for (const run of [missing, unknown, typo]) assert.equal(run.stdout, '');
});
