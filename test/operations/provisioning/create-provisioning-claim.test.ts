import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPair, X509Certificate } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { type FileCertificateAuthority, openFileAuthority } from '../../../src/ca/bootstrap.js';
import { readCertificateParts } from '../../../src/ca/certificate-reader.js';
import { encodeName } from '../../../src/ca/distinguished-name.js';
import type { GeneratedKeyPair } from '../../../src/ca/key-generator.js';
import { KeyGenerationBusyError } from '../../../src/ca/keygen/worker-key-generator.js';
import { ServiceError } from '../../../src/errors.js';
import { DescribeCertificate, ListCertificates } from '../../../src/model/certificates.js';
import {
  CreateProvisioningClaim,
  CreateProvisioningTemplate,
  DeleteProvisioningTemplate,
  UpdateProvisioningTemplate,
} from '../../../src/model/provisioning.js';
import type { OperationModel } from '../../../src/model/shapes.js';
import type { OperationContext } from '../../../src/operations/context.js';
import { invokeOperation } from '../../../src/operations/index.js';
import type { Registry } from '../../../src/registry/registry.js';
import { openSqliteRegistry } from '../../../src/registry/sqlite/sqlite-registry.js';
import { FLEET_BODY } from '../../registry/provisioning-template-store-conformance.js';
import { SCOPE } from '../operation-context.js';

const generate = promisify(generateKeyPair);
const ROLE = 'arn:aws:iam::123456789012:role/FleetProvisioningRole';
/** 2026-03-04T05:06:07.890Z: the clock of these operations. */
const NOW = new Date('2026-03-04T05:06:07.890Z');

describe('CreateProvisioningClaim', () => {
  let dir: string;
  let registry: Registry;
  let authority: FileCertificateAuthority;
  let busy = false;

  const context = (): OperationContext => ({
    scope: SCOPE,
    registry,
    authority,
    keys: {
      generate: async (): Promise<GeneratedKeyPair> => {
        if (busy) throw new KeyGenerationBusyError('queue full');
        return generate('rsa', { modulusLength: 2048 });
      },
      close: async () => {},
    },
    defaultSubject: encodeName('CN=AWS IoT Certificate'),
    now: () => NOW,
  });
  const call = (model: OperationModel, input: Record<string, unknown>) =>
    invokeOperation(model, input, context(), (err) => {
      throw err;
    });
  const failure = async (model: OperationModel, input: Record<string, unknown>): Promise<ServiceError> => {
    try {
      await call(model, input);
    } catch (error) {
      if (error instanceof ServiceError) return error;
      throw error;
    }
    throw new Error(`${model.name} succeeded`);
  };
  const template = (templateName: string, extra: Record<string, unknown> = {}) =>
    call(CreateProvisioningTemplate, {
      templateName,
      templateBody: FLEET_BODY,
      provisioningRoleArn: ROLE,
      enabled: true,
      ...extra,
    });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fleetca-claims-'));
    registry = await openSqliteRegistry(join(dir, 'registry.db'));
    authority = await openFileAuthority(join(dir, 'ca'));
    await template('Fleet');
  });
  after(async () => {
    await registry.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('answers certificateId, certificatePem, keyPair, expiration: a 5-minute claim certificate for a new key', async () => {
    const claim = await call(CreateProvisioningClaim, { templateName: 'Fleet' });
    assert.deepEqual(Object.keys(claim), ['certificateId', 'certificatePem', 'keyPair', 'expiration']);
    const pem = claim.certificatePem as string;
    const keyPair = claim.keyPair as { PublicKey: string; PrivateKey: string };
    assert.deepEqual(Object.keys(keyPair), ['PublicKey', 'PrivateKey']);
    assert.match(keyPair.PrivateKey, /^-----BEGIN RSA PRIVATE KEY-----\n/);
    assert.match(keyPair.PublicKey, /^-----BEGIN PUBLIC KEY-----\n/);
    const cert = new X509Certificate(pem);
    assert.equal(claim.certificateId, cert.fingerprint256.replaceAll(':', '').toLowerCase());
    assert.match(cert.subject, /^CN=[0-9a-f]{64}$/);
    assert.equal(claim.expiration, Date.parse('2026-03-04T05:11:07Z'));
    assert.equal(new Date(cert.validTo).getTime(), claim.expiration);
    assert.equal(new Date(cert.validFrom).getTime(), Date.parse('2026-03-04T05:04:07Z'));
    assert.equal(
      cert.publicKey.export({ type: 'spki', format: 'pem' }),
      createPublicKey(keyPair.PrivateKey).export({ type: 'spki', format: 'pem' }),
    );
    assert.equal(keyPair.PublicKey, cert.publicKey.export({ type: 'spki', format: 'pem' }));
    assert.deepEqual(
      readCertificateParts(cert.raw).extensions.map((e) => [e.oid, e.critical]),
      [
        ['2.5.29.19', true],
        ['2.5.29.15', true],
      ],
    );
    assert.equal(cert.issuer, new X509Certificate(authority.issuingPem).subject);
  });

  test('the claim is kept as a claim for its template, not as a certificate, and never with its key', async () => {
    const claim = await call(CreateProvisioningClaim, { templateName: 'Fleet' });
    const id = claim.certificateId as string;
    const found = await registry.provisioningClaims.findByCertificateId(id, NOW.getTime());
    assert.deepEqual(found, {
      ...SCOPE,
      certificateId: id,
      kind: 'temporary',
      templateNames: ['Fleet'],
      expiresAt: claim.expiration,
      certificatePem: claim.certificatePem,
    });
    assert.equal(await registry.provisioningClaims.findByCertificateId(id, claim.expiration as number), undefined);
    const listed = (await call(ListCertificates, {})).certificates as { certificateId: string }[];
    assert.ok(!listed.some((c) => c.certificateId === id), 'not listed among the certificates');
    assert.equal((await failure(DescribeCertificate, { certificateId: id })).code, 'ResourceNotFoundException');

    // Neither the registry files nor anything else in the data directory hold the private key.
    const keyBody = (claim.keyPair as { PrivateKey: string }).PrivateKey.split('\n')[1] as string;
    for (const file of await readdir(dir, { recursive: true })) {
      const content = await readFile(join(dir, file)).catch(() => Buffer.alloc(0));
      assert.ok(!content.includes(keyBody), `${file} holds the private key`);
    }
  });

  test('unknown template: ResourceNotFoundException; disabled or JITP template: InvalidRequestException', async () => {
    const unknown = await failure(CreateProvisioningClaim, { templateName: 'Nope' });
    assert.equal(unknown.code, 'ResourceNotFoundException');
    assert.equal(unknown.message, 'Template Nope does not exist');

    await template('Disabled', { enabled: false });
    const disabled = await failure(CreateProvisioningClaim, { templateName: 'Disabled' });
    assert.equal(disabled.code, 'InvalidRequestException');
    assert.equal(disabled.message, 'Template Disabled is disabled');
    await call(UpdateProvisioningTemplate, { templateName: 'Disabled', enabled: true });
    assert.ok((await call(CreateProvisioningClaim, { templateName: 'Disabled' })).certificateId);

    await template('Jitp', { type: 'JITP' });
    const jitp = await failure(CreateProvisioningClaim, { templateName: 'Jitp' });
    assert.equal(jitp.code, 'InvalidRequestException');
    assert.match(jitp.message, /JITP/);

    const badName = await failure(CreateProvisioningClaim, { templateName: 'no spaces' });
    assert.equal(badName.code, 'InvalidRequestException');
    assert.match(badName.message, /at 'templateName' failed to satisfy constraint/);
  });

  test('a full key-generation queue answers ThrottlingException', async () => {
    busy = true;
    try {
      const error = await failure(CreateProvisioningClaim, { templateName: 'Fleet' });
      assert.equal(error.code, 'ThrottlingException');
    } finally {
      busy = false;
    }
  });

  test('deleting the template removes its claims', async () => {
    await template('Short');
    const claim = await call(CreateProvisioningClaim, { templateName: 'Short' });
    await call(DeleteProvisioningTemplate, { templateName: 'Short' });
    assert.equal(
      await registry.provisioningClaims.findByCertificateId(claim.certificateId as string, NOW.getTime()),
      undefined,
    );
  });
});
