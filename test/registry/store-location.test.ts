import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { parseStoreLocation, StoreLocationError } from '../../src/registry/store-location.js';

const DEFAULT = '/data/registry.db';

test('no value, or an empty one, is the data directory file', () => {
  assert.deepEqual(parseStoreLocation(undefined, DEFAULT, '--store'), { engine: 'sqlite', file: DEFAULT });
  assert.deepEqual(parseStoreLocation('', DEFAULT, 'FLEETCA_STORE'), { engine: 'sqlite', file: DEFAULT });
});

test('postgres:// and postgresql:// URLs are PostgreSQL, kept as given', () => {
  for (const url of [
    'postgres://postgres@127.0.0.1:5432/test',
    'postgresql://fleetca:s3cret@db.internal/registry?sslmode=require',
    'POSTGRES://h/db',
  ]) {
    assert.deepEqual(parseStoreLocation(url, DEFAULT, '--store'), { engine: 'postgres', url });
  }
});

test('sqlite:FILE is that file, relative paths from the working directory', () => {
  assert.deepEqual(parseStoreLocation('sqlite:/srv/r.db', DEFAULT, '--store'), { engine: 'sqlite', file: '/srv/r.db' });
  assert.deepEqual(parseStoreLocation('sqlite:///srv/r.db', DEFAULT, '--store'), {
    engine: 'sqlite',
    file: '/srv/r.db',
  });
  assert.deepEqual(parseStoreLocation('sqlite:r.db', DEFAULT, '--store'), { engine: 'sqlite', file: resolve('r.db') });
});

test('anything else is refused, naming the source and never echoing the value', () => {
  for (const value of ['mysql://root:pw@h/db', '/srv/r.db', 'sqlite:', 'postgres://root:pw@[::1/db']) {
    assert.throws(
      () => parseStoreLocation(value, DEFAULT, 'FLEETCA_STORE'),
      (error: unknown) => {
        assert.ok(error instanceof StoreLocationError);
        assert.match(error.message, /^FLEETCA_STORE /);
        assert.ok(!error.message.includes('pw'), error.message);
        return true;
      },
    );
  }
});
