import { invalidParameters } from './template-error.js';

/** What an expression evaluates to: JSON-like data (objects only come from literal objects such as policies). */
export type ResolvedValue =
  | string
  | number
  | boolean
  | null
  | readonly ResolvedValue[]
  | { readonly [key: string]: ResolvedValue };

export function describeValue(value: ResolvedValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** The text of a scalar: strings as they are, numbers and booleans as JSON writes them; anything else refused. */
export function textOf(value: ResolvedValue, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw invalidParameters(`${where}: expected a string, found ${describeValue(value)}`);
}

export function listOf(value: ResolvedValue, where: string): readonly ResolvedValue[] {
  if (Array.isArray(value)) return value;
  throw invalidParameters(`${where}: expected a list, found ${describeValue(value)}`);
}
