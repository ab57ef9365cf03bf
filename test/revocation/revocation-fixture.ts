/**
 * What the revocation tests share: a real SQLite registry and a real file CA in a temporary directory, certificates
 * the CA really issued recorded in the registry (so openssl can be handed their files), a settable clock, a
 * registry whose RevocationStore a test wraps to count or interleave calls, and the CRL as `openssl crl` reads it.
 */

import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FileCertificateAuthority, openFileAuthority } from '../../src/ca/bootstrap.js';
import { encodeName } from '../../src/ca/distinguished-name.js';
import { fromPem } from '../../src/ca/pem.js';
import { revocationRule, statusUpdateRule } from '../../src/domain/certificates/certificate-lifecycle.js';
import type { CertificateRecord } from '../../src/domain/certificates/certificate-record.js';
import type { CertificateStatus } from '../../src/domain/certificates/certificate-status.js';
import type { Registry } from '../../src/registry/registry.js';
import type { RevocationStore } from '../../src/registry/revocation-store.js';
import { openSqliteRegistry } from '../../src/registry/sqlite/sqlite-registry.js';
import type { RevocationSettings } from '../../src/revocation/revocation-settings.js';
import { makeRecord, SCOPE } from '../registry/certificate-fixtures.js';

export { SCOPE };

const HOUR = 3_600_000;

/** Lifetimes the tests reason about: a CRL of an hour, OCSP responses of ten minutes. */
export const TEST_SETTINGS: RevocationSettings = {
  crlLifetimeMs: HOUR,
  ocspLifetimeMs: 10 * 60_000,
  responderCertificateLifetimeMs: 24 * HOUR,
};

/** A certificate the test CA issued, as the registry records it, with its PEM file for openssl. */
export interface Device {
  /** Its common name, unique in a fixture. */
  readonly name: string;
  readonly record: CertificateRecord;
  /** Lowercase hex magnitude, as the registry and OCSP name it. */
  readonly serial: string;
  readonly der: Buffer;
  readonly certFile: string;
}

export interface RevocationFixture {
  readonly dir: string;
  readonly registry: Registry;
  readonly authority: FileCertificateAuthority;
  /** The issuing CA's key identifier (hex): the issuer the registry files issued certificates under. */
  readonly issuerKeyId: string;
  readonly issuingDer: Buffer;
  /** PEM files for openssl: the chain (issuing CA, root) and the issuing CA alone. */
  readonly files: { readonly chain: string; readonly issuing: string };
  /** Issues a certificate and records it with `status` (any field overridden; `undefined` leaves it out). */
  issue(name: string, status: CertificateStatus, overrides?: Partial<CertificateRecord>): Promise<Device>;
  /** UpdateCertificate's rule, or fleetca's revocation with a CRLReason code when `reason` is given. */
  setStatus(device: Device, status: CertificateStatus, reason?: number): Promise<void>;
  /** DeleteCertificate (the store leaves a tombstone). */
  remove(device: Device): Promise<void>;
  close(): Promise<void>;
}

export async function openRevocationFixture(prefix: string): Promise<RevocationFixture> {
  const dir = await mkdtemp(join(tmpdir(), `fleetca-${prefix}-`));
  const registry = await openSqliteRegistry(join(dir, 'registry.db'));
  const authority = await openFileAuthority(join(dir, 'ca'));
  const issuer = authority.revocationIssuer();
  const files = { chain: join(dir, 'chain.pem'), issuing: join(dir, 'issuing.pem') };
  await writeFile(files.chain, authority.chainPem());
  await writeFile(files.issuing, authority.issuingPem);
  // One key for every leaf: the tests are about serials and statuses, not keys.
  const publicKey: KeyObject = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
  return {
    dir,
    registry,
    authority,
    issuerKeyId: issuer.keyIdentifier.toString('hex'),
    issuingDer: fromPem(authority.issuingPem, ['CERTIFICATE']).der,
    files,
    issue: async (name, status, overrides = {}) => {
      const issued = await authority.issue({ subject: encodeName(`CN=${name}`), publicKey, now: new Date() });
      const fields = makeRecord(name, {
        certificateId: issued.certificateId,
        certificatePem: issued.pem,
        status,
        issuedBy: issued.issuedBy,
        notBefore: issued.notBefore.getTime(),
        notAfter: issued.notAfter.getTime(),
        ...overrides,
      });
      // `issuedBy: undefined` overrides mean "none": the record is then as the registry reads it back.
      const record = Object.fromEntries(
        Object.entries(fields).filter(([, value]) => value !== undefined),
      ) as unknown as CertificateRecord;
      await registry.certificates.insertCertificate(record);
      const certFile = join(dir, `${name}.pem`);
      await writeFile(certFile, issued.pem);
      return { name, record, serial: issued.issuedBy.serialNumber, der: issued.der, certFile };
    },
    setStatus: async (device, status, reason) => {
      const id = device.record.certificateId;
      const rule =
        reason === undefined ? statusUpdateRule(id, status, Date.now()) : revocationRule(id, reason, Date.now());
      await registry.certificates.updateStatus(SCOPE, id, rule);
    },
    remove: (device) =>
      registry.certificates.deleteCertificate(SCOPE, device.record.certificateId, () => ({ detachPolicies: false })),
    close: async () => {
      await registry.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * `registry` with its RevocationStore passing every call through, but for the methods `wrap` returns (which may call
 * the real store they are handed): calls counted, or a change committed at a chosen moment of a read.
 */
export function withRevocationStore(
  registry: Registry,
  wrap: (inner: RevocationStore) => Partial<RevocationStore>,
): Registry {
  const inner = registry.revocation;
  const store: RevocationStore = {
    findIssued: (issuer) => inner.findIssued(issuer),
    numberedRevocations: (issuerKeyId, statuses, notAfterAfter) =>
      inner.numberedRevocations(issuerKeyId, statuses, notAfterAfter),
    unindexedIssuedCertificates: (limit) => inner.unindexedIssuedCertificates(limit),
    indexIssuedCertificates: (rows) => inner.indexIssuedCertificates(rows),
    ...wrap(inner),
  };
  return { ...registry, revocation: store };
}

/** A clock the test moves: starts now (so what openssl checks against its own clock still holds). */
export class FakeClock {
  #ms: number;

  constructor(start = Date.now()) {
    this.#ms = start;
  }

  readonly now = (): Date => new Date(this.#ms);

  advance(ms: number): void {
    this.#ms += ms;
  }
}

/** One CRL entry as openssl prints it. */
export interface CrlEntryText {
  readonly revocationDate: Date;
  /** The CRL Reason Code's text (`Key Compromise`, `Certificate Hold` ...), or undefined when the entry has none. */
  readonly reason: string | undefined;
}

/** A CRL as `openssl crl -inform DER -text` reads it: its number and its entries. */
export interface CrlText {
  readonly crlNumber: bigint;
  /** By serial: lowercase hex without leading zeros (see `serialKey`). */
  readonly entries: ReadonlyMap<string, CrlEntryText>;
  readonly text: string;
}

/** A serial as `CrlText.entries` is keyed: openssl prints whole octets, the registry the magnitude's digits. */
export function serialKey(serial: string): string {
  return serial.toLowerCase().replace(/^0+(?=.)/, '');
}

export function readCrl(der: Buffer): CrlText {
  const text = execFileSync('openssl', ['crl', '-inform', 'DER', '-noout', '-text'], { input: der }).toString();
  const number = /X509v3 CRL Number:\s*\n\s*(\d+)\n/.exec(text)?.[1];
  if (number === undefined) throw new Error(`no CRL number in\n${text}`);
  const entries = new Map<string, CrlEntryText>();
  const revoked = text.split('Revoked Certificates:')[1] ?? '';
  for (const chunk of revoked.split(/Serial Number: /).slice(1)) {
    const serial = /^([0-9A-F]+)\n/.exec(chunk)?.[1];
    const date = /Revocation Date: ([^\n]+)\n/.exec(chunk)?.[1];
    if (serial === undefined || date === undefined) throw new Error(`unreadable CRL entry:\n${chunk}`);
    const reason = /X509v3 CRL Reason Code:\s*\n\s*([^\n]+)\n/.exec(chunk)?.[1]?.trim();
    entries.set(serialKey(serial), { revocationDate: new Date(date), reason });
  }
  return { crlNumber: BigInt(number), entries, text };
}
