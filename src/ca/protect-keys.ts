/**
 * Encrypting the CA keys of an existing CA (`fleetca ca protect`) and changing their passphrase
 * (`fleetca ca passphrase`). Each key file is replaced whole: the encrypted form is written and fsynced under a
 * temporary name (mode 0600 from open(2) on), then renamed over the old file, so a crash leaves either the old
 * file or the new one, and no plain copy is ever written. The two keys are two renames: a run interrupted
 * between them is finished by running it again, which recognises a key already encrypted with the new passphrase.
 */

import { type KeyObject, randomBytes, X509Certificate } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fsyncPath } from '../fsync.js';
import { CA_FILES, type Corrupted, loadFileAuthority, readKeyFile } from './bootstrap.js';
import { CaError } from './ca-error.js';
import { decryptPrivateKey, encryptPrivateKey, type KeyPassphraseProvider } from './encrypted-key.js';

export interface RewriteRequest {
  /** The passphrase the keys are encrypted with now; absent for `protect`, whose keys are plain. */
  readonly current?: KeyPassphraseProvider;
  /** The passphrase to encrypt with. */
  readonly next: Buffer;
}

/** What happened to each key file. */
export type KeyOutcome = 'encrypted' | 'already encrypted with the new passphrase';

/** Encrypts both CA keys with `next`; returns what was done per file. Throws CaError for anything it cannot do. */
export async function rewriteCaKeys(caDir: string, request: RewriteRequest): Promise<Record<string, KeyOutcome>> {
  // The whole CA is checked first (files, modes, certificates), exactly as every command loads it.
  const authority = await loadFileAuthority(caDir);
  const dir = authority.directory;
  const corrupted: Corrupted = (reason, cause) =>
    new CaError(`CA directory ${dir} is corrupted or foreign: ${reason}`, cause === undefined ? undefined : { cause });
  let current: Buffer | undefined;
  let currentSource = '';
  const outcomes: Record<string, KeyOutcome> = {};
  try {
    // Issuing key first: it is the one every signature needs.
    for (const [keyName, certificateName] of [
      [CA_FILES.issuingKey, CA_FILES.issuingCertificate],
      [CA_FILES.rootKey, CA_FILES.rootCertificate],
    ] as const) {
      const path = join(dir, keyName);
      const file = await readKeyFile(path, corrupted);
      let key: KeyObject | undefined = file.key;
      if (!key) {
        if (tryDecrypt(file.text, request.next)) {
          outcomes[keyName] = 'already encrypted with the new passphrase';
          continue;
        }
        if (!request.current) {
          throw new CaError(
            `CA private key ${path} is already encrypted with another passphrase; change it with \`fleetca ca passphrase\``,
          );
        }
        if (!current) {
          const given = await request.current();
          current = given.bytes;
          currentSource = given.source;
        }
        key = tryDecrypt(file.text, current);
        if (!key) {
          throw new CaError(
            `CA private key ${path} cannot be decrypted with the passphrase from ${currentSource}: wrong passphrase, or the file is damaged; nothing more was changed`,
          );
        }
      }
      const certificate = new X509Certificate(await readFile(join(dir, certificateName)));
      if (!certificate.checkPrivateKey(key)) throw corrupted(`${keyName} does not match ${certificateName}`);
      await replaceFile(path, await encryptPrivateKey(key, request.next));
      outcomes[keyName] = 'encrypted';
    }
  } finally {
    current?.fill(0);
  }
  return outcomes;
}

function tryDecrypt(text: string, passphrase: Buffer): KeyObject | undefined {
  try {
    return decryptPrivateKey(text, passphrase);
  } catch {
    return undefined;
  }
}

/** Replaces `path` by `content` atomically: a complete, fsynced temporary file renamed over it. */
async function replaceFile(path: string, content: string): Promise<void> {
  const dir = join(path, '..');
  const draft = join(dir, `.${basename(path)}.new-${process.pid}-${randomBytes(4).toString('hex')}`);
  const handle = await open(draft, 'wx', 0o600);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
    await handle.close();
    await rename(draft, path);
    await fsyncPath(dir);
  } catch (err) {
    await handle.close().catch(() => {});
    await rm(draft, { force: true });
    throw err;
  }
}
