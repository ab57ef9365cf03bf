import type { Shape, StructureShape } from '../../model/shapes.js';
import { formatIsoTimestamp } from './iso-timestamp.js';

/** How timestamps leave the parser (v2's `cli_timestamp_format = iso8601`): the TZ to render in. */
export interface ParseOptions {
  readonly timeZone: string | undefined;
}

/**
 * Builds the response object the way botocore's parser does from a service answer: members in
 * output-shape order, unknown keys and null members dropped, timestamps (epoch ms from the
 * transport) turned into ISO-8601 strings. An operation without an output shape yields `{}`.
 */
export function parseResponse(
  shape: StructureShape | undefined,
  raw: Readonly<Record<string, unknown>>,
  options: ParseOptions,
): Record<string, unknown> {
  if (shape === undefined) return {};
  return parseStructure(shape, raw, options);
}

function parseStructure(
  shape: StructureShape,
  raw: Readonly<Record<string, unknown>>,
  options: ParseOptions,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(shape.members)) {
    const value = raw[name];
    if (value === null || value === undefined) continue;
    result[name] = parseValue(member.shape, value, options);
  }
  return result;
}

function parseValue(shape: Shape, value: unknown, options: ParseOptions): unknown {
  if (value === null || value === undefined) return null;
  switch (shape.type) {
    case 'structure':
      return typeof value === 'object' && !Array.isArray(value)
        ? parseStructure(shape, value as Record<string, unknown>, options)
        : value;
    case 'list':
      return Array.isArray(value) ? value.map((item) => parseValue(shape.member, item, options)) : value;
    case 'map':
      // Keys in the order the service sent them, values parsed by the value shape.
      return typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(
            Object.entries(value as Record<string, unknown>).map(([key, item]) => [
              key,
              parseValue(shape.value, item, options),
            ]),
          )
        : value;
    case 'timestamp':
      return typeof value === 'number' ? formatIsoTimestamp(value, options.timeZone) : value;
    default:
      return value;
  }
}
