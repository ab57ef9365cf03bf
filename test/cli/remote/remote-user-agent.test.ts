import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AUTH_ENV, json, runRemote, type Stub, startStub } from './remote-harness.js';

// botocore's `md/command#<service>.<operation>`: the service command the operation was called under.
describe('the User-Agent names the command a remote call came from', () => {
  let stub: Stub;
  before(async () => {
    stub = await startStub();
  });
  after(() => stub.close());

  const agentOf = async (argv: string[]) => {
    stub.requests.length = 0;
    stub.script([json({ certificates: [] })]);
    const run = await runRemote([...argv, '--endpoint-url', stub.url], { env: { ...AUTH_ENV } });
    assert.equal(run.code, 0, run.stderr);
    return stub.requests[0]?.headers['user-agent'] ?? '';
  };

  it('fleetca iot list-certificates: iot.list-certificates', async () => {
    assert.match(
      await agentOf(['iot', 'list-certificates', '--page-size', '1']),
      / md\/command#iot\.list-certificates$/,
    );
  });

  it('fleetca fleet search-certificates: fleet.search-certificates', async () => {
    assert.match(
      await agentOf(['fleet', 'search-certificates', '--page-size', '1']),
      / md\/command#fleet\.search-certificates$/,
    );
  });
});
