/**
 * Connect rate: `count` devices connect (mTLS handshake, CONNECT, CONNACK) as fast as `concurrency` handshakes in
 * flight allow, then disconnect; the servers take turns, round after round, the first server changing each
 * round. The rate is admitted connections over the time from the first attempt to the last CONNACK.
 */

import { machineBusyCpuSeconds, processTreeCpuSeconds } from '../cpu.js';
import { type LatencySummary, summarizeLatencies } from '../stats.js';
import { type Door, type DoorName, sleep } from './door.js';
import type { LoadGenerator } from './load-generator.js';

export interface ConnectRound {
  readonly door: DoorName;
  readonly round: number;
  readonly ok: number;
  readonly refused: number;
  readonly failed: number;
  readonly firstError?: string;
  readonly elapsedS: number;
  readonly perSecond: number;
  readonly serverCpuS: number;
  readonly generatorCpuS: number;
  readonly machineCpuS: number;
  readonly latency: LatencySummary;
  readonly negotiated?: string;
}

export async function measureConnectRate(
  generator: LoadGenerator,
  doors: readonly Door[],
  fixtureFile: string,
  options: { count: number; rounds: number; concurrency: number; log: (line: string) => void },
): Promise<ConnectRound[]> {
  const rounds: ConnectRound[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    const order = round % 2 === 1 ? doors : [...doors].reverse();
    for (const door of order) {
      let serverBefore = 0;
      let machineBefore = 0;
      let generatorBefore = 0;
      const result = await generator.connect(
        'rate',
        door.endpoint,
        { file: fixtureFile, from: 0, count: options.count },
        {
          clientIdPrefix: `rate-${round}-`,
          concurrency: options.concurrency,
          beforeTimed: () => {
            serverBefore = processTreeCpuSeconds(door.pid);
            machineBefore = machineBusyCpuSeconds();
            generatorBefore = generator.cpuSeconds();
          },
        },
      );
      const measured: ConnectRound = {
        door: door.name,
        round,
        ok: result.ok,
        refused: result.refused,
        failed: result.failed,
        firstError: result.firstError,
        elapsedS: result.elapsedS,
        perSecond: result.elapsedS > 0 ? result.ok / result.elapsedS : Number.NaN,
        serverCpuS: processTreeCpuSeconds(door.pid) - serverBefore,
        generatorCpuS: generator.cpuSeconds() - generatorBefore,
        machineCpuS: machineBusyCpuSeconds() - machineBefore,
        latency: summarizeLatencies(result.latenciesMs),
        negotiated: result.negotiated,
      };
      rounds.push(measured);
      options.log(
        `connect rate, round ${round}, ${door.name}: ${measured.ok} admitted (${measured.refused} refused, ${measured.failed} failed${measured.firstError ? `: ${measured.firstError}` : ''}) in ${measured.elapsedS.toFixed(2)} s = ${measured.perSecond.toFixed(0)}/s; server ${measured.serverCpuS.toFixed(1)} CPU s, generator ${measured.generatorCpuS.toFixed(1)} CPU s; ${measured.negotiated ?? ''}`,
      );
      await generator.close('rate');
      // The closes' own work (and fleetca's disconnect bookkeeping) is over before the next server's turn.
      await sleep(2_000);
    }
  }
  return rounds;
}
