import type { IPingreqPacket } from 'mqtt-packet';
import type { Connection } from '../connection.js';

/** PINGREQ → PINGRESP (the keep alive was refreshed on arrival, as for any packet). */
export function handlePingreq(connection: Connection, _packet: IPingreqPacket): void {
  connection.send({ cmd: 'pingresp' });
}
