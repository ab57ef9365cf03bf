import type { Expression } from './expression.js';
import { entriesOf, isJsonObject, type JsonValue, jsonKind, pathStep } from './json-value.js';
import type { ParseContext } from './parse-context.js';
import { isIntrinsicKey, parseExpression } from './parse-expression.js';
import { requireStringLike } from './static-type.js';
import { invalidTemplate } from './template-error.js';

/**
 * Parses DeviceConfiguration: an object of names to values that resolve to strings (intrinsic functions allowed;
 * nested objects are not, as the documentation says).
 */
export function parseDeviceConfiguration(
  section: JsonValue | undefined,
  context: ParseContext,
): readonly (readonly [string, Expression])[] {
  if (section === undefined) return [];
  if (!isJsonObject(section) || Object.keys(section).some(isIntrinsicKey)) {
    throw invalidTemplate(`DeviceConfiguration must be an object of names and values, found ${jsonKind(section)}`);
  }
  return entriesOf(section).map(([name, value]) => {
    const where = pathStep('DeviceConfiguration', name);
    const expression = parseExpression(value, where, context);
    requireStringLike(expression, where);
    return [name, expression] as const;
  });
}
