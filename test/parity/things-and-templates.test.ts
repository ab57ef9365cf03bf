import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempHome } from '../helpers/run-cli.js';
import { parityEnv, sideBySide } from './side-by-side.js';
import { StubEndpoint } from './stub-endpoint.js';

/**
 * The operations issue 7 added (things, provisioning templates, claims), side by side with the real AWS CLI v2
 * (/usr/bin/aws): the same arguments must produce the same request (method, path and query, JSON body), and the
 * same response the same stdout in every output format — maps (thing attributes) included.
 */

const ID = 'c'.repeat(64);
const CERT_ARN = `arn:aws:iot:us-east-1:123456789012:cert/${ID}`;
const TEMPLATE_BODY = '{"Resources":{"thing":{"Type":"AWS::IoT::Thing","Properties":{"ThingName":"t"}}}}';

interface Case {
  readonly name: string;
  readonly args: readonly string[];
  readonly response: unknown;
}

const CASES: readonly Case[] = [
  {
    name: 'create-thing with attributes (shorthand)',
    args: [
      'create-thing',
      '--thing-name',
      'sensor-1',
      '--attribute-payload',
      'attributes={serial=0042,site=lab},merge=true',
    ],
    response: { thingName: 'sensor-1', thingArn: 'arn:aws:iot:us-east-1:123456789012:thing/sensor-1', thingId: 'id-1' },
  },
  {
    name: 'describe-thing (a map in the output)',
    args: ['describe-thing', '--thing-name', 'sensor-1'],
    response: {
      defaultClientId: 'sensor-1',
      thingName: 'sensor-1',
      thingId: 'id-1',
      thingArn: 'arn:aws:iot:us-east-1:123456789012:thing/sensor-1',
      attributes: { serial: '0042', site: 'lab', zeta: '' },
      version: 3,
    },
  },
  {
    name: 'list-things with an attribute filter',
    args: ['list-things', '--attribute-name', 'site', '--attribute-value', 'lab', '--no-paginate'],
    response: {
      things: [
        {
          thingName: 'a',
          thingArn: 'arn:aws:iot:us-east-1:123456789012:thing/a',
          attributes: { site: 'lab' },
          version: 1,
        },
        { thingName: 'b', thingArn: 'arn:aws:iot:us-east-1:123456789012:thing/b', attributes: {}, version: 2 },
      ],
    },
  },
  {
    name: 'attach-thing-principal (a header member)',
    args: ['attach-thing-principal', '--thing-name', 'sensor-1', '--principal', CERT_ARN],
    response: {},
  },
  {
    name: 'list-thing-principals',
    args: ['list-thing-principals', '--thing-name', 'sensor-1', '--no-paginate'],
    response: { principals: [CERT_ARN] },
  },
  {
    name: 'list-principal-things',
    args: ['list-principal-things', '--principal', CERT_ARN, '--no-paginate'],
    response: { things: ['sensor-1', 'sensor-2'] },
  },
  {
    name: 'create-provisioning-template from a file',
    args: [
      'create-provisioning-template',
      '--template-name',
      'fleet',
      '--template-body',
      'file://TEMPLATE',
      '--provisioning-role-arn',
      'arn:aws:iam::123456789012:role/p',
      '--enabled',
      '--tags',
      'Key=team,Value=iot',
    ],
    response: {
      templateArn: 'arn:aws:iot:us-east-1:123456789012:provisioningtemplate/fleet',
      templateName: 'fleet',
      defaultVersionId: 1,
    },
  },
  {
    name: 'describe-provisioning-template',
    args: ['describe-provisioning-template', '--template-name', 'fleet'],
    response: {
      templateArn: 'arn:aws:iot:us-east-1:123456789012:provisioningtemplate/fleet',
      templateName: 'fleet',
      description: 'sensors',
      creationDate: 1700000000,
      lastModifiedDate: 1700000100.5,
      defaultVersionId: 1,
      templateBody: TEMPLATE_BODY,
      enabled: true,
      provisioningRoleArn: 'arn:aws:iam::123456789012:role/p',
      type: 'FLEET_PROVISIONING',
    },
  },
  {
    name: 'create-provisioning-claim',
    args: ['create-provisioning-claim', '--template-name', 'fleet'],
    response: {
      certificateId: ID,
      certificatePem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
      keyPair: { PublicKey: 'PUB', PrivateKey: 'PRIV' },
      expiration: 1700000300,
    },
  },
];

describe('things, provisioning templates and claims side by side with aws v2', () => {
  const stub = new StubEndpoint();
  let home: string;
  let templateFile: string;
  before(async () => {
    home = await tempHome('fleetca-parity-things-');
    templateFile = join(home, 'template.json');
    await writeFile(templateFile, TEMPLATE_BODY);
    await stub.start();
  });
  after(() => stub.stop());

  for (const testCase of CASES) {
    it(`${testCase.name}: the same request, and the same output in json, text, table and yaml`, async () => {
      stub.respond({ body: testCase.response });
      const args = testCase.args.map((arg) => arg.replace('file://TEMPLATE', `file://${templateFile}`));
      for (const output of ['json', 'text', 'table', 'yaml']) {
        const before = stub.requests.length;
        const { aws, fleetca } = await sideBySide([...args, '--output', output], stub.url, parityEnv(home), 0);
        assert.equal(fleetca.code, aws.code, `${output}: exit code; aws stderr: ${aws.stderr}`);
        assert.equal(fleetca.stdout, aws.stdout, `${output}: stdout`);
        const [fromAws, fromFleetca] = stub.requests.slice(before);
        assert.ok(fromAws && fromFleetca, 'both sent a request');
        assert.equal(fromFleetca.method, fromAws.method);
        assert.equal(fromFleetca.url, fromAws.url);
        assert.deepEqual(parsed(fromFleetca.body), parsed(fromAws.body), `${output}: request body`);
        assert.equal(fromFleetca.headers['x-amzn-principal'], fromAws.headers['x-amzn-principal']);
      }
    });
  }
});

function parsed(body: string): unknown {
  return body === '' ? undefined : JSON.parse(body);
}
