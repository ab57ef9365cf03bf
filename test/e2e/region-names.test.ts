import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ListCertificatesCommand } from '@aws-sdk/client-iot';
import { createAccount, iotClientFor, startServer } from '../helpers/fleetca-server.js';
import { type CliResult, cliEnv, initialisedHome, runCli } from '../helpers/run-cli.js';

function assertRefused(run: CliResult, pattern: RegExp): void {
  assert.equal(run.code, 255, run.stderr);
  assert.match(run.stderr, pattern);
  assert.equal(run.stdout, '');
  assert.doesNotMatch(run.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
}

async function editConfig(env: NodeJS.ProcessEnv, change: (config: Record<string, unknown>) => void): Promise<void> {
  const file = join(env.FLEETCA_HOME as string, 'config.json');
  const config = JSON.parse(await readFile(file, 'utf8'));
  change(config);
  await writeFile(file, JSON.stringify(config));
}

describe('region names', () => {
  test("local mode: an unknown --region (or AWS_REGION) is refused before anything is made; AWS's are taken", async () => {
    const env = cliEnv(await initialisedHome('fleetca-regions-'));
    const typo = await runCli(['iot', 'create-keys-and-certificate', '--region', 'us-esat-1'], env);
    assertRefused(
      typo,
      /^\nfleetca: \[ERROR\]: region "us-esat-1" is not an AWS region; check its spelling, or add it to "privateRegions" in config.json \(or FLEETCA_PRIVATE_REGIONS\) to use a private region name\n$/,
    );
    assertRefused(
      await runCli(['iot', 'list-certificates'], { ...env, AWS_REGION: 'lab-east-1' }),
      /"lab-east-1" is not an AWS region/,
    );
    const all = await runCli(['iot', 'list-certificates', '--region', 'ap-southeast-5'], env);
    assert.equal(all.code, 0, all.stderr);
    for (const region of ['us-east-1', 'eu-west-1']) {
      const listed = await runCli(['iot', 'list-certificates', '--region', region], env);
      assert.deepEqual(JSON.parse(listed.stdout).certificates, [], 'the refused request issued nothing');
    }
  });

  test('private region names: FLEETCA_PRIVATE_REGIONS or privateRegions in config.json', async () => {
    const env = cliEnv(await initialisedHome('fleetca-regions-private-'));
    const viaEnv = await runCli(['iot', 'list-certificates', '--region', 'lab-east-1'], {
      ...env,
      FLEETCA_PRIVATE_REGIONS: 'lab-west-1, lab-east-1',
    });
    assert.equal(viaEnv.code, 0, viaEnv.stderr);
    await editConfig(env, (config) => {
      config.privateRegions = ['lab-east-1'];
    });
    const viaConfig = await runCli(['iot', 'create-keys-and-certificate', '--region', 'lab-east-1'], env);
    assert.equal(viaConfig.code, 0, viaConfig.stderr);
    assert.match(JSON.parse(viaConfig.stdout).certificateArn, /^arn:aws:iot:lab-east-1:/);
    assertRefused(
      await runCli(['iot', 'list-certificates', '--region', 'lab-west-1'], env),
      /"lab-west-1" is not an AWS region nor one of the private regions \(lab-east-1\)/,
    );
    assertRefused(
      await runCli(['iot', 'list-certificates'], { ...env, FLEETCA_PRIVATE_REGIONS: 'Lab_East' }),
      /FLEETCA_PRIVATE_REGIONS: private region "Lab_East" is not a region name/,
    );
  });

  test('config.json: a malformed privateRegions, or a defaultRegion that is not a region, is refused', async () => {
    const env = cliEnv(await initialisedHome('fleetca-regions-config-'));
    await editConfig(env, (config) => {
      config.privateRegions = 'lab-east-1';
    });
    assertRefused(await runCli(['iot', 'list-certificates'], env), /privateRegions must be a list of region names/);
    await editConfig(env, (config) => {
      config.privateRegions = undefined;
      config.defaultRegion = 'us-esat-1';
    });
    assertRefused(
      await runCli(['iot', 'list-certificates'], env),
      /config\.json: defaultRegion "us-esat-1" is not an AWS region/,
    );
  });

  test('fleetca serve: requests signed for an unknown region are refused as AWS does; --regions must name known ones', async () => {
    const env = cliEnv(await initialisedHome('fleetca-regions-serve-'), { FLEETCA_PRIVATE_REGIONS: 'lab-east-1' });
    assertRefused(
      await runCli(
        ['serve', '--port', '0', '--no-mqtt', '--key-pool-size', '0', '--regions', 'us-east-1,us-esat-1'],
        env,
      ),
      /--regions: "us-esat-1" is not an AWS region/,
    );
    const credentials = await createAccount(env);
    const server = await startServer(env, ['--no-mqtt']);
    try {
      for (const region of ['us-east-1', 'lab-east-1']) {
        const answer = await iotClientFor(server, credentials, region).send(new ListCertificatesCommand({}));
        assert.deepEqual(answer.certificates, [], region);
      }
      await assert.rejects(
        iotClientFor(server, credentials, 'us-esat-1').send(new ListCertificatesCommand({})),
        (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
          assert.equal(err.name, 'InvalidSignatureException');
          assert.equal(err.message, 'Credential should be scoped to a valid region. ');
          assert.equal(err.$metadata?.httpStatusCode, 403);
          return true;
        },
      );
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });
});
