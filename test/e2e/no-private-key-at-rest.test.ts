import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { openHome } from '../../src/home/open-home.js';
import { CreateKeysAndCertificate } from '../../src/model/certificates.js';
import { invokeOperation } from '../../src/operations/index.js';
import {
  checkKeysAndCertificate,
  createClaim,
  createFleetTemplate,
  decodeAnswer,
  encodeRequest,
  ProvisioningConnection,
  topics,
} from '../helpers/fleet-provisioning.js';
import { createAccount, iotClientFor, startServer } from '../helpers/fleetca-server.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';

/** Every byte pattern that would betray a private key: encodings and the secret numbers themselves. */
function secretPatterns(privateKeyPem: string): Buffer[] {
  const key = createPrivateKey(privateKeyPem);
  const jwk = key.export({ format: 'jwk' });
  const numbers = ['d', 'p', 'q', 'dp', 'dq', 'qi'].map((k) =>
    Buffer.from(String(jwk[k as keyof typeof jwk]), 'base64url'),
  );
  const body = privateKeyPem.split('\n').filter((line) => line.length === 64);
  return [
    Buffer.from(privateKeyPem),
    key.export({ type: 'pkcs1', format: 'der' }),
    key.export({ type: 'pkcs8', format: 'der' }),
    ...numbers,
    ...numbers.map((n) => Buffer.from(n.toString('hex'))),
    ...numbers.map((n) => Buffer.from(n.toString('hex').toUpperCase())),
    ...numbers.map((n) => Buffer.from(n.toString('base64'))),
    // Any one full line of the PEM body is enough to call it a leak.
    ...body.slice(1, -1).map((line) => Buffer.from(line)),
  ];
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

async function assertNoSecretsIn(dir: string, privateKeys: readonly string[]): Promise<number> {
  const files = await filesUnder(dir);
  for (const file of files) {
    const bytes = await readFile(file);
    for (const pem of privateKeys) {
      for (const pattern of secretPatterns(pem)) {
        assert.equal(bytes.indexOf(pattern), -1, `${file} holds private key material`);
      }
    }
  }
  return files.length;
}

test('issued private keys are nowhere in the data directory, WAL included, while the store is open', async () => {
  const home = await tempHome();
  const env = cliEnv(home);
  const opened = await openHome(env);
  try {
    const ctx = opened.context(opened.defaultScope(undefined));
    const keys: string[] = [];
    for (let i = 0; i < 3; i++) {
      const out = await invokeOperation(CreateKeysAndCertificate, { setAsActive: true }, ctx);
      keys.push((out.keyPair as { PrivateKey: string }).PrivateKey);
    }
    const names = (await filesUnder(String(env.FLEETCA_HOME))).map((f) => f.slice(String(env.FLEETCA_HOME).length));
    assert.ok(names.includes('/registry.db-wal'), `the WAL is searched too (files: ${names.join(', ')})`);
    const searched = await assertNoSecretsIn(String(env.FLEETCA_HOME), keys);
    assert.ok(searched >= 6, 'config, CA material, database and its WAL were searched');
  } finally {
    await opened.close();
  }
});

test('issued private keys are nowhere in the data directory after CLI runs', async () => {
  const home = await tempHome();
  const env = cliEnv(home);
  const keys: string[] = [];
  for (let i = 0; i < 2; i++) {
    const run = await runCli(['iot', 'create-keys-and-certificate'], env);
    assert.equal(run.code, 0, run.stderr);
    keys.push(JSON.parse(run.stdout).keyPair.PrivateKey);
  }
  await assertNoSecretsIn(String(env.FLEETCA_HOME), keys);
});

test('control: the search does find a key hidden among other bytes', async () => {
  const dir = await tempHome();
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
  const q = Buffer.from(String(privateKey.export({ format: 'jwk' }).q), 'base64url');
  await writeFile(join(dir, 'page.bin'), Buffer.concat([Buffer.alloc(100, 7), q, Buffer.alloc(100, 9)]));
  await assert.rejects(assertNoSecretsIn(dir, [pem]), /holds private key material/);
});

test('keys issued over MQTT (fleet provisioning) and claim keys are neither in the data directory nor in the server log', async () => {
  const home = await tempHome('fleetca-mqtt-at-rest-');
  const env = cliEnv(home);
  const server = await startServer(env);
  const rest = iotClientFor(server, await createAccount(env, '123456789012'));
  const keys: string[] = [];
  try {
    await createFleetTemplate(rest, 'at-rest');
    const claim = await createClaim(rest, 'at-rest');
    keys.push(claim.privateKey);
    const chain = (await runCli(['ca', 'export'], env)).stdout;
    const connection = await ProvisioningConnection.connect(server.mqttPort as number, chain, claim);
    try {
      for (const format of ['json', 'cbor'] as const) {
        await connection.subscribeAnswers(topics.create(format));
        const answer = await connection.request(topics.create(format), encodeRequest(format, {}));
        keys.push(checkKeysAndCertificate(decodeAnswer(format, answer.payload)).privateKey);
      }
    } finally {
      await connection.end();
    }
    // While the server still runs: the SQLite WAL holds the newest writes.
    assert.ok((await assertNoSecretsIn(home, keys)) > 0);
    for (const pem of keys) {
      for (const line of pem.split('\n').filter((l) => l.length === 64)) {
        assert.equal(server.logs().includes(line), false, 'the server log holds private key material');
      }
    }
  } finally {
    rest.destroy();
    assert.equal(await server.stop(), 0);
  }
  assert.ok((await assertNoSecretsIn(home, keys)) > 0);
});
