/**
 * What revocation publishing costs, on a registry of realistic size:
 * - CRL: generation time (registry read + DER + signature) and size for `--rows` certificates of which `--listed`
 *   are revoked or on hold, on SQLite and on PostgreSQL (`CrlPublisher.publish`, in process, three runs each);
 * - OCSP: responses per second from a real `fleetca serve` over HTTP POST, `--clients` requests in flight on
 *   keep-alive connections for `--seconds`, over 1,000 of the certificates: without a nonce (the signed response
 *   is reused until it goes stale: the "cached statuses" figure) and with a fresh nonce each (a new ECDSA
 *   signature per response). Every response is checked to be successful and to name the serial asked about.
 * Run: npm run build && node dist/bench/revocation.js [--rows 1000000] [--listed 100000] [--engines sqlite,postgres]
 *      [--seconds 10] [--clients 32] [--pg-url postgres://postgres@127.0.0.1:5432/test]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tag } from '../src/ca/der.js';
import { explicit, nullValue, octetString, oid, sequence, tlv } from '../src/ca/der-writer.js';
import { issuerHashes } from '../src/ca/ocsp/ocsp-response.js';
import { Oid } from '../src/ca/oids.js';
import { type Home, openHome } from '../src/home/open-home.js';
import { CrlPublisher } from '../src/revocation/crl-publisher.js';
import { DEFAULT_REVOCATION_SETTINGS } from '../src/revocation/revocation-settings.js';
import { processTreeCpuSeconds } from './cpu.js';
import { fillRevocationFixture, fixtureSerial } from './fixtures/revocation-fixture.js';
import { describeMachine } from './machine.js';
import { dropPostgresSchema, postgresTarget, resetPostgresSchema } from './scale/stores.js';
import { FLEETCA_BIN, REPO_ROOT } from './servers.js';
import { percentile } from './stats.js';

const option = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? (process.argv[at + 1] as string) : fallback;
};
const ROWS = Number(option('rows', '1000000'));
const LISTED = Number(option('listed', '100000'));
const ENGINES = option('engines', 'sqlite,postgres').split(',');
const SECONDS = Number(option('seconds', '10'));
const CLIENTS = Number(option('clients', '32'));
const PG_URL = option('pg-url', 'postgres://postgres@127.0.0.1:5432/test');
const SEED = 18;
const OCSP_SERIALS = 1_000;

function homeEnv(dir: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: dir, FLEETCA_HOME: join(dir, 'fleetca'), TZ: 'UTC' };
}

/** A registry filled by the fixture under the data directory's own issuing CA, opened through fleetca. */
async function filledHome(
  engine: string,
  dir: string,
): Promise<{ home: Home; store: string; close: () => Promise<void>; done: () => Promise<void> }> {
  const target = engine === 'postgres' ? postgresTarget(PG_URL, `fleetca_revbench_${process.pid}`) : undefined;
  const pg = target?.kind === 'postgres' ? target : undefined;
  if (pg) await resetPostgresSchema(pg);
  const store = pg ? pg.url : `sqlite:${join(dir, 'registry.db')}`;
  const home = await openHome(homeEnv(dir), { store, preload: true });
  let open = true;
  const issuerKeyId = home.authority.revocationIssuer().keyIdentifier.toString('hex');
  const fill = pg
    ? { kind: 'postgres' as const, url: pg.url }
    : { kind: 'sqlite' as const, file: join(dir, 'registry.db') };
  const load = await fillRevocationFixture(fill, { rows: ROWS, listed: LISTED, issuerKeyId, seed: SEED });
  console.log(`# ${engine}: ${load.rows} certificates (${load.listed} listed) loaded in ${load.seconds.toFixed(1)} s`);
  return {
    home,
    store,
    close: async () => {
      if (open) await home.close();
      open = false;
    },
    done: async () => {
      if (open) await home.close();
      open = false;
      if (pg) await dropPostgresSchema(pg);
    },
  };
}

async function measureCrl(home: Home): Promise<{ runs: number[]; bytes: number; entries: number }> {
  const publisher = new CrlPublisher({
    registry: home.registry,
    authority: home.authority,
    settings: DEFAULT_REVOCATION_SETTINGS,
  });
  const runs: number[] = [];
  let last = { bytes: 0, entries: 0 };
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    const crl = await publisher.publish();
    runs.push((performance.now() - started) / 1000);
    last = { bytes: crl.der.length, entries: crl.entries };
  }
  return { runs, ...last };
}

/** An OCSPRequest for one serial by SHA-1 CertID, with a fresh 16-byte nonce when asked. */
function ocspRequest(hashes: { nameHash: Buffer; keyHash: Buffer }, serialHex: string, nonce: boolean): Buffer {
  const serial = Buffer.from(serialHex, 'hex');
  const integer = tlv(Tag.INTEGER, (serial[0] as number) & 0x80 ? Buffer.concat([Buffer.from([0]), serial]) : serial);
  const certId = sequence(
    sequence(oid(Oid.sha1), nullValue()),
    octetString(hashes.nameHash),
    octetString(hashes.keyHash),
    integer,
  );
  const extensions = nonce
    ? [explicit(2, sequence(sequence(oid('1.3.6.1.5.5.7.48.1.2'), octetString(octetString(randomBytes(16))))))]
    : [];
  return sequence(sequence(sequence(sequence(certId)), ...extensions));
}

interface LoadResult {
  readonly ok: number;
  readonly failed: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly serverCores: number;
}

async function ocspLoad(
  port: number,
  pid: number,
  body: (index: number) => Buffer,
  serials: string[],
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  let index = 0;
  const send = (payload: Buffer, serial: string) =>
    new Promise<void>((resolve) => {
      const started = performance.now();
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/_fleetca/ocsp',
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/ocsp-request', 'content-length': payload.length },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const answer = Buffer.concat(chunks);
            // successful (ENUMERATED 0 right after the outer header) and the serial asked about in the CertID.
            const good =
              res.statusCode === 200 &&
              answer.subarray(2, 8).includes(Buffer.from([0x0a, 0x01, 0x00])) &&
              answer.includes(Buffer.from(serial, 'hex'));
            if (good) ok++;
            else failed++;
            latencies.push(performance.now() - started);
            resolve();
          });
        },
      );
      req.on('error', () => {
        failed++;
        resolve();
      });
      req.end(payload);
    });
  const deadline = performance.now() + SECONDS * 1000;
  const cpuBefore = processTreeCpuSeconds(pid);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < deadline) {
        const at = index++;
        const serial = serials[at % serials.length] as string;
        await send(body(at), serial);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const serverCores = (processTreeCpuSeconds(pid) - cpuBefore) / elapsed;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    ok,
    failed,
    perSecond: ok / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    serverCores,
  };
}

function startServe(env: NodeJS.ProcessEnv, store: string): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        FLEETCA_BIN,
        'serve',
        '--port',
        '0',
        '--no-mqtt',
        '--key-pool-size',
        '0',
        '--log-level',
        'warn',
        '--store',
        store,
      ],
      { env, cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const port = /listening on http:\/\/[^:]+:(\d+)/.exec(out)?.[1];
      if (port) resolve({ child, port: Number(port) });
    });
    child.once('exit', (code) => reject(new Error(`fleetca serve exited with ${code}`)));
  });
}

const machine = await describeMachine();
console.log(`# ${machine.cpuModel}, ${machine.cores} cores; Node ${process.version}; ${ROWS} rows, ${LISTED} listed`);
const rows: string[] = [];
for (const engine of ENGINES) {
  const dir = await mkdtemp(join(tmpdir(), 'fleetca-revocation-bench-'));
  const { home, store, close, done } = await filledHome(engine, dir);
  try {
    const crl = await measureCrl(home);
    const median = [...crl.runs].sort((a, b) => a - b)[1] as number;
    console.log(
      `CRL ${engine}: ${crl.entries} entries, ${(crl.bytes / 1e6).toFixed(2)} MB DER, runs ${crl.runs.map((s) => s.toFixed(2)).join(' · ')} s (median ${median.toFixed(2)} s)`,
    );
    rows.push(
      `| ${engine} | ${crl.entries.toLocaleString('en')} | ${(crl.bytes / 1e6).toFixed(2)} MB | ${crl.runs.map((s) => s.toFixed(2)).join(' · ')} | ${median.toFixed(2)} |`,
    );
    if (engine !== ENGINES[0]) continue;
    const hashes = issuerHashes(home.authority.revocationIssuer().certificateDer, 'sha1');
    const serials = Array.from({ length: OCSP_SERIALS }, (_, i) =>
      fixtureSerial(SEED, i * Math.floor(ROWS / OCSP_SERIALS)),
    );
    const cached = serials.map((serial) => ocspRequest(hashes, serial, false));
    await close();
    const server = await startServe(homeEnv(dir), store);
    try {
      const warm = await ocspLoad(
        server.port,
        server.child.pid as number,
        (i) => cached[i % cached.length] as Buffer,
        serials,
      );
      const reused = await ocspLoad(
        server.port,
        server.child.pid as number,
        (i) => cached[i % cached.length] as Buffer,
        serials,
      );
      const fresh = await ocspLoad(
        server.port,
        server.child.pid as number,
        (i) => ocspRequest(hashes, serials[i % serials.length] as string, true),
        serials,
      );
      for (const [name, result] of [
        ['no nonce, first pass (warming)', warm],
        ['no nonce (cached statuses)', reused],
        ['nonce (fresh signature each)', fresh],
      ] as const) {
        console.log(
          `OCSP ${name}: ${result.perSecond.toFixed(0)}/s, p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, server ${result.serverCores.toFixed(2)} cores, ok ${result.ok}, failed ${result.failed}`,
        );
      }
    } finally {
      server.child.kill('SIGTERM');
    }
  } finally {
    await done().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}
console.log(
  ['| registry | entries | DER size | runs (s) | median (s) |', '| --- | --- | --- | --- | --- |', ...rows].join('\n'),
);
