import { connectAsync, type MqttClient } from 'mqtt';
import type { DeviceTls } from './raw-tls-connection.js';

/** A round trip that takes longer than this counts as the server hanging (the speed target is separate). */
export const HANG_GUARD_MS = 10_000;
/** Pause between round trips. */
const PAUSE_MS = 200;

export interface ControlFigures {
  /** Milliseconds of each completed round trip: TLS + CONNECT, SUBSCRIBE, PUBLISH QoS 1, the message back. */
  readonly latenciesMs: readonly number[];
  /** Round trips that failed or passed the hang guard, with why. */
  readonly failures: readonly string[];
}

/**
 * A well-behaved device running beside the fuzzer: again and again it connects afresh (MQTT 3.1.1 and 5 in turn),
 * subscribes to its own topic, publishes to it and waits for the message, then disconnects.
 */
export class ControlDevice {
  readonly #latencies: number[] = [];
  readonly #failures: string[] = [];
  #running = true;
  #loop: Promise<void> | undefined;

  constructor(readonly tls: DeviceTls) {}

  start(): void {
    this.#loop = this.#run();
  }

  async stop(): Promise<ControlFigures> {
    this.#running = false;
    await this.#loop;
    return { latenciesMs: [...this.#latencies], failures: [...this.#failures] };
  }

  /** Round trips so far (for progress lines). */
  get completed(): number {
    return this.#latencies.length;
  }

  async #run(): Promise<void> {
    for (let n = 0; this.#running; n++) {
      const started = performance.now();
      try {
        await roundTrip(this.tls, n, n % 2 === 0 ? 4 : 5);
        const elapsed = performance.now() - started;
        if (elapsed > HANG_GUARD_MS) this.#failures.push(`round trip ${n} took ${Math.round(elapsed)} ms`);
        this.#latencies.push(elapsed);
      } catch (err) {
        this.#failures.push(`round trip ${n}: ${(err as Error).message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    }
  }
}

async function roundTrip(tls: DeviceTls, n: number, protocolVersion: 4 | 5): Promise<void> {
  const topic = `control/${n}`;
  let client: MqttClient | undefined;
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no round trip within ${HANG_GUARD_MS} ms`)), HANG_GUARD_MS);
  });
  try {
    const work = (async () => {
      client = await connectAsync({
        host: '127.0.0.1',
        port: tls.port,
        protocol: 'mqtts',
        servername: 'localhost',
        ca: tls.ca,
        cert: tls.cert,
        key: tls.key,
        protocolVersion,
        clientId: `control-${n}`,
        reconnectPeriod: 0,
        connectTimeout: HANG_GUARD_MS,
      });
      const connected = client;
      const received = new Promise<void>((resolve) => {
        connected.on('message', (t, payload) => {
          if (t === topic && payload.toString() === `ping ${n}`) resolve();
        });
      });
      await connected.subscribeAsync(topic, { qos: 1 });
      await connected.publishAsync(topic, `ping ${n}`, { qos: 1 });
      await received;
    })();
    await Promise.race([work, guard]);
  } finally {
    clearTimeout(timer);
    client?.end(true);
  }
}
