import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ScopeIdentifierStore } from '../../src/registry/scope-identifier-store.js';
import { OTHER_ACCOUNT, OTHER_REGION, SCOPE } from './certificate-fixtures.js';

/** What a ScopeIdentifierStore implementation hands the suite for one test. */
export interface ScopeIdentifierFixture {
  readonly store: ScopeIdentifierStore;
  /** A second, independent store on the same data (another connection); omit when there is none. */
  readonly reopen?: () => Promise<ScopeIdentifierStore>;
  readonly cleanup: () => Promise<void>;
}

/** A generator that hands out the given values in turn and counts its calls. */
function values(...list: string[]) {
  const generate = () => {
    generate.calls += 1;
    const next = list.shift();
    if (next === undefined) throw new Error('generator exhausted');
    return next;
  };
  generate.calls = 0;
  return generate;
}

/** The behaviour every ScopeIdentifierStore must show; each test gets a fresh, empty store. */
export function scopeIdentifierStoreConformance(name: string, open: () => Promise<ScopeIdentifierFixture>): void {
  const withStore = (fn: (fixture: ScopeIdentifierFixture) => Promise<void>) => async () => {
    const fixture = await open();
    try {
      await fn(fixture);
    } finally {
      await fixture.cleanup();
    }
  };

  describe(`${name}: ScopeIdentifierStore conformance`, () => {
    test(
      'an identifier is created once, on first use, and is the same afterwards',
      withStore(async ({ store, reopen }) => {
        assert.equal(await store.get(SCOPE, 'registration-code'), undefined);
        const generate = values('code-1', 'code-2');
        assert.equal(await store.getOrCreate(SCOPE, 'registration-code', generate), 'code-1');
        assert.equal(await store.getOrCreate(SCOPE, 'registration-code', generate), 'code-1');
        assert.equal(generate.calls, 1);
        assert.equal(await store.get(SCOPE, 'registration-code'), 'code-1');
        if (reopen) assert.equal(await (await reopen()).get(SCOPE, 'registration-code'), 'code-1');
      }),
    );

    test(
      'kinds and scopes are independent',
      withStore(async ({ store }) => {
        await store.getOrCreate(SCOPE, 'registration-code', () => 'code');
        assert.equal(await store.get(SCOPE, 'endpoint-prefix'), undefined);
        assert.equal(await store.getOrCreate(SCOPE, 'endpoint-prefix', () => 'prefix'), 'prefix');
        for (const [i, scope] of [OTHER_ACCOUNT, OTHER_REGION].entries()) {
          assert.equal(await store.get(scope, 'registration-code'), undefined);
          assert.equal(await store.getOrCreate(scope, 'registration-code', () => `code-${i}`), `code-${i}`);
        }
        // The same value may serve different kinds.
        assert.equal(await store.getOrCreate(OTHER_ACCOUNT, 'endpoint-prefix', () => 'code'), 'code');
      }),
    );

    test(
      'a value another scope holds for the same kind is drawn again',
      withStore(async ({ store }) => {
        await store.getOrCreate(SCOPE, 'endpoint-prefix', () => 'taken');
        const generate = values('taken', 'taken', 'fresh');
        assert.equal(await store.getOrCreate(OTHER_ACCOUNT, 'endpoint-prefix', generate), 'fresh');
        assert.equal(generate.calls, 3);
        await assert.rejects(store.getOrCreate(OTHER_REGION, 'endpoint-prefix', () => 'taken'));
        assert.equal(await store.get(OTHER_REGION, 'endpoint-prefix'), undefined);
      }),
    );

    test(
      'concurrent first uses through two connections agree on one value',
      withStore(async ({ store, reopen }) => {
        const stores = reopen ? [store, await reopen()] : [store];
        let n = 0;
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            (stores[i % stores.length] ?? store).getOrCreate(SCOPE, 'registration-code', () => `value-${n++}`),
          ),
        );
        assert.equal(new Set(results).size, 1);
      }),
    );
  });
}
