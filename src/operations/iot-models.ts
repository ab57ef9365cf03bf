import type { RestOperationModel } from '../model/shapes.js';
import { type CatalogEntry, FLEET_OPERATIONS, IOT_OPERATIONS } from './catalog.js';

/** The models of catalog lines, by name. */
function modelsByName(entries: readonly CatalogEntry<RestOperationModel>[]): readonly RestOperationModel[] {
  return entries.map((operation) => operation.model).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The models of the IoT API's operations, by name: the order `fleetca iot help` lists them in, the REST door's
 * route table is built from, and the HTTP fuzzer picks from (its case `i` stays the same request).
 */
export const IOT_MODELS: readonly RestOperationModel[] = modelsByName(IOT_OPERATIONS);

/** The models of fleetca's own API, by name: `fleetca fleet help` lists them in this order; the REST door routes them. */
export const FLEET_MODELS: readonly RestOperationModel[] = modelsByName(FLEET_OPERATIONS);
