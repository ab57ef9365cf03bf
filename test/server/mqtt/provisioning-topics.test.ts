import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRequestTopic, requestTopicOfResponseFilter } from '../../../src/server/mqtt/provisioning-topics.js';

test('the three fleet-provisioning request topics are recognized in both formats', () => {
  assert.deepEqual(parseRequestTopic('$aws/certificates/create/json'), {
    operation: 'CreateKeysAndCertificate',
    format: 'json',
  });
  assert.deepEqual(parseRequestTopic('$aws/certificates/create-from-csr/cbor'), {
    operation: 'CreateCertificateFromCsr',
    format: 'cbor',
  });
  assert.deepEqual(parseRequestTopic('$aws/provisioning-templates/fleet/provision/json'), {
    operation: 'RegisterThing',
    format: 'json',
    templateName: 'fleet',
  });
});

test('any other topic is not a request, however close', () => {
  for (const topic of [
    'telemetry/device-1',
    'bench/in/held-1',
    'aws/certificates/create/json',
    '$aws',
    '$aws/',
    '$AWS/certificates/create/json',
    '$aws/certificates/create/xml',
    '$aws/certificates/create/json/accepted',
    '$aws/certificates/delete/json',
    '$aws/provisioning-templates//provision/json',
    '$aws/provisioning-templates/fleet/provision',
    '$aws/things/dev/shadow/update',
  ]) {
    assert.equal(parseRequestTopic(topic), undefined, topic);
  }
});

test('a response filter names its request topic; wildcards only where a format may vary', () => {
  assert.deepEqual(requestTopicOfResponseFilter('$aws/certificates/create/json/accepted'), {
    topic: '$aws/certificates/create/json',
    anyFormat: false,
  });
  assert.deepEqual(requestTopicOfResponseFilter('$aws/provisioning-templates/fleet/provision/+/+'), {
    topic: '$aws/provisioning-templates/fleet/provision/+',
    anyFormat: true,
  });
  assert.equal(requestTopicOfResponseFilter('$aws/provisioning-templates/+/provision/json/accepted'), undefined);
  assert.equal(requestTopicOfResponseFilter('telemetry/json/accepted'), undefined);
});
