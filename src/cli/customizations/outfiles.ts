import { accessSync, chmodSync, closeSync, constants, openSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { CliOutfile } from '../../operations/operation.js';
import type { OptionalAction } from '../argv/argparse.js';
import type { ArgumentContext, ArgumentTable, CallParameters, CliArgument } from '../argv/cli-argument.js';
import { GeneralError, ParamValidationError } from '../errors/cli-errors.js';
import { pyOsErrorMessage } from '../python/errno.js';
import { expandUser, expandVars } from '../python/os-path.js';
import { pyTypeName } from '../python/repr.js';

function search(response: Readonly<Record<string, unknown>>, query: string): unknown {
  let value: unknown = response;
  for (const key of query.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
    value = (value as Record<string, unknown>)[key];
  }
  return value ?? null;
}

/**
 * awscli QueryOutFileArgument: `--x-outfile PATH` writes one member of a successful response to
 * PATH. The path is expanded ($VAR, then ~) and its directory checked for writability while the
 * call is being built — before anything is sent —; the file is written after the call, before
 * output, created with the mode and chmod'ed to it even if it existed. Values still print as usual.
 */
export class OutfileArgument implements CliArgument {
  hidden = false;
  required = false;
  readonly typeName = 'string';
  readonly documentation: string;
  readonly name: string;

  constructor(private readonly spec: CliOutfile) {
    this.name = spec.name;
    this.documentation = `Saves the command output contents of ${spec.query} to the given filename`;
  }

  parserAction(): OptionalAction {
    return { optionStrings: [`--${this.name}`], dest: this.name, kind: 'store' };
  }

  addToParams(call: CallParameters, value: unknown, { io }: ArgumentContext): void {
    if (value === undefined || value === null) return;
    const raw = value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : String(value);
    const outfile = expandUser(expandVars(raw, io.env), io.env);
    const absolute = resolve(io.cwd, outfile);
    try {
      accessSync(dirname(absolute), constants.W_OK);
    } catch {
      throw new ParamValidationError(`Unable to write to file: ${outfile}`);
    }
    call.afterCall.push((response) =>
      writeOutfile(absolute, outfile, search(response, this.spec.query), this.spec.mode),
    );
  }
}

function writeOutfile(absolute: string, shownPath: string, contents: unknown, mode: number): void {
  let fd: number;
  try {
    fd = openSync(absolute, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, mode);
  } catch (error) {
    throw new GeneralError(pyOsErrorMessage(error, shownPath));
  }
  try {
    if (contents !== null && typeof contents !== 'string') {
      throw new GeneralError(`write() argument must be str, not ${pyTypeName(contents).slice(8, -2)}`);
    }
    // Don't write "None": a missing member gives an empty file.
    writeSync(fd, contents ?? '', null, 'utf8');
  } catch (error) {
    if (error instanceof GeneralError) throw error;
    throw new GeneralError(pyOsErrorMessage(error, shownPath));
  } finally {
    closeSync(fd);
  }
  try {
    chmodSync(absolute, mode);
  } catch (error) {
    throw new GeneralError(pyOsErrorMessage(error, shownPath));
  }
}

/** Adds the outfile options of one operation (awscli/customizations/iot.py), in this order. */
export function addOutfiles(table: ArgumentTable, specs: readonly CliOutfile[]): void {
  for (const spec of specs) table.add(new OutfileArgument(spec));
}
