/** `value` as a URL when it is a string that parses as one, else undefined (config values are unchecked JSON). */
export function urlValue(value: unknown): URL | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
