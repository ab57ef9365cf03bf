/** An in-process operation context on a real SQLite registry and a real file CA, in a temporary directory. */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFileAuthority } from '../../src/ca/bootstrap.js';
import { encodeName } from '../../src/ca/distinguished-name.js';
import type { Scope } from '../../src/domain/scope.js';
import { ServiceError } from '../../src/errors.js';
import type { OperationModel } from '../../src/model/shapes.js';
import type { OperationContext } from '../../src/operations/context.js';
import { invokeOperation } from '../../src/operations/index.js';
import type { Registry } from '../../src/registry/registry.js';
import { openSqliteRegistry } from '../../src/registry/sqlite/sqlite-registry.js';

export const SCOPE: Scope = { accountId: '123456789012', region: 'us-east-1' };
export const OTHER_ACCOUNT: Scope = { accountId: '210987654321', region: 'us-east-1' };
export const OTHER_REGION: Scope = { accountId: '123456789012', region: 'eu-west-1' };

export interface TestService {
  readonly dir: string;
  readonly registry: Registry;
  /** Runs an operation the way every door does, in `scope` (SCOPE by default). */
  call(model: OperationModel, input: Record<string, unknown>, scope?: Scope): Promise<Record<string, unknown>>;
  /** The ServiceError an operation fails with; fails the test if it succeeds. */
  failure(model: OperationModel, input: Record<string, unknown>, scope?: Scope): Promise<ServiceError>;
  close(): Promise<void>;
}

/** Opens a fresh registry and CA; close() removes everything. `now`: the operations' clock (the real one by default). */
export async function openTestService(
  prefix = 'fleetca-ops-',
  now: () => Date = () => new Date(),
): Promise<TestService> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const registry = await openSqliteRegistry(join(dir, 'registry.db'));
  const authority = await openFileAuthority(join(dir, 'ca'));
  const context = (scope: Scope): OperationContext => ({
    scope,
    registry,
    authority,
    // None of the operations under test generates keys.
    keys: { generate: () => Promise.reject(new Error('no key generation in these tests')), close: async () => {} },
    defaultSubject: encodeName('CN=AWS IoT Certificate'),
    now,
  });
  const call = (model: OperationModel, input: Record<string, unknown>, scope = SCOPE) =>
    invokeOperation(model, input, context(scope), (err) => {
      throw err;
    });
  return {
    dir,
    registry,
    call,
    failure: async (model, input, scope = SCOPE) => {
      try {
        await call(model, input, scope);
      } catch (error) {
        if (error instanceof ServiceError) return error;
        throw error;
      }
      throw new Error(`${model.name} succeeded but was expected to fail`);
    },
    close: async () => {
      await registry.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
