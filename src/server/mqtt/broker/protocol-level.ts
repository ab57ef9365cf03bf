import { ReasonCode, ReturnCode } from './reason-codes.js';

/** CONNACK "unacceptable protocol version": MQTT 5's form (0x84) and MQTT 3's (return code 1). */
const UNSUPPORTED_V5 = Buffer.from([0x20, 0x03, 0x00, ReasonCode.UnsupportedProtocolVersion, 0x00]);
const UNSUPPORTED_V3 = Buffer.from([0x20, 0x02, 0x00, ReturnCode.UnacceptableProtocolVersion]);
/** MQTT 5 CONNACK 0x81 Malformed Packet (MQTT 5 §4.13.1: a malformed CONNECT may be answered before closing). */
const MALFORMED_V5 = Buffer.from([0x20, 0x03, 0x00, ReasonCode.MalformedPacket, 0x00]);

/**
 * The protocol level a first packet asks for, read from its raw bytes when it is a CONNECT naming MQTT or MQIsdp;
 * undefined for anything else (or too few bytes to tell).
 */
export function connectProtocolLevel(head: Buffer): number | undefined {
  if (head[0] !== 0x10) return undefined;
  let i = 1;
  while (i < head.length && i < 5 && ((head[i] as number) & 0x80) !== 0) i++;
  i++;
  if (i + 2 > head.length) return undefined;
  const nameLength = head.readUInt16BE(i);
  i += 2;
  const name = head.subarray(i, i + nameLength).toString('latin1');
  const level = head[i + nameLength];
  if ((name !== 'MQTT' && name !== 'MQIsdp') || level === undefined) return undefined;
  return level;
}

/**
 * The answer to a first packet the parser refused when it is a CONNECT (MQTT or MQIsdp): for a protocol level other
 * than 3, 4 and 5, "unacceptable protocol version" (a level above 5 gets MQTT 5's CONNACK 0x84, as a newer client
 * reads that form; a lower one MQTT 3's return code 1); for MQTT 5, CONNACK 0x81 Malformed Packet. MQTT 3 has no
 * code for it, nor anything else: undefined (close).
 */
export function malformedConnectAnswer(head: Buffer): Buffer | undefined {
  const level = connectProtocolLevel(head);
  if (level === undefined || level === 3 || level === 4) return undefined;
  if (level === 5) return MALFORMED_V5;
  return level > 5 ? UNSUPPORTED_V5 : UNSUPPORTED_V3;
}
