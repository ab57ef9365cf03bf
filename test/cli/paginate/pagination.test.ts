import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runFleetca } from '../cli-harness.js';

const IDS = ['a', 'b', 'c', 'd', 'e'].map((c) => c.repeat(64));

/** A service with 5 certificates, 2 per page unless pageSize says otherwise; markers are offsets. */
function listService(params: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const start = Number(params.marker ?? 0);
  const size = Number(params.pageSize ?? 2);
  const page: Record<string, unknown> = {
    certificates: IDS.slice(start, start + size).map((certificateId) => ({ certificateId, status: 'ACTIVE' })),
  };
  if (start + size < IDS.length) page.nextMarker = String(start + size);
  return page;
}

const list = (args: string[]) =>
  runFleetca(['iot', 'list-certificates', ...args], { respond: (_op, p) => listService(p) });

function certificates(ids: readonly string[]): string {
  const items = ids.map(
    (id) => `        {\n            "certificateId": "${id}",\n            "status": "ACTIVE"\n        }`,
  );
  return `    "certificates": [\n${items.join(',\n')}\n    ]`;
}

const token = (json: string) => Buffer.from(json).toString('base64');

describe('pagination of list-certificates', () => {
  it('follows nextMarker and merges the pages, without nextMarker in the output', async () => {
    const result = await list([]);
    assert.equal(result.code, 0);
    assert.deepEqual(
      result.calls.map((call) => call.params),
      [{}, { marker: '2' }, { marker: '4' }],
    );
    assert.equal(result.stdout, `{\n${certificates(IDS)}\n}\n`);
    assert.deepEqual([result.opened.length, result.closed], [1, 1]);
  });

  it('truncates with --max-items and emits botocore NextToken bytes', async () => {
    const result = await list(['--max-items', '3']);
    assert.deepEqual(
      result.calls.map((call) => call.params),
      [{}, { marker: '2' }],
    );
    const next = 'eyJtYXJrZXIiOiAiMiIsICJib3RvX3RydW5jYXRlX2Ftb3VudCI6IDF9';
    assert.equal(next, token('{"marker": "2", "boto_truncate_amount": 1}'));
    assert.equal(result.stdout, `{\n${certificates(IDS.slice(0, 3))},\n    "NextToken": "${next}"\n}\n`);

    const resumed = await list(['--starting-token', next, '--max-items', '1']);
    assert.deepEqual(
      resumed.calls.map((call) => call.params),
      [{ marker: '2' }],
    );
    assert.equal(
      resumed.stdout,
      `{\n${certificates([IDS[3] as string])},\n    "NextToken": "${token('{"marker": "4"}')}"\n}\n`,
    );

    const rest = await list(['--starting-token', next]);
    assert.equal(rest.stdout, `{\n${certificates(IDS.slice(3))}\n}\n`);
  });

  it('resumes from the service marker when --max-items ends on a page boundary', async () => {
    const result = await list(['--max-items', '2']);
    assert.equal(result.calls.length, 1);
    assert.equal(result.stdout, `{\n${certificates(IDS.slice(0, 2))},\n    "NextToken": "eyJtYXJrZXIiOiAiMiJ9"\n}\n`);
  });

  it('warns about a non-positive --max-items and returns an empty page with a token', async () => {
    const result = await list(['--max-items', '0']);
    assert.equal(result.stderr, 'warning: Non-positive values for --max-items may result in undefined behavior.\n');
    assert.equal(
      result.stdout,
      `{\n    "certificates": [],\n    "NextToken": "${token('{"marker": null, "boto_truncate_amount": 0}')}"\n}\n`,
    );
  });

  it('accepts the deprecated value___index token form and plain markers', async () => {
    const old = await list(['--starting-token', '2___1', '--max-items', '1']);
    assert.deepEqual(old.calls[0]?.params, { marker: '2' });
    assert.match(old.stdout, new RegExp(IDS[3] as string));
    const plain = await list(['--starting-token', 'garbage']);
    assert.deepEqual(plain.calls[0]?.params, { marker: 'garbage' });
    const bad = await list(['--starting-token', 'a___b___c']);
    assert.deepEqual(
      [bad.code, bad.stderr, bad.calls.length],
      [255, '\nfleetca: [ERROR]: Bad starting token: a___b___c\n', 0],
    );
  });

  it('makes a single call and keeps nextMarker with --no-paginate', async () => {
    const result = await list(['--no-paginate']);
    assert.deepEqual(
      result.calls.map((call) => call.params),
      [{}],
    );
    assert.equal(result.stdout, `{\n${certificates(IDS.slice(0, 2))},\n    "nextMarker": "2"\n}\n`);
  });

  it('passes --page-size as pageSize, which (like --marker) turns auto-pagination off for IoT', async () => {
    const sized = await list(['--page-size', '3']);
    assert.deepEqual(
      sized.calls.map((call) => call.params),
      [{ pageSize: 3 }],
    );
    assert.equal(sized.stdout, `{\n${certificates(IDS.slice(0, 3))},\n    "nextMarker": "3"\n}\n`);

    const marker = await list(['--marker', '2', '--page-size', '1']);
    assert.deepEqual(
      marker.calls.map((call) => call.params),
      [{ pageSize: 1, marker: '2' }],
    );
    assert.equal(marker.stdout, `{\n${certificates([IDS[2] as string])},\n    "nextMarker": "3"\n}\n`);
  });

  it('refuses paging-only options once pagination is off', async () => {
    const result = await list(['--no-paginate', '--max-items', '2', '--starting-token', 'x']);
    assert.equal(result.code, 252);
    assert.equal(
      result.stderr,
      '\nfleetca: [ERROR]: An error occurred (ParamValidation): Cannot specify --no-paginate along with pagination arguments: --starting-token, --max-items\n',
    );
    assert.equal(result.opened.length, 0);
    const marker = await list(['--marker', '2', '--max-items', '1']);
    assert.match(marker.stderr, /pagination arguments: --max-items\n$/);
  });

  it('maps --ascending-order / --no-ascending-order on every page', async () => {
    const result = await list(['--no-ascending-order', '--ascending-order']);
    assert.deepEqual(
      result.calls.map((call) => call.params),
      [{ ascendingOrder: true }, { ascendingOrder: true, marker: '2' }, { ascendingOrder: true, marker: '4' }],
    );
  });

  it('stops on a repeated next token', async () => {
    const result = await runFleetca(['iot', 'list-certificates'], {
      respond: () => ({ certificates: [], nextMarker: 'same' }),
    });
    assert.equal(result.code, 255);
    assert.equal(
      result.stderr,
      "\nfleetca: [ERROR]: Error during pagination: The same next token was received twice: {'marker': 'same'}\n",
    );
  });

  it('prints nothing when no page has the result key', async () => {
    const result = await runFleetca(['iot', 'list-certificates'], { respond: () => ({}) });
    assert.deepEqual([result.code, result.stdout], [0, '']);
  });
});
