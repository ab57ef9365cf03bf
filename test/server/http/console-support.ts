/**
 * Test support for the web console's serving: a fake built console in a temporary directory (what Vite's build
 * leaves: index.html, hashed assets), and plain node:http requests that keep the body's bytes (compressed
 * bodies are not text) and send the path exactly as given.
 */

import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The fake build's files, as the tests expect them back. */
export const INDEX_HTML =
  '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>fleetca console</title>\n' +
  '<link rel="stylesheet" href="./assets/app.css">\n<script type="module" src="./assets/app-abc123.js"></script>\n' +
  `</head>\n<body>\n<div id="app"></div>\n<!-- ${'padding so that compressing pays '.repeat(8)}-->\n</body>\n</html>\n`;
export const APP_JS = `${'export const greeting = "hello from the fleetca console";\n'.repeat(200)}console.log(greeting);\n`;
export const APP_CSS = 'body{font-family:system-ui,sans-serif}\n';
/** A file outside the console that a symbolic link inside it points to: it must never be served. */
export const OUTSIDE_SECRET = 'not part of the console\n';

/**
 * Makes a built console: index.html, assets/app-abc123.js (large enough to compress), assets/app.css (too small
 * to), a config.json of its own (replaced by the server's), a dot file, and a symbolic link to a file outside.
 */
export async function makeFakeConsole(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'fleetca-console-'));
  const dir = join(root, 'console');
  await mkdir(join(dir, 'assets'), { recursive: true });
  await writeFile(join(dir, 'index.html'), INDEX_HTML);
  await writeFile(join(dir, 'assets', 'app-abc123.js'), APP_JS);
  await writeFile(join(dir, 'assets', 'app.css'), APP_CSS);
  await writeFile(join(dir, 'config.json'), '{"regions":["from-the-build"],"defaultRegion":"from-the-build"}');
  await writeFile(join(dir, '.env'), 'SECRET=1\n');
  await writeFile(join(root, 'secret.txt'), OUTSIDE_SECRET);
  await symlink(join(root, 'secret.txt'), join(dir, 'linked.txt'));
  return dir;
}

export interface BytesReply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** One request with the path sent verbatim (no normalisation), the answer's bytes kept as they came. */
export function fetchBytes(
  baseUrl: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; ca?: string } = {},
): Promise<BytesReply> {
  const url = new URL(baseUrl);
  const requester = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = requester(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? 'GET',
        path,
        headers: options.headers ?? {},
        ca: options.ca,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}
