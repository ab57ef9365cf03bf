import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  ConsoleBuildError,
  DEFAULT_CONSOLE_DIR,
  MAX_CONSOLE_FILES,
  readConsoleBuild,
} from '../../../src/server/http/console/console-build.js';
import { consoleConfig } from '../../../src/server/http/console/console-site.js';
import { makeFakeConsole } from './console-support.js';

describe('reading the built console at start', () => {
  test('the default directory is console/ beside src/ in the build the server runs from', () => {
    // This test runs from <build>/test/server/http/, the server from <build>/src/: one build directory.
    const build = fileURLToPath(new URL('../../../', import.meta.url));
    assert.ok(existsSync(join(build, 'src', 'server', 'http', 'console', 'console-build.js')));
    assert.equal(DEFAULT_CONSOLE_DIR, join(build, 'console') + sep);
  });

  test('every regular file, by its name relative to the directory; no dot files, no symbolic links', async () => {
    const build = await readConsoleBuild(await makeFakeConsole());
    assert.ok(build.built);
    assert.deepEqual([...build.files.keys()].sort(), [
      'assets/app-abc123.js',
      'assets/app.css',
      'config.json',
      'index.html',
    ]);
  });

  test('an absent directory, a file, or a directory without index.html is no console', async () => {
    const root = await mkdtemp(join(tmpdir(), 'fleetca-console-'));
    try {
      const missing = join(root, 'missing');
      assert.deepEqual(await readConsoleBuild(missing), {
        built: false,
        dir: missing,
        problem: `${missing} does not exist`,
      });
      await writeFile(join(root, 'file'), 'x');
      const file = await readConsoleBuild(join(root, 'file'));
      assert.equal(file.built ? '' : file.problem, `${join(root, 'file')} is not a directory`);
      const under = await readConsoleBuild(join(root, 'file', 'console'));
      assert.equal(under.built ? '' : under.problem, `${join(root, 'file', 'console')} does not exist`);
      await mkdir(join(root, 'empty'));
      const empty = await readConsoleBuild(join(root, 'empty'));
      assert.equal(empty.built ? '' : empty.problem, `${join(root, 'empty')} has no index.html`);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  test('a directory far larger than a console is refused rather than read into memory', async () => {
    const root = await mkdtemp(join(tmpdir(), 'fleetca-console-'));
    try {
      await writeFile(join(root, 'index.html'), '<!doctype html>');
      await Promise.all(
        Array.from({ length: MAX_CONSOLE_FILES }, (_, index) => writeFile(join(root, `f${index}.txt`), '')),
      );
      await assert.rejects(readConsoleBuild(root), (err: unknown) => {
        assert.ok(err instanceof ConsoleBuildError);
        assert.equal(err.message, `${root}: more than ${MAX_CONSOLE_FILES} files; is this a built console?`);
        return true;
      });
      const deep = join(root, 'deep');
      await mkdir(join(deep, ...'abcdefghij'.split('')), { recursive: true });
      await writeFile(join(deep, 'index.html'), '<!doctype html>');
      await assert.rejects(readConsoleBuild(deep), /folders nested deeper than 8 levels/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe("the console's config.json", () => {
  test('any region: regions null, the data directory default region', () => {
    assert.deepEqual(consoleConfig(undefined, 'eu-central-1'), { regions: null, defaultRegion: 'eu-central-1' });
  });

  test('served regions in the order given; the default region when served, else the first served', () => {
    assert.deepEqual(consoleConfig(new Set(['eu-west-1', 'us-east-1']), 'us-east-1'), {
      regions: ['eu-west-1', 'us-east-1'],
      defaultRegion: 'us-east-1',
    });
    assert.deepEqual(consoleConfig(['lab-1', 'eu-west-1'], 'us-east-1'), {
      regions: ['lab-1', 'eu-west-1'],
      defaultRegion: 'lab-1',
    });
  });
});
