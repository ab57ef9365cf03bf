import { serviceErrors } from '../errors.js';
import type { ListShape, MapShape, Member, StringShape, StructureShape } from '../model/shapes.js';

/**
 * Server-side validation of an operation's input against the model, reported the way AWS
 * (Coral) does: "2 validation errors detected: Value 'x' at 'certificateId' failed to satisfy
 * constraint: ...; Value ...". Each door hands the operation plain values keyed by member name.
 */
export function validateInput(shape: StructureShape, input: Readonly<Record<string, unknown>>): void {
  const problems = structureViolations('', shape, input);
  if (problems.length > 0) {
    const count = problems.length === 1 ? '1 validation error' : `${problems.length} validation errors`;
    throw serviceErrors.invalidRequest(`${count} detected: ${problems.join('; ')}`);
  }
}

/**
 * Members of a structure, depth first in model order. Nested members are named the way Coral
 * names them: `registrationConfig.templateName`, and list items 1-based as `tags.1.member.Key`.
 */
function structureViolations(
  prefix: string,
  shape: StructureShape,
  input: Readonly<Record<string, unknown>>,
): string[] {
  const problems: string[] = [];
  for (const [memberName, m] of Object.entries(shape.members)) {
    const name = `${prefix}${memberName}`;
    const value = input[memberName];
    if (value === undefined || value === null) {
      if (shape.required?.includes(memberName)) problems.push(violation(name, null, 'Member must not be null'));
      continue;
    }
    problems.push(...memberViolations(name, m, value));
  }
  return problems;
}

function memberViolations(name: string, m: Pick<Member, 'shape'>, value: unknown): string[] {
  const shape = m.shape;
  const out: string[] = [];
  switch (shape.type) {
    case 'string': {
      if (typeof value !== 'string') return [violation(name, value, 'Member must be a string')];
      return stringConstraints(shape, value).map((constraint) => violation(name, value, constraint));
    }
    case 'integer': {
      if (typeof value !== 'number' || !Number.isInteger(value))
        return [violation(name, value, 'Member must be an integer')];
      if (shape.min !== undefined && value < shape.min) {
        out.push(violation(name, value, `Member must have value greater than or equal to ${shape.min}`));
      }
      if (shape.max !== undefined && value > shape.max) {
        out.push(violation(name, value, `Member must have value less than or equal to ${shape.max}`));
      }
      return out;
    }
    case 'boolean':
      return typeof value === 'boolean' ? [] : [violation(name, value, 'Member must be a boolean')];
    case 'structure':
      if (typeof value !== 'object' || Array.isArray(value))
        return [violation(name, value, 'Member must be a structure')];
      return structureViolations(`${name}.`, shape, value as Record<string, unknown>);
    case 'map':
      if (typeof value !== 'object' || Array.isArray(value)) return [violation(name, value, 'Member must be a map')];
      return mapViolations(name, shape, value as Record<string, unknown>);
    case 'list':
      if (!Array.isArray(value)) return [violation(name, value, 'Member must be a list')];
      return [
        ...listLengthViolations(name, shape, value),
        ...value.flatMap((item, i) => {
          const itemName = `${name}.${i + 1}.member`;
          if (item === undefined || item === null) return [violation(itemName, null, 'Member must not be null')];
          return memberViolations(itemName, { shape: shape.member }, item);
        }),
      ];
    default:
      return [];
  }
}

/** A list's length against its shape's bounds, in Coral's words (the list shown as Java prints it: [a, b]). */
function listLengthViolations(name: string, shape: ListShape, value: readonly unknown[]): string[] {
  const shown = `[${value.map((item) => String(item)).join(', ')}]`;
  const out: string[] = [];
  if (shape.min !== undefined && value.length < shape.min) {
    out.push(violation(name, shown, `Member must have length greater than or equal to ${shape.min}`));
  }
  if (shape.max !== undefined && value.length > shape.max) {
    out.push(violation(name, shown, `Member must have length less than or equal to ${shape.max}`));
  }
  return out;
}

export type StringCheck = 'enum' | 'pattern' | 'min' | 'max';

/** The checks of a string shape that `value` fails, in the order Coral lists them. */
export function failedStringChecks(shape: StringShape, value: string): StringCheck[] {
  const out: StringCheck[] = [];
  if (shape.enum && !shape.enum.includes(value)) out.push('enum');
  if (shape.pattern && !compiledPattern(shape.pattern).test(value)) out.push('pattern');
  if (shape.min !== undefined && value.length < shape.min) out.push('min');
  if (shape.max !== undefined && value.length > shape.max) out.push('max');
  return out;
}

/** The constraints of a string shape that `value` breaks, in Coral's words. */
function stringConstraints(shape: StringShape, value: string): string[] {
  return failedStringChecks(shape, value).map((check) => coralConstraint(shape, check));
}

function coralConstraint(shape: StringShape, check: StringCheck): string {
  switch (check) {
    case 'enum':
      return `Member must satisfy enum value set: [${shape.enum?.join(', ')}]`;
    case 'pattern':
      return `Member must satisfy regular expression pattern: ${shape.pattern}`;
    case 'min':
      return `Member must have length greater than or equal to ${shape.min}`;
    case 'max':
      return `Member must have length less than or equal to ${shape.max}`;
  }
}

/**
 * A map is one member to Coral: its keys' broken constraints are reported together as "Map keys must satisfy
 * constraint: [...]", its string values' as "Map value must satisfy constraint: [...]", the map shown as Java
 * prints it (`{name=value, ...}`).
 */
function mapViolations(name: string, shape: MapShape, map: Readonly<Record<string, unknown>>): string[] {
  const entries = Object.entries(map);
  const shown = `{${entries.map(([key, item]) => `${key}=${shownValue(item)}`).join(', ')}}`;
  const keys = new Set(entries.flatMap(([key]) => stringConstraints(shape.key, key)));
  const out: string[] = [];
  if (keys.size > 0) out.push(violation(name, shown, `Map keys must satisfy constraint: [${[...keys].join(', ')}]`));
  const valueShape = shape.value;
  if (valueShape.type !== 'string') {
    return [
      ...out,
      ...entries.flatMap(([key, item]) => memberViolations(`${name}.${key}`, { shape: valueShape }, item)),
    ];
  }
  const values = new Set<string>();
  for (const [, item] of entries) {
    if (typeof item !== 'string') values.add('Member must be a string');
    else for (const constraint of stringConstraints(valueShape, item)) values.add(constraint);
  }
  if (values.size > 0) {
    out.push(violation(name, shown, `Map value must satisfy constraint: [${[...values].join(', ')}]`));
  }
  return out;
}

/** A map value as Coral prints it: a structure as `{Member: value, ...}` (UpdateEventConfigurations' values). */
function shownValue(item: unknown): string {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return String(item);
  return `{${Object.entries(item)
    .map(([name, value]) => `${name}: ${shownValue(value)}`)
    .join(', ')}}`;
}

const PATTERNS = new Map<string, RegExp>();

/**
 * A model pattern as an anchored RegExp, compiled once. Unicode mode, so that patterns such as tag keys'
 * \p{L} mean what they say; a pattern that is not valid in that mode (an identity escape like \:) is
 * compiled without it.
 */
function compiledPattern(pattern: string): RegExp {
  let compiled = PATTERNS.get(pattern);
  if (!compiled) {
    try {
      compiled = new RegExp(`^(?:${pattern})$`, 'u');
    } catch {
      compiled = new RegExp(`^(?:${pattern})$`);
    }
    PATTERNS.set(pattern, compiled);
  }
  return compiled;
}

function violation(name: string, value: unknown, constraint: string): string {
  const shown = value === null ? 'null' : `'${String(value)}'`;
  return `Value ${shown} at '${name}' failed to satisfy constraint: ${constraint}`;
}
