/**
 * IPv4 and IPv6 addresses and CIDR blocks for the IpAddress / NotIpAddress condition operators (`aws:SourceIp`).
 * Both families are held as 16 bytes, an IPv4 address as its IPv4-mapped IPv6 form (::ffff:a.b.c.d), so a v4 block
 * also matches a client that reached a dual-stack socket as ::ffff:a.b.c.d.
 */

/** A block: the network's 16 bytes and how many leading bits must agree. */
export interface CidrBlock {
  readonly bytes: Uint8Array;
  readonly prefix: number;
}

const V4_MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

/** `10.0.0.0/8`, `2001:db8::/32`, or a bare address (a /32 or /128). Undefined when it is neither. */
export function parseCidr(text: string): CidrBlock | undefined {
  const slash = text.indexOf('/');
  const address = parseIpAddress(slash < 0 ? text : text.slice(0, slash));
  if (!address) return undefined;
  const isV4 = !text.includes(':');
  const width = isV4 ? 32 : 128;
  let prefix = width;
  if (slash >= 0) {
    const digits = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(digits) || Number(digits) > width) return undefined;
    prefix = Number(digits);
  }
  return { bytes: address, prefix: isV4 ? prefix + 96 : prefix };
}

/** Whether `address` (16 bytes) lies in `block`. */
export function inBlock(address: Uint8Array, block: CidrBlock): boolean {
  const whole = block.prefix >> 3;
  for (let i = 0; i < whole; i++) if (address[i] !== block.bytes[i]) return false;
  const bits = block.prefix & 7;
  if (bits === 0) return true;
  const mask = (0xff << (8 - bits)) & 0xff;
  return ((address[whole] ?? 0) & mask) === ((block.bytes[whole] ?? 0) & mask);
}

/** An IPv4 dotted quad or an IPv6 address (with `::` and an optional trailing dotted quad) as 16 bytes. */
export function parseIpAddress(text: string): Uint8Array | undefined {
  if (!text.includes(':')) {
    const v4 = parseIpv4(text);
    return v4 ? Uint8Array.from([...V4_MAPPED_PREFIX, ...v4]) : undefined;
  }
  return parseIpv6(text);
}

function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    bytes.push(Number(part));
  }
  return bytes;
}

function parseIpv6(text: string): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string | undefined): number[] | undefined => {
    if (!half) return [];
    const words: number[] = [];
    const pieces = half.split(':');
    for (const [index, piece] of pieces.entries()) {
      if (index === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (!v4) return undefined;
        words.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) {
        words.push(Number.parseInt(piece, 16));
      } else {
        return undefined;
      }
    }
    return words;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const words = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  for (const [index, word] of words.entries()) {
    bytes[index * 2] = word >> 8;
    bytes[index * 2 + 1] = word & 0xff;
  }
  return bytes;
}
