import { pyFloatRepr } from '../../python/repr.js';
import { codePoints, isSimpleKey, stringStyle } from './yaml-scalar-style.js';
import { YamlWriter } from './yaml-writer.js';

/** Where a node sits, as libyaml's emitter tracks it. */
interface NodeContext {
  /** The emitter's indent when the node starts (-1 at the root). */
  readonly indent: number;
  /** A value of a block mapping (block sequences there are not indented). */
  readonly mappingValue: boolean;
  /** A mapping key written `key:` (no line breaks allowed). */
  readonly simpleKey: boolean;
}

// ruamel's SafeRepresenter spelling of a float under YAML 1.2: Python's repr, lower-cased.
function floatText(value: number): string {
  if (Number.isNaN(value)) return '.nan';
  if (!Number.isFinite(value)) return value > 0 ? '.inf' : '-.inf';
  return pyFloatRepr(value).toLowerCase();
}

/** The plain text of a non-string scalar (these always read back as their own type). */
function nonStringScalar(value: unknown): string | undefined {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value).toString() : floatText(value);
  return undefined;
}

// yaml_emitter_increase_indent for block collections and scalars.
function deeper(indent: number, flow: boolean, indentless: boolean): number {
  if (indent < 0) return flow ? 2 : 0;
  return indentless ? indent : indent + 2;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

function emitScalar(writer: YamlWriter, value: unknown, context: NodeContext): void {
  // Scalars are indented one step deeper than their parent for continuation lines.
  const indent = deeper(context.indent, true, false);
  const plain = nonStringScalar(value);
  if (plain !== undefined) {
    writer.writeScalar(codePoints(plain), 'plain', indent, !context.simpleKey);
    return;
  }
  const { style, codes } = stringStyle(String(value), context.simpleKey);
  writer.writeScalar(codes, style, indent, !context.simpleKey);
}

function emitMapping(writer: YamlWriter, mapping: Record<string, unknown>, context: NodeContext): void {
  // Keys sorted by code point, as the AWS CLI's dumper sorts them.
  const keys = Object.keys(mapping).sort((a, b) => compareCodePoints(a, b));
  if (keys.length === 0) {
    writer.writeIndicator('{', true, true, false);
    writer.writeIndicator('}', false, false, false);
    return;
  }
  const indent = deeper(context.indent, false, false);
  for (const key of keys) {
    writer.writeIndent(indent);
    if (isSimpleKey(key)) {
      emitScalar(writer, key, { indent, mappingValue: false, simpleKey: true });
      writer.writeIndicator(':', false, false, false);
    } else {
      writer.writeIndicator('?', true, false, true);
      emitNode(writer, key, { indent, mappingValue: false, simpleKey: false });
      writer.writeIndent(indent);
      writer.writeIndicator(':', true, false, true);
    }
    emitNode(writer, mapping[key], { indent, mappingValue: true, simpleKey: false });
  }
}

function emitSequence(writer: YamlWriter, items: readonly unknown[], context: NodeContext): void {
  if (items.length === 0) {
    writer.writeIndicator('[', true, true, false);
    writer.writeIndicator(']', false, false, false);
    return;
  }
  const indent = deeper(context.indent, false, context.mappingValue && !writer.atIndention);
  for (const item of items) {
    writer.writeIndent(indent);
    writer.writeIndicator('-', true, false, true);
    emitNode(writer, item, { indent, mappingValue: false, simpleKey: false });
  }
}

function emitNode(writer: YamlWriter, value: unknown, context: NodeContext): void {
  if (Array.isArray(value)) emitSequence(writer, value, context);
  else if (isMapping(value)) emitMapping(writer, value, context);
  else emitScalar(writer, value, context);
}

/** Orders strings by Unicode code point (Python's str ordering), not by UTF-16 unit. */
export function compareCodePoints(a: string, b: string): number {
  const left = codePoints(a);
  const right = codePoints(b);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const diff = (left[i] as number) - (right[i] as number);
    if (diff !== 0) return diff;
  }
  return left.length - right.length;
}

/**
 * One YAML document of a mapping or list, byte for byte as AWS CLI v2 writes it (ruamel.yaml's
 * safe dumper on the libyaml emitter: block style, sorted keys, indent 2, width 80, unicode kept).
 */
export function emitYamlDocument(value: Record<string, unknown> | readonly unknown[]): string {
  const writer = new YamlWriter();
  emitNode(writer, value, { indent: -1, mappingValue: false, simpleKey: false });
  // yaml_emitter_emit_document_end: the last line is always terminated.
  writer.writeIndent(-1);
  return writer.text;
}
