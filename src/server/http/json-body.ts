import { type Member, type Shape, type StructureShape, wireName } from '../../model/shapes.js';
import { httpErrors } from './http-errors.js';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a rest-json request body into the values of the body members (keyed by member name), checking every
 * value against its shape. An empty body (or only whitespace) and `{}` both mean "no body members", since the
 * SDKs send either for operations without a body. Everything else that does not fit the shape — bytes that
 * are not UTF-8, invalid JSON, anything but an object, a member the operation does not have, a value of the
 * wrong type — is a SerializationException. JSON null counts as an absent member, as in the SDKs.
 */
export function readJsonBody(body: Uint8Array, input: StructureShape): Record<string, unknown> {
  if (body.length === 0) return {};
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw httpErrors.serialization('The request body is not valid UTF-8');
  }
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw httpErrors.serialization('The request body is not valid JSON');
  }
  if (!isJsonObject(parsed)) throw httpErrors.serialization('The request body must be a JSON object');
  // Members bound to the URI, query or headers are not body members: sent in the body they are unknown.
  return readMembers(parsed, input, '', (m) => m.location === undefined);
}

function readMembers(
  object: Record<string, unknown>,
  shape: StructureShape,
  path: string,
  inBody: (m: Member) => boolean = () => true,
): Record<string, unknown> {
  const byWireName = new Map<string, { readonly name: string; readonly member: Member }>();
  for (const [name, member] of Object.entries(shape.members)) {
    if (inBody(member)) byWireName.set(wireName(name, member), { name, member });
  }
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    const known = byWireName.get(key);
    const at = path === '' ? key : `${path}.${key}`;
    if (!known) throw httpErrors.serialization(`Unknown member '${shorten(at)}' in the request body`);
    if (value === null) continue;
    values[known.name] = readValue(known.member.shape, value, at);
  }
  return values;
}

function readValue(shape: Shape, value: unknown, at: string): unknown {
  switch (shape.type) {
    case 'string':
      if (typeof value !== 'string') throw wrongType(at, 'a string', value);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw wrongType(at, 'a boolean', value);
      return value;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX)
        throw wrongType(at, 'an integer', value);
      return value;
    case 'timestamp':
      // rest-json bodies carry epoch seconds (fractions allowed); fleetca keeps epoch milliseconds.
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw wrongType(at, 'a timestamp in epoch seconds', value);
      return Math.round(value * 1000);
    case 'list':
      if (!Array.isArray(value)) throw wrongType(at, 'a list', value);
      return value.map((item, index) => {
        if (item === null) throw wrongType(`${at}[${index}]`, 'a list member', item);
        return readValue(shape.member, item, `${at}[${index}]`);
      });
    case 'structure': {
      if (!isJsonObject(value)) throw wrongType(at, 'a structure', value);
      return readMembers(value, shape, at);
    }
    case 'map': {
      if (!isJsonObject(value)) throw wrongType(at, 'a map', value);
      // Keys are any strings here; their constraints are checked with the rest of the input by the operation.
      const entries: [string, unknown][] = [];
      for (const [key, item] of Object.entries(value)) {
        if (item === null) throw wrongType(`${at}.${key}`, 'a map value', item);
        entries.push([key, readValue(shape.value, item, `${at}.${key}`)]);
      }
      return Object.fromEntries(entries);
    }
    default:
      // A shape kind this door does not know yet travels unchanged; the operation's validation has the last word.
      return value;
  }
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function wrongType(at: string, expected: string, value: unknown) {
  const found =
    value === null
      ? 'null'
      : Array.isArray(value)
        ? 'a list'
        : typeof value === 'object'
          ? 'an object'
          : `a ${typeof value}`;
  return httpErrors.serialization(`Member '${shorten(at)}' must be ${expected}, found ${found}`);
}

function shorten(text: string): string {
  return text.length > 100 ? `${text.slice(0, 100)}...` : text;
}
