import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, describe, test } from 'node:test';
import {
  decryptPrivateKey,
  ENCRYPTED_KEY_LABEL,
  encryptPrivateKey,
  KEY_DERIVATION,
  KeyDecryptionError,
  keyFileLabel,
} from '../../src/ca/encrypted-key.js';
import { fromPem, toPem } from '../../src/ca/pem.js';
import { makeTempDir, openssl, opensslRun, writeTemp } from '../helpers/ca-test-support.js';

const PASSPHRASE = 'correct horse battery staple';
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const tmp = makeTempDir('encrypted-key');
after(() => tmp.remove());

describe('CA keys encrypted with a passphrase', () => {
  test('openssl pkey decrypts them with the passphrase, to the same key, and refuses a wrong one', async () => {
    const pem = await encryptPrivateKey(privateKey, Buffer.from(PASSPHRASE));
    assert.match(pem, /^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
    assert.equal(keyFileLabel(pem), ENCRYPTED_KEY_LABEL);
    const file = writeTemp(tmp.path, 'key.pem', pem);
    const passFile = writeTemp(tmp.path, 'pass.txt', PASSPHRASE);
    const decrypted = openssl(['pkey', '-in', file, '-passin', `file:${passFile}`]).toString();
    assert.equal(decrypted, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const wrong = opensslRun(['pkey', '-in', file, '-passin', 'pass:not the passphrase', '-noout']);
    assert.notEqual(wrong.status, 0);
    assert.match(wrong.stderr, /bad decrypt/);
  });

  test('the derivation is PBES2 with PBKDF2-HMAC-SHA256 (600,000 iterations, 16-byte salt) and AES-256-CBC', async () => {
    const file = writeTemp(tmp.path, 'params.pem', await encryptPrivateKey(privateKey, Buffer.from(PASSPHRASE)));
    const dump = openssl(['asn1parse', '-in', file]).toString();
    assert.match(dump, /OBJECT +:PBES2/);
    assert.match(dump, /OBJECT +:PBKDF2/);
    assert.match(dump, /OCTET STRING +\[HEX DUMP\]:[0-9A-F]{32}\n/, 'a 16-byte salt');
    assert.match(dump, new RegExp(`INTEGER +:0${KEY_DERIVATION.iterations.toString(16).toUpperCase()}\\n`));
    assert.equal(KEY_DERIVATION.iterations, 600_000);
    assert.match(dump, /OBJECT +:hmacWithSHA256/);
    assert.match(dump, /OBJECT +:aes-256-cbc/);
  });

  test('two encryptions of one key differ (fresh salt and IV)', async () => {
    const a = await encryptPrivateKey(privateKey, Buffer.from(PASSPHRASE));
    const b = await encryptPrivateKey(privateKey, Buffer.from(PASSPHRASE));
    assert.notEqual(a, b);
  });

  test('decryptPrivateKey: the passphrase gives the key; a wrong one a KeyDecryptionError that never names it', async () => {
    const pem = await encryptPrivateKey(privateKey, Buffer.from(PASSPHRASE));
    const key = decryptPrivateKey(pem, Buffer.from(PASSPHRASE));
    assert.deepEqual(key.export({ type: 'pkcs8', format: 'der' }), privateKey.export({ type: 'pkcs8', format: 'der' }));
    for (const wrong of ['', 'correct horse battery stapl', `${PASSPHRASE} `]) {
      assert.throws(
        () => decryptPrivateKey(pem, Buffer.from(wrong)),
        (err: Error) => {
          assert.ok(err instanceof KeyDecryptionError);
          assert.equal(err.message, 'wrong passphrase, or the file is damaged');
          return true;
        },
      );
    }
  });

  test('a key encrypted by openssl pkcs8 -topk8 (other parameters) decrypts too', () => {
    const plain = writeTemp(tmp.path, 'plain.pem', privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    const encrypted = openssl([
      'pkcs8',
      '-topk8',
      '-v2',
      'aes-128-cbc',
      '-iter',
      '1000',
      '-in',
      plain,
      '-passout',
      `pass:${PASSPHRASE}`,
    ]).toString();
    const key = decryptPrivateKey(encrypted, Buffer.from(PASSPHRASE));
    assert.equal(key.asymmetricKeyType, 'rsa');
    assert.throws(() => decryptPrivateKey(encrypted, Buffer.from('nope')), KeyDecryptionError);
  });

  test('a file damaged in its last cipher block is refused, whatever the passphrase', async () => {
    // Damage elsewhere may still decrypt to a well-formed but different key: loading checks it against the certificate.
    const pem = await encryptPrivateKey(privateKey, Buffer.from(PASSPHRASE));
    // The last byte of the next-to-last cipher block flips the padding length byte by 0x80: never valid padding.
    const { der } = fromPem(pem, [ENCRYPTED_KEY_LABEL]);
    der[der.length - 17] = (der[der.length - 17] as number) ^ 0x80;
    assert.throws(
      () => decryptPrivateKey(toPem(ENCRYPTED_KEY_LABEL, der), Buffer.from(PASSPHRASE)),
      KeyDecryptionError,
    );
    assert.throws(() => keyFileLabel('-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n'));
  });
});
