import { pyStr } from '../python/repr.js';

type Dict = Record<string, unknown>;

function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

function isNonScalar(value: unknown): boolean {
  return Array.isArray(value) || isDict(value);
}

/** Python's `sorted()` on str keys: code-point order (not UTF-16 order, not locale order). */
export function sortedKeys(keys: Iterable<string>): string[] {
  return [...keys].sort(compareCodePoints);
}

function compareCodePoints(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const diff = (left[i]?.codePointAt(0) ?? 0) - (right[i]?.codePointAt(0) ?? 0);
    if (diff !== 0) return diff;
  }
  return left.length - right.length;
}

/**
 * The AWS CLI's text output (`text.format_text`) of one value, as the string it writes: dict
 * scalars tab-joined on one line in sorted key order, nested values on lines starting with their
 * UPPERCASED key, lists of dicts sharing one column set, values printed with Python's `str()`.
 */
export function formatText(value: unknown): string {
  const out: string[] = [];
  formatItem(value, out, undefined, undefined);
  return out.join('');
}

function formatItem(item: unknown, out: string[], identifier: string | undefined, scalarKeys?: string[]): void {
  if (isDict(item)) formatDict(item, out, identifier, scalarKeys);
  else if (Array.isArray(item)) formatList(item, out, identifier);
  else out.push(`${pyStr(item)}\n`);
}

function formatDict(item: Dict, out: string[], identifier: string | undefined, scalarKeys?: string[]): void {
  const scalars: string[] = [];
  const nonScalars: [string, unknown][] = [];
  if (scalarKeys === undefined) {
    for (const key of sortedKeys(Object.keys(item))) {
      if (isNonScalar(item[key])) nonScalars.push([key, item[key]]);
      else scalars.push(pyStr(item[key]));
    }
  } else {
    // A dict inside a list of dicts: the list's shared scalar columns, '' where missing.
    for (const key of scalarKeys) scalars.push(Object.hasOwn(item, key) ? pyStr(item[key]) : '');
    const shared = new Set(scalarKeys);
    for (const key of sortedKeys(Object.keys(item).filter((k) => !shared.has(k)))) nonScalars.push([key, item[key]]);
  }
  if (scalars.length > 0) {
    if (identifier !== undefined) scalars.unshift(identifier.toUpperCase());
    out.push(`${scalars.join('\t')}\n`);
  }
  for (const [key, value] of nonScalars) formatItem(value, out, key);
}

function formatList(item: readonly unknown[], out: string[], identifier: string | undefined): void {
  if (item.length === 0) return;
  if (item.some(isDict)) {
    const keys = new Set<string>();
    for (const element of item) {
      if (!isDict(element)) continue;
      for (const [key, value] of Object.entries(element)) if (!isNonScalar(value)) keys.add(key);
    }
    const allKeys = sortedKeys(keys);
    for (const element of item) formatItem(element, out, identifier, allKeys);
  } else if (item.some(Array.isArray)) {
    const scalars = item.filter((element) => !isNonScalar(element));
    if (scalars.length > 0) formatScalarList(scalars, out, identifier);
    for (const element of item) if (isNonScalar(element)) formatItem(element, out, identifier);
  } else {
    formatScalarList(item, out, identifier);
  }
}

function formatScalarList(elements: readonly unknown[], out: string[], identifier: string | undefined): void {
  if (identifier !== undefined) {
    for (const element of elements) out.push(`${identifier.toUpperCase()}\t${pyStr(element)}\n`);
  } else {
    out.push(`${elements.map(pyStr).join('\t')}\n`);
  }
}
