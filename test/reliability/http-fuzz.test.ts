import { test } from 'node:test';
import { httpFuzzPart } from '../../bench/reliability/http-fuzz.js';
import { assertQuickPartPasses } from './quick-part.js';

test('HTTP fuzzing, quick form: no 5xx, no hang, every error in the AWS shape, the control request answered throughout', async (t) => {
  await assertQuickPartPasses(t, httpFuzzPart, 7);
});
