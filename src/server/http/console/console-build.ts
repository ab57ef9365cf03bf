import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ConsoleAsset, fileAsset } from './console-asset.js';

/**
 * Where the build puts the console: `<dist root>/console/`. This module compiles to
 * `<dist root>/src/server/http/console/`, and tools/build.mjs builds the server and the console into the same
 * fresh directory before it switches `dist` to it, so the two always come from one build.
 */
export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../../../console/', import.meta.url));

/** The console is a few hundred KB; these only stop a wrong directory from being read into memory. */
export const MAX_CONSOLE_FILES = 2_000;
export const MAX_CONSOLE_BYTES = 64 * 1024 * 1024;
const MAX_DEPTH = 8;

/** The console's files as read at start: the only ones ever served (no file system access per request). */
export type ConsoleBuild =
  | { readonly built: true; readonly dir: string; readonly files: ReadonlyMap<string, ConsoleAsset> }
  | { readonly built: false; readonly dir: string; readonly problem: string };

/** The directory exists but is not something to serve (too big, unreadable): the message says why. */
export class ConsoleBuildError extends Error {
  override readonly name = 'ConsoleBuildError';
}

/**
 * Reads every regular file under `dir` (names relative to it, joined with `/`), skipping dot files and anything
 * that is neither a file nor a directory (symbolic links included: nothing outside the directory is reached).
 * An absent directory, or one without index.html, is a build without the console (`built: false`).
 */
export async function readConsoleBuild(dir: string = DEFAULT_CONSOLE_DIR): Promise<ConsoleBuild> {
  const found = await stat(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return undefined;
    throw new ConsoleBuildError(`cannot read the console directory ${dir}: ${err.message}`);
  });
  if (!found) return { built: false, dir, problem: `${dir} does not exist` };
  if (!found.isDirectory()) return { built: false, dir, problem: `${dir} is not a directory` };
  const contents = new Map<string, Buffer>();
  await collect(dir, '', 0, contents, { root: dir, bytes: 0 });
  if (!contents.has('index.html')) return { built: false, dir, problem: `${dir} has no index.html` };
  const assets = await Promise.all(
    [...contents].map(async ([name, body]) => [name, await fileAsset(name, body)] as const),
  );
  return { built: true, dir, files: new Map(assets) };
}

async function collect(
  dir: string,
  prefix: string,
  depth: number,
  into: Map<string, Buffer>,
  total: { readonly root: string; bytes: number },
): Promise<void> {
  if (depth > MAX_DEPTH) throw new ConsoleBuildError(`${total.root}: folders nested deeper than ${MAX_DEPTH} levels`);
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new ConsoleBuildError(`cannot read the console directory ${dir}: ${(err as Error).message}`);
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    const name = `${prefix}${entry.name}`;
    if (entry.isDirectory()) {
      await collect(path, `${name}/`, depth + 1, into, total);
      continue;
    }
    if (!entry.isFile()) continue;
    if (into.size >= MAX_CONSOLE_FILES) {
      throw new ConsoleBuildError(`${total.root}: more than ${MAX_CONSOLE_FILES} files; is this a built console?`);
    }
    let body: Buffer;
    try {
      body = await readFile(path);
    } catch (err) {
      throw new ConsoleBuildError(`cannot read ${path}: ${(err as Error).message}`);
    }
    total.bytes += body.length;
    if (total.bytes > MAX_CONSOLE_BYTES) {
      const limit = `${MAX_CONSOLE_BYTES / 1024 / 1024} MiB`;
      throw new ConsoleBuildError(`${total.root}: more than ${limit}; is this a built console?`);
    }
    into.set(name, body);
  }
}
