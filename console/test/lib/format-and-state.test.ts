import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fallbackConfig, parseConsoleConfig } from '../../src/api/console-config.js';
import { certificateIdFromArn, formatDateTime, plural, prettyJson, shortId } from '../../src/lib/format.js';
import { clearCredentials, loadCredentials, saveCredentials } from '../../src/state/credentials.js';

test('formatting of dates, counts, ids and JSON documents', () => {
  assert.equal(formatDateTime(new Date('2026-12-08T14:03:59Z')), '2026-12-08 14:03 UTC');
  assert.equal(formatDateTime(undefined), '–');
  assert.equal(formatDateTime(new Date(Number.NaN)), '–');
  assert.equal(plural(1, 'thing'), '1 thing');
  assert.equal(plural(2, 'policy', 'policies'), '2 policies');
  assert.equal(shortId('a'.repeat(64)), `${'a'.repeat(12)}…`);
  assert.equal(shortId('abc'), 'abc');
  assert.equal(prettyJson('{"a":[1]}'), '{\n  "a": [\n    1\n  ]\n}');
  assert.equal(prettyJson('not json'), 'not json');
  const id = 'e'.repeat(64);
  assert.equal(certificateIdFromArn(`arn:aws:iot:us-east-1:111122223333:cert/${id}`), id);
  assert.equal(certificateIdFromArn('arn:aws:iot:us-east-1:111122223333:thing/x'), undefined);
});

test('config.json: the served regions, or free text with the default', () => {
  assert.deepEqual(parseConsoleConfig({ regions: ['eu-west-1', 'us-east-1'], defaultRegion: 'us-east-1' }), {
    regions: ['eu-west-1', 'us-east-1'],
    defaultRegion: 'us-east-1',
  });
  assert.deepEqual(parseConsoleConfig({ regions: null, defaultRegion: 'ap-south-1' }), {
    regions: null,
    defaultRegion: 'ap-south-1',
  });
  assert.deepEqual(parseConsoleConfig({ regions: ['eu-west-1'] }), {
    regions: ['eu-west-1'],
    defaultRegion: 'eu-west-1',
  });
  assert.deepEqual(parseConsoleConfig('nonsense'), fallbackConfig);
  assert.deepEqual(parseConsoleConfig({ regions: [1, 2] }), fallbackConfig);
});

test('the session is kept in sessionStorage and forgotten at sign-out', () => {
  const store = new Map<string, string>();
  const storage = {
    getItem: (key: string) => store.get(key) ?? null,
    setItem: (key: string, value: string) => void store.set(key, value),
    removeItem: (key: string) => void store.delete(key),
  };
  const credentials = { accessKeyId: 'AKIA1', secretAccessKey: 's', region: 'us-east-1' };
  assert.equal(loadCredentials(storage), undefined);
  saveCredentials(storage, credentials);
  assert.deepEqual(loadCredentials(storage), credentials);
  clearCredentials(storage);
  assert.equal(loadCredentials(storage), undefined);
  store.set('fleetca.console.session', '{"accessKeyId":"x"}');
  assert.equal(loadCredentials(storage), undefined, 'an incomplete session is no session');
  store.set('fleetca.console.session', '{not json');
  assert.equal(loadCredentials(storage), undefined);
  assert.equal(loadCredentials(undefined), undefined);
  const full = {
    setItem: () => {
      throw new Error('QuotaExceededError');
    },
  };
  assert.doesNotThrow(() => saveCredentials(full, credentials));
});
