import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { contentTypeOf } from './content-types.js';

/** A content coding a console file may be sent in; `identity` is the file as built. */
export type Coding = 'br' | 'gzip' | 'identity';

/** One way of sending a file: its bytes in one coding, with the strong ETag of exactly those bytes. */
export interface Representation {
  readonly coding: Coding;
  readonly body: Buffer;
  readonly etag: string;
}

/** A console file held in memory, ready to send in each coding it has. */
export interface ConsoleAsset {
  readonly contentType: string;
  readonly cacheControl: string;
  readonly identity: Representation;
  /** Precompressed forms, best first; only those smaller than the file itself. */
  readonly encoded: readonly Representation[];
}

/** Hashed build output never changes under its name: a year, and no revalidation. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Everything else (index.html, config.json, unhashed files) is revalidated with its ETag on every use. */
export const REVALIDATE = 'no-cache';

/** Vite puts every hashed file under assets/. */
const HASHED_FOLDER = 'assets/';

/** Below this, compression saves less than the Content-Encoding header costs. */
const MIN_COMPRESSIBLE_BYTES = 256;

/**
 * Brotli 11 takes over half a second per 400 KB of JavaScript, a cost every start of `fleetca serve` would pay;
 * 9 costs about 40 ms and loses about 10 %. gzip 9 is the smallest gzip at any cost.
 */
const BROTLI_QUALITY = 9;
const GZIP_LEVEL = 9;

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/** A file of the build (`name` relative to the console's root, with `/`), precompressed when that pays. */
export async function fileAsset(name: string, body: Buffer): Promise<ConsoleAsset> {
  const { type, compress } = contentTypeOf(name);
  const identity: Representation = { coding: 'identity', body, etag: etagOf(body) };
  const cacheControl = name.startsWith(HASHED_FOLDER) ? IMMUTABLE : REVALIDATE;
  if (!compress || body.length < MIN_COMPRESSIBLE_BYTES) {
    return { contentType: type, cacheControl, identity, encoded: [] };
  }
  const [br, gz] = await Promise.all([
    brotli(body, {
      params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
    }),
    gzipped(body, { level: GZIP_LEVEL }),
  ]);
  // Each coding is its own representation with its own strong ETag (RFC 9110 §8.8.3): a cache holding the gzip
  // bytes must not be told they are the brotli ones.
  const encoded: Representation[] = [
    { coding: 'br', body: br, etag: `${identity.etag.slice(0, -1)}-br"` },
    { coding: 'gzip', body: gz, etag: `${identity.etag.slice(0, -1)}-gz"` },
  ];
  return {
    contentType: type,
    cacheControl,
    identity,
    encoded: encoded.filter((form) => form.body.length < body.length),
  };
}

/** A small generated file (config.json): sent as it is, revalidated on every use. */
export function generatedAsset(contentType: string, text: string): ConsoleAsset {
  const body = Buffer.from(text);
  return {
    contentType,
    cacheControl: REVALIDATE,
    identity: { coding: 'identity', body, etag: etagOf(body) },
    encoded: [],
  };
}

/** A strong ETag: the bytes' SHA-256, base64url, cut to 192 bits. */
function etagOf(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}
