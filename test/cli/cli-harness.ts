/**
 * Runs fleetca's main() in-process with a captured CliIO and an in-test Transport that records
 * every call and answers with canned results (or throws), so tests can assert exact bytes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import type { Transport, TransportOptions } from '../../src/cli/transport.js';
import type { OperationModel } from '../../src/model/shapes.js';

export interface RecordedCall {
  readonly operation: string;
  readonly params: Record<string, unknown>;
}

export type Responder = (
  operation: OperationModel,
  params: Readonly<Record<string, unknown>>,
) => Record<string, unknown> | Promise<Record<string, unknown>>;

export interface RunOptions {
  /** Replaces the default environment entries it names (HOME, TZ, AWS_CONFIG_FILE, ...). */
  readonly env?: Record<string, string | undefined>;
  readonly cwd?: string;
  /** Answers each call; the default answers `{}`. */
  readonly respond?: Responder;
  /** Makes openTransport itself fail. */
  readonly openError?: Error;
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly calls: RecordedCall[];
  /** The options of every openTransport call. */
  readonly opened: TransportOptions[];
  /** The region of every openTransport call. */
  readonly regions: (string | undefined)[];
  readonly closed: number;
}

/** A private temporary directory for one test; removed by `remove()`. */
export function tempDir(prefix = 'fleetca-cli-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

// An empty HOME shared by tests that do not care about config files: no ~/.aws in it.
const defaultHome = mkdtempSync(join(tmpdir(), 'fleetca-cli-home-'));
process.on('exit', () => rmSync(defaultHome, { recursive: true, force: true }));

/** Runs `fleetca <argv>` and captures everything it did. */
export async function runFleetca(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const calls: RecordedCall[] = [];
  const opened: TransportOptions[] = [];
  let closed = 0;
  const env: Record<string, string | undefined> = { HOME: defaultHome, TZ: 'UTC', ...options.env };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  const io: CliIO = {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env,
    cwd: options.cwd ?? defaultHome,
  };
  const transport: Transport = {
    async call(operation, params) {
      calls.push({ operation: operation.name, params: { ...params } });
      return options.respond ? await options.respond(operation, params) : {};
    },
    async close() {
      closed++;
    },
  };
  const code = await main(argv, io, {
    async openTransport(transportOptions) {
      opened.push(transportOptions);
      if (options.openError) throw options.openError;
      return transport;
    },
  });
  return { code, stdout, stderr, calls, opened, regions: opened.map((o) => o.region), closed };
}

/** The usage block fleetca prints before `Unknown options` and after argparse errors. */
export const USAGE_BLOCK =
  'usage: fleetca [options] <command> <subcommand> [<subcommand> ...] [parameters]\n' +
  'To see help text, you can run:\n\n' +
  '  fleetca help\n' +
  '  fleetca <command> help\n' +
  '  fleetca <command> <subcommand> help\n';

/** stderr of an argparse error (v2.34+ layout). */
export function argparseError(message: string): string {
  return `\nfleetca: [ERROR]: An error occurred (ParamValidation): ${message}\n\n${USAGE_BLOCK}`;
}

/** stderr of `Unknown options: ...`. */
export function unknownOptions(list: string): string {
  return `\n${USAGE_BLOCK}\n\nfleetca: [ERROR]: Unknown options: ${list}\n`;
}

/** A certificate id that passes the model's length check. */
export const CERT_ID = 'a'.repeat(64);
