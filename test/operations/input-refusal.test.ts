/**
 * The device API's validation through the one funnel: the first failing member, in model order, refused with the
 * code and message its model gives (the texts the device door has always answered with), and the API's own names
 * for throttled, unavailable and internal failures.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { KeyGenerationBusyError } from '../../src/ca/keygen/worker-key-generator.js';
import { ServiceError } from '../../src/errors.js';
import * as certificates from '../../src/model/certificates.js';
import {
  DeviceCreateCertificateFromCsr,
  DeviceCreateKeysAndCertificate,
  DeviceRegisterThing,
  FLEET_PROVISIONING_OPERATIONS,
} from '../../src/model/fleet-provisioning.js';
import type { OperationModel } from '../../src/model/shapes.js';
import type { OperationContext } from '../../src/operations/context.js';
import { invokeOperation } from '../../src/operations/index.js';
import { StoreError } from '../../src/registry/store-error.js';

/** A context whose every use fails the test, unless the test gives its own key generator. */
function contextWith(generate: () => Promise<never> = () => assert.fail('the operation ran')): OperationContext {
  return {
    scope: { accountId: '123456789012', region: 'us-east-1' },
    keys: { generate, close: async () => {} },
    now: () => new Date(),
  } as unknown as OperationContext;
}

async function refusal(model: OperationModel, input: Record<string, unknown>, ctx = contextWith()) {
  try {
    await invokeOperation(model, input, ctx);
  } catch (err) {
    assert.ok(err instanceof ServiceError, String(err));
    return [err.status, err.code, err.message];
  }
  assert.fail('expected a refusal');
}

const TOKEN = 'dG9rZW4=';

describe('the fleet-provisioning models', () => {
  test('are distinct from the REST operations of the same names, with no route, and refuse every member their own way', () => {
    assert.notEqual(DeviceCreateKeysAndCertificate, certificates.CreateKeysAndCertificate);
    assert.notEqual(DeviceCreateCertificateFromCsr, certificates.CreateCertificateFromCsr);
    for (const model of FLEET_PROVISIONING_OPERATIONS) {
      assert.equal(model.http, undefined);
      assert.deepEqual(Object.keys(model.inputRefusals ?? {}), Object.keys(model.input.members), model.name);
    }
  });

  test('answer members in the order the real service sends them', () => {
    assert.deepEqual(Object.keys(DeviceCreateKeysAndCertificate.output?.members ?? {}), [
      'certificateId',
      'certificatePem',
      'privateKey',
      'certificateOwnershipToken',
    ]);
    assert.deepEqual(Object.keys(DeviceCreateCertificateFromCsr.output?.members ?? {}), [
      'certificateOwnershipToken',
      'certificateId',
      'certificatePem',
    ]);
  });
});

describe('CreateCertificateFromCsr', () => {
  test('a missing, null, empty or non-string CSR, and one over 4096 characters', async () => {
    const notAString = [
      400,
      'InvalidCertificateSigningRequest',
      'certificateSigningRequest must be a non-empty string.',
    ];
    for (const input of [
      {},
      { certificateSigningRequest: null },
      { certificateSigningRequest: '' },
      { certificateSigningRequest: 7 },
    ]) {
      assert.deepEqual(await refusal(DeviceCreateCertificateFromCsr, input), notAString);
    }
    assert.deepEqual(await refusal(DeviceCreateCertificateFromCsr, { certificateSigningRequest: 'x'.repeat(4097) }), [
      400,
      'InvalidCertificateSigningRequest',
      'certificateSigningRequest is longer than 4096 characters.',
    ]);
  });
});

describe('RegisterThing', () => {
  const register = (input: Record<string, unknown>) => refusal(DeviceRegisterThing, { templateName: 'T', ...input });

  test('the token: missing or empty, then not a string (null included: it was sent)', async () => {
    const empty = [400, 'InvalidCertificateOwnershipToken', 'Certificate ownership token cannot be empty.'];
    assert.deepEqual(await register({}), empty);
    assert.deepEqual(await register({ certificateOwnershipToken: '' }), empty);
    const notAString = [400, 'InvalidCertificateOwnershipToken', 'Certificate ownership token must be a string.'];
    assert.deepEqual(await register({ certificateOwnershipToken: 5 }), notAString);
    assert.deepEqual(await register({ certificateOwnershipToken: null }), notAString);
  });

  test('the token is checked before the parameters', async () => {
    assert.deepEqual((await register({ parameters: 'x' }))[1], 'InvalidCertificateOwnershipToken');
  });

  test('parameters: not a map, too many, a value not a string, a name or value too long', async () => {
    const withParameters = (parameters: unknown) => register({ certificateOwnershipToken: TOKEN, parameters });
    for (const parameters of [['SerialNumber'], 'SerialNumber=1', new Uint8Array([1])]) {
      assert.deepEqual(await withParameters(parameters), [
        400,
        'InvalidParameters',
        'parameters must be a map of strings.',
      ]);
    }
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`p${i}`, 'v']));
    assert.deepEqual(await withParameters(many), [400, 'InvalidParameters', 'At most 100 parameters are accepted.']);
    assert.deepEqual(await withParameters({ SerialNumber: 42 }), [
      400,
      'InvalidParameters',
      'Parameter SerialNumber must be a string.',
    ]);
    const longName = 'n'.repeat(2049);
    assert.deepEqual(await withParameters({ [longName]: 'v' }), [
      400,
      'InvalidParameters',
      `Parameter ${longName.slice(0, 128)} is too long.`,
    ]);
    assert.deepEqual(await withParameters({ a: 'v'.repeat(2049) }), [
      400,
      'InvalidParameters',
      'Parameter a is too long.',
    ]);
  });
});

describe("the device API's common failures", () => {
  test('a full key-generation queue is Throttled, a registry that is down ServiceUnavailable, anything else InternalFailure', async () => {
    const failWith = (err: Error) => contextWith(() => Promise.reject(err));
    assert.deepEqual(await refusal(DeviceCreateKeysAndCertificate, {}, failWith(new KeyGenerationBusyError('full'))), [
      429,
      'Throttled',
      'Rate exceeded.',
    ]);
    assert.deepEqual(
      await refusal(DeviceCreateKeysAndCertificate, {}, failWith(new StoreError('UNAVAILABLE', 'down'))),
      [503, 'ServiceUnavailable', 'The service is temporarily unavailable.'],
    );
    assert.deepEqual(await refusal(DeviceCreateKeysAndCertificate, {}, failWith(new Error('boom'))), [
      500,
      'InternalFailure',
      'An internal error occurred.',
    ]);
  });
});
