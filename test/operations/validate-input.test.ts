import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServiceError } from '../../src/errors.js';
import { ListCertificates, UpdateCertificate } from '../../src/model/certificates.js';
import { validateInput } from '../../src/operations/validate-input.js';

function messageOf(fn: () => void): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ServiceError);
    assert.equal(err.code, 'InvalidRequestException');
    assert.equal(err.status, 400);
    return err.message;
  }
  assert.fail('expected InvalidRequestException');
}

test('valid input passes', () => {
  validateInput(UpdateCertificate.input, { certificateId: 'a'.repeat(64), newStatus: 'REVOKED' });
  validateInput(UpdateCertificate.input, { certificateId: `0x${'A'.repeat(62)}`, newStatus: 'ACTIVE' });
  validateInput(ListCertificates.input, { pageSize: 250, marker: 'YWJj', ascendingOrder: false });
});

test('every violation is listed in Coral wording, in member order, pattern before length', () => {
  const tooLong = `${'g'.repeat(70)}`;
  assert.equal(
    messageOf(() => validateInput(UpdateCertificate.input, { certificateId: tooLong })),
    `3 validation errors detected: ` +
      `Value '${tooLong}' at 'certificateId' failed to satisfy constraint: Member must satisfy regular expression pattern: (0x)?[a-fA-F0-9]+; ` +
      `Value '${tooLong}' at 'certificateId' failed to satisfy constraint: Member must have length less than or equal to 64; ` +
      `Value null at 'newStatus' failed to satisfy constraint: Member must not be null`,
  );
});

test('enum, integer range and marker pattern', () => {
  assert.match(
    messageOf(() => validateInput(UpdateCertificate.input, { certificateId: 'a'.repeat(64), newStatus: 'active' })),
    /^1 validation error detected: Value 'active' at 'newStatus' failed to satisfy constraint: Member must satisfy enum value set: \[ACTIVE, INACTIVE, REVOKED, PENDING_TRANSFER, REGISTER_INACTIVE, PENDING_ACTIVATION\]$/,
  );
  assert.match(
    messageOf(() => validateInput(ListCertificates.input, { pageSize: 0 })),
    /greater than or equal to 1$/,
  );
  assert.match(
    messageOf(() => validateInput(ListCertificates.input, { pageSize: 251 })),
    /less than or equal to 250$/,
  );
  assert.match(
    messageOf(() => validateInput(ListCertificates.input, { pageSize: 2.5 })),
    /must be an integer$/,
  );
  assert.match(
    messageOf(() => validateInput(ListCertificates.input, { marker: 'not base64!' })),
    /regular expression pattern/,
  );
  assert.match(
    messageOf(() => validateInput(ListCertificates.input, { ascendingOrder: 'yes' })),
    /must be a boolean$/,
  );
});
