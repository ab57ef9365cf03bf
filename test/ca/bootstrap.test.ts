import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CA_FILES, CaError, type FileCertificateAuthority, openFileAuthority } from '../../src/ca/bootstrap.js';
import { buildRootCertificate } from '../../src/ca/ca-certificates.js';
import { readCertificateParts, subjectKeyIdentifierOf } from '../../src/ca/certificate-reader.js';
import { encodeName } from '../../src/ca/distinguished-name.js';
import { fromPem, toPem } from '../../src/ca/pem.js';
import { makeTempDir, openssl, opensslRun, writeTemp } from '../helpers/ca-test-support.js';

const tmp = makeTempDir('bootstrap');
after(() => tmp.remove());

const caDir = join(tmp.path, 'data', 'ca');
let ca: FileCertificateAuthority;
let createdAt: number;

before(async () => {
  mkdirSync(join(tmp.path, 'data'));
  createdAt = Date.now();
  ca = await openFileAuthority(caDir);
});

const mode = (path: string) => statSync(path).mode & 0o777;
const file = (name: string) => join(caDir, name);
const text = (path: string) => openssl(['x509', '-in', path, '-noout', '-text']).toString();
const asn1 = (path: string) => openssl(['asn1parse', '-in', path]).toString();

/** A copy of the CA directory with the right modes, for tests that damage it. */
let copies = 0;
function copyCa(): string {
  const dir = join(tmp.path, `copy-${copies++}`);
  cpSync(caDir, dir, { recursive: true });
  chmodSync(dir, 0o700);
  chmodSync(join(dir, CA_FILES.rootKey), 0o600);
  chmodSync(join(dir, CA_FILES.issuingKey), 0o600);
  return dir;
}

async function refused(dir: string, pattern: RegExp): Promise<void> {
  await assert.rejects(openFileAuthority(dir), (e: Error) => {
    assert.ok(e instanceof CaError, `expected CaError, got ${e}`);
    assert.match(e.message, pattern);
    return true;
  });
}

describe('first use', () => {
  it('creates the four files, keys 0600, directory 0700, and nothing else beside it', () => {
    assert.deepEqual(readdirSync(caDir).sort(), ['issuing-ca.crt', 'issuing-ca.key', 'root-ca.crt', 'root-ca.key']);
    assert.equal(mode(caDir), 0o700);
    assert.equal(mode(file(CA_FILES.rootKey)), 0o600);
    assert.equal(mode(file(CA_FILES.issuingKey)), 0o600);
    assert.equal(mode(file(CA_FILES.rootCertificate)) & 0o022, 0);
    assert.deepEqual(readdirSync(join(tmp.path, 'data')), ['ca']); // the temporary directory is gone
  });

  it('writes PKCS#8 PEM keys matching the PEM certificates', () => {
    for (const [cert, key] of [
      [CA_FILES.rootCertificate, CA_FILES.rootKey],
      [CA_FILES.issuingCertificate, CA_FILES.issuingKey],
    ] as const) {
      const keyPem = readFileSync(file(key), 'utf8');
      assert.match(keyPem, /^-----BEGIN PRIVATE KEY-----\n(?:[A-Za-z0-9+/=]{1,64}\n)+-----END PRIVATE KEY-----\n$/);
      const certPem = readFileSync(file(cert), 'utf8');
      assert.equal(certPem, toPem('CERTIFICATE', fromPem(certPem, ['CERTIFICATE']).der));
      assert.ok(new X509Certificate(certPem).checkPrivateKey(createPrivateKey(keyPem)));
    }
    assert.equal(readFileSync(file(CA_FILES.rootCertificate), 'utf8'), ca.rootPem);
    assert.equal(readFileSync(file(CA_FILES.issuingCertificate), 'utf8'), ca.issuingPem);
  });

  it('makes an RSA-3072 self-signed root valid until 2059 (GeneralizedTime)', () => {
    const root = new X509Certificate(ca.rootPem);
    assert.match(root.subject, /^CN=fleetca Root CA [0-9a-f]{8}\nO=fleetca$/);
    assert.equal(root.issuer, root.subject);
    assert.ok(root.ca);
    assert.ok(root.verify(root.publicKey));
    assert.equal(root.publicKey.asymmetricKeyDetails?.modulusLength, 3072);
    assert.equal(new Date(root.validTo).toISOString(), '2059-12-31T23:59:59.000Z');
    const notBefore = new Date(root.validFrom).getTime();
    assert.ok(notBefore <= createdAt - 119_000 && notBefore >= createdAt - 125_000);
    assert.match(asn1(file(CA_FILES.rootCertificate)), /GENERALIZEDTIME\s+:20591231235959Z/);
    const t = text(file(CA_FILES.rootCertificate));
    assert.match(t, /Signature Algorithm: sha256WithRSAEncryption/);
    assert.match(t, /Basic Constraints: critical\n\s+CA:TRUE\n/);
    assert.match(t, /Key Usage: critical\n\s+Certificate Sign, CRL Sign\n/);
    assert.match(t, /Subject Key Identifier/);
    assert.equal(readCertificateParts(root.raw).serial.length >= 20, true);
  });

  it('makes an RSA-2048 issuing CA signed by the root, pathlen 0, valid until 2054', () => {
    const root = new X509Certificate(ca.rootPem);
    const issuing = new X509Certificate(ca.issuingPem);
    const suffix = /Root CA ([0-9a-f]{8})/.exec(root.subject)?.[1];
    assert.equal(issuing.subject, `CN=fleetca Issuing CA ${suffix}\nO=fleetca`);
    assert.ok(issuing.checkIssued(root));
    assert.ok(issuing.verify(root.publicKey));
    assert.ok(issuing.ca);
    assert.equal(issuing.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
    assert.equal(new Date(issuing.validTo).toISOString(), '2054-12-31T23:59:59.000Z');
    assert.match(asn1(file(CA_FILES.issuingCertificate)), /GENERALIZEDTIME\s+:20541231235959Z/);
    const t = text(file(CA_FILES.issuingCertificate));
    assert.match(t, /Basic Constraints: critical\n\s+CA:TRUE, pathlen:0\n/);
    assert.match(t, /Key Usage: critical\n\s+Digital Signature, Certificate Sign, CRL Sign\n/);
    const rootKeyId = subjectKeyIdentifierOf(readCertificateParts(root.raw)) as Buffer;
    const aki = readCertificateParts(issuing.raw).extensions.find((e) => e.oid === '2.5.29.35');
    assert.equal(aki?.value.toString('hex'), `30168014${rootKeyId.toString('hex')}`);
    const result = opensslRun(['verify', '-CAfile', file(CA_FILES.rootCertificate), file(CA_FILES.issuingCertificate)]);
    assert.equal(result.status, 0, result.stderr);
  });

  it('creates the CA in an existing empty directory', async () => {
    const dir = join(tmp.path, 'empty');
    mkdirSync(dir, { mode: 0o755 });
    const other = await openFileAuthority(dir);
    assert.notEqual(other.rootPem, ca.rootPem);
    assert.equal(mode(dir), 0o700);
    assert.equal(readdirSync(dir).length, 4);
  });
});

describe('reopening', () => {
  it('loads the same CA, which issues certificates that verify with the chain', async () => {
    const before = readdirSync(caDir).map((name) => readFileSync(join(caDir, name), 'utf8'));
    const again = await openFileAuthority(caDir);
    assert.equal(again.rootPem, ca.rootPem);
    assert.equal(again.chainPem(), ca.chainPem());
    assert.deepEqual(
      readdirSync(caDir).map((name) => readFileSync(join(caDir, name), 'utf8')),
      before,
    );
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const leaf = await again.issue({ subject: encodeName('CN=AWS IoT Certificate'), publicKey, now: new Date() });
    const result = opensslRun([
      'verify',
      '-CAfile',
      writeTemp(tmp.path, 'chain.pem', ca.chainPem()),
      writeTemp(tmp.path, 'leaf.pem', leaf.pem),
    ]);
    assert.equal(result.status, 0, result.stderr);
  });

  it('refuses a key file readable by others, naming the file, its mode and the fix', async () => {
    const dir = copyCa();
    const key = join(dir, CA_FILES.issuingKey);
    chmodSync(key, 0o644);
    await refused(
      dir,
      new RegExp(
        `${key.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} has mode 0644.*chmod 600 ${key.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`,
      ),
    );
    chmodSync(key, 0o600);
    chmodSync(join(dir, CA_FILES.rootKey), 0o640);
    await refused(dir, /root-ca\.key has mode 0640.*chmod 600/);
    chmodSync(join(dir, CA_FILES.rootKey), 0o600);
    await openFileAuthority(dir); // and it is fine once fixed
  });

  it('refuses a corrupted certificate', async () => {
    const dir = copyCa();
    writeFileSync(join(dir, CA_FILES.issuingCertificate), 'garbage\n');
    await refused(dir, /corrupted or foreign: issuing-ca\.crt is not a PEM certificate/);
    const pem = ca.issuingPem.split('\n');
    pem[3] = pem[3]?.replace(/^..../, 'AAAA') ?? '';
    writeFileSync(join(dir, CA_FILES.issuingCertificate), pem.join('\n'));
    await refused(dir, /corrupted or foreign/);
  });

  it('refuses a corrupted or mismatched key', async () => {
    const dir = copyCa();
    writeFileSync(join(dir, CA_FILES.rootKey), '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n', {
      mode: 0o600,
    });
    await refused(dir, /corrupted or foreign: root-ca\.key is not a PKCS#8 PEM private key, plain or encrypted/);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    writeFileSync(join(dir, CA_FILES.rootKey), readFileSync(file(CA_FILES.rootKey)));
    writeFileSync(join(dir, CA_FILES.issuingKey), other.export({ type: 'pkcs8', format: 'pem' }));
    await refused(dir, /corrupted or foreign: issuing-ca\.key does not match issuing-ca\.crt/);
    const pkcs1 = createPrivateKey(readFileSync(file(CA_FILES.issuingKey))).export({ type: 'pkcs1', format: 'pem' });
    writeFileSync(join(dir, CA_FILES.issuingKey), pkcs1);
    await refused(dir, /issuing-ca\.key is not a PKCS#8 PEM private key, plain or encrypted/);
  });

  it('refuses an issuing CA that the root did not sign', async () => {
    const dir = copyCa();
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const foreignRoot = await buildRootCertificate({
      name: encodeName('CN=Someone Else'),
      publicKey,
      privateKey,
      now: new Date(),
    });
    writeFileSync(join(dir, CA_FILES.rootCertificate), toPem('CERTIFICATE', foreignRoot));
    writeFileSync(join(dir, CA_FILES.rootKey), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await refused(dir, /corrupted or foreign: issuing-ca\.crt is not a CA certificate signed by root-ca\.crt/);
  });

  it('refuses an incomplete directory and leaves it untouched', async () => {
    const dir = copyCa();
    rmSync(join(dir, CA_FILES.issuingKey));
    rmSync(join(dir, CA_FILES.rootCertificate));
    await refused(dir, /incomplete \(missing root-ca\.crt, issuing-ca\.key\)/);
    assert.deepEqual(readdirSync(dir).sort(), ['issuing-ca.crt', 'root-ca.key']);
    assert.equal(readFileSync(join(dir, CA_FILES.issuingCertificate), 'utf8'), ca.issuingPem);
  });

  it('refuses a directory with other files and no CA, and a path that is a file', async () => {
    const dir = join(tmp.path, 'unrelated');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    await refused(dir, /incomplete/);
    assert.deepEqual(readdirSync(dir), ['notes.txt']);
    await refused(join(dir, 'notes.txt'), /not a directory/);
  });
});

describe('concurrent first use', () => {
  it('two processes racing on an empty directory end with the same CA', async () => {
    const parent = join(tmp.path, 'race');
    mkdirSync(parent);
    const dir = join(parent, 'ca');
    const bootstrap = fileURLToPath(new URL('../../src/ca/bootstrap.js', import.meta.url));
    const script = writeTemp(
      tmp.path,
      'race.mjs',
      [
        'const { openFileAuthority } = await import(process.argv[2]);',
        'const ca = await openFileAuthority(process.argv[3]);',
        'process.stdout.write(ca.rootPem);',
      ].join('\n'),
    );
    const run = () =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, [script, bootstrap, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (chunk) => {
          out += chunk;
        });
        child.stderr.on('data', (chunk) => {
          err += chunk;
        });
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${err}`))));
      });
    const [a, b] = await Promise.all([run(), run()]);
    assert.match(a, /^-----BEGIN CERTIFICATE-----\n/);
    assert.equal(a, b);
    assert.equal(readFileSync(join(dir, CA_FILES.rootCertificate), 'utf8'), a);
    assert.deepEqual(readdirSync(parent), ['ca']); // the loser removed its temporary directory
    assert.equal((await openFileAuthority(dir)).rootPem, a);
  });
});
