/**
 * Opens fleetca's file-backed CA, creating it on first use.
 *
 * Creation is atomic with respect to other processes: everything is written and fsynced in a fresh temporary
 * directory beside the CA directory, which is then renamed into place. rename(2) refuses to replace a non-empty
 * directory, so when two processes race the loser's rename fails and it loads the winner's CA instead; no
 * process can ever observe a half-written CA directory.
 */

import { createPrivateKey, generateKeyPair, type KeyObject, randomBytes, X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fsyncPath } from '../fsync.js';
import { CaError } from './ca-error.js';
import { readCertificateParts, subjectKeyIdentifierOf } from './certificate-reader.js';
import { encodeName } from './distinguished-name.js';
import {
  decryptPrivateKey,
  ENCRYPTED_KEY_LABEL,
  encryptPrivateKey,
  KeyDecryptionError,
  type KeyPassphraseProvider,
  keyFileLabel,
  PLAIN_KEY_LABEL,
} from './encrypted-key.js';
import { FileCertificateAuthority } from './file-authority.js';
import { fromPem, toPem } from './pem.js';
import { checkRevocationUrls, type RevocationUrls } from './revocation-urls.js';
import { keyObjectSigner, type Signer } from './signer.js';

export { CaError } from './ca-error.js';
export { FileCertificateAuthority } from './file-authority.js';

/** File names inside the CA directory. */
export const CA_FILES = {
  rootCertificate: 'root-ca.crt',
  rootKey: 'root-ca.key',
  issuingCertificate: 'issuing-ca.crt',
  issuingKey: 'issuing-ca.key',
} as const;

/** How the CA keys are protected: the passphrase to decrypt them with, and whether a new CA encrypts its keys. */
export interface CaKeyOptions {
  /** Asked only when an encrypted key must be decrypted; without it an encrypted key cannot sign. */
  readonly passphrase?: KeyPassphraseProvider;
  /** A CA created now writes its keys encrypted with this passphrase (never plain, not even for a moment). */
  readonly encryptNewKeysWith?: Buffer;
  /**
   * Where CRL and OCSP are published, named in the device and claim certificates issued (CDP and AIA); a function
   * gets the issuing CA's key identifier (hex), which the CRL's URL names.
   */
  readonly revocationUrls?: RevocationUrls | ((issuerKeyId: string) => RevocationUrls);
}

const ROOT_KEY_BITS = 3072;
const ISSUING_KEY_BITS = 2048;

/**
 * Loads the CA in `caDir`, or creates it there when the directory is absent or empty.
 * Throws CaError when the directory holds incomplete, unsafe (key readable by others), unreadable, corrupted or
 * foreign material; existing material is never overwritten.
 */
export async function openFileAuthority(caDir: string, options: CaKeyOptions = {}): Promise<FileCertificateAuthority> {
  const dir = resolve(caDir);
  if (await needsCreation(dir)) await create(dir, options.encryptNewKeysWith);
  return load(dir, options);
}

/**
 * Loads the CA of an initialised data directory, never creating one: a new CA would not verify the certificates
 * already issued, so a missing directory is refused like a missing file.
 */
export async function loadFileAuthority(caDir: string, options: CaKeyOptions = {}): Promise<FileCertificateAuthority> {
  const dir = resolve(caDir);
  const info = await stat(dir).catch((err: unknown) => {
    if (errorCode(err) === 'ENOENT') {
      throw new CaError(
        `CA directory ${dir} is missing; restore it from a backup (a new CA would not verify the certificates already issued), or point FLEETCA_HOME at another directory`,
      );
    }
    throw unreadable(dir, err);
  });
  if (!info.isDirectory()) throw new CaError(`CA directory ${dir} exists but is not a directory`);
  return load(dir, options);
}

async function needsCreation(dir: string): Promise<boolean> {
  let entries: string[];
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) throw new CaError(`CA directory ${dir} exists but is not a directory`);
    entries = await readdir(dir);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return true;
    throw err;
  }
  return entries.length === 0;
}

async function create(dir: string, passphrase: Buffer | undefined): Promise<void> {
  const parent = dirname(dir);
  await mkdir(parent, { recursive: true, mode: 0o700 });
  // mkdtemp creates the directory with mode 0700 regardless of the umask.
  const tmp = await mkdtemp(join(parent, `.${basename(dir)}.tmp-`));
  try {
    await writeMaterial(tmp, await generateMaterial(new Date()), passphrase);
    await fsyncPath(tmp);
    try {
      await rename(tmp, dir);
    } catch (err) {
      const code = errorCode(err);
      // Another process won the race (or someone put files there meanwhile): keep theirs.
      if (code === 'EEXIST' || code === 'ENOTEMPTY') {
        await rm(tmp, { recursive: true, force: true });
        return;
      }
      throw err;
    }
    await fsyncPath(parent);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

interface GeneratedMaterial {
  readonly rootCertificate: Buffer;
  readonly rootKey: KeyObject;
  readonly issuingCertificate: Buffer;
  readonly issuingKey: KeyObject;
}

async function generateMaterial(now: Date): Promise<GeneratedMaterial> {
  // Only a first use makes a CA: every later command is spared the import of the CA certificates' profiles.
  const { buildIssuingCertificate, buildRootCertificate } = await import('./ca-certificates.js');
  // One random suffix shared by both names, so an operator can tell which root an issuing CA belongs to.
  const suffix = randomBytes(4).toString('hex');
  const [root, issuing] = await Promise.all([rsaKeyPair(ROOT_KEY_BITS), rsaKeyPair(ISSUING_KEY_BITS)]);
  const rootName = encodeName(`CN=fleetca Root CA ${suffix},O=fleetca`);
  const rootCertificate = await buildRootCertificate({
    name: rootName,
    publicKey: root.publicKey,
    privateKey: root.privateKey,
    now,
  });
  const rootKeyIdentifier = subjectKeyIdentifierOf(readCertificateParts(rootCertificate)) as Buffer;
  const issuingCertificate = await buildIssuingCertificate({
    name: encodeName(`CN=fleetca Issuing CA ${suffix},O=fleetca`),
    publicKey: issuing.publicKey,
    rootName,
    rootKeyIdentifier,
    rootPrivateKey: root.privateKey,
    now,
  });
  return { rootCertificate, rootKey: root.privateKey, issuingCertificate, issuingKey: issuing.privateKey };
}

function rsaKeyPair(modulusLength: number): Promise<{ publicKey: KeyObject; privateKey: KeyObject }> {
  return new Promise((resolvePair, reject) => {
    generateKeyPair('rsa', { modulusLength, publicExponent: 65537 }, (err, publicKey, privateKey) =>
      err ? reject(err) : resolvePair({ publicKey, privateKey }),
    );
  });
}

async function writeMaterial(dir: string, material: GeneratedMaterial, passphrase: Buffer | undefined): Promise<void> {
  const pkcs8 = async (key: KeyObject) =>
    passphrase ? encryptPrivateKey(key, passphrase) : (key.export({ type: 'pkcs8', format: 'pem' }) as string);
  await writeNewFile(join(dir, CA_FILES.rootCertificate), toPem('CERTIFICATE', material.rootCertificate), 0o644);
  await writeNewFile(join(dir, CA_FILES.rootKey), await pkcs8(material.rootKey), 0o600);
  await writeNewFile(join(dir, CA_FILES.issuingCertificate), toPem('CERTIFICATE', material.issuingCertificate), 0o644);
  await writeNewFile(join(dir, CA_FILES.issuingKey), await pkcs8(material.issuingKey), 0o600);
}

/** Creates a file that must not exist yet, with its final mode set by open(2) itself, and fsyncs it. */
async function writeNewFile(path: string, content: string, mode: number): Promise<void> {
  const handle = await open(path, 'wx', mode);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function load(dir: string, options: CaKeyOptions): Promise<FileCertificateAuthority> {
  const { passphrase } = options;
  // Checked first, so that a wrong URL is not reported as a corrupted CA directory.
  if (options.revocationUrls !== undefined && typeof options.revocationUrls !== 'function') {
    checkRevocationUrls(options.revocationUrls);
  }
  const paths = {
    rootCertificate: join(dir, CA_FILES.rootCertificate),
    rootKey: join(dir, CA_FILES.rootKey),
    issuingCertificate: join(dir, CA_FILES.issuingCertificate),
    issuingKey: join(dir, CA_FILES.issuingKey),
  };
  const missing: string[] = [];
  for (const [role, path] of Object.entries(paths)) {
    try {
      const info = await stat(path);
      if (!info.isFile()) throw new CaError(`CA file ${path} is not a regular file`);
      if ((role === 'rootKey' || role === 'issuingKey') && (info.mode & 0o077) !== 0) {
        const mode = (info.mode & 0o777).toString(8).padStart(4, '0');
        throw new CaError(
          `CA private key ${path} has mode ${mode}, which gives other users access to it; restrict it with: chmod 600 ${path}`,
        );
      }
    } catch (err) {
      if (err instanceof CaError) throw err;
      if (errorCode(err) !== 'ENOENT') throw unreadable(path, err);
      missing.push(basename(path));
    }
  }
  if (missing.length > 0) {
    throw new CaError(
      `CA directory ${dir} is incomplete (missing ${missing.join(', ')}); restore the files from a backup, or move the directory away to create a new CA`,
    );
  }
  const corrupted = (reason: string, cause?: unknown) =>
    new CaError(`CA directory ${dir} is corrupted or foreign: ${reason}`, cause === undefined ? undefined : { cause });

  const { der: rootCertificate, parsed: root } = await readCertificate(paths.rootCertificate, corrupted);
  const { der: issuingCertificate, parsed: issuing } = await readCertificate(paths.issuingCertificate, corrupted);
  const rootKey = await readKeyFile(paths.rootKey, corrupted);
  const issuingKey = await readKeyFile(paths.issuingKey, corrupted);

  // An encrypted root key is left encrypted: nothing signs with it after the CA is made.
  if (rootKey.key && !root.checkPrivateKey(rootKey.key)) {
    throw corrupted(`${CA_FILES.rootKey} does not match ${CA_FILES.rootCertificate}`);
  }
  if (!root.ca || !root.verify(root.publicKey) || !root.checkIssued(root)) {
    throw corrupted(`${CA_FILES.rootCertificate} is not a self-signed CA certificate`);
  }
  if (!issuing.ca || !issuing.checkIssued(root) || !issuing.verify(root.publicKey)) {
    throw corrupted(`${CA_FILES.issuingCertificate} is not a CA certificate signed by ${CA_FILES.rootCertificate}`);
  }
  const checkIssuingKey = (key: KeyObject): KeyObject => {
    if (!issuing.checkPrivateKey(key)) {
      throw corrupted(`${CA_FILES.issuingKey} does not match ${CA_FILES.issuingCertificate}`);
    }
    if (key.asymmetricKeyType !== 'rsa') {
      throw corrupted(`${CA_FILES.issuingKey} is not an RSA key (fleetca signs with sha256WithRSAEncryption)`);
    }
    return key;
  };
  let issuingSigner: Signer;
  if (issuingKey.key) {
    issuingSigner = keyObjectSigner(checkIssuingKey(issuingKey.key));
  } else {
    const encrypted = issuingKey.text;
    const { lockedSigner } = await import('./locked-signer.js');
    issuingSigner = lockedSigner(async () =>
      checkIssuingKey(await decryptCaKey(paths.issuingKey, encrypted, passphrase)),
    );
  }
  const revocationUrls = revocationUrlsFor(options.revocationUrls, issuingCertificate);
  try {
    return new FileCertificateAuthority({
      directory: dir,
      rootCertificate,
      issuingCertificate,
      issuingSigner,
      keysEncrypted: issuingKey.key === undefined,
      ...(revocationUrls === undefined ? {} : { revocationUrls }),
    });
  } catch (err) {
    throw corrupted(err instanceof Error ? err.message : String(err), err);
  }
}

/** Decrypts a CA key with the operator's passphrase; the message says where the passphrase came from, never what it is. */
export async function decryptCaKey(
  path: string,
  text: string,
  passphrase: KeyPassphraseProvider | undefined,
): Promise<KeyObject> {
  if (!passphrase) throw new CaError(`CA private key ${path} is encrypted and this command has no passphrase for it`);
  const given = await passphrase();
  try {
    return decryptPrivateKey(text, given.bytes);
  } catch (err) {
    if (!(err instanceof KeyDecryptionError)) throw err;
    throw new CaError(
      `CA private key ${path} cannot be decrypted with the passphrase from ${given.source}: ${err.message}; ` +
        'if a `fleetca ca passphrase` was interrupted, run it again with both passphrases',
    );
  } finally {
    given.bytes.fill(0);
  }
}

export type Corrupted = (reason: string, cause?: unknown) => CaError;

/** A CA certificate file's DER and OpenSSL's parse of it (made once: parsing is a measurable part of a start). */
async function readCertificate(
  path: string,
  corrupted: Corrupted,
): Promise<{ readonly der: Buffer; readonly parsed: X509Certificate }> {
  const text = await readFile(path, 'utf8').catch((err: unknown) => {
    throw unreadable(path, err);
  });
  try {
    const { der } = fromPem(text, ['CERTIFICATE']);
    const parsed = new X509Certificate(der); // parses, or throws
    readCertificateParts(der); // and our own reader agrees it is well-formed DER
    return { der, parsed };
  } catch (err) {
    throw corrupted(`${basename(path)} is not a PEM certificate (${err instanceof Error ? err.message : err})`, err);
  }
}

/** A CA key file: plain (parsed now) or encrypted (its text kept until a passphrase decrypts it). */
export type KeyFile =
  | { readonly key: KeyObject; readonly text: string }
  | { readonly key?: undefined; readonly text: string };

export async function readKeyFile(path: string, corrupted: Corrupted): Promise<KeyFile> {
  const text = await readFile(path, 'utf8').catch((err: unknown) => {
    throw unreadable(path, err);
  });
  let label: string;
  try {
    label = keyFileLabel(text);
    if (label === ENCRYPTED_KEY_LABEL) return { text };
    const { der } = fromPem(text, [PLAIN_KEY_LABEL]);
    return { key: createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }), text };
  } catch (err) {
    throw corrupted(
      `${basename(path)} is not a PKCS#8 PEM private key, plain or encrypted (${err instanceof Error ? err.message : err})`,
      err,
    );
  }
}

/** A permission problem is named as one: the material may be fine, the fix is chown/chmod, not a restore. */
function unreadable(path: string, err: unknown): CaError {
  const code = errorCode(err);
  if (code === 'EACCES' || code === 'EPERM') {
    return new CaError(
      `CA material ${path} cannot be read: permission denied; give the user running fleetca access to it (chown), or run fleetca as its owner`,
      { cause: err },
    );
  }
  return new CaError(`CA material ${path} cannot be read: ${err instanceof Error ? err.message : String(err)}`, {
    cause: err,
  });
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

function revocationUrlsFor(
  given: CaKeyOptions['revocationUrls'],
  issuingCertificate: Buffer,
): RevocationUrls | undefined {
  if (typeof given !== 'function') return given;
  const keyId = subjectKeyIdentifierOf(readCertificateParts(issuingCertificate));
  if (!keyId) throw new CaError('the issuing CA certificate has no SubjectKeyIdentifier');
  const urls = given(keyId.toString('hex'));
  checkRevocationUrls(urls);
  return urls;
}
