import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runFleetca } from '../cli-harness.js';

describe('--generate-cli-skeleton', () => {
  it('prints the input skeleton (json.dumps indent 4) without region, credentials or a call', async () => {
    for (const args of [['--generate-cli-skeleton'], ['--generate-cli-skeleton', 'input']]) {
      const result = await runFleetca(['iot', 'create-keys-and-certificate', ...args], {
        env: { AWS_DEFAULT_REGION: undefined },
      });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, '{\n    "setAsActive": true\n}\n');
      assert.equal(result.calls.length, 0);
      assert.equal(result.opened.length, 0);
    }
    const empty = await runFleetca(['iot', 'get-registration-code', '--generate-cli-skeleton']);
    assert.equal(empty.stdout, '{}\n');
  });

  it('ignores required arguments and nests structures and lists', async () => {
    const result = await runFleetca(['iot', 'register-ca-certificate', '--generate-cli-skeleton']);
    assert.equal(result.code, 0, result.stderr);
    const skeleton = JSON.parse(result.stdout);
    assert.deepEqual(skeleton.tags, [{ Key: '', Value: '' }]);
    assert.equal(skeleton.certificateMode, 'DEFAULT');
    assert.deepEqual(Object.keys(skeleton.registrationConfig), ['templateBody', 'roleArn', 'templateName']);
  });

  it('prints the yaml-input skeleton with ruamel comment spacing', async () => {
    const result = await runFleetca(['iot', 'create-keys-and-certificate', '--generate-cli-skeleton', 'yaml-input']);
    assert.equal(result.stdout, 'setAsActive: true  # Specifies whether the certificate is active.\n');
    const nested = await runFleetca(['iot', 'register-ca-certificate', '--generate-cli-skeleton', 'yaml-input']);
    const lines = nested.stdout.split('\n');
    assert.match(lines[0] as string, /^caCertificate: '' {2}# \[REQUIRED\] /);
    assert.match(lines[1] as string, /^verificationCertificate: '' # /);
    assert.ok(lines.includes('tags: # Tags to attach to the CA certificate.'), nested.stdout);
    assert.ok(lines.some((line) => /^- Key: '' {2}# \[REQUIRED\] /.test(line)));
    assert.ok(lines.some((line) => /^ {2}Value: '' # /.test(line)));
    assert.match(nested.stdout, /certificateMode: DEFAULT # .*Valid values are: DEFAULT, SNI_ONLY\.\n$/);
  });

  it('runs `output` with a fake response that is validated against the output shape', async () => {
    const failing = await runFleetca(['iot', 'create-keys-and-certificate', '--generate-cli-skeleton', 'output'], {
      env: { AWS_DEFAULT_REGION: 'us-east-1' },
    });
    assert.equal(failing.code, 252);
    assert.equal(
      failing.stderr,
      '\nfleetca: [ERROR]: An error occurred (ParamValidation): Parameter validation failed:\nInvalid length for parameter certificateId, value: 13, valid min length: 64\n',
    );
    assert.equal(failing.calls.length, 0);
    const ok = await runFleetca(['iot', 'describe-endpoint', '--generate-cli-skeleton', 'output'], {
      env: { AWS_DEFAULT_REGION: 'us-east-1' },
    });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, '{\n    "endpointAddress": "endpointAddress"\n}\n');
    assert.equal(ok.calls.length, 0);
  });

  it('needs a region for `output`, and keeps the required arguments', async () => {
    const noRegion = await runFleetca(['iot', 'describe-endpoint', '--generate-cli-skeleton', 'output'], {
      env: { AWS_DEFAULT_REGION: undefined, AWS_REGION: undefined },
    });
    assert.equal(noRegion.code, 253);
    assert.match(noRegion.stderr, /NoRegion/);
    const missing = await runFleetca(['iot', 'describe-certificate', '--generate-cli-skeleton', 'output']);
    assert.equal(missing.code, 252);
    assert.match(missing.stderr, /the following arguments are required: --certificate-id/);
  });

  it('refuses other values (argparse choice error)', async () => {
    const result = await runFleetca(['iot', 'create-keys-and-certificate', '--generate-cli-skeleton', 'xml']);
    assert.equal(result.code, 252);
    assert.match(result.stderr, /argument --generate-cli-skeleton: Found invalid choice 'xml'/);
  });
});
