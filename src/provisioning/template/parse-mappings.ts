import { entriesOf, isJsonObject, type JsonValue, jsonKind, pathStep, quote } from './json-value.js';
import type { MappingTable, MappingValue } from './parsed-template.js';
import { invalidTemplate } from './template-error.js';
import { isValidName } from './template-names.js';

/**
 * Parses the Mappings section: { MapName: { TopKey: { SecondKey: value } } }. Values are data only (strings,
 * numbers, booleans or lists of them): the documentation rules out parameters and intrinsic functions here.
 */
export function parseMappings(section: JsonValue | undefined): ReadonlyMap<string, MappingTable> {
  const mappings = new Map<string, MappingTable>();
  if (section === undefined) return mappings;
  if (!isJsonObject(section)) throw invalidTemplate(`Mappings must be an object, found ${jsonKind(section)}`);
  for (const [mapName, table] of entriesOf(section)) {
    if (!isValidName(mapName)) throw invalidTemplate(`Mappings: ${quote(mapName)} is not a valid mapping name`);
    const where = pathStep('Mappings', mapName);
    if (!isJsonObject(table)) throw invalidTemplate(`${where}: a mapping must be an object, found ${jsonKind(table)}`);
    const rows = new Map<string, ReadonlyMap<string, MappingValue>>();
    for (const [topKey, row] of entriesOf(table)) {
      const rowWhere = pathStep(where, topKey);
      if (!isJsonObject(row))
        throw invalidTemplate(`${rowWhere}: expected an object of values, found ${jsonKind(row)}`);
      const values = new Map<string, MappingValue>();
      for (const [secondKey, value] of entriesOf(row))
        values.set(secondKey, mappingValue(value, pathStep(rowWhere, secondKey)));
      rows.set(topKey, values);
    }
    mappings.set(mapName, rows);
  }
  return mappings;
}

function mappingValue(value: JsonValue, where: string): MappingValue {
  if (isScalar(value)) return value;
  if (Array.isArray(value) && value.every(isScalar)) return value as readonly (string | number | boolean)[];
  throw invalidTemplate(`${where}: a mapping value must be a string, number, boolean or a list of them`);
}

function isScalar(value: JsonValue): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
