/**
 * `fleetca serve` on an end-of-life Node.js (major < 22) logs one warning at start naming the runtime and the
 * recommendation; on a maintained line it logs none. The in-process tests judge a runtime they name, so both
 * sides are checked on every Node line the suite runs on; the last test runs the real command on this one.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { endOfLifeRuntimeWarning, type NodeRuntime } from '../../src/server/serve.js';
import { startServer } from '../helpers/fleetca-server.js';
import { cliEnv, tempHome } from '../helpers/run-cli.js';
import { startTestServer } from './http/http-support.js';

const OPENSSL = '3.5.9';

/** The log lines (pino JSON) that speak of an end-of-life runtime. */
function endOfLifeLines(lines: readonly string[]): { level: string; msg: string; node: string }[] {
  return lines
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { level: string; msg: string; node: string })
    .filter((entry) => /end-of-life/.test(entry.msg));
}

describe('the end-of-life runtime warning', () => {
  test('names the version and the recommendation on every line before 22', () => {
    for (const node of ['18.20.8', '20.11.0', '20.20.2', '21.7.3']) {
      const warning = endOfLifeRuntimeWarning({ node, openssl: '3.0.19+quic' });
      assert.ok(warning, node);
      assert.ok(warning.includes(`Node.js ${node} is end-of-life`), warning);
      assert.match(warning, /Node\.js 24 LTS is recommended/);
    }
  });

  test('is absent on the maintained lines and later ones', () => {
    for (const node of ['22.0.0', '22.23.5', '24.22.3', '26.12.1', '28.0.0']) {
      assert.equal(endOfLifeRuntimeWarning({ node, openssl: OPENSSL }), undefined, node);
    }
  });

  for (const [runtime, expected] of [
    [{ node: '20.20.2', openssl: '3.0.19+quic' }, 1],
    [{ node: '24.22.3', openssl: OPENSSL }, 0],
  ] as const satisfies readonly (readonly [NodeRuntime, number])[]) {
    test(`a server on Node.js ${runtime.node} logs it ${expected === 1 ? 'once, as a warning' : 'never'}`, async () => {
      const server = await startTestServer({ runtime });
      try {
        const lines = endOfLifeLines(server.logs);
        assert.equal(lines.length, expected, server.logs.join(''));
        for (const line of lines) {
          assert.equal(line.level, 'warn');
          assert.equal(line.node, runtime.node);
        }
      } finally {
        await server.close();
      }
    });
  }

  test(`the real fleetca serve on this Node.js (${process.versions.node}) warns exactly when it is end-of-life`, async () => {
    const home = await tempHome('fleetca-serve-runtime-');
    const server = await startServer(cliEnv(home), ['--no-mqtt', '--key-pool-size', '0']);
    try {
      const lines = endOfLifeLines(server.logs().split('\n'));
      const endOfLife = Number.parseInt(process.versions.node, 10) < 22;
      assert.equal(lines.length, endOfLife ? 1 : 0, server.logs());
      if (endOfLife) assert.ok(lines[0]?.msg.includes(`Node.js ${process.versions.node} is end-of-life`));
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });
});
