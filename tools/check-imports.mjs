#!/usr/bin/env node
// Checks the layering of src/: which part may import which (the table below), and that no file grows past
// MAX_LINES. Reads every src/**/*.ts as text, collects its relative imports (static, re-exports, side-effect and
// dynamic), and names each offending `file → import` with the rule it breaks. Exit 0 when all holds, 1 otherwise.
// Plain Node, no dependency, so it runs before (and without) a build: `node tools/check-imports.mjs [root]`.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Who may import whom. Paths are relative to src/; a path ending in `/` is a folder and everything under it.
 * `only`: the sole places (besides itself) the part may import from. `never`: places it must not import from.
 * `except`: files of the part the rule does not bind (say why next to them).
 */
export const RULES = [
  {
    from: 'domain/',
    only: ['domain/', 'errors.ts'],
    why: 'the domain is the core: it knows no storage, protocol or door',
  },
  {
    from: 'model/',
    only: ['model/', 'domain/', 'errors.ts'],
    why: 'the API model is data over the domain vocabulary and the one error registry',
  },
  {
    from: 'registry/',
    never: ['operations/', 'server/', 'cli/', 'home/'],
    why: 'the registry is storage: it runs rules it is handed and serves every door',
  },
  {
    from: 'revocation/',
    never: ['operations/', 'server/', 'cli/', 'home/'],
    why: 'CRLs and OCSP are a service over the registry and the CA that the doors (serve, ca crl) reach',
  },
  {
    from: 'operations/',
    never: ['server/', 'cli/'],
    why: 'operations are reached through doors, never the other way round',
  },
  {
    from: 'server/',
    never: ['cli/'],
    why: 'the server doors do not depend on the CLI door',
  },
  {
    from: 'cli/',
    never: ['server/'],
    // The `serve` command starts the server.
    except: ['cli/commands/serve.ts'],
    why: 'the CLI reaches the server over HTTP only (remote mode), never in-process',
  },
];

/** Packages (bare specifiers) a part must not import: the domain stays free of protocols and storage engines. */
export const PACKAGE_RULES = [
  {
    from: 'domain/',
    never: ['node:http', 'node:https', 'node:net', 'node:tls', 'mqtt-packet', 'pg', 'better-sqlite3', 'pino'],
    why: 'the domain imports no protocol, storage or logging code',
  },
];

/**
 * Imports that break a rule today and are being removed (each `{ file, import }`, paths relative to src/). The
 * list only shrinks: an entry no longer needed is itself an error, so a fixed violation cannot quietly return.
 */
export const KNOWN_VIOLATIONS = [];

/** No file in src/ longer than this many lines: past it, a file holds more than one thing. */
export const MAX_LINES = 400;

/** Files allowed past MAX_LINES for now (paths relative to src/); like KNOWN_VIOLATIONS, it only shrinks. */
export const LONG_FILES_ALLOWED = [];

/** Every `.ts` file under `dir`, as paths relative to it with `/` separators, sorted. */
function typeScriptFiles(dir) {
  const found = [];
  const walk = (at) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && entry.name.endsWith('.ts')) found.push(relative(dir, path).split(sep).join('/'));
    }
  };
  walk(dir);
  return found.sort();
}

/** Comments out of the way, so that an import quoted in a comment is not taken for one. */
function withoutComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' ')).replace(/^\s*\/\/.*$/gm, '');
}

const IMPORT_PATTERNS = [
  // import x from '…', import { a } from '…', import type …, export { a } from '…', export * from '…'
  /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
  // import '…' (side effects only)
  /\bimport\s*['"]([^'"]+)['"]/g,
  // import('…')
  /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
];

/** Each import specifier in `text` with its 1-based line, in source order. */
export function importsOf(text) {
  const source = withoutComments(text);
  const found = [];
  for (const pattern of IMPORT_PATTERNS) {
    for (const match of source.matchAll(pattern)) {
      const line = source.slice(0, match.index).split('\n').length;
      found.push({ specifier: match[1], line });
    }
  }
  return found.sort((a, b) => a.line - b.line);
}

/** `specifier` imported by `file` (both relative to src/), as a path relative to src/ (`../x` when outside). */
function resolveRelative(file, specifier) {
  const target = posix.normalize(posix.join(posix.dirname(file), specifier));
  return target.replace(/\.js$/, '.ts');
}

const under = (path, place) => (place.endsWith('/') ? path.startsWith(place) : path === place);

/** Which rule, if any, `file` importing `target` (relative to src/) breaks. */
function brokenRule(file, target) {
  for (const rule of RULES) {
    if (!under(file, rule.from) || rule.except?.includes(file)) continue;
    if (rule.only && !under(target, rule.from) && !rule.only.some((place) => under(target, place))) return rule;
    if (rule.never?.some((place) => under(target, place))) return rule;
  }
  return undefined;
}

function brokenPackageRule(file, specifier) {
  const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
  return PACKAGE_RULES.find(
    (rule) => under(file, rule.from) && !rule.except?.includes(file) && rule.never.includes(name),
  );
}

/**
 * Checks the tree at `root` (the repository: its `src/` is read) against the rules and allow-lists given.
 * Returns the problems found, each a line of text; none means the tree keeps the rules.
 */
export function checkTree(root, options = {}) {
  const knownViolations = options.knownViolations ?? KNOWN_VIOLATIONS;
  const longFilesAllowed = options.longFilesAllowed ?? LONG_FILES_ALLOWED;
  const maxLines = options.maxLines ?? MAX_LINES;
  const srcDir = join(root, 'src');
  const problems = [];
  const usedExceptions = new Set();
  const files = typeScriptFiles(srcDir);
  for (const file of files) {
    const text = readFileSync(join(srcDir, file), 'utf8');
    for (const { specifier, line } of importsOf(text)) {
      if (!specifier.startsWith('.')) {
        const rule = brokenPackageRule(file, specifier);
        if (rule) problems.push(`src/${file}:${line} → ${specifier}  (${rule.from} never imports it: ${rule.why})`);
        continue;
      }
      const target = resolveRelative(file, specifier);
      const rule = brokenRule(file, target);
      if (!rule) continue;
      const known = knownViolations.findIndex((entry) => entry.file === file && entry.import === target);
      if (known >= 0) {
        usedExceptions.add(`import:${known}`);
        continue;
      }
      problems.push(`src/${file}:${line} → src/${target}  (${describe(rule)}: ${rule.why})`);
    }
    const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    if (lines > maxLines) {
      if (longFilesAllowed.includes(file)) usedExceptions.add(`long:${file}`);
      else problems.push(`src/${file}: ${lines} lines, more than ${maxLines}`);
    }
  }
  knownViolations.forEach((entry, index) => {
    if (!usedExceptions.has(`import:${index}`)) {
      problems.push(`KNOWN_VIOLATIONS: src/${entry.file} → src/${entry.import} is no longer needed; remove it`);
    }
  });
  for (const file of longFilesAllowed) {
    if (!usedExceptions.has(`long:${file}`)) {
      problems.push(`LONG_FILES_ALLOWED: src/${file} is no longer needed; remove it`);
    }
  }
  return { files: files.length, problems };
}

function describe(rule) {
  return rule.only
    ? `${rule.from} imports only ${rule.only.join(', ')}`
    : `${rule.from} never imports ${rule.never.join(', ')}`;
}

// Run as a program (not when imported).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? dirname(dirname(fileURLToPath(import.meta.url))));
  const { files, problems } = checkTree(root);
  if (problems.length === 0) {
    console.log(`import rules: ${files} files in ${join(root, 'src')} keep them`);
  } else {
    console.error(`import rules: ${problems.length} problem(s) in ${files} files under ${join(root, 'src')}:`);
    for (const problem of problems) console.error(`  ${problem}`);
    process.exitCode = 1;
  }
}
