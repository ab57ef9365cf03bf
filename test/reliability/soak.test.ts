import { test } from 'node:test';
import { soakPart } from '../../bench/reliability/soak.js';
import { assertQuickPartPasses } from './quick-part.js';

test('soak, quick form: no errors, RSS without a gross leak after the warm-up, open files back to idle', async (t) => {
  await assertQuickPartPasses(t, soakPart, 4);
});
