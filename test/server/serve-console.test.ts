import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DEFAULT_CONSOLE_DIR } from '../../src/server/http/console/console-build.js';
import { CONSOLE_CSP } from '../../src/server/http/console/console-site.js';
import { ServeError } from '../../src/server/serve.js';
import { startServer } from '../helpers/fleetca-server.js';
import { cliEnv, initialisedHome, runCli, tempHome } from '../helpers/run-cli.js';
import { fetchBytes, INDEX_HTML, makeFakeConsole } from './http/console-support.js';
import { logRecords, startTestServer } from './http/http-support.js';

describe('fleetca serve: the web console (in process)', () => {
  test('on HTTPS when the REST door is: the files, config.json with the served regions, the URL logged', async () => {
    const server = await startTestServer({
      consoleDir: await makeFakeConsole(),
      regions: ['eu-west-1', 'eu-central-1'],
      tlsNames: ['127.0.0.1'],
    });
    try {
      const exported = await runCli(['ca', 'export'], cliEnv(server.home));
      assert.equal(exported.code, 0, exported.stderr);
      const ca = exported.stdout;
      assert.equal(server.server.consoleUrl, `${server.url}/console/`);
      assert.match(server.url, /^https:/);
      const index = await fetchBytes(server.url, '/console/', { ca });
      assert.equal(index.status, 200);
      assert.equal(index.body.toString(), INDEX_HTML);
      assert.equal(index.headers['content-security-policy'], CONSOLE_CSP);
      const config = await fetchBytes(server.url, '/console/config.json', { ca });
      // The data directory's default region (us-east-1) is not served: the first served region instead.
      assert.deepEqual(JSON.parse(config.body.toString()), {
        regions: ['eu-west-1', 'eu-central-1'],
        defaultRegion: 'eu-west-1',
      });
      const line = logRecords(server).find((record) => record.msg === `console at ${server.url}/console/`);
      assert.ok(line, server.logs.join(''));
      assert.equal(line.url, `${server.url}/console/`);
    } finally {
      await server.close();
    }
  });

  test('console requests are not counted in the API request metrics', async () => {
    const server = await startTestServer({ consoleDir: await makeFakeConsole() });
    try {
      for (let i = 0; i < 3; i++) assert.equal((await fetchBytes(server.url, '/console/nope')).status, 404);
      const metrics = (await fetchBytes(server.url, '/_fleetca/metrics')).body.toString();
      assert.ok(!/status="404"/.test(metrics), metrics);
    } finally {
      await server.close();
    }
  });

  test('without --console-dir: the console of this build, or a 404 saying it was not built, with one line at start', async () => {
    const server = await startTestServer();
    try {
      const reply = await fetchBytes(server.url, '/console/');
      const messages = logRecords(server).map((record) => String(record.msg));
      if (existsSync(join(DEFAULT_CONSOLE_DIR, 'index.html'))) {
        assert.equal(reply.status, 200);
        assert.ok(messages.includes(`console at ${server.url}/console/`), messages.join('\n'));
      } else {
        assert.equal(reply.status, 404);
        assert.match(reply.body.toString(), /^The web console was not built into this fleetca \(.+\)\.\n$/);
        const notBuilt = messages.filter((message) => message.startsWith('the web console was not built'));
        assert.equal(notBuilt.length, 1, messages.join('\n'));
        assert.equal(server.server.consoleUrl, undefined);
      }
    } finally {
      await server.close();
    }
  });

  test('console: false (--no-console) leaves /console to the route table; nothing logged about it', async () => {
    const server = await startTestServer({ console: false, consoleDir: undefined });
    try {
      const reply = await fetchBytes(server.url, '/console/');
      assert.equal(reply.status, 404);
      assert.equal(reply.headers['x-amzn-errortype'], 'UnknownOperationException');
      assert.equal(server.server.consoleUrl, undefined);
      assert.ok(!server.logs.some((line) => /console at|web console/.test(line)));
    } finally {
      await server.close();
    }
  });

  test('a --console-dir that holds no console stops the start', async () => {
    const missing = join(await tempHome('fleetca-console-'), 'missing');
    await assert.rejects(startTestServer({ consoleDir: missing }), (err: unknown) => {
      assert.ok(err instanceof ServeError);
      assert.equal(err.message, `--console-dir: ${missing} does not exist`);
      return true;
    });
  });
});

describe('fleetca serve: the web console (bin/fleetca.js)', () => {
  test('answers /console/config.json with the regions it serves, and the files of --console-dir', async () => {
    const env = cliEnv(await tempHome('fleetca-console-'));
    const dir = await makeFakeConsole();
    const server = await startServer(env, ['--no-mqtt', '--console-dir', dir, '--regions', 'us-east-1,ap-south-1']);
    try {
      const config = await fetchBytes(server.url, '/console/config.json');
      assert.equal(config.status, 200);
      assert.deepEqual(JSON.parse(config.body.toString()), {
        regions: ['us-east-1', 'ap-south-1'],
        defaultRegion: 'us-east-1',
      });
      const redirect = await fetchBytes(server.url, '/console');
      assert.equal(redirect.status, 301);
      assert.equal((await fetchBytes(server.url, '/console/')).body.toString(), INDEX_HTML);
      assert.ok(server.logs().includes(`"msg":"console at ${server.url}/console/"`), server.logs());
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });

  test('without --regions config.json says any region (null)', async () => {
    const env = cliEnv(await tempHome('fleetca-console-'));
    const server = await startServer(env, ['--no-mqtt', '--console-dir', await makeFakeConsole()]);
    try {
      const config = await fetchBytes(server.url, '/console/config.json');
      assert.deepEqual(JSON.parse(config.body.toString()), { regions: null, defaultRegion: 'us-east-1' });
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });

  test('--no-console: /console is an unknown path', async () => {
    const env = cliEnv(await tempHome('fleetca-console-'));
    const server = await startServer(env, ['--no-mqtt', '--no-console']);
    try {
      const reply = await fetchBytes(server.url, '/console/config.json');
      assert.equal(reply.status, 404);
      assert.equal(reply.headers['x-amzn-errortype'], 'UnknownOperationException');
      assert.ok(!server.logs().includes('console at'));
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });

  test('config.json "console": false turns it off; --console-dir turns it on again', async () => {
    const home = await initialisedHome('fleetca-console-');
    const file = join(home, 'fleetca', 'config.json');
    const config = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    await writeFile(file, JSON.stringify({ ...config, console: false }));
    const env = cliEnv(home);
    const off = await startServer(env, ['--no-mqtt']);
    try {
      const reply = await fetchBytes(off.url, '/console/');
      assert.equal(reply.headers['x-amzn-errortype'], 'UnknownOperationException');
    } finally {
      assert.equal(await off.stop(), 0);
    }
    const on = await startServer(env, ['--no-mqtt', '--console-dir', await makeFakeConsole()]);
    try {
      assert.equal((await fetchBytes(on.url, '/console/')).body.toString(), INDEX_HTML);
    } finally {
      assert.equal(await on.stop(), 0);
    }
  });

  test('refusals: --console-dir with --no-console (252), a --console-dir without a console (255)', async () => {
    const env = cliEnv(await tempHome('fleetca-console-'));
    const both = await runCli(['serve', '--no-console', '--console-dir', 'x'], env);
    assert.equal(both.code, 252, both.stderr);
    assert.match(both.stderr, /argument --no-console: not allowed with --console-dir/);
    const empty = await runCli(['serve', '--console-dir', ''], env);
    assert.equal(empty.code, 252, empty.stderr);
    assert.match(empty.stderr, /argument --console-dir: expected a directory/);
    const missing = join(await tempHome('fleetca-console-'), 'nothing-here');
    const absent = await runCli(['serve', '--port', '0', '--no-mqtt', '--console-dir', missing], env);
    assert.equal(absent.code, 255, absent.stderr);
    assert.ok(absent.stderr.includes(`--console-dir: ${missing} does not exist`), absent.stderr);
  });
});
