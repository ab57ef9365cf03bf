import assert from 'node:assert/strict';
import { test } from 'node:test';
import { href, parseRoute, sectionOf } from '../../src/lib/route.js';

const id = 'ab'.repeat(32);

test('hash routes name their view and parameters', () => {
  assert.deepEqual(parseRoute(''), { name: 'dashboard' });
  assert.deepEqual(parseRoute('#/'), { name: 'dashboard' });
  assert.deepEqual(parseRoute(`#/certificates/${id}`), { name: 'certificate', certificateId: id });
  assert.deepEqual(parseRoute('#/certificates/new'), { name: 'create-certificate' });
  assert.deepEqual(parseRoute('#/things/sensor%2F1'), { name: 'thing', thingName: 'sensor/1' });
  assert.deepEqual(parseRoute('#/policies/p1'), { name: 'policy', policyName: 'p1' });
  assert.deepEqual(parseRoute('#/templates/t'), { name: 'template', templateName: 't' });
  assert.deepEqual(parseRoute(`#/ca-certificates/${id}`), { name: 'ca-certificate', certificateId: id });
  const list = parseRoute('#/certificates?status=ACTIVE&idPrefix=ab');
  assert.equal(list.name, 'certificates');
  assert.equal(list.name === 'certificates' && list.query.get('status'), 'ACTIVE');
});

test('unknown or malformed addresses are not found', () => {
  assert.deepEqual(parseRoute('#/nowhere'), { name: 'not-found', path: '/nowhere' });
  assert.deepEqual(parseRoute('#/certificates/a/b'), { name: 'not-found', path: '/certificates/a/b' });
  assert.deepEqual(parseRoute('#/things/%E0%A4%A'), { name: 'not-found', path: '/things/%E0%A4%A' });
  assert.deepEqual(parseRoute('#/dashboard/x'), { name: 'not-found', path: '/dashboard/x' });
});

test('links encode their segments; detail views belong to their list in the nav', () => {
  assert.equal(href('things', 'sensor/1'), '#/things/sensor%2F1');
  assert.equal(href('certificates'), '#/certificates');
  assert.equal(sectionOf(parseRoute(`#/certificates/${id}`)), 'certificates');
  assert.equal(sectionOf(parseRoute('#/certificates/new')), 'create-certificate');
  assert.equal(sectionOf(parseRoute('#/things/x')), 'things');
});
