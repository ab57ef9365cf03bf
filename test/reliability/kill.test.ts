import { test } from 'node:test';
import { killPart } from '../../bench/reliability/kill.js';
import { assertQuickPartPasses } from './quick-part.js';

test('SIGKILL under issuance load, quick form: no received certificate lost, the registry reopens (SQLite and PostgreSQL)', async (t) => {
  await assertQuickPartPasses(t, killPart, 7);
});
