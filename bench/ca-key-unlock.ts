/**
 * What an encrypted CA key costs: encrypting one (fleetca ca protect, per key) and decrypting the issuing key
 * (once per command that signs, once per `fleetca serve` start). Run: npm run build && node dist/bench/ca-key-unlock.js
 */
import { generateKeyPairSync } from 'node:crypto';
import { cpus } from 'node:os';
import { decryptPrivateKey, encryptPrivateKey, KEY_DERIVATION } from '../src/ca/encrypted-key.js';

const ROUNDS = 5;
const passphrase = Buffer.from('a passphrase of ordinary length');
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

const encryptMs: number[] = [];
const decryptMs: number[] = [];
let pem = '';
for (let round = 0; round < ROUNDS; round++) {
  let start = process.hrtime.bigint();
  pem = await encryptPrivateKey(privateKey, passphrase);
  encryptMs.push(Number(process.hrtime.bigint() - start) / 1e6);
  start = process.hrtime.bigint();
  decryptPrivateKey(pem, passphrase);
  decryptMs.push(Number(process.hrtime.bigint() - start) / 1e6);
}
console.log(`machine: ${cpus()[0]?.model ?? 'unknown'} x${cpus().length}, Node ${process.version}`);
console.log(
  `PBKDF2-HMAC-SHA256 ${KEY_DERIVATION.iterations} iterations + AES-256-CBC, RSA-2048 key, median of ${ROUNDS}:`,
);
console.log(`  encrypt ${median(encryptMs).toFixed(1)} ms, decrypt ${median(decryptMs).toFixed(1)} ms`);
