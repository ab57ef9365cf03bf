/**
 * The ownership token's hour (reference §4.3), on a clock the test moves: RegisterThing accepts a token until
 * one hour after the certificate was created and refuses it from then on; the sweeper deletes what expired
 * unclaimed (PENDING_ACTIVATION, attached to nothing) and keeps everything else. Runs the real modules on a real
 * SQLite registry and file CA — the device endpoint's code path minus MQTT.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { openFileAuthority } from '../../src/ca/bootstrap.js';
import { encodeName } from '../../src/ca/distinguished-name.js';
import type { GeneratedKeyPair } from '../../src/ca/key-generator.js';
import type { Scope } from '../../src/domain/scope.js';
import { ServiceError } from '../../src/errors.js';
import { UpdateCertificate } from '../../src/model/certificates.js';
import { DeviceCreateKeysAndCertificate, DeviceRegisterThing } from '../../src/model/fleet-provisioning.js';
import { CreateProvisioningTemplate } from '../../src/model/provisioning.js';
import type { OperationModel } from '../../src/model/shapes.js';
import { AttachThingPrincipal, CreateThing } from '../../src/model/things.js';
import type { OperationContext } from '../../src/operations/context.js';
import { invokeOperation } from '../../src/operations/index.js';
import { startOwnershipSweeper, sweepExpiredOwnership } from '../../src/provisioning/ownership-sweeper.js';
import { OWNERSHIP_TOKEN_LIFETIME_MS, OwnershipTokens } from '../../src/provisioning/ownership-token.js';
import type { Registry } from '../../src/registry/registry.js';
import { openSqliteRegistry } from '../../src/registry/sqlite/sqlite-registry.js';
import { fleetTemplateBody, PROVISIONING_ROLE_ARN } from '../helpers/fleet-provisioning.js';

const SCOPE: Scope = { accountId: '123456789012', region: 'us-east-1' };
const TEMPLATE = 'FleetTemplate';
const HOUR = OWNERSHIP_TOKEN_LIFETIME_MS;
const T0 = Date.parse('2026-03-01T12:00:00Z');

let dir: string;
let registry: Registry;
let ctx: OperationContext;
let tokens: OwnershipTokens;
/** The clock every module under test reads. */
let now = T0;
/** One RSA key pair for every certificate: each certificate still differs (serial number), and tests stay fast. */
let keyPair: GeneratedKeyPair;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fleetca-ownership-'));
  registry = await openSqliteRegistry(join(dir, 'registry.db'));
  const authority = await openFileAuthority(join(dir, 'ca'));
  keyPair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  tokens = new OwnershipTokens(randomBytes(32));
  ctx = {
    scope: SCOPE,
    registry,
    authority,
    keys: { generate: async () => keyPair, close: async () => {} },
    defaultSubject: encodeName('CN=AWS IoT Certificate'),
    now: () => new Date(now),
    ownershipTokens: tokens,
  };
  await call(CreateProvisioningTemplate, {
    templateName: TEMPLATE,
    templateBody: fleetTemplateBody(),
    enabled: true,
    provisioningRoleArn: PROVISIONING_ROLE_ARN,
  });
});

after(async () => {
  await registry?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  // Every test starts at T0 with no expired token left over from another.
  now = T0 + 100 * HOUR;
  await sweepExpiredOwnership(registry, now, 10_000);
  now = T0;
});

function call(model: OperationModel, input: Record<string, unknown>) {
  return invokeOperation(model, input, ctx, (err) => {
    throw err;
  });
}

/** CreateKeysAndCertificate as the device endpoint runs it, at the current clock. */
async function createPending() {
  return (await call(DeviceCreateKeysAndCertificate, {})) as {
    certificateId: string;
    certificateOwnershipToken: string;
  };
}

/** RegisterThing as the device endpoint runs it. */
function registerThing(request: { templateName: string; token: string; parameters: Record<string, string> }) {
  return call(DeviceRegisterThing, {
    templateName: request.templateName,
    certificateOwnershipToken: request.token,
    parameters: request.parameters,
  });
}

function register(token: string, serial: string) {
  return registerThing({ templateName: TEMPLATE, token, parameters: { SerialNumber: serial } });
}

async function status(certificateId: string): Promise<string | undefined> {
  return (await registry.certificates.getCertificate(SCOPE, certificateId))?.status;
}

/** A refusal as the device reads it on /rejected (statusCode, errorCode) with its message. */
interface Rejection {
  readonly statusCode: number;
  readonly errorCode: string;
  readonly message: string;
}

async function rejection(promise: Promise<unknown>): Promise<Rejection> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ServiceError) {
      return { statusCode: error.status, errorCode: error.code, message: error.message };
    }
    throw error;
  }
  assert.fail('expected a ServiceError');
}

describe('the token expires one hour after the certificate was created', () => {
  test('one millisecond before the hour RegisterThing succeeds; at the hour it is refused and nothing is written', async () => {
    const early = await createPending();
    const late = await createPending();

    now = T0 + HOUR - 1;
    assert.deepEqual(await register(early.certificateOwnershipToken, 'EARLY'), {
      deviceConfiguration: { Fallback: 'false' },
      thingName: 'device-EARLY',
    });
    assert.equal(await status(early.certificateId), 'ACTIVE');

    now = T0 + HOUR;
    const refused = await rejection(register(late.certificateOwnershipToken, 'LATE'));
    assert.equal(refused.statusCode, 400);
    assert.equal(refused.errorCode, 'InvalidCertificateOwnershipToken');
    assert.equal(refused.message, 'Certificate ownership token has expired.');
    assert.equal(await status(late.certificateId), 'PENDING_ACTIVATION');
    assert.equal(await registry.things.getThing(SCOPE, 'device-LATE'), undefined);
  });

  test('the hour runs from creation, not from the last use: failed attempts do not extend it', async () => {
    const created = await createPending();
    now = T0 + HOUR / 2;
    const unresolved = await rejection(
      registerThing({ templateName: TEMPLATE, token: created.certificateOwnershipToken, parameters: {} }),
    );
    assert.equal(unresolved.message, 'Cannot resolve reference value: SerialNumber');
    now = T0 + HOUR + 1;
    const expired = await rejection(register(created.certificateOwnershipToken, 'LATE-AGAIN'));
    assert.equal(expired.message, 'Certificate ownership token has expired.');
  });
});

describe('the sweeper', () => {
  test('deletes the unclaimed PENDING_ACTIVATION certificate, keeps the registered, activated and attached ones', async () => {
    const unclaimed = await createPending();
    const registered = await createPending();
    const activated = await createPending();
    const attached = await createPending();
    await register(registered.certificateOwnershipToken, 'SWEPT-REGISTERED');
    await call(UpdateCertificate, { certificateId: activated.certificateId, newStatus: 'ACTIVE' });
    await call(CreateThing, { thingName: 'hand-made' });
    await call(AttachThingPrincipal, {
      thingName: 'hand-made',
      principal: `arn:aws:iot:${SCOPE.region}:${SCOPE.accountId}:cert/${attached.certificateId}`,
    });

    assert.deepEqual(await sweepExpiredOwnership(registry, T0 + HOUR - 1, 100), {
      tokens: 0,
      deleted: 0,
      kept: 0,
      redeemed: 0,
    });
    assert.equal(await status(unclaimed.certificateId), 'PENDING_ACTIVATION', 'nothing happens before the hour');

    assert.deepEqual(await sweepExpiredOwnership(registry, T0 + HOUR, 100), {
      tokens: 4,
      deleted: 1,
      kept: 2,
      redeemed: 1,
    });
    assert.equal(await status(unclaimed.certificateId), undefined, 'deleted');
    assert.equal(await status(registered.certificateId), 'ACTIVE');
    assert.equal(await status(activated.certificateId), 'ACTIVE');
    assert.equal(await status(attached.certificateId), 'PENDING_ACTIVATION');
    assert.ok(await registry.things.getThing(SCOPE, 'device-SWEPT-REGISTERED'));

    // Every expired token was forgotten: the next sweep has nothing to do.
    assert.deepEqual(await sweepExpiredOwnership(registry, T0 + 2 * HOUR, 100), {
      tokens: 0,
      deleted: 0,
      kept: 0,
      redeemed: 0,
    });

    // The deleted certificate's token can never register it, even on a clock that says it is still valid (the
    // token itself is intact: the registry no longer knows it).
    now = T0 + 1;
    const refused = await rejection(register(unclaimed.certificateOwnershipToken, 'GHOST'));
    assert.equal(refused.errorCode, 'InvalidCertificateOwnershipToken');
    assert.equal(refused.message, 'Certificate ownership token is invalid.');
    assert.equal(await registry.things.getThing(SCOPE, 'device-GHOST'), undefined);
  });

  test('the running sweeper, on its own clock, drains a backlog larger than a batch and stops cleanly', async () => {
    const created = [];
    for (let i = 0; i < 5; i++) created.push(await createPending());
    const keeper = await createPending();
    await register(keeper.certificateOwnershipToken, 'SWEEPER-KEEPER');

    const logged: unknown[] = [];
    const stop = startOwnershipSweeper(registry, {
      intervalMs: 10,
      batchSize: 2,
      now: () => T0 + HOUR + 1,
      logger: { info: (obj: unknown) => logged.push(obj), error: (obj: unknown) => assert.fail(String(obj)) },
    });
    try {
      const deadline = Date.now() + 5_000;
      while (Date.now() < deadline) {
        const left = await Promise.all(created.map((c) => status(c.certificateId)));
        if (left.every((s) => s === undefined)) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await stop();
    }
    for (const c of created) assert.equal(await status(c.certificateId), undefined, `${c.certificateId} swept`);
    assert.equal(await status(keeper.certificateId), 'ACTIVE');
    const deleted = logged
      .map((entry) => (entry as { sweep?: { deleted: number } }).sweep?.deleted ?? 0)
      .reduce((a, b) => a + b, 0);
    assert.equal(deleted, 5, 'each deletion logged once');
  });

  test('stopped, it sweeps no more', async () => {
    const stop = startOwnershipSweeper(registry, {
      intervalMs: 10,
      now: () => T0 + HOUR + 1,
      logger: { info: () => {}, error: () => {} },
    });
    await stop();
    const created = await createPending();
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(await status(created.certificateId), 'PENDING_ACTIVATION');
  });
});

describe('templates RegisterThing will not use', () => {
  async function refusedWith(templateName: string): Promise<Rejection> {
    const created = await createPending();
    const refused = await rejection(
      registerThing({
        templateName,
        token: created.certificateOwnershipToken,
        parameters: { SerialNumber: templateName },
      }),
    );
    assert.equal(await status(created.certificateId), 'PENDING_ACTIVATION', 'nothing written');
    assert.equal(await registry.things.getThing(SCOPE, `device-${templateName}`), undefined);
    return refused;
  }

  test('an unknown template (e.g. deleted while the device was provisioning): 404 ResourceNotFound', async () => {
    const refused = await refusedWith('NoSuchTemplate');
    assert.deepEqual(
      [refused.statusCode, refused.errorCode, refused.message],
      [404, 'ResourceNotFound', 'Provisioning template NoSuchTemplate does not exist.'],
    );
  });

  test('a disabled template, and one with a pre-provisioning hook fleetca cannot run: 403 Forbidden', async () => {
    await call(CreateProvisioningTemplate, {
      templateName: 'Disabled',
      templateBody: fleetTemplateBody(),
      enabled: false,
      provisioningRoleArn: PROVISIONING_ROLE_ARN,
    });
    await call(CreateProvisioningTemplate, {
      templateName: 'Hooked',
      templateBody: fleetTemplateBody(),
      enabled: true,
      provisioningRoleArn: PROVISIONING_ROLE_ARN,
      preProvisioningHook: { targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:veto' },
    });
    const disabled = await refusedWith('Disabled');
    assert.deepEqual([disabled.statusCode, disabled.errorCode], [403, 'Forbidden']);
    const hooked = await refusedWith('Hooked');
    assert.deepEqual([hooked.statusCode, hooked.errorCode], [403, 'Forbidden']);
    assert.match(hooked.message, /pre-provisioning hook/);
  });
});
