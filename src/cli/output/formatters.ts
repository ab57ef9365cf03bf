import { GeneralError } from '../errors/cli-errors.js';
import type { FormatterOptions, OutputFormatter } from './formatter.js';
import { createJsonFormatter } from './json-formatter.js';
import { createTableFormatter } from './table-formatter.js';
import { createTextFormatter } from './text-formatter.js';
import { createYamlFormatter, createYamlStreamFormatter } from './yaml-formatter.js';

type FormatterFactory = (options: FormatterOptions) => OutputFormatter;

/**
 * The output formats, by `--output` name. Adding one = writing a factory and registering it
 * here (and removing it from NOT_YET_SUPPORTED).
 */
const FORMATTERS: Readonly<Record<string, FormatterFactory>> = {
  json: createJsonFormatter,
  text: createTextFormatter,
  table: createTableFormatter,
  yaml: createYamlFormatter,
  'yaml-stream': createYamlStreamFormatter,
  // v2 ≥ 2.34: the command runs (outfiles included) and nothing is printed.
  off: () => ({ format() {} }),
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
export function createFormatter(name: string, options: FormatterOptions): OutputFormatter {
  assertFormatSupported(name);
  const factory = Object.hasOwn(FORMATTERS, name) ? FORMATTERS[name] : undefined;
  if (factory === undefined) throw new GeneralError(`Unknown output type: ${name}`);
  return factory(options);
}
