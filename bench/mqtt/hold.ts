/**
 * Fleet scale: `count` devices connect and stay connected; the server's RSS (VmRSS) before the first and after
 * the last connection, once the ramp's garbage had time to go, divided by the connections.
 */

import { machineBusyCpuSeconds, processTreeCpuSeconds } from '../cpu.js';
import { type Door, type DoorName, sleep } from './door.js';
import { residentKiB } from './fleetca-under-test.js';
import type { LoadGenerator } from './load-generator.js';

export interface HoldResult {
  readonly door: DoorName;
  readonly attempted: number;
  readonly ok: number;
  readonly refused: number;
  readonly failed: number;
  readonly firstError?: string;
  readonly rampS: number;
  /** Still open after the hold. */
  readonly openAfterHold: number;
  readonly rssBeforeKiB: number;
  readonly rssAfterKiB: number;
  readonly kibPerConnection: number;
  readonly serverCpuS: number;
  readonly generatorCpuS: number;
  readonly machineCpuS: number;
}

export async function holdConnections(
  generator: LoadGenerator,
  door: Door,
  group: string,
  devices: { file: string; from: number; count: number },
  options: { concurrency: number; settleMs: number; log: (line: string) => void },
): Promise<HoldResult> {
  const rssBeforeKiB = residentKiB(door.pid);
  let serverBefore = 0;
  let machineBefore = 0;
  let generatorBefore = 0;
  const result = await generator.connect(group, door.endpoint, devices, {
    clientIdPrefix: `held-`,
    concurrency: options.concurrency,
    beforeTimed: () => {
      serverBefore = processTreeCpuSeconds(door.pid);
      machineBefore = machineBusyCpuSeconds();
      generatorBefore = generator.cpuSeconds();
    },
  });
  const serverCpuS = processTreeCpuSeconds(door.pid) - serverBefore;
  const machineCpuS = machineBusyCpuSeconds() - machineBefore;
  const generatorCpuS = generator.cpuSeconds() - generatorBefore;
  await sleep(options.settleMs);
  const openAfterHold = await generator.count(group);
  const rssAfterKiB = residentKiB(door.pid);
  const held: HoldResult = {
    door: door.name,
    attempted: devices.count,
    ok: result.ok,
    refused: result.refused,
    failed: result.failed,
    firstError: result.firstError,
    rampS: result.elapsedS,
    openAfterHold,
    rssBeforeKiB,
    rssAfterKiB,
    kibPerConnection: result.ok > 0 ? (rssAfterKiB - rssBeforeKiB) / result.ok : Number.NaN,
    serverCpuS,
    generatorCpuS,
    machineCpuS,
  };
  options.log(
    `held, ${door.name}: ${held.ok} of ${held.attempted} admitted (${held.refused} refused, ${held.failed} failed${held.firstError ? `: ${held.firstError}` : ''}) in ${held.rampS.toFixed(1)} s, ${held.openAfterHold} open after ${options.settleMs / 1000} s; RSS ${(rssBeforeKiB / 1024).toFixed(0)} → ${(rssAfterKiB / 1024).toFixed(0)} MiB = ${held.kibPerConnection.toFixed(1)} KiB per connection`,
  );
  return held;
}
