import { GeneralError } from '../errors/cli-errors.js';
import type { FormatterOptions, OutputFormatter } from './formatter.js';

type FormatterFactory = (options: FormatterOptions) => OutputFormatter;

/**
 * The output formats, by `--output` name, each imported when it is used (a JSON describe does not load the table
 * layout, its East-Asian width data or the YAML emitter). Adding one = writing a factory and registering it here
 * (and removing it from NOT_YET_SUPPORTED).
 */
const FORMATTERS: Readonly<Record<string, () => Promise<FormatterFactory>>> = {
  json: async () => (await import('./json-formatter.js')).createJsonFormatter,
  text: async () => (await import('./text-formatter.js')).createTextFormatter,
  table: async () => (await import('./table-formatter.js')).createTableFormatter,
  yaml: async () => (await import('./yaml-formatter.js')).createYamlFormatter,
  'yaml-stream': async () => (await import('./yaml-formatter.js')).createYamlStreamFormatter,
  // v2 ≥ 2.34: the command runs (outfiles included) and nothing is printed.
  off: async () => () => ({ format() {} }),
};

/** Formats the AWS CLI has and fleetca does not yet: refused before the command runs. */
const NOT_YET_SUPPORTED: readonly string[] = [];

/**
 * Refuses, before anything is sent, an output format that fleetca knows but has not implemented.
 * Unknown names pass here and fail in createFormatter after the call, as the AWS CLI does.
 */
export function assertFormatSupported(name: string): void {
  if (NOT_YET_SUPPORTED.includes(name)) {
    const supported = Object.keys(FORMATTERS).join(', ');
    throw new GeneralError(`Output format "${name}" is not supported by fleetca yet (supported: ${supported}).`);
  }
}

/** formatter.get_formatter: `Unknown output type: <name>` for anything else. */
export async function createFormatter(name: string, options: FormatterOptions): Promise<OutputFormatter> {
  assertFormatSupported(name);
  const factory = Object.hasOwn(FORMATTERS, name) ? FORMATTERS[name] : undefined;
  if (factory === undefined) throw new GeneralError(`Unknown output type: ${name}`);
  return (await factory())(options);
}
