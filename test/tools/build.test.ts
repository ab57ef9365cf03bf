import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPO_ROOT, run } from '../helpers/run-cli.js';

/**
 * tools/build.mjs on a small project of its own (the real tsc, the real script), so that a failing build and
 * a reader racing a rebuild can be shown without touching the repository's own dist/.
 */
describe('npm run build (tools/build.mjs)', () => {
  let project: string;

  before(async () => {
    project = await mkdtemp(join(tmpdir(), 'fleetca-build-'));
    mkdirSync(join(project, 'tools'));
    mkdirSync(join(project, 'src'));
    cpSync(join(REPO_ROOT, 'tools', 'build.mjs'), join(project, 'tools', 'build.mjs'));
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(project, 'node_modules'));
    // The build makes the web console too: the project carries the real one.
    cpSync(join(REPO_ROOT, 'console'), join(project, 'console'), { recursive: true });
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'NodeNext', strict: true, outDir: 'dist', rootDir: '.' },
        include: ['src/**/*.ts'],
      }),
    );
    writeSource('export const version: number = 1;\n');
  });
  after(() => rmSync(project, { recursive: true, force: true }));

  const writeSource = (text: string) => writeFileSync(join(project, 'src', 'version.ts'), text);
  const build = () => spawnSync(process.execPath, ['tools/build.mjs'], { cwd: project, encoding: 'utf8' });
  const builtVersion = () =>
    spawnSync(
      process.execPath,
      ['--input-type=module', '-e', "console.log((await import('./dist/src/version.js')).version)"],
      {
        cwd: project,
        encoding: 'utf8',
      },
    );
  const builds = () => readdirSync(project).filter((name) => name.startsWith('.dist-'));

  test('a plain dist/ directory from before is replaced by a link to a complete build', () => {
    mkdirSync(join(project, 'dist', 'src'), { recursive: true });
    writeFileSync(join(project, 'dist', 'src', 'version.js'), 'export const version = 0;\n');
    const result = build();
    assert.equal(result.status, 0, result.stderr);
    assert.ok(lstatSync(join(project, 'dist')).isSymbolicLink());
    assert.equal(builtVersion().stdout.trim(), '1');
    assert.ok(existsSync(join(project, 'dist', 'console', 'index.html')), 'the web console is built beside it');
    assert.ok(
      builds().some((name) => name.startsWith('.dist-previous-')),
      'the old directory is kept aside',
    );
  });

  test('a build that fails leaves dist as it was and leaves no partial build behind', () => {
    const before = readlinkSync(join(project, 'dist'));
    const buildsBefore = builds().length;
    writeSource('export const version: number = "two";\n');
    const result = build();
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /dist\/ is unchanged/);
    assert.equal(readlinkSync(join(project, 'dist')), before);
    assert.equal(builds().length, buildsBefore);
    assert.equal(builtVersion().stdout.trim(), '1');
  });

  test('the program keeps running from dist while a new build is made, and then runs the new one', async () => {
    writeSource('export const version: number = 2;\n');
    const rebuild = run(process.execPath, ['tools/build.mjs'], { cwd: project, env: process.env });
    let finished = false;
    void rebuild.then(() => {
      finished = true;
    });
    const seen = new Set<string>();
    let reads = 0;
    while (!finished) {
      const read = builtVersion();
      assert.equal(read.status, 0, `dist could not be loaded during the build: ${read.stderr}`);
      seen.add(read.stdout.trim());
      reads++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal((await rebuild).code, 0);
    assert.ok(reads > 0);
    assert.ok(
      [...seen].every((version) => version === '1' || version === '2'),
      [...seen].join(),
    );
    assert.equal(builtVersion().stdout.trim(), '2');
  });
});
