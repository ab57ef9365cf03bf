/** What JSON.parse returns, typed. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | JsonObject;
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own entries only; JSON.parse makes "__proto__" an own key, which Object.entries keeps as data. */
export function entriesOf(object: JsonObject): Array<[string, JsonValue]> {
  return Object.entries(object);
}

/** A short, quoted rendering of a value taken from the input, so messages never echo a huge input. */
export function quote(text: string, max = 64): string {
  const shown = text.length > max ? `${text.slice(0, max)}...` : text;
  return JSON.stringify(shown);
}

/** What kind of JSON value this is, for messages. */
export function jsonKind(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** A path step for messages; long keys are cut so a message stays short. */
export function pathStep(where: string, key: string): string {
  return `${where}.${key.length > 40 ? `${key.slice(0, 40)}...` : key}`;
}
