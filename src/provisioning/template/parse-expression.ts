import type { Expression } from './expression.js';
import { entriesOf, type JsonValue, pathStep } from './json-value.js';
import type { ParseContext } from './parse-context.js';
import { parseIntrinsic } from './parse-intrinsic.js';
import { invalidTemplate } from './template-error.js';

/** True for the keys that make an object an intrinsic function call. */
export function isIntrinsicKey(key: string): boolean {
  return key === 'Ref' || key.startsWith('Fn::');
}

/**
 * Parses a template value where intrinsic functions may appear. An object whose single key is Ref or Fn::* is a
 * function call; any other object (a policy document, an attribute map) is data whose values are parsed in turn.
 * Recursion follows the JSON nesting, which parseTemplate has already bounded.
 */
export function parseExpression(value: JsonValue, where: string, context: ParseContext): Expression {
  if (value === null || typeof value !== 'object') return { kind: 'literal', value };
  if (Array.isArray(value)) {
    return { kind: 'list', items: value.map((item, index) => parseExpression(item, `${where}[${index}]`, context)) };
  }
  const entries = entriesOf(value as Readonly<Record<string, JsonValue>>);
  const intrinsic = entries.find(([key]) => isIntrinsicKey(key));
  if (intrinsic !== undefined) {
    if (entries.length !== 1) {
      throw invalidTemplate(
        `${where}: an intrinsic function must be the only key of its object (found ${entries.length} keys)`,
      );
    }
    return parseIntrinsic(intrinsic[0], intrinsic[1], where, context);
  }
  return {
    kind: 'object',
    entries: entries.map(([key, item]) => [key, parseExpression(item, pathStep(where, key), context)] as const),
  };
}
