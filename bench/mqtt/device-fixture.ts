/**
 * The benchmark's devices: ACTIVE certificates of one account, each its own, over a few shared P-256 keys (a CSR
 * per device, CreateCertificateFromCsr through the REST door, then AttachPolicy of one allow-all policy, since a
 * new data directory authorizes devices by policies). Issued once and cached in a JSON file next to the data
 * directory, named after its CA and store, so that a rerun over the same data directory issues only what is
 * missing.
 */

import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bitString, oid, sequence, smallInteger, tlv } from '../../src/ca/der-writer.js';
import { encodeName } from '../../src/ca/distinguished-name.js';
import { Oid } from '../../src/ca/oids.js';
import { toPem } from '../../src/ca/pem.js';
import type { Credentials } from '../sigv4-client.js';
import { SigV4Client } from '../sigv4-client.js';
import type { FixtureDevice, FixtureFile } from './protocol.js';

const KEY_COUNT = 8;
const ISSUING_CONCURRENCY = 32;
export const DEVICE_POLICY = 'bench-mqtt-allow-all';
const ALLOW_ALL = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }],
});

export interface DeviceFixture {
  readonly file: string;
  readonly count: number;
  /** Seconds spent issuing this time (0 when the cache had enough). */
  readonly issuedS: number;
  readonly issued: number;
}

/** The fixture file for a data directory's CA and store. */
export function fixtureFile(workDir: string, caChainPem: string, store: string): string {
  const key = createHash('sha256').update(caChainPem).update(store).digest('hex').slice(0, 16);
  return join(workDir, `devices-${key}.json`);
}

function csrFor(key: KeyObject, publicSpki: Buffer, commonName: string): string {
  const info = sequence(smallInteger(0), encodeName(`CN=${commonName}`), publicSpki, tlv(0xa0));
  const der = sequence(info, sequence(oid(Oid.ecdsaWithSHA256)), bitString(sign('sha256', info, key)));
  return toPem('CERTIFICATE REQUEST', der);
}

function readFixture(file: string): FixtureFile | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as FixtureFile;
}

/** Makes sure the fixture holds at least `count` devices, issuing the missing ones through `url`. */
export async function ensureDevices(
  file: string,
  url: string,
  credentials: Credentials,
  count: number,
  progress: (line: string) => void = () => {},
): Promise<DeviceFixture> {
  const existing = readFixture(file);
  const keyPems =
    existing?.keys ??
    Array.from({ length: KEY_COUNT }, () =>
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }),
    ).map(String);
  const devices: FixtureDevice[] = [...(existing?.devices ?? [])];
  if (devices.length >= count) return { file, count: devices.length, issuedS: 0, issued: 0 };
  const keys = keyPems.map((pem) => {
    const privateKey = createPrivateKey(pem);
    return { privateKey, spki: createPublicKey(privateKey).export({ type: 'spki', format: 'der' }) };
  });
  const client = new SigV4Client(url, credentials, ISSUING_CONCURRENCY);
  const policy = await client.send({
    method: 'POST',
    path: `/policies/${DEVICE_POLICY}`,
    body: JSON.stringify({ policyDocument: ALLOW_ALL }),
  });
  if (policy.status !== 200 && policy.status !== 409) throw new Error(`CreatePolicy: ${policy.status} ${policy.body}`);
  const started = performance.now();
  const first = devices.length;
  let next = first;
  const made: FixtureDevice[] = [];
  const issueOne = async (index: number) => {
    const keyIndex = index % keys.length;
    const key = keys[keyIndex] as { privateKey: KeyObject; spki: Buffer };
    const created = await client.send({
      method: 'POST',
      path: '/certificates',
      query: { setAsActive: 'true' },
      body: JSON.stringify({ certificateSigningRequest: csrFor(key.privateKey, key.spki, `bench-mqtt-${index}`) }),
    });
    if (created.status !== 200) throw new Error(`CreateCertificateFromCsr: ${created.status} ${created.body}`);
    const body = JSON.parse(created.body) as { certificateArn: string; certificateId: string; certificatePem: string };
    const attached = await client.send({
      method: 'PUT',
      path: `/target-policies/${DEVICE_POLICY}`,
      body: JSON.stringify({ target: body.certificateArn }),
    });
    if (attached.status !== 200) throw new Error(`AttachPolicy: ${attached.status} ${attached.body}`);
    made[index - first] = { certificateId: body.certificateId, certificatePem: body.certificatePem, key: keyIndex };
  };
  const lane = async () => {
    while (next < count) {
      const index = next++;
      await issueOne(index);
      if ((index + 1) % 2000 === 0) progress(`issued ${index + 1 - first} of ${count - first} device certificates`);
    }
  };
  await Promise.all(Array.from({ length: ISSUING_CONCURRENCY }, lane));
  const fixture: FixtureFile = { keys: keyPems, devices: [...devices, ...made] };
  writeFileSync(file, JSON.stringify(fixture));
  return { file, count: fixture.devices.length, issuedS: (performance.now() - started) / 1000, issued: made.length };
}
