import { type OperationModel, type Shape, type StructureShape, wireName } from '../../model/shapes.js';

/** A successful operation as rest-json sends it (status 200). */
export interface EncodedOutput {
  /** Output members bound to headers, already rendered. */
  readonly headers: Readonly<Record<string, string>>;
  /** Compact JSON, or '' for an operation without an output shape. */
  readonly body: string;
}

/**
 * Renders an operation's result through its output shape: only modeled members (anything else a handler
 * returned stays inside), in service-model order, absent ones left out rather than sent as null, and
 * timestamps — epoch milliseconds inside fleetca — as rest-json's epoch seconds with the millisecond fraction
 * (1541022751.983). Operations without an output shape answer an empty body, as AWS does.
 */
export function encodeOutput(operation: OperationModel, output: Readonly<Record<string, unknown>>): EncodedOutput {
  if (!operation.output) return { headers: {}, body: '' };
  const headers: Record<string, string> = {};
  for (const [name, m] of Object.entries(operation.output.members)) {
    const value = output[name];
    if (m.location === 'header' && value !== undefined && value !== null) {
      headers[wireName(name, m)] = headerText(m.shape, value);
    }
  }
  const body = writeStructure(operation.output, output, true);
  return { headers, body: JSON.stringify(body) };
}

function writeStructure(shape: StructureShape, value: Readonly<Record<string, unknown>>, topLevel: boolean) {
  const json: Record<string, unknown> = {};
  for (const [name, m] of Object.entries(shape.members)) {
    // Header-bound members travel as headers; only the top level of an output has any.
    if (topLevel && m.location !== undefined) continue;
    const written = writeValue(m.shape, value[name]);
    if (written !== undefined) json[wireName(name, m)] = written;
  }
  return json;
}

function writeValue(shape: Shape, value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  switch (shape.type) {
    case 'timestamp':
      return epochMs(value) / 1000;
    case 'list':
      return Array.isArray(value) ? value.map((item) => writeValue(shape.member, item) ?? null) : undefined;
    case 'structure':
      return typeof value === 'object' && !Array.isArray(value)
        ? writeStructure(shape, value as Record<string, unknown>, false)
        : undefined;
    case 'map':
      return typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(
            Object.entries(value as Record<string, unknown>).map(([key, item]) => [
              key,
              writeValue(shape.value, item) ?? null,
            ]),
          )
        : undefined;
    default:
      return value;
  }
}

function headerText(shape: Shape, value: unknown): string {
  // rest-json's header timestamp format is the HTTP date.
  return shape.type === 'timestamp' ? new Date(epochMs(value)).toUTCString() : String(value);
}

function epochMs(value: unknown): number {
  return value instanceof Date ? value.getTime() : Number(value);
}
