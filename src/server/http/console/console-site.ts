import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ConsoleAsset, generatedAsset } from './console-asset.js';
import type { ConsoleBuild } from './console-build.js';
import { chooseRepresentation, matchesIfNoneMatch } from './negotiation.js';

/** Where the console is served, on the REST door's origin (same origin as the API: no CORS). */
export const CONSOLE_PATH = '/console';
/** Generated from what `fleetca serve` was started with; it wins over a file of that name in the build. */
export const CONSOLE_CONFIG_FILE = 'config.json';

/**
 * The console's Content-Security-Policy: its own scripts, styles and API calls only, no inline code, no framing.
 * The app is built for it (no inline scripts or styles, no external assets).
 */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; " +
  "font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Headers on every console response, 3xx and 4xx included. */
export const CONSOLE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONSOLE_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

const ALLOWED_METHODS = ['GET', 'HEAD'] as const;

/** What /console/config.json tells the app: the regions it may offer (null: any) and the one to start with. */
export interface ConsoleConfig {
  readonly regions: readonly string[] | null;
  readonly defaultRegion: string;
}

/**
 * The config of a server serving `served` (every region the data directory accepts when absent) whose data
 * directory's default region is `defaultRegion`: that region unless it is not served, then the first served one.
 */
export function consoleConfig(served: Iterable<string> | undefined, defaultRegion: string): ConsoleConfig {
  if (served === undefined) return { regions: null, defaultRegion };
  const regions = [...served];
  const first = regions[0];
  return { regions, defaultRegion: regions.includes(defaultRegion) || first === undefined ? defaultRegion : first };
}

/** Whether the REST door hands `rawPath` to the console (when the console is on). */
export function isConsolePath(rawPath: string): boolean {
  return rawPath === CONSOLE_PATH || rawPath.startsWith(`${CONSOLE_PATH}/`);
}

/**
 * The web console's files under /console/, answered from memory: only the files the build held at start, by
 * exact name, so no request reaches the file system and no path can leave the directory. Nothing here needs
 * authentication: the files hold no data (the app signs its own API calls).
 */
export class ConsoleSite {
  readonly #files: ReadonlyMap<string, ConsoleAsset> | undefined;
  readonly #problem: string;

  constructor(build: ConsoleBuild, config: ConsoleConfig) {
    if (build.built) {
      const files = new Map(build.files);
      files.set(CONSOLE_CONFIG_FILE, generatedAsset('application/json; charset=utf-8', JSON.stringify(config)));
      this.#files = files;
    }
    this.#problem = build.built ? '' : build.problem;
  }

  /** Answers a request whose path `isConsolePath`; client input never makes it throw. */
  serve(req: IncomingMessage, res: ServerResponse, rawPath: string): void {
    for (const [name, value] of Object.entries(CONSOLE_SECURITY_HEADERS)) res.setHeader(name, value);
    const files = this.#files;
    if (!files) {
      sendText(req, res, 404, `The web console was not built into this fleetca (${this.#problem}).\n`);
      return;
    }
    const method = req.method ?? '';
    if (!(ALLOWED_METHODS as readonly string[]).includes(method)) {
      res.setHeader('Allow', ALLOWED_METHODS.join(', '));
      sendText(req, res, 405, `${method} is not allowed here; allowed: ${ALLOWED_METHODS.join(', ')}.\n`);
      return;
    }
    if (rawPath === CONSOLE_PATH) {
      // Relative URLs in index.html resolve against /console/, not /.
      res.setHeader('Location', `${CONSOLE_PATH}/`);
      sendText(req, res, 301, `The console is at ${CONSOLE_PATH}/.\n`);
      return;
    }
    const name = fileName(rawPath.slice(CONSOLE_PATH.length + 1));
    const asset = name === undefined ? undefined : files.get(name);
    if (!asset) {
      sendText(req, res, 404, 'No such file in the web console.\n');
      return;
    }
    sendAsset(req, res, asset);
  }
}

/**
 * The build's name for a path below /console/ (`''` is index.html), percent-decoded segment by segment; undefined
 * for anything no file of the build can be called: undecodable, empty, `.`/`..` or dot-file segments, and
 * segments that decode to a separator or a NUL (so `%2F` never joins two segments).
 */
function fileName(rest: string): string | undefined {
  if (rest === '') return 'index.html';
  const names: string[] = [];
  for (const segment of rest.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return undefined;
    }
    if (decoded === '' || decoded.startsWith('.') || /[/\\\0]/.test(decoded)) return undefined;
    names.push(decoded);
  }
  return names.join('/');
}

function sendAsset(req: IncomingMessage, res: ServerResponse, asset: ConsoleAsset): void {
  const chosen = chooseRepresentation(asset, req.headers['accept-encoding']);
  res.setHeader('Content-Type', asset.contentType);
  res.setHeader('Cache-Control', asset.cacheControl);
  res.setHeader('ETag', chosen.etag);
  if (asset.encoded.length > 0) res.setHeader('Vary', 'Accept-Encoding');
  if (matchesIfNoneMatch(req.headers['if-none-match'], chosen.etag)) {
    res.statusCode = 304;
    res.end();
    return;
  }
  if (chosen.coding !== 'identity') res.setHeader('Content-Encoding', chosen.coding);
  res.statusCode = 200;
  res.setHeader('Content-Length', chosen.body.length);
  res.end(req.method === 'HEAD' ? undefined : chosen.body);
}

/** A short plain-text answer (redirects and refusals); never cached, since what is served may change. */
function sendText(req: IncomingMessage, res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(req.method === 'HEAD' ? undefined : text);
}
