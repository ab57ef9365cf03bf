import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALL_OPERATIONS, IOT_OPERATIONS } from '../../src/operations/catalog.js';
import { loadOperation } from '../../src/operations/index.js';
import { IOT_MODELS } from '../../src/operations/iot-models.js';

describe('IOT_MODELS, derived from the catalog', () => {
  it('lists every IoT operation once, by name, each with its REST route', () => {
    const names = IOT_MODELS.map((model) => model.name);
    assert.equal(new Set(names).size, IOT_OPERATIONS.length);
    assert.deepEqual(names, [...names].sort());
    for (const model of IOT_MODELS) assert.ok(model.http.requestUri.startsWith('/'), model.name);
  });

  it('finds each declaration from its model', async () => {
    for (const entry of IOT_OPERATIONS) assert.equal(await loadOperation(entry.model), await entry.load());
  });

  it('imports, for each catalog line, the declaration of the model that line names', async () => {
    for (const entry of ALL_OPERATIONS) {
      const operation = await entry.load();
      assert.equal(operation.model, entry.model, entry.model.name);
      assert.equal(typeof operation.run, 'function', entry.model.name);
    }
  });
});
