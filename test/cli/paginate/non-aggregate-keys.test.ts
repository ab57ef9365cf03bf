import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runFleetca } from '../cli-harness.js';

const ID = 'a'.repeat(64);

/** Five connections, two to a page unless pageSize says otherwise; each page carries the total (non-aggregate). */
function connectionsService(params: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const start = Number(params.marker ?? 0);
  const size = Number(params.pageSize ?? 2);
  const ids = ['d0', 'd1', 'd2', 'd3', 'd4'].slice(start, start + size);
  const page: Record<string, unknown> = {
    connections: ids.map((clientId) => ({ clientId, certificateId: ID })),
    // A later page's total differs: the first page's is the one kept, as botocore keeps it.
    total: start === 0 ? 5 : 99,
  };
  if (start + size < 5) page.nextMarker = String(start + size);
  return page;
}

const list = (args: string[]) =>
  runFleetca(['fleet', 'list-device-connections', ...args], { respond: (_op, p) => connectionsService(p) });

describe("a paginator's non-aggregate keys (ListDeviceConnections' total)", () => {
  it('json: the pages joined, then the first page total, then NextToken', async () => {
    const result = await list([
      '--max-items',
      '3',
      '--query',
      '{ids: connections[].clientId, total: total, next: NextToken}',
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(
      result.calls.map((call) => call.params),
      [{}, { marker: '2' }],
    );
    const printed = JSON.parse(result.stdout) as { ids: string[]; total: number; next: string };
    assert.deepEqual([printed.ids, printed.total], [['d0', 'd1', 'd2'], 5]);
    assert.equal(typeof printed.next, 'string');
    const whole = JSON.parse((await list([])).stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(whole), ['connections', 'total']);
    assert.equal(whole.total, 5);
  });

  it('text: the total printed with the first page only', async () => {
    const result = await list(['--output', 'text', '--query', '{total: total, ids: connections[].clientId}']);
    assert.equal(result.code, 0, result.stderr);
    // --query runs on each page: later pages have no total (None), as in the AWS CLI's text output.
    assert.equal(result.stdout, '5\nIDS\td0\nIDS\td1\nNone\nIDS\td2\nIDS\td3\nNone\nIDS\td4\n');
    const plain = await list(['--output', 'text']);
    assert.equal(
      plain.stdout,
      `5\n${['d0', 'd1', 'd2', 'd3', 'd4'].map((id) => `CONNECTIONS\t${ID}\t${id}\n`).join('')}`,
    );
  });

  it('without pagination, the page as the server sent it', async () => {
    const result = await list(['--no-paginate']);
    const page = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.deepEqual([page.total, page.nextMarker], [5, '2']);
  });
});
