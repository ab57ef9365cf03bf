import type { ListShape, MapShape, Shape, StructureShape } from '../../model/shapes.js';
import { GeneralError } from '../errors/cli-errors.js';
import { parsePyInt, pyIntErrorMessage } from '../python/int.js';
import { paramError } from './param-files.js';
import { parseShorthand, ShorthandSyntaxError, type ShorthandValue } from './shorthand-parser.js';

/**
 * awscli's unpacking of a structure or list argument: first the shorthand syntax
 * (`--registration-config templateName=t,roleArn=r`, `--tags Key=a,Value=b Key=c,Value=d`) when
 * the value does not look like JSON (ParamShorthandParser), else JSON (argprocess
 * `_unpack_complex_cli_arg`): `'{"templateName":"t"}'`, `'[{"Key":"k"}]'`, or one JSON object per
 * list item. List arguments take several values (argparse nargs='+'), so their value is a list.
 */
export function unpackComplexArgument(
  shape: StructureShape | ListShape | MapShape,
  value: unknown,
  cliName: string,
): unknown {
  if (shouldParseAsShorthand(shape, value)) return parseAsShorthand(shape, value as string | string[], cliName);
  return unpackCliArg(shape, value, cliName);
}

function isComplex(shape: Shape): boolean {
  return shape.type === 'structure' || shape.type === 'list' || shape.type === 'map';
}

// _should_parse_as_shorthand: not JSON-looking, and complex (a list only of complex items).
function shouldParseAsShorthand(shape: StructureShape | ListShape | MapShape, value: unknown): boolean {
  const check = Array.isArray(value) && value.length > 0 ? value[0] : value;
  if (typeof check !== 'string') return false;
  const trimmed = check.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) return false;
  return shape.type !== 'list' || isComplex(shape.member);
}

function parseAsShorthand(
  shape: StructureShape | ListShape | MapShape,
  value: string | string[],
  cliName: string,
): unknown {
  try {
    const parsed: ShorthandValue = Array.isArray(value) ? value.map(parseShorthand) : parseShorthand(value);
    const holder: Record<string, unknown> = { '': parsed };
    visit(holder, shape, '', parsed);
    return holder[''];
  } catch (error) {
    if (error instanceof ShorthandSyntaxError) throw paramError(cliName, error.message);
    throw error;
  }
}

type Container = Record<string, unknown> | unknown[];

/** shorthand BackCompatVisitor: scalars get the model's types, a lone value for a list becomes a list. */
function visit(parent: Container, shape: Shape, name: string | number, value: unknown): void {
  const set = (next: unknown) => {
    (parent as Record<string | number, unknown>)[name] = next;
  };
  switch (shape.type) {
    case 'structure':
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
      for (const [memberName, member] of Object.entries(shape.members)) {
        const record = value as Record<string, unknown>;
        visit(record, member.shape, memberName, Object.hasOwn(record, memberName) ? record[memberName] : undefined);
      }
      return;
    case 'map':
      // _visit_map: each value gets the value shape's type.
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        visit(value as Record<string, unknown>, shape.value, key, item);
      }
      return;
    case 'list':
      if (!Array.isArray(value)) {
        if (value !== undefined && value !== null) set([value]);
        return;
      }
      value.forEach((element, i) => {
        visit(value, shape.member, i, element);
      });
      return;
    case 'integer': {
      if (value === undefined || value === null) return;
      const parsed = parsePyInt(String(value));
      if (parsed === undefined) throw new GeneralError(pyIntErrorMessage(String(value)));
      set(parsed);
      return;
    }
    case 'boolean': {
      if (value === undefined || value === null) return;
      if (typeof value !== 'string') {
        throw new GeneralError(`'${Array.isArray(value) ? 'list' : 'dict'}' object has no attribute 'lower'`);
      }
      // Only "true"/"false" (any case) become booleans; anything else is left for validation.
      if (value.toLowerCase() === 'true') set(true);
      else if (value.toLowerCase() === 'false') set(false);
      return;
    }
    default:
      return;
  }
}

// argprocess _unpack_cli_arg for the JSON path.
function unpackCliArg(shape: Shape, value: unknown, cliName: string): unknown {
  // fileb:// bytes and anything else that is not text go on as they are; validation reports them.
  if (typeof value !== 'string' && !Array.isArray(value)) return value;
  if (shape.type === 'structure' || shape.type === 'map') {
    const text = String(value);
    if (text.trimStart().startsWith('{')) return parseJson(text, cliName);
    throw paramError(cliName, `Invalid JSON:\n${text}`);
  }
  if (shape.type === 'list') {
    if (typeof value === 'string' && value.trimStart().startsWith('[')) return parseJson(value, cliName);
    if (Array.isArray(value) && value.length === 1 && String(value[0]).trim().startsWith('[')) {
      return parseJson(String(value[0]), cliName);
    }
    // A list of strings, or one JSON object per item (a string is iterated character by character, as in Python).
    const items: unknown[] = typeof value === 'string' ? [...value] : value;
    return items.map((item) => unpackCliArg(shape.member, item, cliName));
  }
  if (shape.type === 'integer') {
    const parsed = parsePyInt(String(value));
    if (parsed === undefined) throw paramError(cliName, String(value));
    return parsed;
  }
  return value;
}

function parseJson(value: string, cliName: string): unknown {
  try {
    return JSON.parse(value);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw paramError(cliName, `Invalid JSON: ${reason}\nJSON received: ${value}`);
  }
}
