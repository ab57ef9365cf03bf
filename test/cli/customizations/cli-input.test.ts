import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runFleetca, tempDir } from '../cli-harness.js';

const PREFIX = '\nfleetca: [ERROR]: An error occurred (ParamValidation): ';
const keys = (...args: string[]) => runFleetca(['iot', 'create-keys-and-certificate', ...args]);

describe('--cli-input-json / --cli-input-yaml', () => {
  it('fills the parameters the command line did not set; the command line wins', async () => {
    const fromJson = await keys('--cli-input-json', '{"setAsActive": true}');
    assert.equal(fromJson.code, 0, fromJson.stderr);
    assert.deepEqual(fromJson.calls[0]?.params, { setAsActive: true });
    const overridden = await keys('--cli-input-json', '{"setAsActive": true}', '--no-set-as-active');
    assert.deepEqual(overridden.calls[0]?.params, { setAsActive: false });
    const fromYaml = await keys('--cli-input-yaml', 'setAsActive: false');
    assert.deepEqual(fromYaml.calls[0]?.params, { setAsActive: false });
  });

  it('makes required arguments optional and reads file:// and fileb://', async () => {
    const dir = tempDir();
    try {
      const id = 'a'.repeat(64);
      writeFileSync(join(dir.path, 'in.json'), `{"certificateId": "${id}"}`);
      writeFileSync(join(dir.path, 'in.yaml'), `certificateId: '${id}'\n`);
      const json = await runFleetca(['iot', 'describe-certificate', '--cli-input-json', `file://${dir.path}/in.json`]);
      assert.equal(json.code, 0, json.stderr);
      assert.deepEqual(json.calls[0]?.params, { certificateId: id });
      const yaml = await runFleetca(['iot', 'describe-certificate', '--cli-input-yaml', `fileb://${dir.path}/in.yaml`]);
      assert.deepEqual(yaml.calls[0]?.params, { certificateId: id });
    } finally {
      dir.remove();
    }
  });

  it('reports bad documents with the AWS CLI texts, sending nothing (252)', async () => {
    const cases: [string[], string][] = [
      [['--cli-input-json', '{bad'], "Error parsing parameter 'cli-input-json': Invalid JSON received."],
      [
        ['--cli-input-json', '[1]'],
        "Error parsing parameter '--cli-input-json': Invalid type: expecting map, received <class 'list'>",
      ],
      [
        ['--cli-input-json', '{"foo": 1}'],
        'Parameter validation failed:\nUnknown parameter in input: "foo", must be one of: setAsActive',
      ],
      [
        ['--cli-input-json', '{"setAsActive": "yes"}'],
        "Parameter validation failed:\nInvalid type for parameter setAsActive, value: yes, type: <class 'str'>, valid types: <class 'bool'>",
      ],
      [
        ['--cli-input-json', 'file://missing.json'],
        "Error parsing parameter '--cli-input-json': Unable to load paramfile file://missing.json: [Errno 2] No such file or directory: 'missing.json'",
      ],
      [['--cli-input-yaml', '{bad: ['], "Error parsing parameter 'cli-input-yaml': Invalid YAML received."],
      [['--cli-input-json', '{}', '--cli-input-yaml', '{}'], 'Only one --cli-input- parameter may be specified.'],
    ];
    for (const [args, message] of cases) {
      const result = await keys(...args);
      assert.equal(result.code, 252, args.join(' '));
      assert.equal(result.calls.length, 0);
      assert.equal(result.stderr, `${PREFIX}${message}\n`, args.join(' '));
    }
  });

  it('accepts an empty document', async () => {
    const result = await keys('--cli-input-json', '{}');
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.calls[0]?.params, {});
  });
});
