import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { tempHome } from '../helpers/run-cli.js';
import { parityEnv, sideBySide } from './side-by-side.js';

/**
 * `--output text` and `--output table` (with `--color`) side by side: the real AWS CLI v2
 * (/usr/bin/aws, 2.9.19 — its text/table bytes are those of 2.36) and fleetca against the same
 * scripted responses, comparing stdout bytes and exit codes. The AWS CLI's exit code (0 unless the case
 * says otherwise) is checked first.
 */

const ID = 'a'.repeat(64);
const CA_ID = 'b'.repeat(64);
const ARN = `arn:aws:iot:us-east-1:123456789012:cert/${ID}`;
const PEM = '-----BEGIN CERTIFICATE-----\nMIIBcert\n-----END CERTIFICATE-----\n';
const PUB = '-----BEGIN PUBLIC KEY-----\nMIIBpub\n-----END PUBLIC KEY-----\n';
const PRIV = '-----BEGIN RSA PRIVATE KEY-----\nMIIEpriv\n-----END RSA PRIVATE KEY-----\n';
/** A realistic-size PEM: 20 lines of 64 characters, so the table goes far past 80 columns. */
const LONG_PEM = `-----BEGIN CERTIFICATE-----\n${Array.from({ length: 20 }, (_, i) =>
  `MIIC${String(i).padStart(2, '0')}`.padEnd(64, 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo'),
).join('\n')}\n-----END CERTIFICATE-----\n`;

/** Scripted answers: by request path, with `marker` picking the page of a list. */
type Script = (path: string, marker: string | null) => unknown;

const ckc =
  (body: unknown): Script =>
  () =>
    body;

const DESCRIPTION = {
  certificateArn: ARN,
  certificateId: ID,
  caCertificateId: CA_ID,
  status: 'ACTIVE',
  certificatePem: 'PEMDATA',
  ownedBy: '123456789012',
  previousOwnedBy: '210987654321',
  creationDate: 1700000000,
  lastModifiedDate: 1700000000.123,
  customerVersion: 3,
  transferData: {
    transferMessage: 'please take it',
    rejectReason: 'no',
    transferDate: 1700000100,
    acceptDate: 1700000200,
    rejectDate: 1700000300,
  },
  generationId: 'gen-1',
  validity: { notBefore: 1700000000, notAfter: 2000000000 },
  certificateMode: 'DEFAULT',
};

const summary = (n: number, extra: Record<string, unknown> = {}) => ({
  certificateArn: `arn:aws:iot:us-east-1:123456789012:cert/${String(n).repeat(64).slice(0, 64)}`,
  certificateId: String(n).repeat(64).slice(0, 64),
  status: n % 2 === 0 ? 'ACTIVE' : 'INACTIVE',
  certificateMode: 'DEFAULT',
  creationDate: 1700000000 + n,
  ...extra,
});

const shortSummary = (n: number) => ({ certificateId: `c${n}`, status: 'ACTIVE', creationDate: 1700000000 + n });

/** Three pages: marker none → m2 → m3. */
const threePages: Script = (_path, marker) => {
  if (marker === null) return { certificates: [shortSummary(1), shortSummary(2)], nextMarker: 'm2' };
  if (marker === 'm2') return { certificates: [shortSummary(3)], nextMarker: 'm3' };
  return { certificates: [shortSummary(4)] };
};

interface Case {
  readonly name: string;
  readonly args: readonly string[];
  readonly script: Script;
  /** Formats to run it in; both by default. */
  readonly formats?: readonly ('text' | 'table')[];
  /** The AWS CLI's exit code per format where it is not 0. */
  readonly awsExit?: { readonly table?: number };
}

const CKC = ['create-keys-and-certificate'];
const DESCRIBE = ['describe-certificate', '--certificate-id', ID];
const LIST = ['list-certificates'];

const CASES: readonly Case[] = [
  {
    name: 'create-keys-and-certificate, multi-line PEMs (fmt-ok)',
    args: CKC,
    script: ckc({
      certificateArn: ARN,
      certificateId: ID,
      certificatePem: PEM,
      keyPair: { PublicKey: PUB, PrivateKey: PRIV },
    }),
  },
  {
    name: 'create-keys-and-certificate, single-line values (fmt-flat)',
    args: CKC,
    script: ckc({
      certificateArn: ARN,
      certificateId: ID,
      certificatePem: 'CERTPEM',
      keyPair: { PublicKey: 'PUBKEY', PrivateKey: 'PRIVKEY' },
    }),
  },
  {
    name: 'create-keys-and-certificate, unicode (fmt-unicode)',
    args: CKC,
    script: ckc({
      certificateArn: ARN,
      certificateId: ID,
      certificatePem: 'caf\u00e9 \u65e5\u672c \u{1F600} tab\tq"b\\',
      keyPair: { PublicKey: '\u00fc', PrivateKey: '\u65e5\u672c\u8a9e' },
    }),
  },
  {
    name: 'create-keys-and-certificate, realistic PEM (wide table)',
    args: CKC,
    script: ckc({
      certificateArn: ARN,
      certificateId: ID,
      certificatePem: LONG_PEM,
      keyPair: { PublicKey: LONG_PEM, PrivateKey: PRIV },
    }),
  },
  { name: 'create-keys-and-certificate, empty body', args: CKC, script: ckc({}) },
  {
    name: 'create-keys-and-certificate, null members (fmt-nullval)',
    args: CKC,
    script: ckc({ certificateArn: null, certificateId: ID, keyPair: null }),
  },
  {
    name: 'create-keys-and-certificate, reversed order and unknown keys (fmt-reorder)',
    args: CKC,
    script: ckc({
      zzz: 1,
      keyPair: { PrivateKey: 'K2', extra: 'x', PublicKey: 'K1' },
      certificatePem: 'P',
      certificateId: ID,
      certificateArn: ARN,
    }),
  },
  {
    name: 'create-keys-and-certificate, short values fit in 80 columns',
    args: CKC,
    script: ckc({
      certificateArn: 'arn',
      certificateId: 'id',
      certificatePem: 'pem',
      keyPair: { PublicKey: 'pu', PrivateKey: 'pr' },
    }),
  },
  {
    name: 'create-keys-and-certificate, one scalar and an empty key pair',
    args: CKC,
    script: ckc({ certificateId: ID, keyPair: {} }),
  },
  {
    name: 'create-keys-and-certificate, only a key pair with one key',
    args: CKC,
    script: ckc({ keyPair: { PublicKey: 'PUB' } }),
  },
  {
    name: 'create-keys-and-certificate, CJK and emoji in wide cells',
    args: CKC,
    script: ckc({
      certificateArn: '\u65e5\u672c\u8a9e\u306e\u8a3c\u660e\u66f8'.repeat(6),
      certificateId: '\u{1F600}\u{1F680}\u{1F30D}'.repeat(5),
      certificatePem: '\uff21\uff22\uff23 \uac00\ub098\ub2e4',
      keyPair: { PublicKey: '\u00b1\u2460\u00e9\u03b1', PrivateKey: 'e\u0301 combining' },
    }),
  },
  {
    name: 'create-keys-and-certificate, ambiguous-width characters in a narrow table',
    args: CKC,
    script: ckc({
      certificateArn: '\u00e9',
      certificateId: '\u00fc\u00fc',
      certificatePem: '\u2460',
      keyPair: { PublicKey: '\u00a7', PrivateKey: '\u00d7' },
    }),
  },
  {
    name: 'create-keys-and-certificate, empty strings',
    args: CKC,
    script: ckc({
      certificateArn: '',
      certificateId: ID,
      certificatePem: '',
      keyPair: { PublicKey: '', PrivateKey: 'x' },
    }),
  },
  {
    name: 'create-certificate-from-csr',
    args: ['create-certificate-from-csr', '--certificate-signing-request', 'CSR'],
    script: ckc({ certificateArn: ARN, certificateId: ID, certificatePem: PEM }),
  },
  {
    name: 'describe-certificate, full description',
    args: DESCRIBE,
    script: ckc({ certificateDescription: DESCRIPTION }),
  },
  {
    name: 'describe-certificate, long PEM (vertical sections)',
    args: DESCRIBE,
    script: ckc({ certificateDescription: { ...DESCRIPTION, certificatePem: LONG_PEM } }),
  },
  {
    name: 'describe-certificate, no transfer data, CJK status text',
    args: DESCRIBE,
    script: ckc({
      certificateDescription: {
        certificateId: ID,
        status: 'PENDING_TRANSFER',
        generationId: '\u4e16\u4ee3\u0031',
        validity: { notBefore: 1700000000 },
      },
    }),
  },
  {
    name: 'describe-certificate, transfer data only with a unicode message',
    args: DESCRIBE,
    script: ckc({
      certificateDescription: {
        transferData: { transferMessage: '\u8ee2\u9001\u3057\u307e\u3059 \u{1F4E6}' },
        customerVersion: 12,
      },
    }),
  },
  {
    name: 'describe-certificate, narrow description',
    args: DESCRIBE,
    script: ckc({
      certificateDescription: {
        certificateId: 'x',
        status: 'ACTIVE',
        customerVersion: 1,
        validity: { notBefore: 1, notAfter: 2 },
      },
    }),
  },
  {
    name: 'describe-ca-certificate with registration config',
    args: ['describe-ca-certificate', '--certificate-id', CA_ID],
    script: ckc({
      certificateDescription: {
        certificateArn: `arn:aws:iot:us-east-1:123456789012:cacert/${CA_ID}`,
        certificateId: CA_ID,
        status: 'ACTIVE',
        autoRegistrationStatus: 'ENABLE',
        creationDate: 1700000000,
        customerVersion: 2,
        generationId: 'g',
        validity: { notBefore: 1700000000, notAfter: 2000000000 },
        certificateMode: 'DEFAULT',
      },
      registrationConfig: { templateBody: '{"Resources":{}}', roleArn: 'arn:aws:iam::123456789012:role/r' },
    }),
  },
  {
    name: 'list-certificates, several items',
    args: LIST,
    script: ckc({ certificates: [summary(1), summary(2), summary(3)] }),
  },
  {
    name: 'list-certificates, short items fit in 80 columns',
    args: LIST,
    script: ckc({ certificates: [shortSummary(1), shortSummary(2), shortSummary(3)] }),
  },
  { name: 'list-certificates, empty list', args: LIST, script: ckc({ certificates: [] }) },
  { name: 'list-certificates, no list at all', args: LIST, script: ckc({}) },
  {
    name: 'list-certificates, items with missing members',
    args: LIST,
    script: ckc({
      certificates: [
        { certificateId: 'c1' },
        { status: 'REVOKED', creationDate: 1700000000 },
        { certificateMode: 'SNI_ONLY' },
      ],
    }),
  },
  {
    name: 'list-certificates, one item',
    args: LIST,
    script: ckc({ certificates: [summary(7)] }),
  },
  {
    name: 'list-certificates, one short item',
    args: LIST,
    script: ckc({ certificates: [shortSummary(7)] }),
  },
  {
    name: 'list-certificates, unicode ids',
    args: LIST,
    script: ckc({
      certificates: [
        { certificateId: '\u65e5\u672c', status: 'ACTIVE' },
        { certificateId: '\u{1F600}', status: '\u00e9t\u00e9' },
      ],
    }),
  },
  {
    name: 'list-certificates, three pages',
    args: LIST,
    script: threePages,
  },
  {
    name: 'list-certificates, three pages, --no-paginate keeps nextMarker',
    args: [...LIST, '--no-paginate'],
    script: threePages,
  },
  {
    name: 'list-certificates, --max-items 3 (NextToken)',
    args: [...LIST, '--max-items', '3'],
    script: threePages,
  },
  {
    name: 'list-certificates, --max-items 2 on a page boundary',
    args: [...LIST, '--max-items', '2'],
    script: threePages,
  },
  {
    name: 'list-ca-certificates',
    args: ['list-ca-certificates'],
    script: ckc({
      certificates: [
        { certificateArn: 'arn:ca1', certificateId: CA_ID, status: 'ACTIVE', creationDate: 1700000000 },
        { certificateArn: 'arn:ca2', certificateId: 'c'.repeat(64), status: 'INACTIVE', creationDate: 1700000001.5 },
      ],
    }),
  },
  {
    name: 'list-certificates-by-ca',
    args: ['list-certificates-by-ca', '--ca-certificate-id', CA_ID],
    script: ckc({ certificates: [summary(4), shortSummary(5)], nextMarker: undefined }),
  },
  { name: 'get-registration-code', args: ['get-registration-code'], script: ckc({ registrationCode: 'f'.repeat(64) }) },
  {
    name: 'describe-endpoint',
    args: ['describe-endpoint', '--endpoint-type', 'iot:Data-ATS'],
    script: ckc({ endpointAddress: 'abc123-ats.iot.us-east-1.amazonaws.com' }),
  },
  {
    name: 'register-certificate',
    args: ['register-certificate', '--certificate-pem', 'PEM'],
    script: ckc({ certificateArn: ARN, certificateId: ID }),
  },
  {
    name: 'update-certificate (no output)',
    args: ['update-certificate', '--certificate-id', ID, '--new-status', 'INACTIVE'],
    script: ckc(''),
  },
  { name: 'delete-certificate (no output)', args: ['delete-certificate', '--certificate-id', ID], script: ckc('') },
];

const FLAT = {
  certificateArn: ARN,
  certificateId: ID,
  certificatePem: 'CERTPEM',
  keyPair: { PublicKey: 'PUB', PrivateKey: 'PRIV' },
};

/** --query results: scalars, literals of every type, lists of scalars and of lists, per-page text. */
const QUERY_CASES: readonly Case[] = [
  { name: 'query certificateId (scalar)', args: [...CKC, '--query', 'certificateId'], script: ckc(FLAT) },
  { name: 'query keyPair (dict)', args: [...CKC, '--query', 'keyPair'], script: ckc(FLAT) },
  { name: 'query nonexistent (null)', args: [...CKC, '--query', 'nonexistent'], script: ckc(FLAT) },
  {
    name: 'query literals of every type',
    args: [...CKC, '--query', '{id:certificateId, n:`5`, b:`true`, c:`false`, f:`1.5`, z:`null`, l:`[]`, e:`{}`}'],
    script: ckc(FLAT),
  },
  {
    name: 'query a list of scalars',
    args: [...LIST, '--query', 'certificates[].certificateId'],
    script: ckc({ certificates: [shortSummary(1), shortSummary(2)] }),
  },
  {
    name: 'query a list of lists',
    args: [...LIST, '--query', 'certificates[].[certificateId, status]'],
    script: ckc({ certificates: [shortSummary(1), shortSummary(2)] }),
  },
  {
    name: 'query rows of different lengths',
    args: [...CKC, '--query', '[[`1`, `2`], [`3`]]'],
    script: ckc(FLAT),
    // A table cannot hold ragged rows: "Row should have 2 elements, instead it has 1".
    awsExit: { table: 255 },
  },
  {
    name: 'query a mixed list',
    args: [...CKC, '--query', '[`1`, [`2`, `3`], `"x"`]'],
    script: ckc(FLAT),
    awsExit: { table: 255 },
  },
  { name: 'query a number', args: [...CKC, '--query', '`0`'], script: ckc(FLAT) },
  { name: 'query a float', args: [...CKC, '--query', '`1.5e-7`'], script: ckc(FLAT) },
  {
    name: 'query per page over three pages',
    args: [...LIST, '--query', 'certificates[].certificateId'],
    script: threePages,
  },
  {
    name: 'query nested dicts in a list',
    args: [...CKC, '--query', '[{a:`1`, k:keyPair}, {b:`2`, k:keyPair}]'],
    script: ckc(FLAT),
  },
];

/** Colour cases: table with --color on/off/auto (and text, which ignores it). */
const COLOR_CASES: readonly Case[] = [
  { ...(CASES[1] as Case), name: 'fmt-flat --color on', args: [...CKC, '--color', 'on'] },
  { ...(CASES[0] as Case), name: 'fmt-ok --color on', args: [...CKC, '--color', 'on'] },
  { ...(CASES[2] as Case), name: 'fmt-unicode --color on', args: [...CKC, '--color', 'on'] },
  { ...(CASES[14] as Case), name: 'describe-certificate --color on', args: [...DESCRIBE, '--color', 'on'] },
  { ...(CASES[20] as Case), name: 'list-certificates --color on', args: [...LIST, '--color', 'on'] },
  { ...(CASES[24] as Case), name: 'list-certificates, missing members --color on', args: [...LIST, '--color', 'on'] },
  { ...(CASES[7] as Case), name: 'short values --color on', args: [...CKC, '--color', 'on'] },
  { ...(CASES[4] as Case), name: 'empty body --color on', args: [...CKC, '--color', 'on'] },
  { ...(CASES[1] as Case), name: 'fmt-flat --color off', args: [...CKC, '--color', 'off'] },
  { ...(CASES[1] as Case), name: 'fmt-flat --color auto', args: [...CKC, '--color', 'auto'] },
  { ...(CASES[14] as Case), name: 'describe-certificate --color off', args: [...DESCRIBE, '--color', 'off'] },
];

/** A loopback endpoint answering from a script, chosen per test. */
class ScriptedEndpoint {
  script: Script = () => ({});
  #server: Server | undefined;

  get url(): string {
    const address = this.#server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('endpoint not started');
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://stub');
        const body = this.script(url.pathname, url.searchParams.get('marker'));
        res.writeHead(200, {
          'Content-Type': 'application/json',
          'x-amzn-RequestId': '00000000-0000-4000-8000-000000000000',
        });
        res.end(typeof body === 'string' ? body : JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('text and table output side by side with AWS CLI v2', { concurrency: 1 }, () => {
  const endpoint = new ScriptedEndpoint();
  let env: NodeJS.ProcessEnv;

  before(async () => {
    await endpoint.start();
    env = parityEnv(await tempHome('fleetca-text-table-'));
  });
  after(() => endpoint.stop());

  const check = (testCase: Case, format: 'text' | 'table') =>
    it(`${testCase.name} --output ${format}`, async () => {
      endpoint.script = testCase.script;
      const { aws, fleetca } = await sideBySide(
        [...testCase.args, '--output', format],
        endpoint.url,
        env,
        format === 'table' ? (testCase.awsExit?.table ?? 0) : 0,
      );
      assert.equal(fleetca.stdout, aws.stdout);
      assert.equal(fleetca.code, aws.code, fleetca.stderr);
    });

  for (const testCase of CASES) for (const format of testCase.formats ?? ['text', 'table']) check(testCase, format);
  for (const testCase of QUERY_CASES) for (const format of ['text', 'table'] as const) check(testCase, format);
  for (const testCase of COLOR_CASES) check(testCase, 'table');
  check(COLOR_CASES[0] as Case, 'text');
  check(COLOR_CASES[1] as Case, 'text');
});
