import { extname } from 'node:path';

/** What a built console holds, by extension; `compress`: text worth gzip and brotli (images and fonts are not). */
const TYPES: Readonly<Record<string, { readonly type: string; readonly compress: boolean }>> = {
  '.html': { type: 'text/html; charset=utf-8', compress: true },
  '.js': { type: 'text/javascript; charset=utf-8', compress: true },
  '.mjs': { type: 'text/javascript; charset=utf-8', compress: true },
  '.css': { type: 'text/css; charset=utf-8', compress: true },
  '.svg': { type: 'image/svg+xml', compress: true },
  '.json': { type: 'application/json; charset=utf-8', compress: true },
  '.map': { type: 'application/json; charset=utf-8', compress: true },
  '.webmanifest': { type: 'application/manifest+json', compress: true },
  '.txt': { type: 'text/plain; charset=utf-8', compress: true },
  '.ico': { type: 'image/x-icon', compress: true },
  '.png': { type: 'image/png', compress: false },
  '.webp': { type: 'image/webp', compress: false },
  '.woff2': { type: 'font/woff2', compress: false },
};

/** Anything else is served as bytes; with `nosniff` no browser runs or renders it. */
const UNKNOWN = { type: 'application/octet-stream', compress: false };

/** The Content-Type of a console file by its name, and whether precompressing it pays. */
export function contentTypeOf(name: string): { readonly type: string; readonly compress: boolean } {
  return TYPES[extname(name).toLowerCase()] ?? UNKNOWN;
}
