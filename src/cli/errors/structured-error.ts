import { SERVICE_ERRORS } from '../../errors.js';
import type { OutputStream } from '../output/formatter.js';
import { createFormatter } from '../output/formatters.js';
import { ClientError, type StructuredCliError } from './cli-errors.js';
import type { ErrorFormat } from './error-format.js';

// Error shapes of the IoT service model; each has a modeled `message` member that botocore parses
// into the error next to `Message` and `Code`. The SigV4 and transport codes below them in the
// registry are not IoT model shapes.
const MODELED_ERROR_CODES: ReadonlySet<string> = new Set([
  ...Object.keys(SERVICE_ERRORS).slice(0, Object.keys(SERVICE_ERRORS).indexOf('MissingAuthenticationTokenException')),
  'ConflictException',
]);

/** The formats that render the error as data through an output formatter. */
export function isStructuredFormat(format: ErrorFormat): format is 'json' | 'yaml' | 'text' | 'table' {
  return format === 'json' || format === 'yaml' || format === 'text' || format === 'table';
}

/**
 * The error as the structured formats show it: `Message`, `Code`, then for a service error the
 * modeled members of its shape (`message`, then e.g. `resourceId`); for the CLI's own structured
 * errors `Code` then `Message`.
 */
export function errorData(error: StructuredCliError): Record<string, unknown> {
  if (!(error instanceof ClientError)) return { Code: error.code, Message: error.message };
  const data: Record<string, unknown> = { Message: error.serviceMessage, Code: error.code };
  if (MODELED_ERROR_CODES.has(error.code) && error.serviceMessage !== '') data.message = error.serviceMessage;
  for (const [key, value] of Object.entries(error.details)) if (key !== 'message') data[key] = value;
  return data;
}

/** Writes the error's data with the named output formatter (no `--query`; table title `error`). */
export async function writeStructuredError(
  error: StructuredCliError,
  format: 'json' | 'yaml' | 'text' | 'table',
  stream: OutputStream,
): Promise<void> {
  (await createFormatter(format, {})).format('error', { paginated: false, response: errorData(error) }, stream);
}
