import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { FLEETCA_BIN, tempHome } from '../../helpers/run-cli.js';
import { parityEnv } from '../../parity/side-by-side.js';

describe('Ctrl-C during a command', () => {
  let server: Server;
  const sockets: Socket[] = [];
  let port = 0;
  before(async () => {
    // An endpoint that accepts and never answers: the command waits until it is interrupted.
    server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('exits 130 with a newline on stdout and nothing on stderr (spec §13.1)', async () => {
    const home = await tempHome('fleetca-sigint-');
    const child = spawn(
      process.execPath,
      [FLEETCA_BIN, 'iot', 'list-certificates', '--endpoint-url', `http://127.0.0.1:${port}`],
      { env: parityEnv(home), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // Interrupt once the request is on the wire.
    while (sockets.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.deepEqual([code, stdout, stderr], [130, '\n', '']);
  });
});
