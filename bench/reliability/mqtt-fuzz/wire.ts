/** MQTT's wire encodings, written by hand so the fuzzer can also write what no MQTT library would. */

export function varint(value: number): Buffer {
  const out: number[] = [];
  let rest = value;
  do {
    let byte = rest % 128;
    rest = Math.floor(rest / 128);
    if (rest > 0) byte |= 0x80;
    out.push(byte);
  } while (rest > 0 && out.length < 8);
  return Buffer.from(out);
}

export function u16(value: number): Buffer {
  const out = Buffer.alloc(2);
  out.writeUInt16BE(value & 0xffff);
  return out;
}

export function u32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out;
}

/** A length-prefixed string or binary field. */
export function field(bytes: Buffer | string): Buffer {
  const body = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  return Buffer.concat([u16(body.length), body]);
}

/** A whole packet: fixed-header byte, remaining length, body. */
export function frame(firstByte: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([firstByte & 0xff]), varint(body.length), body]);
}

/** Where the body of an encoded packet starts (after its fixed header), or undefined when the length is broken. */
export function bodyOffset(packet: Buffer): number | undefined {
  for (let i = 1; i < Math.min(packet.length, 5); i++) {
    if (((packet[i] as number) & 0x80) === 0) return i + 1;
  }
  return undefined;
}

/**
 * Splits a byte stream into packets as MQTT frames them (for what the server sends back): complete packets, and
 * the bytes left over.
 */
export function splitFrames(buffer: Buffer): { frames: Buffer[]; rest: Buffer } {
  const frames: Buffer[] = [];
  let at = 0;
  for (;;) {
    if (buffer.length - at < 2) break;
    let length = 0;
    let multiplier = 1;
    let i = at + 1;
    let complete = false;
    while (i < buffer.length && i < at + 5) {
      const byte = buffer[i++] as number;
      length += (byte & 0x7f) * multiplier;
      multiplier *= 128;
      if ((byte & 0x80) === 0) {
        complete = true;
        break;
      }
    }
    if (!complete || buffer.length < i + length) break;
    frames.push(buffer.subarray(at, i + length));
    at = i + length;
  }
  return { frames, rest: buffer.subarray(at) };
}
