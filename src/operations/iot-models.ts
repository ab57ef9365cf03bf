import type { RestOperationModel } from '../model/shapes.js';
import { IOT_OPERATIONS } from './catalog.js';

/**
 * The models of the IoT API's operations, by name: the order `fleetca iot help` lists them in, the REST door's
 * route table is built from, and the HTTP fuzzer picks from (its case `i` stays the same request).
 */
export const IOT_MODELS: readonly RestOperationModel[] = IOT_OPERATIONS.map((operation) => operation.model).sort(
  (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
);
