import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CommandResult, FormatterOptions } from '../../../src/cli/output/formatter.js';
import { createTableFormatter } from '../../../src/cli/output/table-formatter.js';
import { createTextFormatter } from '../../../src/cli/output/text-formatter.js';
import { textWidth } from '../../../src/cli/output/text-width.js';
import { pyRound } from '../../../src/cli/python/round.js';

const ID = 'a'.repeat(64);
const ARN = `arn:aws:iot:us-east-1:123456789012:cert/${ID}`;
const FLAT = {
  certificateArn: ARN,
  certificateId: ID,
  certificatePem: 'CERTPEM',
  keyPair: { PublicKey: 'PUBKEY', PrivateKey: 'PRIVKEY' },
};
const OK = {
  certificateArn: ARN,
  certificateId: ID,
  certificatePem: '-----BEGIN CERTIFICATE-----\nMIIBcert\n-----END CERTIFICATE-----\n',
  keyPair: {
    PublicKey: '-----BEGIN PUBLIC KEY-----\nMIIBpub\n-----END PUBLIC KEY-----\n',
    PrivateKey: '-----BEGIN RSA PRIVATE KEY-----\nMIIEpriv\n-----END RSA PRIVATE KEY-----\n',
  },
};

function render(
  kind: 'text' | 'table',
  response: unknown,
  options: FormatterOptions = {},
  title = 'CreateKeysAndCertificate',
): string {
  const chunks: string[] = [];
  const formatter = kind === 'text' ? createTextFormatter(options) : createTableFormatter(options);
  const result: CommandResult = { paginated: false, response: response as Record<string, unknown> };
  formatter.format(title, result, { write: (chunk: string) => chunks.push(chunk) });
  return chunks.join('');
}

const query = (fn: (data: unknown) => unknown) => ({ search: fn });

// Captured `fmt-flat-table` (spec Appendix C).
const FLAT_TABLE = `--------------------------------------------------------------------------------------------------------------------------------
|                                                   CreateKeysAndCertificate                                                   |
+----------------+-------------------------------------------------------------------------------------------------------------+
|  certificateArn|  ${ARN}   |
|  certificateId |  ${ID}                                           |
|  certificatePem|  CERTPEM                                                                                                    |
+----------------+-------------------------------------------------------------------------------------------------------------+
||                                                           keyPair                                                          ||
|+---------------------------------------------------------------------+------------------------------------------------------+|
||  PrivateKey                                                         |  PRIVKEY                                             ||
||  PublicKey                                                          |  PUBKEY                                              ||
|+---------------------------------------------------------------------+------------------------------------------------------+|
`;

describe('text output', () => {
  it('sorts scalars onto one line and prefixes nested dicts with the UPPERCASED key (fmt-flat-text)', () => {
    assert.equal(render('text', FLAT), `${ARN}\t${ID}\tCERTPEM\nKEYPAIR\tPRIVKEY\tPUBKEY\n`);
  });

  it('writes embedded newlines raw (fmt-ok-text)', () => {
    assert.equal(
      render('text', OK),
      `${ARN}\t${ID}\t-----BEGIN CERTIFICATE-----\nMIIBcert\n-----END CERTIFICATE-----\n\n` +
        'KEYPAIR\t-----BEGIN RSA PRIVATE KEY-----\nMIIEpriv\n-----END RSA PRIVATE KEY-----\n' +
        '\t-----BEGIN PUBLIC KEY-----\nMIIBpub\n-----END PUBLIC KEY-----\n\n',
    );
  });

  it('prints Python str() of scalars and nothing for empty containers', () => {
    const literals = { id: 'x', n: 5, b: true, c: false, f: 1.5, z: null, l: [], e: {} };
    assert.equal(render('text', literals), 'True\tFalse\t1.5\tx\t5\tNone\n');
    assert.equal(render('text', {}), '');
    assert.equal(render('text', FLAT, { query: query(() => null) }), 'None\n');
  });

  it('gives a list of dicts the union of their scalar keys as columns', () => {
    const list = { certificates: [{ certificateId: 'c1' }, { status: 'REVOKED', extra: { k: 'v' } }] };
    assert.equal(render('text', list), 'CERTIFICATES\tc1\t\nCERTIFICATES\t\tREVOKED\nEXTRA\tv\n');
  });

  it('prints scalar lists one per line under an identifier, tab-joined without', () => {
    assert.equal(render('text', { ids: ['a', 'b'] }), 'IDS\ta\nIDS\tb\n');
    assert.equal(render('text', ['a', 'b', 3]), 'a\tb\t3\n');
    assert.equal(render('text', [1, [2, 3], 'x']), '1\tx\n2\t3\n');
  });

  it('formats page by page and ends with NEXTTOKEN when truncated', () => {
    const pages = [
      { certificates: [{ certificateId: 'c1' }], nextMarker: 'm2' },
      { certificates: [{ certificateId: 'c2' }] },
      {},
    ];
    const result: CommandResult = {
      paginated: true,
      pages,
      resultKeys: ['certificates'],
      buildFullResult: () => ({ certificates: [{ certificateId: 'c1' }, { certificateId: 'c2' }], NextToken: 'tok' }),
    };
    const chunks: string[] = [];
    createTextFormatter({}).format('ListCertificates', result, { write: (chunk: string) => chunks.push(chunk) });
    assert.equal(chunks.join(''), 'CERTIFICATES\tc1\nCERTIFICATES\tc2\nNone\nNEXTTOKEN\ttok\n');
  });
});

describe('table output', () => {
  it('renders the captured fmt-flat-table bytes (80 columns off a terminal → vertical)', () => {
    assert.equal(render('table', FLAT), FLAT_TABLE);
    assert.equal(render('table', FLAT, { color: 'auto' }), FLAT_TABLE);
    assert.equal(
      render('table', FLAT, { color: 'off', terminal: { isTTY: true, columns: 300 } }).split('\n')[0]?.length,
      196,
    );
  });

  it('counts East-Asian wide and ambiguous characters as two columns (fmt-unicode-table)', () => {
    const unicode = {
      ...FLAT,
      certificatePem: 'café 日本 😀 tab\tq"b\\',
      keyPair: { PublicKey: 'ü', PrivateKey: '日本語' },
    };
    const lines = render('table', unicode).split('\n');
    assert.equal(
      lines[5],
      '|  certificatePem|  café 日本 😀 tab\tq"b\\                                                                                     |',
    );
    assert.equal(
      lines[9],
      '||  PrivateKey                                                            |  日本語                                           ||',
    );
    assert.equal(
      lines[10],
      '||  PublicKey                                                             |  ü                                               ||',
    );
  });

  it('prints only the title box for a scalar and nothing for a falsy result', () => {
    assert.equal(
      render('table', FLAT, { query: query(() => ID.slice(0, 4)) }),
      '--------------------------\n|CreateKeysAndCertificate|\n+------------------------+\n',
    );
    assert.equal(render('table', {}), '');
    assert.equal(render('table', FLAT, { query: query(() => null) }), '');
  });

  it('adds colorama escapes and a reset after every write with --color on (color-on)', () => {
    const lines = render('table', FLAT, { color: 'on' }).split('\n');
    const R = '\u001b[0m';
    assert.equal(lines[0], '-'.repeat(128));
    assert.equal(lines[1], `${R}${R}|${' '.repeat(51)}CreateKeysAndCertificate${' '.repeat(51)}|${R}${R}`);
    assert.equal(
      lines[3],
      `${R}${R}|  \u001b[1m\u001b[34mcertificateArn${R}|  \u001b[1m\u001b[34m${ARN}${R}   |${R}${R}`,
    );
    assert.ok(lines[7]?.startsWith(`${R}\u001b[2m\u001b[33m|${R}${R}|`));
    assert.equal(lines.at(-1), R);
  });

  it('refuses rows of different lengths with the AWS CLI message', () => {
    assert.throws(
      () => render('table', [[1, 2], [3]]),
      (error: Error) => error.message === 'Row should have 2 elements, instead it has 1',
    );
  });
});

describe('table helpers', () => {
  it('rounds halves to even like Python', () => {
    assert.deepEqual([0.5, 1.5, 2.5, 3.5, 2.4999, 2.5001].map(pyRound), [0, 2, 2, 4, 2, 3]);
  });

  it('measures W, F and A characters as two columns (Unicode 14)', () => {
    assert.equal(textWidth('abc'), 3);
    assert.equal(textWidth('é'), 2);
    assert.equal(textWidth('日本'), 4);
    assert.equal(textWidth('😀'), 2);
    assert.equal(textWidth('\t\n'), 2);
    assert.equal(textWidth('e\u0301'), 3);
  });
});
