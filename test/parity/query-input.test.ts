import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type CliResult, runCli } from '../helpers/run-cli.js';
import { asFleetca, parityEnv, runOracle } from './side-by-side.js';
import { StubEndpoint, type StubResponse } from './stub-endpoint.js';

const ID = (c: string) => c.repeat(64);
const cert = (c: string, status: string, created: number) => ({
  certificateArn: `arn:aws:iot:us-east-1:123456789012:cert/${ID(c)}`,
  certificateId: ID(c),
  status,
  certificateMode: 'DEFAULT',
  creationDate: created,
});
const PAGE = { body: { certificates: [cert('a', 'ACTIVE', 1700000000), cert('b', 'INACTIVE', 1700000500)] } };
const PAGES: StubResponse[] = [
  { body: { certificates: [cert('a', 'ACTIVE', 1700000000)], nextMarker: 'm2' } },
  { body: { certificates: [cert('b', 'REVOKED', 1700000100)], nextMarker: 'm4' } },
  { body: { certificates: [cert('c', 'ACTIVE', 1700000200)] } },
];
const KEYS = {
  body: {
    certificateArn: `arn:aws:iot:us-east-1:123456789012:cert/${ID('d')}`,
    certificateId: ID('d'),
    certificatePem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    keyPair: { PublicKey: 'pub', PrivateKey: 'priv' },
  },
};
const REGISTERED = { body: { certificateArn: 'arn:aws:iot:us-east-1:123456789012:cacert/x', certificateId: ID('e') } };
const DESCRIBED = {
  body: { certificateDescription: { certificateId: ID('a'), status: 'ACTIVE', creationDate: 1700000000 } },
};

interface Case {
  readonly name: string;
  readonly args: readonly string[];
  /** One response, or several for a paginated call (replayed afresh for each side). */
  readonly stub?: StubResponse | readonly StubResponse[];
  /** The exit code the AWS CLI must give (0 when absent): checked before fleetca is compared with it. */
  readonly code?: number;
  /** false: stderr wording differs by layout only for argparse errors; compare exit code and stdout. */
  readonly compareStderr?: boolean;
  readonly env?: Record<string, string>;
}

const LIST = ['list-certificates'];
const q = (expression: string, ...rest: string[]) => [...LIST, '--query', expression, ...rest];

const CASES: Case[] = [
  // --query: paths, projections, filters, multiselects, functions, pipes, null results.
  { name: 'path', args: q('certificates[0].certificateId'), stub: PAGE },
  { name: 'projection', args: q('certificates[*].status'), stub: PAGE },
  { name: 'legacy literal filter', args: q('certificates[?status==`ACTIVE`].certificateId'), stub: PAGE },
  { name: 'raw string filter', args: q("certificates[?status=='INACTIVE'].certificateId"), stub: PAGE },
  { name: 'json literal filter', args: q('certificates[?status==`"INACTIVE"`].certificateId'), stub: PAGE },
  // v2 hands --query its timestamps as ISO strings, so comparing one with a number is a type error (255).
  {
    name: 'timestamp compared with a number',
    args: q('certificates[?creationDate>`1700000100`].status'),
    stub: PAGE,
    code: 255,
  },
  { name: 'multiselect hash', args: q('{ids: certificates[].certificateId, n: length(certificates)}'), stub: PAGE },
  { name: 'multiselect list with null', args: q('[certificates[0].status, nextMarker]'), stub: PAGE },
  { name: 'length', args: q('length(certificates)'), stub: PAGE },
  { name: 'sort_by expref', args: q('sort_by(certificates, &status)[].status'), stub: PAGE },
  { name: 'pipe', args: q('certificates[].certificateArn | [1]'), stub: PAGE },
  { name: 'null json', args: q('missing'), stub: PAGE },
  { name: 'null text', args: q('missing', '--output', 'text'), stub: PAGE },
  { name: 'null yaml', args: q('missing', '--output', 'yaml'), stub: PAGE },
  { name: 'text projection', args: q('certificates[*].certificateId', '--output', 'text'), stub: PAGE },
  { name: 'text list of lists', args: q('certificates[].[certificateId, status]', '--output', 'text'), stub: PAGE },
  { name: 'max_by', args: q('max_by(certificates, &creationDate).status'), stub: PAGE },
  { name: 'join', args: q("join(', ', certificates[].status)"), stub: PAGE },
  { name: 'contains', args: q("contains(certificates[].status, 'ACTIVE')"), stub: PAGE },
  { name: 'starts_with filter', args: q("certificates[?starts_with(certificateId, 'b')] | length(@)"), stub: PAGE },
  { name: 'to_string', args: q('to_string(length(certificates))'), stub: PAGE },
  { name: 'whole object', args: q('certificates[0]'), stub: PAGE },
  { name: 'slice', args: q('certificates[:1].certificateId'), stub: PAGE },
  { name: 'identity', args: q('@'), stub: PAGE },
  { name: 'not_null', args: q("not_null(nextMarker, 'none')"), stub: PAGE },
  { name: 'not expression', args: q("!contains(certificates[].status, 'X')"), stub: PAGE },
  { name: 'keys', args: q('keys(certificates[0])'), stub: PAGE },
  { name: 'negative index', args: q('certificates[-1].status'), stub: PAGE },
  { name: 'flatten', args: q('certificates[].[status][]'), stub: PAGE },
  { name: 'table scalar', args: q('certificates[0].status', '--output', 'table'), stub: PAGE },
  { name: 'yaml hash', args: q('{s: certificates[0].status}', '--output', 'yaml'), stub: PAGE },
  { name: 'timestamps', args: q('certificates[].creationDate'), stub: PAGE },
  // Per page for text / yaml-stream, once on the merged result for json / yaml.
  { name: 'pages json', args: q('certificates[0].certificateId'), stub: PAGES },
  { name: 'pages text', args: q('certificates[0].certificateId', '--output', 'text'), stub: PAGES },
  { name: 'pages yaml-stream', args: q('certificates[0].status', '--output', 'yaml-stream'), stub: PAGES },
  { name: 'pages yaml', args: q('certificates[].status', '--output', 'yaml'), stub: PAGES },
  { name: 'pages length', args: q('length(certificates)'), stub: PAGES },
  { name: 'pages text length', args: q('length(certificates)', '--output', 'text'), stub: PAGES },
  // Query errors: syntax (252, nothing sent) and evaluation (255, after the call).
  { name: 'incomplete', args: q('[['), code: 252 },
  { name: 'unexpected token', args: q('foo]'), code: 252 },
  { name: 'dot at end', args: q('a.'), code: 252 },
  { name: 'lexer error', args: q('$x'), code: 252 },
  { name: 'expecting colon', args: q('{a}'), code: 252 },
  { name: 'slice syntax', args: q('a[1:2:3:4]'), code: 252 },
  { name: 'bare equals', args: q('a=b'), code: 252 },
  { name: 'unknown function', args: q('foo(@)'), stub: PAGE, code: 255 },
  { name: 'type error', args: q('length(`1`)'), stub: PAGE, code: 255 },
  { name: 'arity error', args: q('length(@, @)'), stub: PAGE, code: 255 },
  { name: 'array-string type error', args: q("join(',', certificates)"), stub: PAGE, code: 255 },
  // --cli-input-json / --cli-input-yaml.
  {
    name: 'input json',
    args: ['create-keys-and-certificate', '--cli-input-json', '{"setAsActive": true}'],
    stub: KEYS,
  },
  {
    name: 'command line wins',
    args: ['create-keys-and-certificate', '--cli-input-json', '{"setAsActive": true}', '--no-set-as-active'],
    stub: KEYS,
  },
  { name: 'input yaml', args: ['create-keys-and-certificate', '--cli-input-yaml', 'setAsActive: true'], stub: KEYS },
  { name: 'input empty', args: ['create-keys-and-certificate', '--cli-input-json', '{}'], stub: KEYS },
  {
    name: 'input fills required',
    args: ['describe-certificate', '--cli-input-json', `{"certificateId": "${ID('a')}"}`],
    stub: DESCRIBED,
  },
  {
    name: 'input list paging member',
    args: [...LIST, '--cli-input-json', '{"ascendingOrder": true, "pageSize": 5}'],
    stub: PAGE,
  },
  { name: 'input bad json', args: ['create-keys-and-certificate', '--cli-input-json', '{bad'], code: 252 },
  { name: 'input list', args: ['create-keys-and-certificate', '--cli-input-json', '[1]'], code: 252 },
  { name: 'input string', args: ['create-keys-and-certificate', '--cli-input-json', '"x"'], code: 252 },
  { name: 'input unknown key', args: ['create-keys-and-certificate', '--cli-input-json', '{"foo": 1}'], code: 252 },
  {
    name: 'input bad type',
    args: ['create-keys-and-certificate', '--cli-input-json', '{"setAsActive": "yes"}'],
    code: 252,
  },
  {
    name: 'input missing file',
    args: ['create-keys-and-certificate', '--cli-input-json', 'file:///nonexistent/in.json'],
    code: 252,
  },
  { name: 'input bad yaml', args: ['create-keys-and-certificate', '--cli-input-yaml', '{bad: ['], code: 252 },
  { name: 'input yaml scalar', args: ['create-keys-and-certificate', '--cli-input-yaml', 'abc'], code: 252 },
  {
    name: 'input both',
    args: ['create-keys-and-certificate', '--cli-input-json', '{}', '--cli-input-yaml', '{}'],
    code: 252,
  },
  {
    name: 'input yaml nested',
    args: [
      'register-ca-certificate',
      '--cli-input-yaml',
      'caCertificate: pem\ntags:\n- Key: a\n  Value: b\nregistrationConfig:\n  templateName: t\n',
    ],
    stub: REGISTERED,
  },
  // --generate-cli-skeleton.
  { name: 'skeleton', args: ['create-keys-and-certificate', '--generate-cli-skeleton'] },
  { name: 'skeleton input', args: ['create-keys-and-certificate', '--generate-cli-skeleton', 'input'] },
  { name: 'skeleton yaml-input', args: ['create-keys-and-certificate', '--generate-cli-skeleton', 'yaml-input'] },
  { name: 'skeleton list', args: [...LIST, '--generate-cli-skeleton'] },
  { name: 'skeleton no members', args: ['get-registration-code', '--generate-cli-skeleton'] },
  { name: 'skeleton no members yaml', args: ['get-registration-code', '--generate-cli-skeleton', 'yaml-input'] },
  { name: 'skeleton ignores required', args: ['describe-certificate', '--generate-cli-skeleton'] },
  { name: 'skeleton delete', args: ['delete-certificate', '--generate-cli-skeleton'] },
  {
    name: 'skeleton output fails',
    args: ['create-keys-and-certificate', '--generate-cli-skeleton', 'output'],
    code: 252,
  },
  { name: 'skeleton output ok', args: ['describe-endpoint', '--generate-cli-skeleton', 'output'] },
  {
    name: 'skeleton output query',
    args: ['describe-endpoint', '--generate-cli-skeleton', 'output', '--query', 'endpointAddress', '--output', 'text'],
  },
  {
    name: 'skeleton output keeps required',
    args: ['describe-certificate', '--generate-cli-skeleton', 'output'],
    code: 252,
    compareStderr: false,
  },
  {
    name: 'skeleton output needs region',
    args: ['describe-endpoint', '--generate-cli-skeleton', 'output'],
    env: { AWS_DEFAULT_REGION: '' },
    code: 253,
  },
  {
    name: 'skeleton needs no credentials',
    args: ['describe-endpoint', '--generate-cli-skeleton', 'output'],
    env: { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' },
  },
  {
    name: 'skeleton bad choice',
    args: ['create-keys-and-certificate', '--generate-cli-skeleton', 'xml'],
    code: 252,
    compareStderr: false,
  },
  // --cli-binary-format.
  { name: 'binary format', args: [...LIST, '--cli-binary-format', 'raw-in-base64-out'], stub: PAGE },
  { name: 'binary format bad', args: [...LIST, '--cli-binary-format', 'hex'], code: 252, compareStderr: false },
  // Shorthand syntax and JSON for structure and list parameters.
  {
    name: 'shorthand tags',
    args: ['register-ca-certificate', '--ca-certificate', 'pem', '--tags', 'Key=a,Value=b', 'Key=c,Value=d'],
    stub: REGISTERED,
  },
  {
    name: 'shorthand structure',
    args: [
      'update-ca-certificate',
      '--certificate-id',
      ID('a'),
      '--registration-config',
      'templateName=x,roleArn=arn:aws:iam::123456789012:role/r',
    ],
    stub: { body: {} },
  },
  {
    name: 'shorthand quoted',
    args: [
      'update-ca-certificate',
      '--certificate-id',
      ID('a'),
      '--registration-config',
      'templateBody="{\\"a\\": 1}",templateName=t',
    ],
    stub: { body: {} },
  },
  {
    name: 'shorthand syntax error',
    args: ['register-ca-certificate', '--ca-certificate', 'pem', '--tags', 'Key'],
    code: 252,
  },
  {
    name: 'shorthand duplicate key',
    args: ['register-ca-certificate', '--ca-certificate', 'pem', '--tags', 'Key=a,Key=b'],
    code: 252,
  },
  {
    name: 'json list',
    args: ['register-ca-certificate', '--ca-certificate', 'pem', '--tags', '[{"Key":"a","Value":"b"}]'],
    stub: REGISTERED,
  },
  {
    name: 'json objects per item',
    args: ['register-ca-certificate', '--ca-certificate', 'pem', '--tags', '{"Key":"a"}', '{"Key":"b"}'],
    stub: REGISTERED,
  },
  {
    name: 'shorthand unknown key',
    args: ['register-ca-certificate', '--ca-certificate', 'pem', '--tags', 'Kee=a'],
    code: 252,
  },
];

/** fleetca's v2.34+ error layout written the way 2.9.19 lays it out (the wording is the same). */
function asV29Layout(stderr: string): string {
  return stderr.replace(/^\nfleetca: \[ERROR\]: (?:An error occurred \((?:ParamValidation|NoRegion)\): )?/, '\n');
}

interface Side {
  readonly result: CliResult;
  readonly requests: readonly string[];
}

describe('--query, --cli-input-*, --generate-cli-skeleton and shorthand side by side with aws 2.9.19', () => {
  let home: string;
  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'fleetca-parity-query-'));
    await writeFile(join(home, 'aws-config'), '');
    await writeFile(join(home, 'aws-credentials'), '');
  });
  after(async () => {
    await rm(home, { recursive: true, force: true });
  });

  async function side(tool: 'aws' | 'fleetca', c: Case, stub: StubEndpoint): Promise<Side> {
    const responses = Array.isArray(c.stub) ? c.stub : [c.stub ?? { body: {} }];
    stub.respondSequence(responses as StubResponse[]);
    stub.requests.length = 0;
    const env = parityEnv(home, c.env);
    for (const [key, value] of Object.entries(c.env ?? {})) if (value === '') delete env[key];
    const args = ['iot', ...c.args, '--endpoint-url', stub.url];
    const result = tool === 'aws' ? await runOracle(args, env, c.code ?? 0) : await runCli(args, env);
    const requests = stub.requests.map((r) => `${r.method} ${r.url} ${r.body}`);
    return { result, requests };
  }

  for (const c of CASES) {
    it(c.name, async () => {
      const stub = await new StubEndpoint().start();
      try {
        const aws = await side('aws', c, stub);
        const fleetca = await side('fleetca', c, stub);
        const label = `${c.name}: ${c.args.join(' ')}`;
        assert.equal(fleetca.result.code, aws.result.code, `${label}\nfleetca stderr: ${fleetca.result.stderr}`);
        assert.equal(fleetca.result.stdout, aws.result.stdout, label);
        assert.deepEqual(fleetca.requests, aws.requests, `${label}: requests`);
        if (c.compareStderr !== false) {
          assert.equal(asV29Layout(fleetca.result.stderr), asFleetca(aws.result.stderr), `${label}: stderr`);
        }
      } finally {
        await stub.stop();
      }
    });
  }
});
