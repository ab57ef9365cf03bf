import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CommandResult, OutputStream } from '../../../src/cli/output/formatter.js';
import { createFormatter } from '../../../src/cli/output/formatters.js';
import { emitYamlDocument } from '../../../src/cli/output/yaml/yaml-emitter.js';
import { YAML_CAPTURES } from './fixtures/yaml-captures.js';

async function render(format: string, result: CommandResult): Promise<string> {
  let out = '';
  const stream: OutputStream = { write: (chunk: string) => (out += chunk) };
  (await createFormatter(format, {})).format('CreateKeysAndCertificate', result, stream);
  return out;
}

const single = (response: Record<string, unknown>): CommandResult => ({ paginated: false, response });
const pages = (...list: Record<string, unknown>[]): CommandResult => ({
  paginated: true,
  pages: list,
  buildFullResult: () => ({ certificates: list.flatMap((page) => (page.certificates as unknown[]) ?? []) }),
});

describe('--output yaml: the Appendix C captures', () => {
  for (const mode of ['ok', 'flat', 'unicode', 'real'] as const) {
    it(`fmt-${mode}-yaml`, async () => {
      const response = JSON.parse(YAML_CAPTURES[`fmt-${mode}-json`]) as Record<string, unknown>;
      assert.equal(await render('yaml', single(response)), YAML_CAPTURES[`fmt-${mode}-yaml`]);
    });
  }
  for (const mode of ['ok', 'flat'] as const) {
    it(`fmt-${mode}-yaml-stream`, async () => {
      const response = JSON.parse(YAML_CAPTURES[`fmt-${mode}-json`]) as Record<string, unknown>;
      assert.equal(await render('yaml-stream', single(response)), YAML_CAPTURES[`fmt-${mode}-yaml-stream`]);
    });
  }
  it('fmt-empty-yaml: {} prints nothing, in both formats', async () => {
    assert.equal(await render('yaml', single({})), '');
    assert.equal(await render('yaml-stream', single({})), '');
  });
});

// [string, the bytes of { k: string }], as AWS CLI v2 (ruamel.yaml + libyaml) writes them.
const SCALARS: readonly (readonly [string, string])[] = [
  ['plain text', 'k: plain text\n'],
  ['', "k: ''\n"],
  [' lead', "k: ' lead'\n"],
  ['trail ', "k: 'trail '\n"],
  ['a: b', "k: 'a: b'\n"],
  ['a:b', 'k: a:b\n'],
  ['a #b', "k: 'a #b'\n"],
  ['a#b', 'k: a#b\n'],
  ['#a', "k: '#a'\n"],
  ['- a', "k: '- a'\n"],
  ['-a', 'k: -a\n'],
  ['---', "k: '---'\n"],
  ['? a', "k: '? a'\n"],
  [':a', 'k: :a\n'],
  ['[a', "k: '[a'\n"],
  ['{a', "k: '{a'\n"],
  ['*a', "k: '*a'\n"],
  ['&a', "k: '&a'\n"],
  ['!a', "k: '!a'\n"],
  ['|a', "k: '|a'\n"],
  ['>a', "k: '>a'\n"],
  ["'a", "k: '''a'\n"],
  ['"a', "k: '\"a'\n"],
  ['%a', "k: '%a'\n"],
  ['@a', "k: '@a'\n"],
  ['`a', "k: '`a'\n"],
  ["it's", "k: it's\n"],
  ['true', "k: 'true'\n"],
  ['True', "k: 'True'\n"],
  ['false', "k: 'false'\n"],
  ['yes', 'k: yes\n'],
  ['no', 'k: no\n'],
  ['on', 'k: on\n'],
  ['off', 'k: off\n'],
  ['y', 'k: y\n'],
  ['null', "k: 'null'\n"],
  ['Null', "k: 'Null'\n"],
  ['~', "k: '~'\n"],
  ['=', "k: '='\n"],
  ['<<', "k: '<<'\n"],
  ['123', "k: '123'\n"],
  ['-123', "k: '-123'\n"],
  ['1_000', "k: '1_000'\n"],
  ['0x1F', "k: '0x1F'\n"],
  ['0o17', "k: '0o17'\n"],
  ['012', "k: '012'\n"],
  ['1e3', "k: '1e3'\n"],
  ['1.0', "k: '1.0'\n"],
  ['.5', "k: '.5'\n"],
  ['.inf', "k: '.inf'\n"],
  ['.nan', "k: '.nan'\n"],
  ['inf', 'k: inf\n'],
  ['2024-01-01', "k: '2024-01-01'\n"],
  ['2023-11-14T22:13:20+00:00', "k: '2023-11-14T22:13:20+00:00'\n"],
  ['2024-01-01x', 'k: 2024-01-01x\n'],
  [
    '0000000000000000000000000000000000000000000000000000000000000000',
    "k: '0000000000000000000000000000000000000000000000000000000000000000'\n",
  ],
  ['tab\there', 'k: "tab\\there"\n'],
  ['bell\u0007', 'k: "bell\\a"\n'],
  ['﻿', 'k: "\\uFEFF"\n'],
  ['smile 😀', 'k: "smile \\U0001F600"\n'],
  ['café', 'k: café\n'],
  ['a\nb', "k: 'a\n\n  b'\n"],
  ['a\n', "k: 'a\n\n  '\n"],
  ['a\n\nb', "k: 'a\n\n\n  b'\n"],
  ['a\n b', 'k: "a\\n b"\n'],
  ['a \nb', 'k: "a \\nb"\n'],
  ['a\r\nb', 'k: "a\\r\\nb"\n'],
  ['nel', 'k: "nel\\N"\n'],
  ['ls x', "k: 'ls   x'\n"],
  ['del', 'k: "del\\x7F"\n'],
  ['q"b\\', 'k: q"b\\\n'],
  [
    'word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12 word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23 word24 word25 word26 word27 word28 word29',
    'k: word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12\n  word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23 word24\n  word25 word26 word27 word28 word29\n',
  ],
  [
    'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx y z',
    'k: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n  y z\n',
  ],
  [
    "'w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 w15 w16 w17 w18 w19 w20 w21 w22 w23 w24 w25 w26 w27 w28 w29 w30 w31 w32 w33 w34 w35 w36 w37 w38 w39",
    "k: '''w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 w15 w16 w17 w18 w19 w20 w21\n  w22 w23 w24 w25 w26 w27 w28 w29 w30 w31 w32 w33 w34 w35 w36 w37 w38 w39'\n",
  ],
  [
    'tab\tw0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 w15 w16 w17 w18 w19 w20 w21 w22 w23 w24 w25 w26 w27 w28 w29 w30 w31 w32 w33 w34 w35 w36 w37 w38 w39',
    'k: "tab\\tw0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 w15 w16 w17 w18 w19 w20\n  w21 w22 w23 w24 w25 w26 w27 w28 w29 w30 w31 w32 w33 w34 w35 w36 w37 w38 w39"\n',
  ],
  [
    'w0  w1  w2  w3  w4  w5  w6  w7  w8  w9  w10  w11  w12  w13  w14  w15  w16  w17  w18  w19  w20  w21  w22  w23  w24  w25  w26  w27  w28  w29',
    'k: w0  w1  w2  w3  w4  w5  w6  w7  w8  w9  w10  w11  w12  w13  w14  w15  w16  w17  w18  w19  w20  w21  w22  w23  w24  w25  w26  w27  w28  w29\n',
  ],
  [
    'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy zzzzz',
    'k: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n  yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\n  zzzzz\n',
  ],
];

describe('yaml scalar styles (plain / single / double, folding at 80 columns)', () => {
  for (const [value, expected] of SCALARS) {
    it(JSON.stringify(value).slice(0, 60), () => assert.equal(emitYamlDocument({ k: value }), expected));
  }
});

describe('yaml collections', () => {
  it('sorts keys by code point and writes other scalar types plain', () => {
    const doc = { b: 1, a: -2, '\u00e9': 1.5, Z: true, c: null, d: 1e-7, e: 1e20 };
    assert.equal(
      emitYamlDocument(doc),
      'Z: true\na: -2\nb: 1\nc: null\nd: 1e-07\ne: 100000000000000000000\n\u00e9: 1.5\n',
    );
  });
  it('empty collections are inline, lists under a key are not indented', () => {
    const doc = { e: {}, l: [], certificates: [{ certificateId: 'x', status: 'ACTIVE' }, { n: [[1, [2]], [], {}] }] };
    assert.equal(
      emitYamlDocument(doc),
      'certificates:\n- certificateId: x\n  status: ACTIVE\n- n:\n  - - 1\n    - - 2\n  - []\n  - {}\ne: {}\nl: []\n',
    );
  });
  it('a key longer than 128 bytes becomes a complex key', () => {
    assert.equal(emitYamlDocument({ ['k'.repeat(130)]: 1 }), `? ${'k'.repeat(130)}\n: 1\n`);
  });
  it('a root list', () => assert.equal(emitYamlDocument([]), '[]\n'));
});

describe('yaml formatters', () => {
  it('yaml merges pages; yaml-stream writes each page as a one-item list', async () => {
    const result = pages({ certificates: [{ certificateId: 'a' }] }, { certificates: [{ certificateId: 'b' }] });
    assert.equal(await render('yaml', result), 'certificates:\n- certificateId: a\n- certificateId: b\n');
    assert.equal(
      await render('yaml-stream', result),
      '- certificates:\n  - certificateId: a\n- certificates:\n  - certificateId: b\n',
    );
  });
  it('an empty page still prints in yaml-stream', async () => {
    assert.equal(await render('yaml-stream', pages({})), '- {}\n');
  });
  it('a scalar query result is written as JSON', async () => {
    let out = '';
    const query = { search: () => '0000' };
    (await createFormatter('yaml', { query })).format('X', single({ a: 1 }), { write: (c: string) => (out += c) });
    assert.equal(out, '"0000"\n');
    out = '';
    (await createFormatter('yaml-stream', { query })).format('X', single({ a: 1 }), {
      write: (c: string) => (out += c),
    });
    assert.equal(out, "- '0000'\n");
  });
  it('off prints nothing', async () => assert.equal(await render('off', single({ a: 1 })), ''));
});
