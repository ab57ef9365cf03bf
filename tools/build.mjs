#!/usr/bin/env node
// Builds into a fresh `.dist-<id>/` and then points `dist` at it with one rename(2) of a symlink, so a `fleetca`
// started while tsc runs, or a test run using the previous build, never finds `dist/` half-written or missing.
// A failed build leaves `dist` as it was. Builds are siblings of `dist` (same depth) so that paths computed
// relative to a compiled file still reach the repository root; old ones are pruned once nothing recent can
// still be running from them. The web console is built into the same fresh directory (`console/`, by Vite) with its
// component tests (`console-test/`, by tsc), all three steps at once.
import { spawn } from 'node:child_process';
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

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const vite = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
const steps = [
  { name: 'tsc', args: [tsc, '-p', 'tsconfig.json', '--outDir', buildDir] },
  {
    name: 'tsc (console tests)',
    args: [tsc, '-p', 'console/tsconfig.test.json', '--outDir', join(buildDir, 'console-test')],
  },
  {
    name: 'vite (console)',
    args: [vite, 'build', '--config', 'console/vite.config.ts', '--outDir', join(buildDir, 'console'), '--emptyOutDir'],
  },
];
const failed = (await Promise.all(steps.map(run))).filter((step) => step.status !== 0);
if (failed.length > 0) {
  rmSync(buildDir, { recursive: true, force: true });
  for (const step of failed) console.error(`build: ${step.name} failed (exit ${step.status}); dist/ is unchanged`);
  process.exit(failed[0].code || 1);
}

switchDistTo(buildName);
pruneOldBuilds(buildName);

/** Runs one step with this Node; resolves with its exit status (a signal counts as a failure). */
function run(step) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, step.args, { cwd: root, stdio: 'inherit' });
    child.on('error', (error) => {
      console.error(`build: ${step.name} could not start: ${error.message}`);
      resolve({ ...step, status: 1, code: 1 });
    });
    child.on('close', (code, signal) => resolve({ ...step, status: code ?? signal, code: code || 1 }));
  });
}

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
