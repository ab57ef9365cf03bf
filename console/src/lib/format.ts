/** Display of dates and counts. Dates are shown in UTC, as the API and the statistics buckets count them. */

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-12-08 14:03 UTC`, or an en dash for an absent date. */
export function formatDateTime(value: Date | number | undefined): string {
  if (value === undefined) return '–';
  const date = typeof value === 'number' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return '–';
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(
    date.getUTCHours(),
  )}:${pad(date.getUTCMinutes())} UTC`;
}

/** `1 thing`, `3 things`. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** A 64-hex id shortened for tables: its first 12 digits and an ellipsis. */
export function shortId(id: string, digits = 12): string {
  return id.length > digits ? `${id.slice(0, digits)}…` : id;
}

/** Pretty-prints a JSON document given as text; text that is not JSON is shown as it is. */
export function prettyJson(text: string | undefined): string {
  if (!text) return '';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** The certificate id at the end of a certificate ARN (`arn:aws:iot:…:cert/<id>`), else undefined. */
export function certificateIdFromArn(arn: string): string | undefined {
  const match = /:cert\/([0-9a-f]{64})$/.exec(arn);
  return match?.[1];
}
