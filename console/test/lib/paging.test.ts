import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  currentStart,
  fillPage,
  firstPage,
  goNext,
  goPrevious,
  hasNext,
  hasPrevious,
  type Page,
  pageNumber,
  withNext,
} from '../../src/lib/paging.js';

test('the marker stack walks forwards with the answers and back with the markers it kept', () => {
  let stack = firstPage;
  assert.equal(currentStart(stack), undefined);
  assert.equal(pageNumber(stack), 1);
  assert.equal(hasPrevious(stack), false);
  assert.equal(hasNext(stack), false);
  assert.equal(goNext(stack), stack, 'no next marker: Next changes nothing');
  stack = withNext(stack, 'm1');
  assert.equal(hasNext(stack), true);
  stack = goNext(stack);
  assert.equal(currentStart(stack), 'm1');
  assert.equal(pageNumber(stack), 2);
  assert.equal(hasNext(stack), false, 'the next marker of page 2 is not known until it loads');
  stack = goNext(withNext(stack, 'm2'));
  assert.deepEqual(stack.starts, [undefined, 'm1', 'm2']);
  stack = goPrevious(stack);
  assert.equal(currentStart(stack), 'm1');
  stack = goPrevious(goPrevious(stack));
  assert.equal(currentStart(stack), undefined);
  assert.equal(pageNumber(stack), 1);
  assert.equal(goPrevious(stack), stack, 'Previous on page 1 changes nothing');
  assert.equal(hasNext(withNext(stack, '')), false, 'an empty marker means the end');
});

/** A list server that, like SearchCertificates, examines at most `scan` entries per call. */
function boundedServer(entries: number[], matches: (n: number) => boolean, scan: number) {
  const calls: { marker: string | undefined; pageSize: number }[] = [];
  const fetchPage = async (marker: string | undefined, pageSize: number): Promise<Page<number>> => {
    calls.push({ marker, pageSize });
    let index = marker === undefined ? 0 : Number(marker);
    const items: number[] = [];
    const stop = Math.min(entries.length, index + scan);
    while (index < stop && items.length < pageSize) {
      const entry = entries[index] as number;
      if (matches(entry)) items.push(entry);
      index += 1;
    }
    return index < entries.length ? { items, next: String(index) } : { items };
  };
  return { fetchPage, calls };
}

test('fillPage keeps asking while short pages carry a marker, until the page is full', async () => {
  const entries = Array.from({ length: 100 }, (_, i) => i);
  const server = boundedServer(entries, (n) => n % 10 === 0, 20);
  const page = await fillPage(server.fetchPage, undefined, 5, 10);
  assert.deepEqual(page.items, [0, 10, 20, 30, 40]);
  assert.equal(page.next, '41', 'the next page starts after the last entry examined');
  assert.equal(page.calls, 3);
  assert.deepEqual(
    server.calls.map((c) => c.pageSize),
    [5, 3, 1],
    'each call asks only for what is missing',
  );
  const rest = await fillPage(server.fetchPage, page.next, 5, 10);
  assert.deepEqual(rest.items, [50, 60, 70, 80, 90]);
  assert.equal(rest.next, '91');
  const end = await fillPage(server.fetchPage, rest.next, 5, 10);
  assert.deepEqual(end.items, []);
  assert.equal(end.next, undefined, 'the end of the list');
});

test('fillPage stops after maxCalls and hands back the marker, so Next can search further', async () => {
  const entries = Array.from({ length: 1000 }, (_, i) => i);
  const server = boundedServer(entries, (n) => n === 999, 50);
  const page = await fillPage(server.fetchPage, undefined, 25, 4);
  assert.deepEqual(page.items, []);
  assert.equal(page.calls, 4);
  assert.equal(page.next, '200');
});

test('fillPage never returns more than pageSize even when the server answers more', async () => {
  const page = await fillPage(async () => ({ items: [1, 2, 3, 4], next: 'x' }), undefined, 2, 5);
  assert.deepEqual(page.items, [1, 2]);
  assert.equal(page.next, 'x');
  assert.equal(page.calls, 1);
});
