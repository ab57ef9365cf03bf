import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { before, describe, it } from 'node:test';
import { YAML_CAPTURES } from '../cli/output/fixtures/yaml-captures.js';
import { tempHome } from '../helpers/run-cli.js';
import { parityEnv, sideBySide } from './side-by-side.js';

/**
 * `--output yaml` and `--output yaml-stream` side by side: the real AWS CLI v2 (/usr/bin/aws,
 * 2.9.19 — its YAML bytes are those of 2.36) and fleetca against the same scripted responses,
 * comparing stdout bytes and exit codes. Every case is one the AWS CLI answers with exit 0, checked first.
 */

const ID = 'a'.repeat(64);
const ARN = `arn:aws:iot:us-east-1:123456789012:cert/${ID}`;
const PEM = '-----BEGIN CERTIFICATE-----\nMIIBcert\n-----END CERTIFICATE-----\n';
const LONG_PEM = `-----BEGIN CERTIFICATE-----\n${Array.from({ length: 12 }, (_, i) =>
  `MIIC${String(i).padStart(2, '0')}`.padEnd(64, 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo'),
).join('\n')}\n-----END CERTIFICATE-----\n`;
const WORDS = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');

/** The body of one answer, by request path and the `marker` query parameter. */
type Script = (path: string, marker: string | null) => unknown;
const always =
  (body: unknown): Script =>
  () =>
    body;

/** A loopback endpoint answering from a script (one per case, so cases run in parallel). */
async function scriptedEndpoint(script: Script): Promise<{ url: string; stop: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stub');
      const body = script(url.pathname, url.searchParams.get('marker'));
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'x-amzn-RequestId': '00000000-0000-4000-8000-000000000000',
      });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const CKC = ['create-keys-and-certificate'];
const DESCRIBE = ['describe-certificate', '--certificate-id', ID];
const LIST = ['list-certificates'];

const ckcWithPem = (certificatePem: unknown) =>
  always({ certificateArn: ARN, certificateId: ID, certificatePem, keyPair: { PublicKey: 'PUB', PrivateKey: 'PRIV' } });

const fromCapture = (mode: 'ok' | 'flat' | 'unicode' | 'real') => always(JSON.parse(YAML_CAPTURES[`fmt-${mode}-json`]));

const summary = (n: number, extra: Record<string, unknown> = {}) => ({
  certificateArn: `arn:aws:iot:us-east-1:123456789012:cert/${String(n).repeat(64).slice(0, 64)}`,
  certificateId: String(n).repeat(64).slice(0, 64),
  status: n % 2 === 0 ? 'ACTIVE' : 'INACTIVE',
  certificateMode: 'DEFAULT',
  creationDate: 1700000000 + n,
  ...extra,
});

const threePages: Script = (_path, marker) => {
  if (marker === null) return { certificates: [summary(1), summary(2)], nextMarker: 'm2' };
  if (marker === 'm2') return { certificates: [summary(3)], nextMarker: 'm3' };
  return { certificates: [summary(4, { certificateId: 'true' })] };
};

const DESCRIPTION = {
  certificateArn: ARN,
  certificateId: ID,
  caCertificateId: '0'.repeat(64),
  status: 'ACTIVE',
  certificatePem: LONG_PEM,
  ownedBy: '123456789012',
  previousOwnedBy: '210987654321',
  creationDate: 1700000000,
  lastModifiedDate: 1700000000.123,
  customerVersion: 3,
  transferData: { transferMessage: 'please: take it', rejectReason: 'no', transferDate: 1700000100 },
  generationId: '1e3',
  validity: { notBefore: 1700000000, notAfter: 2000000000 },
  certificateMode: 'DEFAULT',
};

interface Case {
  readonly name: string;
  readonly args: readonly string[];
  readonly script: Script;
  readonly formats: readonly ('yaml' | 'yaml-stream')[];
}

const BOTH = ['yaml', 'yaml-stream'] as const;
const YAML = ['yaml'] as const;

// Strings that need (or look like they need) quoting, each as certificatePem.
const STRINGS: readonly (readonly [string, string])[] = [
  ['leading space', ' lead'],
  ['trailing space', 'trail '],
  ['colon space', 'a: b'],
  ['colon without space', 'a:b'],
  ['trailing colon', 'abc:'],
  ['space hash', 'a #b'],
  ['leading hash', '#a'],
  ['dash space', '- a'],
  ['leading dash', '-a'],
  ['yes', 'yes'],
  ['true', 'true'],
  ['False', 'False'],
  ['null', 'null'],
  ['tilde', '~'],
  ['equals', '='],
  ['merge', '<<'],
  ['integer string', '123'],
  ['negative integer string', '-42'],
  ['octal-looking', '012'],
  ['exponent', '1e3'],
  ['float string', '1.50'],
  ['hex', '0x1F'],
  ['infinity', '.inf'],
  ['date', '2024-01-01'],
  ['timestamp', '2023-11-14T22:13:20+00:00'],
  ['empty string', ''],
  ['document marker', '---'],
  ['indicators [', '[a'],
  ['indicator *', '*a'],
  ['indicator &', '&a'],
  ['indicator !', '!a'],
  ['indicator %', '%a'],
  ['indicator @', '@a'],
  ['indicator `', '`a'],
  ['leading single quote', "'quoted'"],
  ['leading double quote', '"quoted"'],
  ['inner quotes', `it's "fine"`],
  ['backslash', 'C:\\path\\x'],
  ['tab', 'tab\there'],
  ['bell', 'bell\u0007'],
  ['BOM', '\ufeffbom'],
  ['emoji', 'smile \u{1F600}'],
  ['CJK and accents', 'caf\u00e9 \u65e5\u672c\u8a9e'],
  ['very long words', WORDS],
  ['very long without spaces', 'x'.repeat(200)],
  ['long with double spaces', WORDS.replaceAll(' ', '  ')],
  ['long quoted', `'${WORDS}`],
  ['long double-quoted', `\t${WORDS}`],
  ['line break then space', 'a\n b'],
  ['space then line break', 'a \nb'],
  ['CRLF PEM', PEM.replaceAll('\n', '\r\n')],
  ['blank lines', 'a\n\n\nb\n'],
  ['realistic PEM', LONG_PEM],
];

const CASES: readonly Case[] = [
  { name: 'create-keys-and-certificate (fmt-ok)', args: CKC, script: fromCapture('ok'), formats: BOTH },
  { name: 'create-keys-and-certificate (fmt-flat)', args: CKC, script: fromCapture('flat'), formats: BOTH },
  { name: 'create-keys-and-certificate (fmt-unicode)', args: CKC, script: fromCapture('unicode'), formats: BOTH },
  { name: 'create-keys-and-certificate (fmt-real)', args: CKC, script: fromCapture('real'), formats: BOTH },
  { name: 'create-keys-and-certificate, empty body', args: CKC, script: always({}), formats: BOTH },
  {
    name: 'create-keys-and-certificate, null members',
    args: CKC,
    script: always({ certificateArn: null, certificateId: ID, keyPair: null }),
    formats: YAML,
  },
  {
    name: 'create-keys-and-certificate, empty key pair',
    args: CKC,
    script: always({ certificateId: '123', keyPair: {} }),
    formats: BOTH,
  },
  ...STRINGS.map(
    ([name, value]): Case => ({ name: `string: ${name}`, args: CKC, script: ckcWithPem(value), formats: YAML }),
  ),
  {
    name: 'describe-certificate, full description (timestamps, numbers, nested maps)',
    args: DESCRIBE,
    script: always({ certificateDescription: DESCRIPTION }),
    formats: BOTH,
  },
  { name: 'list-certificates, empty', args: LIST, script: always({ certificates: [] }), formats: BOTH },
  {
    name: 'list-certificates, several',
    args: LIST,
    script: always({ certificates: [summary(1), summary(2), summary(3, { status: 'yes' })] }),
    formats: BOTH,
  },
  { name: 'list-certificates, three pages', args: LIST, script: threePages, formats: BOTH },
  {
    name: 'list-certificates, one page with --no-paginate',
    args: [...LIST, '--no-paginate'],
    script: threePages,
    formats: BOTH,
  },
];

describe('yaml and yaml-stream output side by side with AWS CLI v2', { concurrency: 4 }, () => {
  let env: NodeJS.ProcessEnv;
  before(async () => {
    env = parityEnv(await tempHome('fleetca-yaml-'));
  });

  for (const testCase of CASES) {
    for (const format of testCase.formats) {
      it(`${testCase.name} --output ${format}`, async () => {
        const endpoint = await scriptedEndpoint(testCase.script);
        try {
          const { aws, fleetca } = await sideBySide([...testCase.args, '--output', format], endpoint.url, env, 0);
          assert.equal(fleetca.stdout, aws.stdout, `fleetca stderr: ${fleetca.stderr}\naws stderr: ${aws.stderr}`);
          assert.equal(fleetca.code, aws.code, fleetca.stderr);
        } finally {
          await endpoint.stop();
        }
      });
    }
  }
});
