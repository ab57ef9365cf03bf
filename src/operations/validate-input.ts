import { serviceErrors } from '../errors.js';
import type { Member, StructureShape } from '../model/shapes.js';

/**
 * Server-side validation of an operation's input against the model, reported the way AWS
 * (Coral) does: "2 validation errors detected: Value 'x' at 'certificateId' failed to satisfy
 * constraint: ...; Value ...". Each door hands the operation plain values keyed by member name.
 */
export function validateInput(shape: StructureShape, input: Readonly<Record<string, unknown>>): void {
  const problems: string[] = [];
  for (const [name, m] of Object.entries(shape.members)) {
    const value = input[name];
    if (value === undefined || value === null) {
      if (shape.required?.includes(name)) problems.push(violation(name, null, 'Member must not be null'));
      continue;
    }
    problems.push(...memberViolations(name, m, value));
  }
  if (problems.length > 0) {
    const count = problems.length === 1 ? '1 validation error' : `${problems.length} validation errors`;
    throw serviceErrors.invalidRequest(`${count} detected: ${problems.join('; ')}`);
  }
}

function memberViolations(name: string, m: Member, value: unknown): string[] {
  const shape = m.shape;
  const out: string[] = [];
  switch (shape.type) {
    case 'string': {
      if (typeof value !== 'string') return [violation(name, value, 'Member must be a string')];
      if (shape.enum && !shape.enum.includes(value)) {
        out.push(violation(name, value, `Member must satisfy enum value set: [${shape.enum.join(', ')}]`));
      }
      if (shape.pattern && !new RegExp(`^(?:${shape.pattern})$`).test(value)) {
        out.push(violation(name, value, `Member must satisfy regular expression pattern: ${shape.pattern}`));
      }
      if (shape.min !== undefined && value.length < shape.min) {
        out.push(violation(name, value, `Member must have length greater than or equal to ${shape.min}`));
      }
      if (shape.max !== undefined && value.length > shape.max) {
        out.push(violation(name, value, `Member must have length less than or equal to ${shape.max}`));
      }
      return out;
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
    default:
      return [];
  }
}

function violation(name: string, value: unknown, constraint: string): string {
  const shown = value === null ? 'null' : `'${String(value)}'`;
  return `Value ${shown} at '${name}' failed to satisfy constraint: ${constraint}`;
}
