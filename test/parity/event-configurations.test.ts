import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { tempHome } from '../helpers/run-cli.js';
import { parityEnv, sideBySide } from './side-by-side.js';
import { StubEndpoint } from './stub-endpoint.js';

/**
 * The event-configuration operations side by side with the real AWS CLI v2 (/usr/bin/aws): the same arguments must
 * produce the same request (method, path, JSON body), and the same response the same stdout in every output format.
 */

const ALL_OFF = Object.fromEntries(
  [
    'THING',
    'THING_GROUP',
    'THING_TYPE',
    'THING_GROUP_MEMBERSHIP',
    'THING_GROUP_HIERARCHY',
    'THING_TYPE_ASSOCIATION',
    'JOB',
    'JOB_EXECUTION',
    'POLICY',
    'CERTIFICATE',
    'CA_CERTIFICATE',
  ].map((type) => [type, { Enabled: false }]),
);

const CASES: readonly { name: string; args: readonly string[]; response: unknown }[] = [
  {
    name: 'describe-event-configurations, never configured',
    args: ['describe-event-configurations'],
    response: { eventConfigurations: ALL_OFF },
  },
  {
    name: 'describe-event-configurations with dates',
    args: ['describe-event-configurations'],
    response: {
      eventConfigurations: { ...ALL_OFF, THING: { Enabled: true } },
      creationDate: 1559925941.924,
      lastModifiedDate: 1559926175.458,
    },
  },
  {
    name: 'update-event-configurations in JSON',
    args: [
      'update-event-configurations',
      '--event-configurations',
      '{"THING":{"Enabled":true},"JOB":{"Enabled":false}}',
    ],
    response: {},
  },
  {
    name: 'update-event-configurations in shorthand',
    args: [
      'update-event-configurations',
      '--event-configurations',
      'THING={Enabled=true},CA_CERTIFICATE={Enabled=true}',
    ],
    response: {},
  },
];

describe('event-configuration operations side by side with aws v2', () => {
  const stub = new StubEndpoint();
  let home: string;
  before(async () => {
    home = await tempHome('fleetca-parity-events-');
    await stub.start();
  });
  after(() => stub.stop());

  for (const testCase of CASES) {
    it(`${testCase.name}: the same request, and the same output in json, text, table and yaml`, async () => {
      stub.respond({ body: testCase.response });
      for (const output of ['json', 'text', 'table', 'yaml']) {
        const before = stub.requests.length;
        const { aws, fleetca } = await sideBySide([...testCase.args, '--output', output], stub.url, parityEnv(home), 0);
        assert.equal(fleetca.code, aws.code, `${output}: exit code; fleetca stderr: ${fleetca.stderr}`);
        assert.equal(fleetca.stdout, aws.stdout, `${output}: stdout`);
        const [fromAws, fromFleetca] = stub.requests.slice(before);
        assert.ok(fromAws && fromFleetca, 'both sent a request');
        assert.equal(fromFleetca.method, fromAws.method);
        assert.equal(fromFleetca.url, fromAws.url);
        assert.deepEqual(parsed(fromFleetca.body), parsed(fromAws.body), `${output}: request body`);
      }
    });
  }

  it('an InvalidRequestException reads the same', async () => {
    stub.respond({
      status: 400,
      headers: { 'x-amzn-ErrorType': 'InvalidRequestException:http://internal.amazon.com/coral/com.amazonaws.iot/' },
      body: { message: '1 validation error detected' },
    });
    const args = ['update-event-configurations', '--event-configurations', '{"THINGS":{"Enabled":true}}'];
    const { aws, fleetca } = await sideBySide(args, stub.url, parityEnv(home), 254);
    assert.equal(fleetca.code, aws.code);
    // fleetca names itself where the AWS CLI v2 prints no prefix: the same words after it.
    assert.equal(fleetca.stderr.trim().replace(/^fleetca: \[ERROR\]: /, ''), aws.stderr.trim());
  });
});

function parsed(body: string): unknown {
  return body === '' ? undefined : JSON.parse(body);
}
