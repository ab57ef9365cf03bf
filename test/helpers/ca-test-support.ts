/** Shared helpers for the CA tests: temporary directories and running the openssl command line. */

import { execFileSync, spawnSync } from 'node:child_process';
import { type KeyObject, sign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bitString, oid, sequence, smallInteger, tlv } from '../../src/ca/der-writer.js';
import { toPem } from '../../src/ca/pem.js';

/** A fresh private temporary directory; call `remove()` when done. */
export function makeTempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `fleetca-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Runs openssl and returns its stdout; throws with stderr when it exits non-zero. */
export function openssl(args: readonly string[], input?: string | Buffer): Buffer {
  return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Runs openssl and returns status and output without throwing. */
export function opensslRun(args: readonly string[], input?: string | Buffer) {
  const result = spawnSync('openssl', args, { input });
  return { status: result.status, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}

/** Writes `content` into `dir/name` and returns the path. */
export function writeTemp(dir: string, name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** Options for buildCsr: everything a PKCS#10 request holds, so tests can craft unusual ones. */
export interface CsrParts {
  /** DER Name. */
  readonly subject: Buffer;
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
  /** Content of the attributes [0] field (already encoded Attribute elements). */
  readonly attributes?: Buffer;
  readonly version?: number;
  /** DER AlgorithmIdentifier; defaults to sha256WithRSAEncryption or ecdsa-with-SHA256 by key type. */
  readonly algorithm?: Buffer;
  /** Digest used to sign; defaults to sha256. */
  readonly hash?: string;
}

/** Builds and signs a PEM CSR by hand (DER written with fleetca's own encoder, signed with node:crypto). */
export function buildCsr(parts: CsrParts): string {
  const spki = parts.publicKey.export({ type: 'spki', format: 'der' });
  const info = sequence(
    smallInteger(parts.version ?? 0),
    parts.subject,
    spki,
    tlv(0xa0, parts.attributes ?? Buffer.alloc(0)),
  );
  const algorithm =
    parts.algorithm ??
    (parts.publicKey.asymmetricKeyType === 'ec'
      ? sequence(oid('1.2.840.10045.4.3.2'))
      : sequence(oid('1.2.840.113549.1.1.11'), Buffer.from([0x05, 0x00])));
  const signature = sign(parts.hash ?? 'sha256', info, parts.privateKey);
  return toPem('CERTIFICATE REQUEST', sequence(info, algorithm, bitString(signature)));
}
