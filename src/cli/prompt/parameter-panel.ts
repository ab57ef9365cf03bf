import { PROG } from '../prog.js';
import { operationTable } from './completion.js';

/** The first sentence of a documentation text, at most `width` characters. */
function summary(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const sentence = /^.*?[.!?](?=\s|$)/.exec(flat)?.[0] ?? flat;
  return sentence.length > width ? `${sentence.slice(0, width - 3)}...` : sentence;
}

/**
 * The documentation panel the prompt shows for an operation: each parameter with its type,
 * whether it is required, its allowed values (enums; both halves of a boolean) and the first
 * sentence of its documentation.
 */
export function renderParameterPanel(operation: string, width = 100): string {
  const table = operationTable(operation);
  if (table === undefined) return `Unknown operation: ${operation}\n`;
  const lines = [`Parameters of ${PROG} iot ${operation} (Tab completes names and values, Enter runs):`];
  for (const argument of table.args.values()) {
    if (argument.hidden) continue;
    if (argument.name.startsWith('no-') && table.args.has(argument.name.slice(3))) continue;
    const negative = table.args.has(`no-${argument.name}`);
    const names = negative ? `--${argument.name} | --no-${argument.name}` : `--${argument.name}`;
    const flags = [argument.typeName, ...(argument.required ? ['required'] : [])].join(', ');
    lines.push(`  ${names} (${flags})`);
    if (argument.helpChoices?.length) lines.push(`      choices: ${argument.helpChoices.join(' | ')}`);
    if (argument.documentation) lines.push(`      ${summary(argument.documentation, width - 6)}`);
  }
  if (lines.length === 1) lines.push('  (no parameters)');
  return `${lines.join('\n')}\n`;
}
