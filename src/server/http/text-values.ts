import type { Shape } from '../../model/shapes.js';
import { httpErrors } from './http-errors.js';

/** How a timestamp is written where it travels as text: rest-json uses ISO 8601 in URIs, HTTP dates in headers. */
export type TextTimestampFormat = 'iso8601' | 'http-date';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const DECIMAL = /^-?[0-9]+$/;
const ISO8601 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/;
const HTTP_DATE =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$/;

/**
 * Converts the text of a URI label, query parameter or header to the member's shape, strictly: booleans only
 * `true`/`false` (as the SDKs write them), integers only in plain decimal within the 32-bit range the model's
 * integers have, timestamps in the location's format (as epoch milliseconds, fleetca's internal form).
 * Anything else is a SerializationException naming the member and the value.
 */
export function valueFromText(shape: Shape, text: string, name: string, format: TextTimestampFormat): unknown {
  switch (shape.type) {
    case 'string':
      return text;
    case 'boolean':
      if (text === 'true') return true;
      if (text === 'false') return false;
      throw unreadable(text, name, 'a boolean (true or false)');
    case 'integer': {
      const value = DECIMAL.test(text) ? Number(text) : Number.NaN;
      if (!Number.isSafeInteger(value) || value < INT32_MIN || value > INT32_MAX)
        throw unreadable(text, name, 'an integer');
      return value;
    }
    case 'timestamp': {
      const pattern = format === 'iso8601' ? ISO8601 : HTTP_DATE;
      const ms = pattern.test(text) ? Date.parse(text) : Number.NaN;
      if (!Number.isFinite(ms))
        throw unreadable(text, name, format === 'iso8601' ? 'an ISO 8601 date' : 'an HTTP date');
      return ms;
    }
    case 'list':
    case 'structure':
    case 'map':
      throw unreadable(text, name, `a ${shape.type}, which cannot travel as text`);
    default:
      // A shape kind this door does not know yet travels unchanged; the operation's validation has the last word.
      return text;
  }
}

function unreadable(text: string, name: string, expected: string) {
  const shown = text.length > 64 ? `${text.slice(0, 64)}...` : text;
  return httpErrors.serialization(`Value '${shown}' at '${name}' cannot be read as ${expected}`);
}
