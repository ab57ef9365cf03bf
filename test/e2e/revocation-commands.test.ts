import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliEnv, initialisedHome, runCli, runTool } from '../helpers/run-cli.js';

test('fleetca ca crl: DER by default, PEM with --pem, and its bad input', async () => {
  const home = await initialisedHome('fleetca-ca-crl-');
  const env = cliEnv(home);
  const out = join(home, 'empty.crl');
  const der = await runCli(['ca', 'crl', '--out', out], env);
  assert.equal(der.code, 0, der.stderr);
  assert.equal(der.stdout, '');
  assert.match(der.stderr, /^fleetca: wrote CRL number 1 \(0 entries, next update \d{4}-\d\d-\d\dT[\d:.]+Z\) to /);
  const text = await runTool('openssl', ['crl', '-inform', 'DER', '-in', out, '-noout', '-text']);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /No Revoked Certificates\./);
  assert.match(text.stdout, /Issuer: .*fleetca/i);
  const chain = (await runCli(['ca', 'export'], env)).stdout;
  await writeFile(join(home, 'chain.pem'), chain);
  const pem = await runCli(['ca', 'crl', '--pem'], env);
  assert.equal(pem.code, 0, pem.stderr);
  assert.match(pem.stdout, /^-----BEGIN X509 CRL-----\n[\s\S]+\n-----END X509 CRL-----\n$/);
  await writeFile(join(home, 'stdout.crl.pem'), pem.stdout);
  const verified = await runTool('openssl', [
    'crl',
    '-in',
    join(home, 'stdout.crl.pem'),
    '-CAfile',
    join(home, 'chain.pem'),
    '-noout',
    '-crlnumber',
  ]);
  assert.match(verified.stdout + verified.stderr, /verify OK/);
  assert.match(verified.stdout, /crlNumber=0x02/, 'each CRL takes the next number');
  assert.ok((await readFile(out)).length > 0, 'the earlier file is untouched');

  const unknown = await runCli(['ca', 'crl', '--bogus'], env);
  assert.equal(unknown.code, 252);
  assert.match(unknown.stderr, /Unknown options: --bogus/);
  const noValue = await runCli(['ca', 'crl', '--out'], env);
  assert.equal(noValue.code, 252);
  assert.match(noValue.stderr, /argument --out: expected one argument/);
  const misplaced = await runCli(['ca', 'export', '--out', 'x'], env);
  assert.equal(misplaced.code, 252);
  assert.match(misplaced.stderr, /Unknown options: --out/);
  const nowhere = await runCli(['ca', 'crl', '--out', join(home, 'no', 'such', 'dir', 'x.crl')], env);
  assert.notEqual(nowhere.code, 0);
  assert.match(nowhere.stderr, /no such file or directory/i);
  assert.doesNotMatch(nowhere.stderr, /\n\s+at /, 'no stack trace');
});

test('a bad public base URL is refused by serve and by config.json, before anything starts', async () => {
  const home = await initialisedHome('fleetca-public-url-');
  const env = cliEnv(home);
  for (const url of [
    'ftp://ca.example.com',
    'http://ca.example.com/?x=1',
    'not a url',
    'http://user:pw@ca.example.com',
  ]) {
    const run = await runCli(['serve', '--port', '0', '--no-mqtt', '--public-base-url', url], env);
    assert.equal(run.code, 252, `${url}: ${run.stderr}`);
    assert.match(run.stderr, /argument --public-base-url: the URL must be an http:\/\/ or https:\/\/ URL/);
  }
  const configFile = join(home, 'fleetca', 'config.json');
  const config = JSON.parse(await readFile(configFile, 'utf8'));
  for (const [revocation, message] of [
    [{ publicBaseUrl: 'ftp://x' }, /revocation\.publicBaseUrl must be an http:\/\/ or https:\/\/ URL/],
    [{ crlLifetimeSeconds: 5 }, /revocation\.crlLifetimeSeconds must be a whole number of seconds from 60/],
    [{ ocspLifetime: 60 }, /revocation has unknown settings: ocspLifetime/],
    ['yes', /revocation must be an object/],
  ] as const) {
    await writeFile(configFile, JSON.stringify({ ...config, revocation }));
    const run = await runCli(['iot', 'list-certificates'], env);
    assert.equal(run.code, 255, run.stderr);
    assert.match(run.stderr, message);
  }
});
