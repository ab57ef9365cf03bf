/**
 * The subset of Python's `configparser.RawConfigParser` that botocore uses to read ~/.aws/config
 * and ~/.aws/credentials: `[section]` headers, `key = value` / `key: value` (keys lower-cased,
 * values stripped, no inline comments), full-line `#`/`;` comments, indented continuation lines,
 * the `DEFAULT` section, and strict duplicate checks. A malformed file is an error, as in botocore.
 */

export type IniSections = Map<string, Map<string, string>>;

/** configparser's Error family: the caller reports `Unable to parse config file: <path>`. */
export class IniParseError extends Error {
  override readonly name = 'IniParseError';
}

const SECTION_HEADER = /^\[(.+)\]/;
const OPTION_LINE = /^(.*?)\s*([=:])\s*(.*)$/;
const DEFAULT_SECTION = 'DEFAULT';

/** Parses INI text the way `RawConfigParser.read_string` does. */
export function parseIni(text: string): IniSections {
  const sections = new Map<string, Map<string, string[]>>();
  const defaults = new Map<string, string[]>();
  const added = new Set<string>();
  let current: Map<string, string[]> | undefined;
  let sectionName: string | undefined;
  let optionName: string | undefined;
  let indentLevel = 0;
  let failed = false;

  // Universal newlines, as Python's text mode reads the file.
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (const line of lines) {
    const isComment = line.trim().startsWith('#') || line.trim().startsWith(';');
    const value = isComment ? '' : line.trim();
    if (!value) {
      // empty_lines_in_values: a blank line may sit inside a multi-line value.
      if (!isComment && current && optionName !== undefined) current.get(optionName)?.push('');
      continue;
    }
    const indent = line.search(/\S/);
    if (current && optionName !== undefined && indent > indentLevel) {
      current.get(optionName)?.push(value);
      continue;
    }
    indentLevel = indent;
    const header = SECTION_HEADER.exec(value);
    if (header) {
      sectionName = header[1] as string;
      const existing = sections.get(sectionName);
      if (existing) {
        if (added.has(sectionName)) throw new IniParseError(`While reading: section '${sectionName}' already exists`);
        current = existing;
      } else if (sectionName === DEFAULT_SECTION) {
        current = defaults;
      } else {
        current = new Map();
        sections.set(sectionName, current);
      }
      added.add(sectionName);
      optionName = undefined;
      continue;
    }
    if (!current) throw new IniParseError('File contains no section headers.');
    const option = OPTION_LINE.exec(value);
    if (!option || !(option[1] ?? '').trimEnd()) {
      // configparser keeps reading and raises one ParsingError at the end.
      failed = true;
      continue;
    }
    optionName = (option[1] as string).trimEnd().toLowerCase();
    const key = `${sectionName}\u0000${optionName}`;
    if (added.has(key))
      throw new IniParseError(`While reading: option '${optionName}' in section '${sectionName}' already exists`);
    added.add(key);
    current.set(optionName, [(option[3] ?? '').trim()]);
  }
  if (failed) throw new IniParseError('Source contains parsing errors');

  const joined = (values: Map<string, string[]>) =>
    new Map([...values].map(([key, parts]) => [key, parts.join('\n').trimEnd()] as const));
  const result: IniSections = new Map();
  const defaultValues = joined(defaults);
  for (const [name, values] of sections) result.set(name, new Map([...defaultValues, ...joined(values)]));
  return result;
}
