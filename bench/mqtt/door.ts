/** A server's device door as the scenarios see it: where devices connect and whose CPU and memory to read. */

import type { Endpoint } from './protocol.js';

export type DoorName = 'fleetca' | 'mosquitto';

export interface Door {
  readonly name: DoorName;
  readonly endpoint: Endpoint;
  /** The server process (its tree's CPU, its RSS). */
  readonly pid: number;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
