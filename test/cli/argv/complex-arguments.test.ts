import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runFleetca } from '../cli-harness.js';

const PEM = '-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n';

describe('structure and list arguments given as JSON', () => {
  it('parses a structure and a list of structures into the call', async () => {
    const result = await runFleetca([
      'iot',
      'register-ca-certificate',
      '--ca-certificate',
      PEM,
      '--registration-config',
      ' {"templateName": "jitp", "roleArn": "arn:aws:iam::123456789012:role/provisioning"}',
      '--tags',
      '[{"Key": "team", "Value": "fleet"}, {"Key": "env"}]',
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.calls[0]?.params, {
      caCertificate: PEM,
      registrationConfig: { templateName: 'jitp', roleArn: 'arn:aws:iam::123456789012:role/provisioning' },
      tags: [{ Key: 'team', Value: 'fleet' }, { Key: 'env' }],
    });
  });

  it('takes one JSON object given for a list as a list of one', async () => {
    const result = await runFleetca([
      'iot',
      'register-ca-certificate',
      '--ca-certificate',
      PEM,
      '--tags',
      '{"Key": "k"}',
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.calls[0]?.params.tags, [{ Key: 'k' }]);
  });

  it('reports text that is neither JSON nor shorthand the way the AWS CLI does, sending nothing (exit 252)', async () => {
    const notJson = await runFleetca([
      'iot',
      'update-ca-certificate',
      '--certificate-id',
      'a'.repeat(64),
      '--registration-config',
      'templateName',
    ]);
    // Neither JSON nor complete shorthand: the shorthand parser's error.
    assert.equal(notJson.code, 252);
    assert.equal(
      notJson.stderr,
      "\nfleetca: [ERROR]: An error occurred (ParamValidation): Error parsing parameter '--registration-config': Expected: '=', received: 'EOF' for input:\ntemplateName\n            ^\n",
    );
    const broken = await runFleetca([
      'iot',
      'update-ca-certificate',
      '--certificate-id',
      'a'.repeat(64),
      '--registration-config',
      '{"templateName": ',
    ]);
    assert.equal(broken.code, 252);
    assert.match(
      broken.stderr,
      /Error parsing parameter '--registration-config': Invalid JSON: .*\nJSON received: \{"templateName":\s*$/,
    );
    assert.deepEqual([...notJson.calls, ...broken.calls], []);
  });

  it('JSON of the wrong shape reaches botocore-style validation', async () => {
    const result = await runFleetca([
      'iot',
      'register-ca-certificate',
      '--ca-certificate',
      PEM,
      '--tags',
      '[{"Value": "no key"}]',
    ]);
    assert.equal(result.code, 252);
    assert.match(result.stderr, /Missing required parameter in tags\[0\]: "Key"/);
  });
});
