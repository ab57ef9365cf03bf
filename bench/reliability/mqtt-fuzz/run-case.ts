import type { FuzzCase } from './fuzz-cases.js';
import { type DeviceTls, PacketType, packetType, RawTlsConnection } from './raw-tls-connection.js';
import type { SentReplacementCharacters } from './topic-watcher.js';
import { bodyOffset } from './wire.js';

/** How the server ended a case: it closed the connection, still answered a PINGREQ, or neither in time. */
export type CaseEnd = 'closed' | 'answered' | 'silent' | 'tls-failed';

export interface CaseOutcome {
  readonly end: CaseEnd;
  /** The CONNACK's return code / reason code, when one came. */
  readonly connack?: number;
  /** The MQTT 5 DISCONNECT's reason code, when one came. */
  readonly disconnect?: number;
  /** Why the TLS connection could not be made (tls-failed). */
  readonly error?: string;
}

/** How long the case waits for its CONNACK, then for the answer to its closing PINGREQ. */
export interface CaseTimings {
  readonly connackMs: number;
  readonly answerMs: number;
}

/**
 * One fuzz connection: TLS with the fuzzer's ACTIVE certificate; the CONNECT (when it is valid, its CONNACK is
 * awaited so that the packets after it meet an admitted connection); the packets; a PINGREQ; then the server's
 * close or PINGRESP. Silence is not a failure in itself (a packet announcing more bytes than it sent keeps the
 * server waiting for them, as it should): whether the server as a whole still serves is the control device's check.
 */
export async function runCase(
  tls: DeviceTls,
  fuzzCase: FuzzCase,
  timings: CaseTimings,
  sent: SentReplacementCharacters,
): Promise<CaseOutcome> {
  sent.record(fuzzCase.connect.bytes);
  for (const packet of fuzzCase.packets) sent.record(packet.bytes);
  let connection: RawTlsConnection;
  try {
    connection = await RawTlsConnection.open(tls, 10_000);
  } catch (err) {
    return { end: 'tls-failed', error: (err as Error).message };
  }
  try {
    connection.write(fuzzCase.connect.bytes);
    if (fuzzCase.connect.mutation === 'valid') {
      await connection.waitFor((frame) => packetType(frame) === PacketType.CONNACK, timings.connackMs);
    }
    for (const packet of fuzzCase.packets) connection.write(packet.bytes);
    connection.write(Buffer.from([0xc0, 0x00]));
    const waited = await connection.waitFor((frame) => packetType(frame) === PacketType.PINGRESP, timings.answerMs);
    const end: CaseEnd = waited === 'matched' ? 'answered' : waited === 'closed' ? 'closed' : 'silent';
    return { end, ...codes(connection.frames) };
  } finally {
    connection.destroy();
  }
}

/** The CONNACK and DISCONNECT codes among the received packets. */
function codes(frames: readonly Buffer[]): { connack?: number; disconnect?: number } {
  const found: { connack?: number; disconnect?: number } = {};
  for (const frame of frames) {
    const start = bodyOffset(frame);
    if (start === undefined) continue;
    if (packetType(frame) === PacketType.CONNACK && frame.length > start + 1) found.connack = frame[start + 1];
    if (packetType(frame) === PacketType.DISCONNECT) found.disconnect = frame.length > start ? frame[start] : 0;
  }
  return found;
}
