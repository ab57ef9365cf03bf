/**
 * PEM armour (RFC 7468) for DER blobs.
 *
 * Writing matches OpenSSL byte for byte (64-character lines, LF, trailing newline), because AWS responses
 * carry exactly that text and clients compare it. Reading is strict: one block, nothing else but whitespace.
 */

/** Raised for text that is not exactly one well-formed PEM block with an accepted label. */
export class PemError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PemError';
  }
}

/** One decoded PEM block. */
export interface PemBlock {
  /** The label between `BEGIN ` and the closing dashes, e.g. `CERTIFICATE`. */
  readonly label: string;
  readonly der: Buffer;
}

const LABEL = /^[\x21-\x2c\x2e-\x7e]+(?:[ -][\x21-\x2c\x2e-\x7e]+)*$/;

/** Armours DER as OpenSSL does: base64 in 64-character lines, LF endings, trailing newline. */
export function toPem(label: string, der: Uint8Array): string {
  if (!LABEL.test(label)) throw new RangeError(`invalid PEM label "${label}"`);
  const b64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  let body = '';
  for (let i = 0; i < b64.length; i += 64) body += `${b64.slice(i, i + 64)}\n`;
  return `-----BEGIN ${label}-----\n${body}-----END ${label}-----\n`;
}

const BASE64_LINE = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decodes exactly one PEM block whose label is one of `labels`.
 * Accepts LF or CRLF line endings, surrounding whitespace and trailing spaces on lines; rejects any other text
 * around the block, a second block, headers, blank lines inside the body, bad base64 or non-canonical padding.
 */
export function fromPem(text: string, labels: readonly string[]): PemBlock {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  while (lines.length > 0 && (lines[0] as string).trim() === '') lines.shift();
  while (lines.length > 0 && (lines[lines.length - 1] as string).trim() === '') lines.pop();
  const expected = labels.map((l) => `"${l}"`).join(' or ');
  if (lines.length === 0) throw new PemError(`expected a PEM ${expected} block, found no text`);
  const begin = /^-----BEGIN ([^-]*(?:-[^-]+)*)-----$/.exec((lines[0] as string).trimEnd());
  if (!begin) throw new PemError(`expected a PEM ${expected} block, the text does not start with "-----BEGIN "`);
  const label = begin[1] as string;
  if (!labels.includes(label)) throw new PemError(`expected a PEM ${expected} block, found "${label}"`);
  const endLine = `-----END ${label}-----`;
  const endIndex = lines.findIndex((line, i) => i > 0 && line.trimEnd() === endLine);
  if (endIndex < 0) throw new PemError(`PEM block "${label}" has no "${endLine}" line`);
  if (endIndex !== lines.length - 1) throw new PemError(`unexpected text after the PEM "${label}" block`);
  const body = lines.slice(1, endIndex).map((line) => line.trimEnd());
  if (body.length === 0) throw new PemError(`PEM block "${label}" is empty`);
  for (const [i, line] of body.entries()) {
    if (line.includes(':')) throw new PemError(`PEM block "${label}" has headers, which are not supported`);
    if (line === '' || !BASE64_LINE.test(line)) {
      throw new PemError(`PEM block "${label}" has invalid base64 on line ${i + 2}`);
    }
    // Padding may only appear on the last line.
    if (line.includes('=') && i !== body.length - 1) {
      throw new PemError(`PEM block "${label}" has base64 padding before its last line`);
    }
  }
  const b64 = body.join('');
  if (b64.length % 4 !== 0) throw new PemError(`PEM block "${label}" has truncated base64`);
  const der = Buffer.from(b64, 'base64');
  // Node ignores non-zero bits in the final character; a round trip catches them.
  if (der.toString('base64') !== b64) throw new PemError(`PEM block "${label}" has non-canonical base64`);
  if (der.length === 0) throw new PemError(`PEM block "${label}" is empty`);
  return { label, der };
}
