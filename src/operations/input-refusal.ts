import { ServiceError } from '../errors.js';
import type { InputRefusal, MapShape, MemberCheck, OperationModel, Shape, StringShape } from '../model/shapes.js';
import { failedStringChecks } from './validate-input.js';

/** What failed: the check, the shape whose bounds the message may name, and the failing map entry's name. */
interface FailedCheck {
  readonly check: MemberCheck;
  readonly shape: Shape;
  readonly key?: string;
}

/** How much of a map entry's name a message repeats. */
const SHOWN_KEY_CHARS = 128;

/**
 * Validation for a model with `inputRefusals` (the MQTT fleet-provisioning API): the first member, in model order,
 * that fails its first check is refused with the code and message that member's refusal gives.
 */
export function refuseInvalidInput(
  model: OperationModel & { readonly inputRefusals: Readonly<Record<string, InputRefusal>> },
  input: Readonly<Record<string, unknown>>,
): void {
  const required = model.input.required ?? [];
  for (const [name, m] of Object.entries(model.input.members)) {
    const failed = firstFailedCheck(m.shape, input[name], required.includes(name));
    if (!failed) continue;
    const refusal = model.inputRefusals[name];
    if (!refusal) throw new Error(`${model.name}.${name} has no input refusal`);
    throw new ServiceError(refusal.code, refusalMessage(refusal, failed));
  }
}

function firstFailedCheck(shape: Shape, value: unknown, required: boolean): FailedCheck | undefined {
  // A required member sent as null was sent, with the wrong type; an optional one sent as null is absent.
  if (value === undefined || (value === null && !required)) {
    return required ? { check: 'required', shape } : undefined;
  }
  switch (shape.type) {
    case 'string':
      return firstFailedStringCheck(shape, value, '');
    case 'map':
      return firstFailedMapCheck(shape, value);
    default:
      throw new Error(`input refusals do not check ${shape.type} members`);
  }
}

function firstFailedStringCheck(shape: StringShape, value: unknown, prefix: '' | 'entry.'): FailedCheck | undefined {
  if (typeof value !== 'string') return { check: `${prefix}type`, shape };
  const check = failedStringChecks(shape, value)[0];
  return check ? { check: `${prefix}${check}`, shape } : undefined;
}

/** The map itself (type, number of entries), then each entry in order: its value's type, its key, its value. */
function firstFailedMapCheck(shape: MapShape, value: unknown): FailedCheck | undefined {
  // A CBOR byte string decodes to a Uint8Array: an object, but no map.
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) {
    return { check: 'type', shape };
  }
  const entries = Object.entries(value);
  if (shape.max !== undefined && entries.length > shape.max) return { check: 'max', shape };
  const valueShape = shape.value;
  if (valueShape.type !== 'string') throw new Error('input refusals check maps of strings only');
  for (const [key, item] of entries) {
    if (typeof item !== 'string') return { check: 'entry.type', shape: valueShape, key };
    const failed =
      firstFailedStringCheck(shape.key, key, 'entry.') ?? firstFailedStringCheck(valueShape, item, 'entry.');
    if (failed) return { ...failed, key };
  }
  return undefined;
}

function refusalMessage(refusal: InputRefusal, failed: FailedCheck): string {
  const template = refusal.messages?.[failed.check] ?? refusal.otherwise;
  const bounds = failed.shape as { readonly min?: number; readonly max?: number };
  return template
    .replaceAll('{min}', String(bounds.min))
    .replaceAll('{max}', String(bounds.max))
    .replaceAll('{key}', (failed.key ?? '').slice(0, SHOWN_KEY_CHARS));
}
