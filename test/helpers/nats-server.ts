import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { settled } from './eventually.js';
import { freePort } from './free-port.js';

/** The machine's NATS with JetStream; tests on it keep apart by a cluster name of their own. */
export const MACHINE_NATS = 'nats://127.0.0.1:4222';

export const NATS_SERVER = '/usr/sbin/nats-server';

/** A private nats-server with JetStream on a loopback port, for tests that stop and start it (never the machine's). */
export interface PrivateNats {
  readonly url: string;
  /** Starts it (again), on the same port and store: resolves once it accepts clients. */
  start(): Promise<void>;
  /** Stops it (SIGKILL: as abrupt as a crash); resolves once it has exited. */
  stop(): Promise<void>;
}

/** A private NATS on a free port, not started yet; `extraArgs` go to nats-server (TLS, users). */
export async function privateNats(extraArgs: readonly string[] = []): Promise<PrivateNats> {
  const port = await freePort();
  const store = await mkdtemp(join(tmpdir(), 'fleetca-nats-'));
  let child: ChildProcess | undefined;
  return {
    url: `nats://127.0.0.1:${port}`,
    start: async () => {
      const started = spawn(NATS_SERVER, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', store, ...extraArgs], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = started;
      let log = '';
      const ready = new Promise<void>((resolve, reject) => {
        const onData = (chunk: Buffer) => {
          log += chunk.toString();
          if (/Server is ready/.test(log)) resolve();
        };
        started.stdout?.on('data', onData);
        started.stderr?.on('data', onData);
        started.once('exit', (code) => reject(new Error(`nats-server exited with ${code}: ${log}`)));
      });
      await settled('nats-server starts', ready);
    },
    stop: async () => {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
      running.kill('SIGKILL');
      await exited;
    },
  };
}
