import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { accountDeletionRule } from '../../src/domain/accounts/account-deletion.js';
import { AccountError, type AccountErrorCode } from '../../src/domain/accounts/account-error.js';
import type { AccountStore } from '../../src/registry/account-store.js';

/** What an account store implementation hands the conformance suite for one test. */
export interface AccountStoreFixture {
  readonly accounts: AccountStore;
  /** A second, independent store on the same data (another connection); omit when there is none. */
  readonly reopen?: () => Promise<AccountStore>;
  /** Closes whatever the fixture opened and removes the data. */
  readonly cleanup: () => Promise<void>;
}

/** Opens a fresh, empty store whose creation dates come from `now` (epoch milliseconds). */
export type OpenAccountStore = (now: () => number) => Promise<AccountStoreFixture>;

const ACCOUNT = '123456789012';
const OTHER = '210987654321';
/** 2024-01-01T00:00:00.000Z. */
const T0 = Date.UTC(2024, 0, 1);

/** A clock the test moves by hand. */
function manualClock(start = T0): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return {
    now: () => time,
    advance: (ms) => {
      time += ms;
    },
  };
}

async function assertAccountError(promise: Promise<unknown>, code: AccountErrorCode, subject: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof AccountError, `expected an AccountError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.equal(error.subject, subject);
    return true;
  });
}

/**
 * The behaviour every AccountStore must show, run by each adapter's test file with its own
 * fixture (a fresh, empty store per test).
 */
export function accountStoreConformance(name: string, open: OpenAccountStore): void {
  const withStore =
    (fn: (fixture: AccountStoreFixture, clock: ReturnType<typeof manualClock>) => Promise<void>) => async () => {
      const clock = manualClock();
      const fixture = await open(clock.now);
      try {
        await fn(fixture, clock);
      } finally {
        await fixture.cleanup();
      }
    };

  describe(`${name}: AccountStore conformance`, () => {
    describe('accounts', () => {
      test(
        'creates, gets and lists accounts (by id), dated by the clock',
        withStore(async ({ accounts }, clock) => {
          assert.deepEqual(await accounts.listAccounts(), []);
          assert.deepEqual(await accounts.createAccount(OTHER), { accountId: OTHER, createdAt: T0 });
          clock.advance(1000);
          assert.deepEqual(await accounts.createAccount(ACCOUNT), { accountId: ACCOUNT, createdAt: T0 + 1000 });
          await accounts.createAccount('000000000000');
          assert.deepEqual(await accounts.getAccount(ACCOUNT), { accountId: ACCOUNT, createdAt: T0 + 1000 });
          assert.deepEqual(await accounts.listAccounts(), [
            { accountId: '000000000000', createdAt: T0 + 1000 },
            { accountId: ACCOUNT, createdAt: T0 + 1000 },
            { accountId: OTHER, createdAt: T0 },
          ]);
        }),
      );

      test(
        'get of an unknown account is undefined',
        withStore(async ({ accounts }) => {
          assert.equal(await accounts.getAccount(ACCOUNT), undefined);
        }),
      );

      test(
        'a duplicate account is refused and the original is left as it was',
        withStore(async ({ accounts }, clock) => {
          await accounts.createAccount(ACCOUNT);
          clock.advance(5000);
          await assertAccountError(accounts.createAccount(ACCOUNT), 'DUPLICATE_ACCOUNT', ACCOUNT);
          assert.deepEqual(await accounts.listAccounts(), [{ accountId: ACCOUNT, createdAt: T0 }]);
        }),
      );

      test(
        'an account id that is not exactly 12 ASCII digits is refused, and nothing is created',
        withStore(async ({ accounts }) => {
          for (const bad of ['', '12345678901', '1234567890123', 'abcdefghijkl', ' 12345678901', '12345678901２']) {
            await assertAccountError(accounts.createAccount(bad), 'INVALID_ACCOUNT_ID', bad);
          }
          assert.deepEqual(await accounts.listAccounts(), []);
        }),
      );

      test(
        'deleting an account that owns access keys is refused until they are deleted',
        withStore(async ({ accounts }) => {
          await accounts.createAccount(ACCOUNT);
          const one = await accounts.createAccessKey(ACCOUNT);
          const two = await accounts.createAccessKey(ACCOUNT);
          await assertAccountError(
            accounts.deleteAccount(ACCOUNT, accountDeletionRule),
            'ACCOUNT_HAS_ACCESS_KEYS',
            ACCOUNT,
          );
          assert.ok(await accounts.getAccount(ACCOUNT));
          assert.equal((await accounts.listAccessKeys(ACCOUNT)).length, 2);

          await accounts.deleteAccessKey(one.accessKeyId);
          await assertAccountError(
            accounts.deleteAccount(ACCOUNT, accountDeletionRule),
            'ACCOUNT_HAS_ACCESS_KEYS',
            ACCOUNT,
          );
          await accounts.deleteAccessKey(two.accessKeyId);
          await accounts.deleteAccount(ACCOUNT, accountDeletionRule);
          assert.equal(await accounts.getAccount(ACCOUNT), undefined);
          assert.deepEqual(await accounts.listAccounts(), []);
        }),
      );

      test(
        'deleting an unknown account is refused; a deleted account id can be created again',
        withStore(async ({ accounts }, clock) => {
          await assertAccountError(accounts.deleteAccount(ACCOUNT, accountDeletionRule), 'NO_SUCH_ACCOUNT', ACCOUNT);
          await accounts.createAccount(ACCOUNT);
          await accounts.deleteAccount(ACCOUNT, accountDeletionRule);
          await assertAccountError(accounts.deleteAccount(ACCOUNT, accountDeletionRule), 'NO_SUCH_ACCOUNT', ACCOUNT);
          clock.advance(1);
          assert.deepEqual(await accounts.createAccount(ACCOUNT), { accountId: ACCOUNT, createdAt: T0 + 1 });
        }),
      );
    });

    describe('access keys', () => {
      test(
        'a new key is AWS-shaped: AKIA + 16 base32 characters, a 40-character base64-alphabet secret',
        withStore(async ({ accounts }) => {
          await accounts.createAccount(ACCOUNT);
          const key = await accounts.createAccessKey(ACCOUNT);
          assert.deepEqual(Object.keys(key).sort(), ['accessKeyId', 'accountId', 'createdAt', 'secretAccessKey']);
          assert.match(key.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
          assert.match(key.secretAccessKey, /^[A-Za-z0-9+/]{40}$/);
          assert.equal(key.accountId, ACCOUNT);
          assert.equal(key.createdAt, T0);
        }),
      );

      test(
        'keys are random: ids and secrets never repeat',
        withStore(async ({ accounts }) => {
          await accounts.createAccount(ACCOUNT);
          const keys = [];
          for (let i = 0; i < 40; i++) keys.push(await accounts.createAccessKey(ACCOUNT));
          assert.equal(new Set(keys.map((k) => k.accessKeyId)).size, keys.length);
          assert.equal(new Set(keys.map((k) => k.secretAccessKey)).size, keys.length);
          // 40 × 16 id characters from a 32-letter alphabet: a stuck or biased generator shows here.
          assert.ok(new Set(keys.flatMap((k) => [...k.accessKeyId.slice(4)])).size > 24);
        }),
      );

      test(
        'a key for an unknown account is refused',
        withStore(async ({ accounts }) => {
          await assertAccountError(accounts.createAccessKey(ACCOUNT), 'NO_SUCH_ACCOUNT', ACCOUNT);
        }),
      );

      test(
        'findAccessKey returns the account and the secret as issued; undefined when unknown',
        withStore(async ({ accounts }) => {
          await accounts.createAccount(ACCOUNT);
          await accounts.createAccount(OTHER);
          const mine = await accounts.createAccessKey(ACCOUNT);
          const theirs = await accounts.createAccessKey(OTHER);
          assert.deepEqual(await accounts.findAccessKey(mine.accessKeyId), {
            accountId: ACCOUNT,
            secretAccessKey: mine.secretAccessKey,
          });
          assert.deepEqual(await accounts.findAccessKey(theirs.accessKeyId), {
            accountId: OTHER,
            secretAccessKey: theirs.secretAccessKey,
          });
          assert.equal(await accounts.findAccessKey('AKIAAAAAAAAAAAAAAAAA'), undefined);
          // Ids are case-sensitive, as AWS's are.
          assert.equal(await accounts.findAccessKey(mine.accessKeyId.toLowerCase()), undefined);
        }),
      );

      test(
        "listAccessKeys shows one account's keys, oldest first, never a secret",
        withStore(async ({ accounts }, clock) => {
          await accounts.createAccount(ACCOUNT);
          await accounts.createAccount(OTHER);
          assert.deepEqual(await accounts.listAccessKeys(ACCOUNT), []);
          const first = await accounts.createAccessKey(ACCOUNT);
          await accounts.createAccessKey(OTHER);
          clock.advance(1000);
          const second = await accounts.createAccessKey(ACCOUNT);
          const listed = await accounts.listAccessKeys(ACCOUNT);
          assert.deepEqual(listed, [
            { accessKeyId: first.accessKeyId, accountId: ACCOUNT, createdAt: T0 },
            { accessKeyId: second.accessKeyId, accountId: ACCOUNT, createdAt: T0 + 1000 },
          ]);
          const text = JSON.stringify(listed);
          assert.ok(!text.includes(first.secretAccessKey) && !text.includes(second.secretAccessKey));
        }),
      );

      test(
        'listAccessKeys of an unknown account is refused',
        withStore(async ({ accounts }) => {
          await assertAccountError(accounts.listAccessKeys(ACCOUNT), 'NO_SUCH_ACCOUNT', ACCOUNT);
        }),
      );

      test(
        'deleteAccessKey removes that key only; deleting it again is refused',
        withStore(async ({ accounts }) => {
          await accounts.createAccount(ACCOUNT);
          const gone = await accounts.createAccessKey(ACCOUNT);
          const kept = await accounts.createAccessKey(ACCOUNT);
          await accounts.deleteAccessKey(gone.accessKeyId);
          assert.equal(await accounts.findAccessKey(gone.accessKeyId), undefined);
          assert.deepEqual(
            (await accounts.listAccessKeys(ACCOUNT)).map((k) => k.accessKeyId),
            [kept.accessKeyId],
          );
          await assertAccountError(accounts.deleteAccessKey(gone.accessKeyId), 'NO_SUCH_ACCESS_KEY', gone.accessKeyId);
          assert.ok(await accounts.findAccessKey(kept.accessKeyId));
        }),
      );

      test(
        'accounts and keys are visible through a second connection',
        withStore(async ({ accounts, reopen }) => {
          if (!reopen) return;
          await accounts.createAccount(ACCOUNT);
          const key = await accounts.createAccessKey(ACCOUNT);
          const other = await reopen();
          assert.deepEqual(await other.getAccount(ACCOUNT), { accountId: ACCOUNT, createdAt: T0 });
          assert.deepEqual(await other.findAccessKey(key.accessKeyId), {
            accountId: ACCOUNT,
            secretAccessKey: key.secretAccessKey,
          });
          await other.deleteAccessKey(key.accessKeyId);
          assert.equal(await accounts.findAccessKey(key.accessKeyId), undefined);
        }),
      );
    });
  });
}
