import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../helpers/run-cli.js';

const CHECKER = join(REPO_ROOT, 'tools', 'check-imports.mjs');

/** What tools/check-imports.mjs exports (it is plain JavaScript, outside the compiled tree). */
interface ImportChecker {
  checkTree(
    root: string,
    options?: {
      knownViolations?: readonly { file: string; import: string }[];
      longFilesAllowed?: readonly string[];
      maxLines?: number;
    },
  ): { files: number; problems: string[] };
}

const checker = (await import(pathToFileURL(CHECKER).href)) as ImportChecker;

const trees: string[] = [];
after(() => {
  for (const tree of trees) rmSync(tree, { recursive: true, force: true });
});

/** A repository holding just `files` (paths relative to src/ → their text). */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'fleetca-import-rules-'));
  trees.push(root);
  for (const [path, text] of Object.entries(files)) {
    const file = join(root, 'src', path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return root;
}

/** The checker's problems for `files`, by the rules alone (no allow-list). */
const problems = (files: Record<string, string>, maxLines?: number) =>
  checker.checkTree(tree(files), {
    knownViolations: [],
    longFilesAllowed: [],
    ...(maxLines !== undefined && { maxLines }),
  }).problems;

const runChecker = (root?: string) =>
  spawnSync(process.execPath, [CHECKER, ...(root === undefined ? [] : [root])], { encoding: 'utf8' });

describe('tools/check-imports.mjs', () => {
  test("fleetca's own src/ keeps the import rules and the size limit", () => {
    const run = runChecker();
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /import rules: \d+ files in .*src keep them/);
  });

  test('a forbidden import fails the run, naming the file, its line and the import', () => {
    const root = tree({
      'errors.ts': 'export const E = 1;\n',
      'domain/things/thing-rules.ts':
        "import { E } from '../../errors.js';\nimport { log } from '../../server/http/log.js';\n",
      'server/http/log.ts': 'export const log = 1;\n',
    });
    const run = runChecker(root);
    assert.equal(run.status, 1);
    assert.match(
      run.stderr,
      /src\/domain\/things\/thing-rules\.ts:2 → src\/server\/http\/log\.ts {2}\(domain\/ imports only/,
    );
    assert.doesNotMatch(run.stderr, /errors\.ts {2}\(/, 'the allowed import is not named');
  });

  test('a tree keeping every rule has no problem', () => {
    assert.deepEqual(
      problems({
        'errors.ts': '',
        'domain/a.ts': "import { E } from '../errors.js';\nimport { createHash } from 'node:crypto';\n",
        'model/m.ts': "import type { A } from '../domain/a.js';\n",
        'operations/op.ts': "import { r } from '../registry/r.js';\nimport { m } from '../model/m.js';\n",
        'registry/r.ts': "import { A } from '../domain/a.js';\n",
        'server/s.ts': "import { op } from '../operations/op.js';\n",
        'cli/commands/serve.ts': "import { s } from '../../server/s.js';\n",
      }),
      [],
    );
  });

  test('each rule of the table is enforced', () => {
    const found = problems({
      'model/m.ts': "import { r } from '../registry/r.js';\n",
      'registry/r.ts': "import { home } from '../home/h.js';\n",
      'operations/op.ts': "import { s } from '../server/s.js';\n",
      'server/s.ts': "import { c } from '../cli/c.js';\n",
      'cli/c.ts': "import { s } from '../server/s.js';\n",
    });
    assert.deepEqual(
      found.map((problem) => problem.split('  (')[0]),
      [
        'src/cli/c.ts:1 → src/server/s.ts',
        'src/model/m.ts:1 → src/registry/r.ts',
        'src/operations/op.ts:1 → src/server/s.ts',
        'src/registry/r.ts:1 → src/home/h.ts',
        'src/server/s.ts:1 → src/cli/c.ts',
      ],
    );
  });

  test('re-exports, side-effect, type-only, multi-line and dynamic imports count; commented ones do not', () => {
    const found = problems({
      'domain/a.ts': [
        "export { x } from '../registry/x.js';",
        "import '../registry/side.js';",
        "import type {\n  T,\n  U,\n} from '../registry/types.js';",
        "const lazy = () => import('../registry/lazy.js');",
        "// import { old } from '../registry/old.js';",
        "/* import { older } from '../registry/older.js'; */",
        "const text = 'not an import from \\'../registry/text.js\\'';",
      ].join('\n'),
    });
    assert.deepEqual(
      found.map((problem) => problem.split('  (')[0]),
      [
        'src/domain/a.ts:1 → src/registry/x.ts',
        'src/domain/a.ts:2 → src/registry/side.ts',
        'src/domain/a.ts:3 → src/registry/types.ts',
        'src/domain/a.ts:7 → src/registry/lazy.ts',
      ],
    );
  });

  test('the domain imports no protocol or storage package', () => {
    const found = problems({ 'domain/a.ts': "import pg from 'pg';\nimport { request } from 'node:http';\n" });
    assert.deepEqual(
      found.map((problem) => problem.split('  (')[0]),
      ['src/domain/a.ts:1 → pg', 'src/domain/a.ts:2 → node:http'],
    );
  });

  test('a file over the limit is named with its length', () => {
    const found = problems({ 'ca/long.ts': 'const a = 1;\n'.repeat(6), 'ca/short.ts': 'const a = 1;\n'.repeat(5) }, 5);
    assert.deepEqual(found, ['src/ca/long.ts: 6 lines, more than 5']);
  });

  test('an allow-list excuses what it names, and an entry no longer needed is itself a problem', () => {
    const root = tree({
      'cli/c.ts': "import { s } from '../server/s.js';\n",
      'ca/long.ts': 'const a = 1;\n'.repeat(3),
    });
    const excused = checker.checkTree(root, {
      knownViolations: [{ file: 'cli/c.ts', import: 'server/s.ts' }],
      longFilesAllowed: ['ca/long.ts'],
      maxLines: 2,
    });
    assert.deepEqual(excused.problems, []);
    const stale = checker.checkTree(root, {
      knownViolations: [
        { file: 'cli/c.ts', import: 'server/s.ts' },
        { file: 'cli/c.ts', import: 'server/gone.ts' },
      ],
      longFilesAllowed: ['ca/long.ts', 'ca/split-already.ts'],
      maxLines: 2,
    });
    assert.deepEqual(stale.problems, [
      'KNOWN_VIOLATIONS: src/cli/c.ts → src/server/gone.ts is no longer needed; remove it',
      'LONG_FILES_ALLOWED: src/ca/split-already.ts is no longer needed; remove it',
    ]);
  });
});
