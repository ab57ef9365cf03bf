/**
 * The real binary in remote mode against the real `fleetca serve`: a certificate's whole life
 * over HTTP with SigV4, verified by the server.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  type AccountCredentials,
  createAccount,
  type RunningServer,
  startServer,
} from '../../helpers/fleetca-server.js';
import { cliEnv, runCli, tempHome } from '../../helpers/run-cli.js';

describe('fleetca iot against fleetca serve', () => {
  let home: string;
  let server: RunningServer;
  let account: AccountCredentials;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    home = await tempHome('fleetca-remote-server-');
    const serverEnv = cliEnv(home);
    account = await createAccount(serverEnv);
    server = await startServer(serverEnv);
    // The client has no data directory of its own: everything must go over HTTP.
    env = cliEnv(home, {
      FLEETCA_HOME: join(home, 'client-must-not-use'),
      AWS_ENDPOINT_URL: server.url,
      AWS_ACCESS_KEY_ID: account.accessKeyId,
      AWS_SECRET_ACCESS_KEY: account.secretAccessKey,
      AWS_REGION: 'eu-west-1',
    });
  });
  after(async () => {
    await server?.stop();
    await rm(home, { recursive: true, force: true });
  });

  it('creates, describes, lists, deactivates and deletes a certificate', async () => {
    const created = await runCli(['iot', 'create-keys-and-certificate', '--set-as-active'], env);
    assert.equal(created.code, 0, created.stderr);
    const { certificateId, certificateArn } = JSON.parse(created.stdout) as Record<string, string>;
    assert.equal(certificateArn, `arn:aws:iot:eu-west-1:${account.accountId}:cert/${certificateId}`);

    const described = await runCli(['iot', 'describe-certificate', '--certificate-id', certificateId as string], env);
    assert.equal(described.code, 0, described.stderr);
    assert.match(described.stdout, /"status": "ACTIVE"/);
    assert.match(described.stdout, /"creationDate": "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00"/);

    const listed = await runCli(['iot', 'list-certificates'], env);
    assert.match(listed.stdout, new RegExp(`"certificateId": "${certificateId}"`));

    const refused = await runCli(['iot', 'delete-certificate', '--certificate-id', certificateId as string], env);
    assert.equal(refused.code, 254);
    assert.match(
      refused.stderr,
      /An error occurred \(CertificateStateException\) when calling the DeleteCertificate operation/,
    );

    const steps = [
      ['iot', 'update-certificate', '--certificate-id', certificateId as string, '--new-status', 'INACTIVE'],
      ['iot', 'delete-certificate', '--certificate-id', certificateId as string],
    ];
    for (const step of steps) {
      const run = await runCli(step, env);
      assert.deepEqual([run.code, run.stdout, run.stderr], [0, '', '']);
    }
    const gone = await runCli(['iot', 'describe-certificate', '--certificate-id', certificateId as string], env);
    assert.deepEqual(
      [gone.code, gone.stderr],
      [
        254,
        '\nfleetca: [ERROR]: An error occurred (ResourceNotFoundException) when calling the DescribeCertificate operation: The specified resource does not exist\n',
      ],
    );
  });

  it('is refused by the server with a wrong secret (a service error, exit 254)', async () => {
    const run = await runCli(['iot', 'list-certificates'], { ...env, AWS_SECRET_ACCESS_KEY: 'wrong' });
    assert.equal(run.code, 254);
    assert.match(
      run.stderr,
      /^\nfleetca: \[ERROR\]: An error occurred \(\w+\) when calling the ListCertificates operation/,
    );
  });
});
