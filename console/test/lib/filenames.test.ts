import assert from 'node:assert/strict';
import { test } from 'node:test';
import { caCertificateFilename, pemFilename } from '../../src/lib/filenames.js';

const id = '3f1c0a9e2b7d4c5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6';

test('download names follow AWS console: first 10 hex digits and the kind', () => {
  assert.equal(pemFilename(id, 'certificate'), '3f1c0a9e2b-certificate.pem.crt');
  assert.equal(pemFilename(id, 'private-key'), '3f1c0a9e2b-private.pem.key');
  assert.equal(pemFilename(id, 'public-key'), '3f1c0a9e2b-public.pem.key');
  assert.equal(pemFilename(id.toUpperCase(), 'certificate'), '3f1c0a9e2b-certificate.pem.crt');
  assert.equal(caCertificateFilename(id), 'ca-3f1c0a9e2b.pem');
});

test('a name never carries path characters, even from an odd id', () => {
  assert.equal(pemFilename('../../etc/passwd', 'certificate'), 'ecad-certificate.pem.crt');
  assert.equal(pemFilename('', 'private-key'), 'fleetca-private.pem.key');
});
