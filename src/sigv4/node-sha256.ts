import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';

/** What smithy's signer hands a hash: text (UTF-8) or bytes. */
type SourceData = string | ArrayBuffer | ArrayBufferView;

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/**
 * SHA-256, or HMAC-SHA-256 when constructed with a key, on node:crypto: the `sha256` constructor smithy's
 * SignatureV4 takes (its Checksum shape), without pulling in a JavaScript hash package. The one adapter both
 * ends of SigV4 use: the server recomputing a signature and the CLI's remote mode signing a request.
 */
export class NodeSha256 {
  readonly #secret: SourceData | undefined;
  #hash: Hash | Hmac;

  constructor(secret?: SourceData) {
    this.#secret = secret;
    this.#hash = this.#fresh();
  }

  update(data: SourceData): void {
    this.#hash.update(toBuffer(data));
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }

  reset(): void {
    this.#hash = this.#fresh();
  }

  #fresh(): Hash | Hmac {
    return this.#secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(this.#secret));
  }
}
