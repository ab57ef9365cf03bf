import type { Member, Shape, StructureShape } from '../../model/shapes.js';
import { generateSkeleton } from './argument-generator.js';

// awscli get_shape_doc_overview: the text up to the first `.` or `:`, plus a period, on one line.
function docOverview(documentation: string): string {
  const text = documentation.replace(/<[^>]*>/g, '');
  const first = text.split(/[.:]+/, 1)[0] ?? '';
  return (first ? `${first}.` : '').replace(/[\n\u2028]/g, ' ');
}

function memberComment(member: Member, required: boolean): string | undefined {
  const parts: string[] = [];
  if (required) parts.push('[REQUIRED]');
  parts.push(docOverview(member.documentation));
  const shape = member.shape;
  if (shape.type === 'string' && shape.enum) parts.push(`Valid values are: ${shape.enum.join(', ')}.`);
  const comment = parts.join(' ');
  return comment.trim() ? comment : undefined;
}

/**
 * A skeleton scalar as ruamel writes it: `''` for the empty string, plain otherwise (the
 * skeleton's other strings are enum values, which need no quotes), true, 0.
 */
function scalarText(value: unknown): string {
  if (value === '') return "''";
  if (typeof value === 'string' && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(value)) return value;
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
  return String(value);
}

function renderStructure(shape: StructureShape, indent: string, firstPrefix: string): string[] {
  const lines: string[] = [];
  const required = shape.required ?? [];
  let first = true;
  for (const [name, member] of Object.entries(shape.members)) {
    const prefix = first ? firstPrefix : indent;
    const comment = memberComment(member, required.includes(name));
    // ruamel puts the first comment of a mapping two spaces after its value, the others one.
    const gap = first ? '  ' : ' ';
    const suffix = comment === undefined ? '' : `${gap}# ${comment}`;
    lines.push(...renderMember(name, member.shape, prefix, indent, suffix));
    first = false;
  }
  return lines;
}

function renderMember(name: string, shape: Shape, prefix: string, indent: string, suffix: string): string[] {
  if (shape.type === 'structure') {
    if (Object.keys(shape.members).length === 0) return [`${prefix}${name}: {}${suffix}`];
    return [`${prefix}${name}:${suffix}`, ...renderStructure(shape, `${indent}  `, `${indent}  `)];
  }
  if (shape.type === 'map') {
    return [`${prefix}${name}:${suffix}`, ...renderMember('KeyName', shape.value, `${indent}  `, `${indent}  `, '')];
  }
  if (shape.type === 'list') {
    const item = shape.member;
    if (item.type === 'structure')
      return [`${prefix}${name}:${suffix}`, ...renderStructure(item, `${indent}  `, `${indent}- `)];
    return [`${prefix}${name}:${suffix}`, `${indent}- ${scalarText(generateSkeleton(item))}`];
  }
  return [`${prefix}${name}: ${scalarText(generateSkeleton(shape))}${suffix}`];
}

/**
 * `--generate-cli-skeleton yaml-input`: the input skeleton as ruamel.yaml dumps awscli's commented
 * map — each member followed by `# ` and the first sentence of its documentation, `[REQUIRED]` first
 * for required members and the valid values of enums last. An input without members is `{}`.
 */
export function yamlInputSkeleton(input: StructureShape): string {
  if (Object.keys(input.members).length === 0) return '{}\n';
  return `${renderStructure(input, '', '').join('\n')}\n`;
}
