/**
 * The end of a keyset page ordered by one text key (thing name, certificate id), fetched with one row more
 * than `limit`: that extra row tells whether another page follows, which then starts after the last key
 * returned. The counterpart of keysetPage for listings not ordered by creation date.
 */
export function keyedPage<R, T>(
  rows: readonly R[],
  limit: number,
  toItem: (row: R) => T,
  keyOf: (item: T) => string,
): { items: T[]; next?: string } {
  const items = rows.slice(0, limit).map(toItem);
  const last = items[items.length - 1];
  if (rows.length <= limit || last === undefined) return { items };
  return { items, next: keyOf(last) };
}
