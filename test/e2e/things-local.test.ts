import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { cliEnv, makeEcCsr, runCli, tempHome } from '../helpers/run-cli.js';

/** The thing commands in local mode: the real binary on a data directory of its own. */
describe('things through the CLI, local mode', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  const iot = (...args: string[]) => runCli(['iot', ...args], env);
  const ok = async (...args: string[]) => {
    const run = await iot(...args);
    assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
    return run.stdout === '' ? {} : JSON.parse(run.stdout);
  };

  before(async () => {
    home = await tempHome('fleetca-things-e2e-');
    env = cliEnv(home, { AWS_DEFAULT_REGION: 'us-east-1' });
  });

  test('create-thing, list-things, and a certificate attached to it', async () => {
    const created = await ok('create-thing', '--thing-name', 'x');
    assert.deepEqual(Object.keys(created), ['thingName', 'thingArn', 'thingId']);
    assert.match(created.thingArn, /^arn:aws:iot:us-east-1:\d{12}:thing\/x$/);
    await ok('create-thing', '--thing-name', 'y', '--attribute-payload', 'attributes={color=red}');
    const listed = await ok('list-things');
    assert.deepEqual(
      listed.things.map((thing: { thingName: string }) => thing.thingName),
      ['x', 'y'],
    );
    const text = await iot('list-things', '--attribute-name', 'color', '--attribute-value', 'red', '--output', 'text');
    assert.match(text.stdout, /^THINGS\t.*\ty\t1\nATTRIBUTES\tred\n$/);

    const csr = await makeEcCsr(home, 'thing-x');
    const certificate = await ok('create-certificate-from-csr', '--certificate-signing-request', `file://${csr}`);
    await ok('attach-thing-principal', '--thing-name', 'x', '--principal', certificate.certificateArn);
    assert.deepEqual((await ok('list-principal-things', '--principal', certificate.certificateArn)).things, ['x']);
    const refused = await iot('delete-certificate', '--certificate-id', certificate.certificateId);
    assert.equal(refused.code, 254);
    assert.match(refused.stderr, /\(DeleteConflictException\) when calling the DeleteCertificate operation/);
    const conflict = await iot('delete-thing', '--thing-name', 'x');
    assert.match(conflict.stderr, /\(InvalidRequestException\).*still attached to one or more principals/);
    await ok('detach-thing-principal', '--thing-name', 'x', '--principal', certificate.certificateArn);
    await ok('delete-thing', '--thing-name', 'x', '--expected-version', '1');
    await ok('delete-certificate', '--certificate-id', certificate.certificateId);
    assert.deepEqual(
      (await ok('list-things')).things.map((thing: { thingName: string }) => thing.thingName),
      ['y'],
    );
  });
});
