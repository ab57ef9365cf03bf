import { isUtf8 } from 'node:buffer';
import { type Parser, parser as packetParser } from 'mqtt-packet';

/**
 * MQTT's rule for every UTF-8 encoded string (MQTT 3.1.1 §1.5.3, MQTT 5 §1.5.4): well-formed UTF-8 (no
 * overlong forms, no surrogates U+D800..U+DFFF, nothing above U+10FFFF) and no U+0000. A received U+FFFD
 * (EF BF BD) or U+FEFF is valid and kept as is.
 */
export function isValidMqttString(bytes: Uint8Array): boolean {
  return !bytes.includes(0) && isUtf8(bytes);
}

/** The parts of mqtt-packet's parser (9.x) the check reaches into: its one string decoder and the bytes it reads. */
interface ParserInternals {
  _parseString(): string | null;
  _emitError(err: Error): void;
  _list: { slice(start: number, end: number): Buffer; readUInt16BE(offset: number): number; length: number };
  _pos: number;
  packet: { cmd?: string; length: number };
}

/** The parser error of a string that breaks MQTT's UTF-8 rule (its bytes are never decoded nor reported). */
export class InvalidStringError extends Error {
  constructor(readonly packetType: string) {
    super(`invalid UTF-8 string in ${packetType}`);
  }
}

/**
 * mqtt-packet's parser, made to refuse what MQTT calls malformed: a string that is not valid UTF-8, or contains
 * U+0000. mqtt-packet decodes every string (topic names and filters, client id, will topic, user name, MQTT 5
 * string properties and user properties, the protocol name) through one method with Buffer.toString('utf8'), which
 * replaces bad bytes with U+FFFD; it offers no hook, so that method is wrapped to check the raw bytes first. A bad
 * string emits an InvalidStringError (the packet is never emitted). Throws at once if mqtt-packet's parser no longer
 * has the shape relied on, so an upgrade cannot silently let bad strings through.
 */
export function strictPacketParser(): Parser {
  const parser = packetParser();
  const internals = parser as unknown as ParserInternals;
  if (
    typeof internals._parseString !== 'function' ||
    typeof internals._emitError !== 'function' ||
    internals._list === undefined
  ) {
    throw new Error('mqtt-packet parser internals changed: strict string checks unavailable');
  }
  const decode = internals._parseString;
  internals._parseString = function checkedParseString(this: ParserInternals): string | null {
    const start = this._pos;
    if (this._list.length - start >= 2) {
      const end = start + 2 + this._list.readUInt16BE(start);
      // Out of bounds is mqtt-packet's own malformation ("cannot parse"): left to it.
      if (
        end <= this._list.length &&
        end <= this.packet.length &&
        !isValidMqttString(this._list.slice(start + 2, end))
      ) {
        this._emitError(new InvalidStringError(this.packet.cmd ?? 'packet'));
        // Skip the string so that no caller loops on it; the packet is already refused.
        this._pos = end;
        return null;
      }
    }
    return decode.call(this);
  };
  return parser;
}
