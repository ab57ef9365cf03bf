import { type Member, type OperationModel, wireName } from '../../model/shapes.js';
import { httpErrors } from './http-errors.js';
import { readJsonBody } from './json-body.js';
import { type TextTimestampFormat, valueFromText } from './text-values.js';

/** The parts of an HTTP request an operation's input is read from. */
export interface RequestParts {
  /** Decoded URI label values, by label name. */
  readonly labels: Readonly<Record<string, string>>;
  /** Decoded query parameters, by name, all values. */
  readonly query: ReadonlyMap<string, readonly string[]>;
  /** Node's rawHeaders: name, value, name, value, ... */
  readonly rawHeaders: readonly string[];
  readonly body: Uint8Array;
}

/**
 * Builds an operation's input (keyed by member name, timestamps in epoch ms) from a request, the way rest-json
 * binds members: `location` uri/querystring/header with their `locationName`, the rest from the JSON body.
 * Query parameters and headers the operation does not define are ignored, as AWS does (SDK middleware may
 * add some); a scalar member given twice is refused rather than guessed.
 */
export function decodeInput(operation: OperationModel, parts: RequestParts): Record<string, unknown> {
  const input: Record<string, unknown> = readJsonBody(parts.body, operation.input);
  for (const [name, m] of Object.entries(operation.input.members)) {
    const value = boundValue(m, wireName(name, m), parts);
    if (value !== undefined) input[name] = value;
  }
  return input;
}

function boundValue(m: Member, wire: string, parts: RequestParts): unknown {
  switch (m.location) {
    case 'uri': {
      const text = parts.labels[wire];
      return text === undefined ? undefined : valueFromText(m.shape, text, wire, 'iso8601');
    }
    case 'querystring':
      return fromTexts(m, wire, parts.query.get(wire), 'query parameter', 'iso8601');
    case 'header':
      return fromTexts(m, wire, headerValues(parts.rawHeaders, wire), 'header', 'http-date');
    default:
      return undefined;
  }
}

/** A list member takes every value given (a header's comma-separated ones too); a scalar exactly one. */
function fromTexts(
  m: Member,
  wire: string,
  texts: readonly string[] | undefined,
  kind: 'query parameter' | 'header',
  format: TextTimestampFormat,
): unknown {
  if (texts === undefined || texts.length === 0) return undefined;
  if (m.shape.type === 'list') {
    const itemShape = m.shape.member;
    const items = kind === 'header' ? texts.flatMap((text) => text.split(',').map((item) => item.trim())) : texts;
    return items.map((item) => valueFromText(itemShape, item, wire, format));
  }
  if (texts.length > 1) throw httpErrors.serialization(`The ${kind} '${wire}' is given ${texts.length} times`);
  return valueFromText(m.shape, texts[0] as string, wire, format);
}

/** Every value of a header, by case-insensitive name, from Node's rawHeaders (which keeps repeats). */
export function headerValues(rawHeaders: readonly string[], name: string): string[] {
  const wanted = name.toLowerCase();
  const values: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if ((rawHeaders[i] as string).toLowerCase() === wanted) values.push(rawHeaders[i + 1] as string);
  }
  return values;
}
