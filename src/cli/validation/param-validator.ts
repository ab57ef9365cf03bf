import type { Shape, StructureShape } from '../../model/shapes.js';
import { ParamValidationError } from '../errors/cli-errors.js';
import { pyStr, pyTypeName } from '../python/repr.js';

type ErrorReport = string;

const VALID_TYPES: Readonly<Record<Shape['type'], string>> = {
  string: "<class 'str'>",
  integer: "<class 'int'>",
  boolean: "<class 'bool'>",
  timestamp: "<class 'datetime.datetime'>, timestamp-string",
  list: "<class 'list'>, <class 'tuple'>",
  structure: "<class 'dict'>",
  map: "<class 'dict'>",
};

// botocore's _get_name: '' → input, '.a.b' → a.b
function displayName(path: string): string {
  return path === '' ? 'input' : path.startsWith('.') ? path.slice(1) : path;
}

function isType(shape: Shape, value: unknown): boolean {
  switch (shape.type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      // Python's bool is an int, so botocore lets True through here.
      return (typeof value === 'number' && Number.isInteger(value)) || typeof value === 'boolean';
    case 'boolean':
      return typeof value === 'boolean';
    case 'timestamp':
      return typeof value === 'string' || typeof value === 'number' || value instanceof Date;
    case 'list':
      return Array.isArray(value);
    case 'structure':
    case 'map':
      return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
  }
}

function validate(shape: Shape, value: unknown, path: string, errors: ErrorReport[]): void {
  const name = displayName(path);
  if (!isType(shape, value)) {
    errors.push(
      `Invalid type for parameter ${name}, value: ${pyStr(value)}, type: ${pyTypeName(value)}, valid types: ${VALID_TYPES[shape.type]}`,
    );
    return;
  }
  switch (shape.type) {
    case 'string':
      // Lengths count code points, like Python's len().
      if (shape.min !== undefined && [...(value as string)].length < shape.min) {
        errors.push(
          `Invalid length for parameter ${name}, value: ${[...(value as string)].length}, valid min length: ${shape.min}`,
        );
      }
      return;
    case 'integer':
      if (shape.min !== undefined && Number(value) < shape.min) {
        errors.push(`Invalid value for parameter ${name}, value: ${pyStr(value)}, valid min value: ${shape.min}`);
      }
      return;
    case 'list':
      if (shape.min !== undefined && (value as unknown[]).length < shape.min) {
        errors.push(
          `Invalid length for parameter ${name}, value: ${(value as unknown[]).length}, valid min length: ${shape.min}`,
        );
      }
      (value as unknown[]).forEach((item, i) => {
        validate(shape.member, item, `${path}[${i}]`, errors);
      });
      return;
    case 'structure':
      validateStructure(shape, value as Record<string, unknown>, path, errors);
      return;
    case 'map':
      // botocore _validate_map: each key against the key shape, each value against the value shape.
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        validate(shape.key, key, `${path} (key: ${key})`, errors);
        validate(shape.value, item, `${path}.${key}`, errors);
      }
      return;
    default:
      return;
  }
}

function validateStructure(
  shape: StructureShape,
  params: Readonly<Record<string, unknown>>,
  path: string,
  errors: ErrorReport[],
): void {
  const name = displayName(path);
  for (const required of shape.required ?? []) {
    if (!(required in params)) errors.push(`Missing required parameter in ${name}: "${required}"`);
  }
  const known: string[] = [];
  for (const key of Object.keys(params)) {
    if (key in shape.members) known.push(key);
    else {
      errors.push(`Unknown parameter in ${name}: "${key}", must be one of: ${Object.keys(shape.members).join(', ')}`);
    }
  }
  for (const key of known)
    validate((shape.members[key] as { shape: Shape }).shape, params[key], `${path}.${key}`, errors);
}

/**
 * botocore's ParamValidator, run before a request is sent: required members, unknown members,
 * types, and the *minimum* length/value constraints. Maximums, patterns and enums are left to the
 * service, exactly as botocore leaves them.
 */
export function validateParams(input: StructureShape, params: Readonly<Record<string, unknown>>): void {
  const errors: ErrorReport[] = [];
  validateStructure(input, params, '', errors);
  if (errors.length > 0) throw new ParamValidationError(`Parameter validation failed:\n${errors.join('\n')}`);
}
