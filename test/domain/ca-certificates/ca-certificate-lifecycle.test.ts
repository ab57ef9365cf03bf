import assert from 'node:assert/strict';
import { test } from 'node:test';
import { caDeletionRule, caUpdateRule } from '../../../src/domain/ca-certificates/ca-certificate-lifecycle.js';
import { makeCaRecord } from '../../registry/ca-certificate-fixtures.js';

test('the rules on their own: deletion refuses ACTIVE only, updates refuse missing records', () => {
  const record = makeCaRecord('rules');
  assert.doesNotThrow(() => caDeletionRule(record.certificateId)(record));
  assert.throws(() => caDeletionRule(record.certificateId)({ ...record, status: 'ACTIVE' }), /deactivated/);
  assert.throws(() => caDeletionRule(record.certificateId)(undefined), /does not exist/);
  assert.throws(() => caUpdateRule({ newStatus: 'ACTIVE' }, 1)(undefined), /does not exist/);
  assert.equal(caUpdateRule({ newStatus: 'INACTIVE' }, 1)(record), undefined);
  assert.equal(caUpdateRule({ removeAutoRegistration: false }, 1)(record), undefined);
});
