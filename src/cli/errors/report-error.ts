import { ServiceError } from '../../errors.js';
import type { CliIO } from '../io.js';
import { FORMATTED_USAGE, PROG, USAGE } from '../prog.js';
import {
  ArgParseError,
  ClientError,
  ConfigurationError,
  GeneralError,
  ParamValidationError,
  StructuredCliError,
  UnknownArgumentError,
} from './cli-errors.js';
import { DEFAULT_ERROR_FORMAT, type ErrorFormat } from './error-format.js';
import { EXIT } from './exit-codes.js';
import { isStructuredFormat, writeStructuredError } from './structured-error.js';

// The characters Python's str.isspace() accepts.
const PY_WHITESPACE = new Set(
  [
    0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f,
    0x3000,
  ]
    .concat(Array.from({ length: 11 }, (_, i) => 0x2000 + i))
    .map((code) => String.fromCharCode(code)),
);

/** Python's str.strip(), as awscli/errorformat.py applies it to every message. */
function pyStrip(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && PY_WHITESPACE.has(text[start] as string)) start++;
  while (end > start && PY_WHITESPACE.has(text[end - 1] as string)) end--;
  return text.slice(start, end);
}

/** awscli/errorformat.py `write_error`: `\n<prog>: [ERROR]: <message>\n`. */
export function writeError(io: CliIO, message: string): void {
  const stripped = pyStrip(message);
  io.stderr.write(`\n${stripped ? `${PROG}: [ERROR]: ${stripped}` : `${PROG}: [ERROR]:`}\n`);
}

/** Extra members of a service error, as the v2 "enhanced" error format appends them. */
function writeErrorDetails(io: CliIO, details: Readonly<Record<string, unknown>>): void {
  const entries = Object.entries(details).filter(([key]) => !['code', 'message'].includes(key.toLowerCase()));
  if (entries.length === 0) return;
  let text = '\nAdditional error details:\n';
  let complex = false;
  for (const [key, value] of entries) {
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
      text += `${key}: ${value === null ? 'None' : String(value)}\n`;
    } else {
      text += `${key}: <complex value>\n`;
      complex = true;
    }
  }
  if (complex) text += 'Use "--cli-error-format json" or another error format to see the full details.\n';
  io.stderr.write(text);
}

function structuredExitCode(error: StructuredCliError): number {
  if (error instanceof ParamValidationError) return EXIT.paramValidation;
  if (error instanceof ConfigurationError) return EXIT.configuration;
  if (error instanceof ClientError) return EXIT.clientError;
  return EXIT.general;
}

/**
 * The one place that turns an error into stderr bytes and an exit code (AWS CLI v2 ≥ 2.34,
 * `--cli-error-format`, default `enhanced`). Never prints a stack trace. The structured formats
 * (json, yaml, text, table) apply only to parameter, configuration and service errors.
 */
export async function reportError(
  error: unknown,
  io: CliIO,
  format: ErrorFormat = DEFAULT_ERROR_FORMAT,
): Promise<number> {
  if (error instanceof UnknownArgumentError) {
    // Printed after the usage block and never structured (UnknownArgumentErrorHandler).
    io.stderr.write('\n');
    io.stderr.write(`usage: ${USAGE}\n`);
    writeError(io, error.message);
    return EXIT.paramValidation;
  }
  if (error instanceof ArgParseError) {
    writeError(io, `An error occurred (${error.code}): ${error.argparseMessage}\n\n${FORMATTED_USAGE}`);
    return EXIT.paramValidation;
  }
  if (error instanceof StructuredCliError && isStructuredFormat(format)) {
    await writeStructuredError(error, format, io.stderr);
    return structuredExitCode(error);
  }
  if (error instanceof ClientError) {
    writeError(io, error.message);
    // `legacy` is the classic line alone.
    if (format !== 'legacy') writeErrorDetails(io, error.details);
    return EXIT.clientError;
  }
  if (error instanceof ServiceError) {
    // A service error that escaped without its operation name (should not happen): still a client error.
    return reportError(new ClientError(error.code, error.message, 'Unknown', error.details), io, format);
  }
  if (error instanceof StructuredCliError) {
    writeError(io, `An error occurred (${error.code}): ${error.message}`);
    return structuredExitCode(error);
  }
  if (error instanceof GeneralError) {
    writeError(io, error.message);
    return EXIT.general;
  }
  // Anything unexpected: one line, no stack trace.
  const message = error instanceof Error ? error.message || error.name : String(error);
  writeError(io, message.replace(/\s*\n\s*/g, ' '));
  return EXIT.general;
}
