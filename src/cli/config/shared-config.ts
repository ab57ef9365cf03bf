import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { GeneralError } from '../errors/cli-errors.js';
import { expandUser, expandVars } from '../python/os-path.js';
import { IniParseError, parseIni } from './ini.js';

type Env = Readonly<Record<string, string | undefined>>;

/** A profile's settings; nested blocks (`s3 =` + indented lines) become objects, as in botocore. */
export type ProfileSettings = Record<string, string | Record<string, string>>;

/** botocore's full_config, reduced to what the CLI reads: the profiles of both shared files. */
export interface SharedConfig {
  readonly profiles: ReadonlyMap<string, ProfileSettings>;
  /** `[services name]` sections of the config file (per-service endpoint settings), by name. */
  readonly services?: ReadonlyMap<string, ProfileSettings>;
  /** The credentials file's own sections, as the shared-credentials provider reads them. */
  readonly credentialsFile?: ReadonlyMap<string, ProfileSettings>;
}

/** `AWS_CONFIG_FILE` or `~/.aws/config`, expanded like botocore (`$VAR`, then `~`). */
export function configFilePath(env: Env): string {
  return expandUser(expandVars(env.AWS_CONFIG_FILE ?? '~/.aws/config', env), env);
}

/** `AWS_SHARED_CREDENTIALS_FILE` or `~/.aws/credentials`. */
export function credentialsFilePath(env: Env): string {
  return expandUser(expandVars(env.AWS_SHARED_CREDENTIALS_FILE ?? '~/.aws/credentials', env), env);
}

/** raw_config_parse: a missing or unreadable file is no config; a malformed one is an error. */
function readSections(path: string, cwd: string): Map<string, ProfileSettings> | undefined {
  const absolute = resolve(cwd, path);
  try {
    if (!statSync(absolute).isFile()) return undefined;
  } catch {
    return undefined;
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(absolute);
  } catch {
    // configparser.read() skips files it cannot open.
    return undefined;
  }
  let sections: Map<string, Map<string, string>>;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    sections = parseIni(text);
  } catch (error) {
    if (error instanceof IniParseError || error instanceof TypeError) {
      throw new GeneralError(`Unable to parse config file: ${path}`);
    }
    throw error;
  }
  const result = new Map<string, ProfileSettings>();
  for (const [name, values] of sections) {
    const settings: ProfileSettings = {};
    for (const [key, value] of values) settings[key] = value.startsWith('\n') ? parseNested(value, path) : value;
    result.set(name, settings);
  }
  return result;
}

/** botocore `_parse_nested`: `key = value` lines of an indented block. */
function parseNested(value: string, path: string): Record<string, string> {
  const nested: Record<string, string> = {};
  for (const line of value.split('\n')) {
    if (!line.trim()) continue;
    const eq = line.indexOf('=');
    if (eq < 0) throw new GeneralError(`Unable to parse config file: ${path}`);
    nested[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return nested;
}

/** Python shlex.split for a section name (`profile "my name"`); undefined when unbalanced. */
function shlexSplit(text: string): string[] | undefined {
  const parts: string[] = [];
  let current: string | undefined;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
        i++;
        current = (current ?? '') + text[i];
      } else current = (current ?? '') + ch;
    } else if (/\s/.test(ch)) {
      if (current !== undefined) parts.push(current);
      current = undefined;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      current ??= '';
    } else if (ch === '\\' && i + 1 < text.length) {
      current = (current ?? '') + text[++i];
    } else {
      current = (current ?? '') + ch;
    }
  }
  if (quote) return undefined;
  if (current !== undefined) parts.push(current);
  return parts;
}

/**
 * Loads the profiles of the config file (`[default]`, `[profile name]`) merged with the sections
 * of the credentials file, as botocore's Session.full_config does.
 */
export function loadSharedConfig(env: Env, cwd: string): SharedConfig {
  const profiles = new Map<string, ProfileSettings>();
  const services = new Map<string, ProfileSettings>();
  const configPath = configFilePath(env);
  for (const [section, settings] of readSections(configPath, cwd) ?? []) {
    if (section.startsWith('profile') || section.startsWith('services')) {
      const parts = shlexSplit(section);
      if (parts?.length !== 2) continue;
      (section.startsWith('profile') ? profiles : services).set(parts[1] as string, settings);
    } else if (section === 'default') {
      profiles.set(section, settings);
    }
  }
  const credentialsFile = readSections(credentialsFilePath(env), cwd) ?? new Map<string, ProfileSettings>();
  for (const [section, settings] of credentialsFile) {
    profiles.set(section, { ...(profiles.get(section) ?? {}), ...settings });
  }
  return { profiles, services, credentialsFile };
}
