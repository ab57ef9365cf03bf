#!/usr/bin/env node
// Builds into a fresh `.dist-<id>/` and then points `dist` at it with one rename(2) of a symlink, so a `fleetca`
// started while tsc runs, or a test run using the previous build, never finds `dist/` half-written or missing.
// A failed build leaves `dist` as it was. Builds are siblings of `dist` (same depth) so that paths computed
// relative to a compiled file still reach the repository root; old ones are pruned once nothing recent can
// still be running from them.
import { spawnSync } from 'node:child_process';
import { lstatSync, readdirSync, readlinkSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dist = join(root, 'dist');
const BUILD_PREFIX = '.dist-';
/** Builds kept besides the current one, whatever their age, and the age below which none is removed. */
const KEEP_NEWEST = 3;
const KEEP_YOUNGER_THAN_MS = 60 * 60 * 1000;

const id = `${Date.now().toString(36)}-${process.pid}`;
const buildName = `${BUILD_PREFIX}${id}`;
const buildDir = join(root, buildName);

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--outDir', buildDir], {
  cwd: root,
  stdio: 'inherit',
});
if (compiled.status !== 0) {
  rmSync(buildDir, { recursive: true, force: true });
  console.error(`build: tsc failed (exit ${compiled.status ?? compiled.signal}); dist/ is unchanged`);
  process.exit(compiled.status || 1);
}

switchDistTo(buildName);
pruneOldBuilds(buildName);

function switchDistTo(name) {
  const link = join(root, `${name}.link`);
  symlinkSync(name, link);
  try {
    renameSync(link, dist);
  } catch (error) {
    // The first build after a checkout that still has a plain `dist/` directory: move it aside once.
    if (!isRealDirectory(dist)) throw error;
    renameSync(dist, join(root, `${BUILD_PREFIX}previous-${id}`));
    renameSync(link, dist);
  }
}

function pruneOldBuilds(current) {
  const now = Date.now();
  const builds = readdirSync(root)
    .filter((name) => name.startsWith(BUILD_PREFIX) && name !== current && name !== linkTarget())
    .map((name) => ({ name, mtimeMs: lstatSync(join(root, name)).mtimeMs }))
    .sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const [index, build] of builds.entries()) {
    if (index < KEEP_NEWEST || now - build.mtimeMs < KEEP_YOUNGER_THAN_MS) continue;
    rmSync(join(root, build.name), { recursive: true, force: true });
  }
}

function linkTarget() {
  try {
    return readlinkSync(dist);
  } catch {
    return undefined;
  }
}

function isRealDirectory(path) {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}
