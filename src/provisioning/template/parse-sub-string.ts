import type { SubPart } from './expression.js';
import { quote } from './json-value.js';
import { invalidTemplate } from './template-error.js';
import { isValidName } from './template-names.js';

/**
 * Cuts Fn::Sub's template string into text and ${Name} references. ${!Text} is the escape for a literal
 * "${Text}". Attribute references (${Resource.Attribute}) have nothing to refer to in a provisioning template
 * and are refused, as are an unterminated "${" and names that are not names.
 */
export function parseSubString(template: string, where: string): SubPart[] {
  const parts: SubPart[] = [];
  let text = '';
  let position = 0;
  while (position < template.length) {
    const start = template.indexOf('${', position);
    if (start < 0) {
      text += template.slice(position);
      break;
    }
    text += template.slice(position, start);
    const end = template.indexOf('}', start + 2);
    if (end < 0) throw invalidTemplate(`${where}: Fn::Sub has an unterminated "\${" at offset ${start}`);
    const content = template.slice(start + 2, end);
    position = end + 1;
    if (content.startsWith('!')) {
      text += `\${${content.slice(1)}}`;
      continue;
    }
    if (content.includes('.')) {
      throw invalidTemplate(`${where}: Fn::Sub attribute references such as ${quote(content)} are not supported`);
    }
    if (!isValidName(content))
      throw invalidTemplate(`${where}: Fn::Sub has an invalid variable name ${quote(content)}`);
    if (text !== '') parts.push({ kind: 'text', text });
    text = '';
    parts.push({ kind: 'variable', name: content });
  }
  if (text !== '') parts.push({ kind: 'text', text });
  return parts;
}
