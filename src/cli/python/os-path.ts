import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';

type Env = Readonly<Record<string, string | undefined>>;

/** `os.path.expandvars`: `$NAME` and `${NAME}` from `env`; unknown variables are left as written. */
export function expandVars(path: string, env: Env): string {
  if (!path.includes('$')) return path;
  return path.replace(/\$([A-Za-z0-9_]+|\{[^}]*\})/g, (whole, raw: string) => {
    const name = raw.startsWith('{') ? raw.slice(1, -1) : raw;
    const value = env[name];
    return value === undefined ? whole : value;
  });
}

/** `os.path.expanduser`: `~` from `env.HOME` (else the passwd entry), `~user` from /etc/passwd. */
export function expandUser(path: string, env: Env): string {
  if (!path.startsWith('~')) return path;
  let end = path.indexOf('/', 1);
  if (end < 0) end = path.length;
  let home: string | undefined;
  if (end === 1) {
    home = env.HOME ?? safeHomedir();
  } else {
    home = passwdHome(path.slice(1, end));
    if (home === undefined) return path;
  }
  if (home === undefined) return path;
  const trimmed = home.replace(/\/+$/, '');
  return trimmed + path.slice(end) || '/';
}

function safeHomedir(): string | undefined {
  try {
    return userInfo().homedir;
  } catch {
    return undefined;
  }
}

function passwdHome(user: string): string | undefined {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const fields = line.split(':');
      if (fields[0] === user && fields.length >= 6) return fields[5];
    }
  } catch {
    // No passwd database: Python's pwd lookup fails the same way and leaves the path alone.
  }
  return undefined;
}
