import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServiceError } from '../../src/errors.js';
import { RegisterCACertificate, UpdateCACertificate } from '../../src/model/ca-certificates.js';
import { validateInput } from '../../src/operations/validate-input.js';

function messageOf(fn: () => void): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ServiceError);
    assert.equal(err.code, 'InvalidRequestException');
    return err.message;
  }
  assert.fail('expected InvalidRequestException');
}

const PEM = '-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n';

test('nested structures and lists are validated member by member, named as Coral names them', () => {
  validateInput(RegisterCACertificate.input, {
    caCertificate: PEM,
    registrationConfig: { templateName: 'jitp_1-a', roleArn: 'arn:aws:iam::123456789012:role/r', templateBody: '' },
    tags: [{ Key: 'naïve key: ü=1' }, { Key: 'k', Value: '' }],
  });
  assert.equal(
    messageOf(() =>
      validateInput(RegisterCACertificate.input, {
        caCertificate: PEM,
        registrationConfig: { templateName: '' },
        tags: [{ Key: 'x'.repeat(129) }, null, { Key: 'tab\tkey' }],
      }),
    ),
    '5 validation errors detected: ' +
      "Value '' at 'registrationConfig.templateName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[0-9A-Za-z_-]+$; " +
      "Value '' at 'registrationConfig.templateName' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
      `Value '${'x'.repeat(129)}' at 'tags.1.member.Key' failed to satisfy constraint: Member must have length less than or equal to 128; ` +
      "Value null at 'tags.2.member' failed to satisfy constraint: Member must not be null; " +
      "Value 'tab\tkey' at 'tags.3.member.Key' failed to satisfy constraint: Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$",
  );
});

test('a structure or list of the wrong type is refused', () => {
  assert.match(
    messageOf(() =>
      validateInput(UpdateCACertificate.input, { certificateId: 'a'.repeat(64), registrationConfig: 'x' }),
    ),
    /at 'registrationConfig' failed to satisfy constraint: Member must be a structure$/,
  );
  assert.match(
    messageOf(() =>
      validateInput(UpdateCACertificate.input, { certificateId: 'a'.repeat(64), registrationConfig: [] }),
    ),
    /Member must be a structure$/,
  );
  assert.match(
    messageOf(() => validateInput(RegisterCACertificate.input, { caCertificate: PEM, tags: { Key: 'k' } })),
    /at 'tags' failed to satisfy constraint: Member must be a list$/,
  );
});
