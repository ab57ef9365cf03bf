import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ParamValidationError } from '../errors/cli-errors.js';
import type { CliIO } from '../io.js';
import { pyOsErrorMessage } from '../python/errno.js';
import { expandUser, expandVars } from '../python/os-path.js';

/** awscli paramfile.LOCAL_PREFIX_MAP: text or bytes. */
const PREFIXES = [
  { prefix: 'file://', binary: false },
  { prefix: 'fileb://', binary: true },
] as const;

/** awscli ParamError: `Error parsing parameter '<--name>': <message>` (exit 252). */
export function paramError(cliName: string, message: string): ParamValidationError {
  return new ParamValidationError(`Error parsing parameter '${cliName}': ${message}`);
}

/**
 * The `load-cli-arg` paramfile handler: a string value starting with `file://` is replaced by the
 * file's text (UTF-8, universal newlines), `fileb://` by its bytes (a Buffer — which botocore then
 * refuses for string parameters, as the AWS CLI does). The path has `~` then `$VAR` expanded.
 * Other values are returned unchanged.
 */
export function loadParamFile(value: unknown, cliName: string, io: CliIO): unknown {
  // A list argument given one value (nargs='+'): that value may name a file.
  if (Array.isArray(value) && value.length === 1) {
    const loaded = loadParamFile(value[0], cliName, io);
    return loaded === value[0] ? value : loaded;
  }
  if (typeof value !== 'string') return value;
  const match = PREFIXES.find(({ prefix }) => value.startsWith(prefix));
  if (!match) return value;
  const filePath = expandVars(expandUser(value.slice(match.prefix.length), io.env), io.env);
  let bytes: Buffer;
  try {
    bytes = readFileSync(resolve(io.cwd, filePath));
  } catch (error) {
    throw paramError(cliName, `Unable to load paramfile ${value}: ${pyOsErrorMessage(error, filePath)}`);
  }
  if (match.binary) return bytes;
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    return text.replace(/\r\n?/g, '\n');
  } catch {
    throw paramError(
      cliName,
      `Unable to load paramfile (${filePath}), text contents could not be decoded.  If this is a binary file, ` +
        'please use the fileb:// prefix instead of the file:// prefix.',
    );
  }
}
