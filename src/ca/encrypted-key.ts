/**
 * CA private keys encrypted with an operator's passphrase: PKCS#8 EncryptedPrivateKeyInfo with PBES2 (RFC 8018),
 * PBKDF2-HMAC-SHA256 and AES-256-CBC, the form `openssl pkey` and every PKCS#8 reader accept.
 *
 * Written here rather than with KeyObject.export({ cipher, passphrase }) because Node gives no say over the key
 * derivation: it writes OpenSSL's defaults, 2,048 PBKDF2 iterations and an 8-byte salt, which a stolen file
 * shrugs off. We use OWASP's 2023 figure for PBKDF2-HMAC-SHA256, 600,000 iterations, and a 16-byte salt.
 * (scrypt would be stronger per second, but OpenSSL's decoder caps its memory at 32 MiB, i.e. N = 2^14.)
 * Reading goes through createPrivateKey, so a key encrypted by other tools (openssl pkcs8 -topk8) loads too.
 */

import { createCipheriv, createPrivateKey, type KeyObject, pbkdf2, randomBytes } from 'node:crypto';
import { nullValue, octetString, oid, sequence, smallInteger } from './der-writer.js';
import { fromPem, toPem } from './pem.js';

export const ENCRYPTED_KEY_LABEL = 'ENCRYPTED PRIVATE KEY';
export const PLAIN_KEY_LABEL = 'PRIVATE KEY';

export const KEY_DERIVATION = { iterations: 600_000, saltBytes: 16, prf: 'sha256', cipher: 'aes-256-cbc' } as const;

const PBES2 = '1.2.840.113549.1.5.13';
const PBKDF2 = '1.2.840.113549.1.5.12';
const HMAC_WITH_SHA256 = '1.2.840.113549.2.9';
const AES_256_CBC = '2.16.840.1.101.3.4.1.42';

/** The key as an ENCRYPTED PRIVATE KEY PEM block; the plain PKCS#8 bytes exist only in memory, and are wiped. */
export async function encryptPrivateKey(key: KeyObject, passphrase: Buffer): Promise<string> {
  const salt = randomBytes(KEY_DERIVATION.saltBytes);
  const iv = randomBytes(16);
  const derived = await new Promise<Buffer>((resolve, reject) =>
    pbkdf2(passphrase, salt, KEY_DERIVATION.iterations, 32, KEY_DERIVATION.prf, (err, out) =>
      err ? reject(err) : resolve(out),
    ),
  );
  const plain = key.export({ type: 'pkcs8', format: 'der' });
  try {
    const cipher = createCipheriv(KEY_DERIVATION.cipher, derived, iv);
    const encrypted = Buffer.concat([cipher.update(plain), cipher.final()]);
    const algorithm = sequence(
      oid(PBES2),
      sequence(
        sequence(
          oid(PBKDF2),
          sequence(
            octetString(salt),
            smallInteger(KEY_DERIVATION.iterations),
            sequence(oid(HMAC_WITH_SHA256), nullValue()),
          ),
        ),
        sequence(oid(AES_256_CBC), octetString(iv)),
      ),
    );
    return toPem(ENCRYPTED_KEY_LABEL, sequence(algorithm, octetString(encrypted)));
  } finally {
    plain.fill(0);
    derived.fill(0);
  }
}

/** The PEM label of a key file's text: encrypted or not (anything else throws a PemError). */
export function keyFileLabel(text: string): typeof ENCRYPTED_KEY_LABEL | typeof PLAIN_KEY_LABEL {
  return fromPem(text, [PLAIN_KEY_LABEL, ENCRYPTED_KEY_LABEL]).label as
    | typeof ENCRYPTED_KEY_LABEL
    | typeof PLAIN_KEY_LABEL;
}

/** Why a key could not be decrypted: the passphrase is wrong, or the file is not a key at all. */
export class KeyDecryptionError extends Error {
  override readonly name = 'KeyDecryptionError';
}

/** Decrypts an ENCRYPTED PRIVATE KEY PEM block. Throws KeyDecryptionError without ever naming the passphrase. */
export function decryptPrivateKey(text: string, passphrase: Buffer): KeyObject {
  const { der } = fromPem(text, [ENCRYPTED_KEY_LABEL]);
  try {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8', passphrase });
  } catch {
    // AES-CBC's padding check fails for a wrong passphrase (and the DER parse for the rare one that passes it).
    throw new KeyDecryptionError('wrong passphrase, or the file is damaged');
  }
}

/** Gives the passphrase of encrypted CA keys when one must be decrypted (home/ca-passphrase.ts is the real one). */
export type KeyPassphraseProvider = () => Promise<{ readonly bytes: Buffer; readonly source: string }>;
