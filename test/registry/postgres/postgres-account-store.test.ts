import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accountDeletionRule } from '../../../src/domain/accounts/account-deletion.js';
import { AccountError } from '../../../src/domain/accounts/account-error.js';
import { PgAccountStore } from '../../../src/registry/postgres/pg-account-store.js';
import { type AccountStoreFixture, accountStoreConformance } from '../account-store-conformance.js';
import { freshSchema } from './postgres-fixtures.js';

accountStoreConformance('postgres', async (now): Promise<AccountStoreFixture> => {
  const schema = await freshSchema();
  const open = async () => new PgAccountStore(await schema.openDatabase(), now);
  return { accounts: await open(), reopen: open, cleanup: schema.cleanup };
});

test('postgres: the secret is stored as issued, under its key id; the foreign key refuses an orphan', async () => {
  const schema = await freshSchema();
  try {
    const { accounts } = await schema.open({ changeFeed: false });
    await accounts.createAccount('123456789012');
    const key = await accounts.createAccessKey('123456789012');
    assert.deepEqual(await schema.query('SELECT access_key_id, account_id, secret FROM access_keys'), [
      { access_key_id: key.accessKeyId, account_id: '123456789012', secret: key.secretAccessKey },
    ]);
    await assert.rejects(
      schema.query('INSERT INTO access_keys (access_key_id, account_id, secret, created_at) VALUES ($1, $2, $3, 0)', [
        'AKIAORPHANORPHANORPH',
        '999999999999',
        's',
      ]),
      /foreign key/,
    );
  } finally {
    await schema.cleanup();
  }
});

test('postgres: deleting an account while keys are created for it never leaves an orphan key', async () => {
  const schema = await freshSchema();
  try {
    const a = (await schema.open({ changeFeed: false })).accounts;
    const b = (await schema.open({ changeFeed: false })).accounts;
    for (let round = 0; round < 10; round++) {
      const accountId = `00000000000${round}`;
      await a.createAccount(accountId);
      const [created, deleted] = await Promise.allSettled([
        b.createAccessKey(accountId),
        a.deleteAccount(accountId, accountDeletionRule),
      ]);
      // Exactly one wins: a key for a live account, or the account gone and the key refused.
      assert.notEqual(created.status, deleted.status, `round ${round}`);
      const refused = created.status === 'rejected' ? created.reason : deleted.status === 'rejected' && deleted.reason;
      assert.ok(refused instanceof AccountError);
      assert.ok(['NO_SUCH_ACCOUNT', 'ACCOUNT_HAS_ACCESS_KEYS'].includes(refused.code));
      const orphans = await schema.query(
        'SELECT 1 FROM access_keys k WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.account_id = k.account_id)',
      );
      assert.deepEqual(orphans, []);
    }
  } finally {
    await schema.cleanup();
  }
});
