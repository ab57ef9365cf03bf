import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asctime } from '../../../src/cli/debug/debug-log.js';
import { runCli, tempHome } from '../../helpers/run-cli.js';
import { parityEnv } from '../../parity/side-by-side.js';
import { StubEndpoint } from '../../parity/stub-endpoint.js';
import { CERT_ID, runFleetca } from '../cli-harness.js';

/** `2026-11-27 20:52:51,140 - MainThread - fleetca.clidriver - DEBUG - message` */
const LINE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} - MainThread - fleetca\.[a-z]+ - DEBUG - /;

/** The log records of a stderr text: a record starts with a timestamp; other lines continue it. */
function records(stderr: string): string[] {
  const out: string[] = [];
  for (const line of stderr.replace(/\n$/, '').split('\n')) {
    if (LINE.test(line)) out.push(line.replace(LINE, ''));
    else if (out.length > 0) out[out.length - 1] += `\n${line}`;
  }
  return out;
}

const KEY_PAIR = {
  certificateArn: `arn:aws:iot:us-east-1:123456789012:cert/${CERT_ID}`,
  certificateId: CERT_ID,
  certificatePem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
  keyPair: { PublicKey: 'PUB', PrivateKey: '-----BEGIN RSA PRIVATE KEY-----\nSECRET\n-----END RSA PRIVATE KEY-----\n' },
};

describe('--debug', () => {
  it("formats the timestamp as Python logging's asctime", () => {
    assert.equal(asctime(new Date(2026, 10, 27, 20, 52, 51, 40)), '2026-11-27 20:52:51,040');
  });

  it('logs version, arguments, configuration, the in-process call and its response; stdout unchanged', async () => {
    const argv = ['iot', 'create-keys-and-certificate', '--region', 'eu-west-1'];
    const plain = await runFleetca(argv, { respond: () => KEY_PAIR });
    const debug = await runFleetca([...argv, '--debug'], { respond: () => KEY_PAIR });
    assert.equal(debug.code, 0);
    assert.equal(debug.stdout, plain.stdout);
    assert.equal(plain.stderr, '');
    for (const line of debug.stderr
      .trimEnd()
      .split('\n')
      .filter((l) => / - DEBUG - /.test(l)))
      assert.match(line, LINE);
    const logged = records(debug.stderr);
    assert.match(logged[0] ?? '', /^CLI version: fleetca\/\S+ Node\/\S+ /);
    assert.equal(
      logged[1],
      "Arguments entered to CLI: ['iot', 'create-keys-and-certificate', '--region', 'eu-west-1', '--debug']",
    );
    assert.equal(
      logged[2],
      'Resolved configuration: profile=default region=eu-west-1 endpoint=local data directory output=json',
    );
    assert.match(
      logged[3] ?? '',
      /^Making request for OperationModel\(name=CreateKeysAndCertificate\) with params: \{'setAsActive': False\}|^Making request for OperationModel\(name=CreateKeysAndCertificate\) with params: \{\}/,
    );
    assert.match(logged[3] ?? '', /in-process call/);
    // As the AWS CLI does (spec §9), the response is logged in full, private key included.
    assert.ok(logged[4]?.startsWith('Response: {'));
    assert.ok(logged[4]?.includes('SECRET'));
  });

  it('logs the exception and the exit code of a failing command', async () => {
    const result = await runFleetca(['iot', 'describe-certificate', '--certificate-id', 'abc', '--debug']);
    assert.equal(result.code, 252);
    const logged = records(result.stderr);
    assert.ok(logged.some((r) => r.startsWith('Exception caught in main(): ParamValidationError: ')));
    assert.ok(logged.includes('Exiting with rc 252'));
    assert.ok(
      result.stderr.includes('\nfleetca: [ERROR]: An error occurred (ParamValidation): Parameter validation failed:\n'),
      'the error itself is still reported',
    );
  });

  it('stays off without --debug, and after a --debug run', async () => {
    await runFleetca(['iot', 'list-certificates', '--debug']);
    const result = await runFleetca(['iot', 'list-certificates']);
    assert.equal(result.stderr, '');
  });

  describe('in remote mode', () => {
    const stub = new StubEndpoint();
    let home: string;
    before(async () => {
      home = await tempHome('fleetca-debug-');
      await stub.start();
    });
    after(() => stub.stop());

    it('logs the signed request and the raw response', async () => {
      stub.respond({ body: KEY_PAIR });
      const result = await runCli(
        ['iot', 'create-keys-and-certificate', '--set-as-active', '--debug', '--endpoint-url', stub.url],
        parityEnv(home),
      );
      assert.equal(result.code, 0, result.stderr);
      assert.equal(JSON.parse(result.stdout).certificateId, CERT_ID);
      const logged = records(result.stderr);
      assert.ok(logged.some((r) => r.includes(`endpoint=${stub.url}`)));
      const request = logged.find((r) => r.startsWith('Sending http request: <HTTPRequest method=POST, url='));
      assert.ok(request, result.stderr);
      assert.ok(request.includes(`url=${stub.url}/keys-and-certificate?setAsActive=true`));
      assert.match(
        request,
        /'Authorization': 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/us-east-1\/iot/,
      );
      assert.ok(!result.stderr.includes('wJalrXUtnFEMI'), 'the secret access key is never logged');
      assert.ok(logged.some((r) => /"POST" 200 \d+$/.test(r)));
      assert.ok(logged.some((r) => r.startsWith('Response headers: {') && r.includes("'x-amzn-requestid'")));
      const body = logged.find((r) => r.startsWith("Response body:\nb'{"));
      assert.ok(body?.includes('SECRET'), 'the body is logged in full, private key included (spec §9)');
    });
  });
});
