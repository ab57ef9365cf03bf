import { KeyGenerationBusyError } from '../ca/keygen/keygen-capacity.js';
import { commonFailure, IOT_FAILURES, ServiceError, serviceErrors } from '../errors.js';
import type { OperationModel } from '../model/shapes.js';
import { StoreError } from '../registry/store-error.js';
import { ALL_OPERATIONS, type CatalogEntry } from './catalog.js';
import type { OperationContext } from './context.js';
import { refuseInvalidInput } from './input-refusal.js';
import type { Operation } from './operation.js';
import { validateInput } from './validate-input.js';

// Inputs reach `run` only after validateInput has checked them against the same model.
const BY_MODEL: ReadonlyMap<OperationModel, CatalogEntry> = new Map(
  ALL_OPERATIONS.map((entry) => [entry.model, entry]),
);

/**
 * The declaration an operation model belongs to, imported on first use (catalog.ts): the CLI reads its additions
 * (outfiles, examples) there.
 */
export async function loadOperation(model: OperationModel): Promise<Operation<never> | undefined> {
  return BY_MODEL.get(model)?.load();
}

/**
 * The single entry every door uses: validate against the model, run the operation, and turn anything that is
 * not a ServiceError into the API's internal failure (InternalFailureException over REST) so no door leaks
 * internals. A full key-generation queue and a registry that is down are named as the model's API names them.
 */
export async function invokeOperation(
  model: OperationModel,
  input: Readonly<Record<string, unknown>>,
  ctx: OperationContext,
  onInternalError: (err: unknown) => void = () => {},
): Promise<Record<string, unknown>> {
  const entry = BY_MODEL.get(model);
  if (!entry) throw serviceErrors.invalidRequest(`Operation ${model.name} is not supported.`);
  const refusals = model.inputRefusals;
  if (refusals) refuseInvalidInput({ ...model, inputRefusals: refusals }, input);
  else validateInput(model.input, input);
  const failures = model.failures ?? IOT_FAILURES;
  const operation = await entry.load();
  try {
    return ((await operation.run(input as never, ctx)) ?? {}) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof ServiceError) throw err;
    // Back-pressure: a full key-generation queue answers as the service does when over its rate.
    if (err instanceof KeyGenerationBusyError) throw commonFailure(failures, 'throttled');
    // The store's own error rides along as the cause, for an in-process door that shows the operator its words.
    if (isStoreUnavailable(err)) throw Object.assign(commonFailure(failures, 'unavailable'), { cause: err });
    onInternalError(err);
    throw commonFailure(failures, 'internal');
  }
}

/** The database is down or restarting: a transient 503 the client may retry, not an internal failure. */
export function isStoreUnavailable(err: unknown): boolean {
  return err instanceof StoreError && err.code === 'UNAVAILABLE';
}
