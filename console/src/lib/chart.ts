/** Arithmetic of the dashboard's bar chart: a y axis with round ticks, bucket labels, how many labels fit. */

export interface Axis {
  /** Tick values from 0 to `top`, evenly spaced by a round step (1, 2 or 5 times a power of ten). */
  readonly ticks: number[];
  /** The value at the top of the plot: the last tick, at least the largest value. */
  readonly top: number;
}

/** Round ticks for counts (integers): about `targetCount` intervals, never a fractional step. */
export function countAxis(maxValue: number, targetCount = 4): Axis {
  const max = Number.isFinite(maxValue) && maxValue > 0 ? maxValue : 0;
  if (max === 0) return { ticks: [0, 1], top: 1 };
  const raw = max / Math.max(1, targetCount);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power);
  const top = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let value = 0; value <= top; value += step) ticks.push(value);
  return { ticks, top };
}

/** Height in pixels of a bar for `value` on a plot `plotHeight` high whose top is `top`. */
export function barHeight(value: number, top: number, plotHeight: number): number {
  if (top <= 0 || value <= 0) return 0;
  return (Math.min(value, top) / top) * plotHeight;
}

export type Interval = 'DAY' | 'HOUR';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** The short label under a bar: `Dec 8` for a day, `14:00` for an hour (UTC, as the buckets are). */
export function bucketLabel(start: Date, interval: Interval): string {
  if (interval === 'HOUR') return `${pad(start.getUTCHours())}:00`;
  return `${MONTHS[start.getUTCMonth()]} ${start.getUTCDate()}`;
}

/** The full name of a bucket, for tooltips and the table: `2026-12-08` or `2026-12-08 14:00 UTC`. */
export function bucketName(start: Date, interval: Interval): string {
  const day = `${start.getUTCFullYear()}-${pad(start.getUTCMonth() + 1)}-${pad(start.getUTCDate())}`;
  return interval === 'HOUR' ? `${day} ${pad(start.getUTCHours())}:00 UTC` : day;
}

/** Label every n-th bar so that at most `maxLabels` labels are drawn. */
export function labelStride(barCount: number, maxLabels: number): number {
  if (barCount <= 0 || maxLabels <= 0) return 1;
  return Math.max(1, Math.ceil(barCount / maxLabels));
}

/** A sentence that says what the chart shows, for its aria-label. */
export function chartSummary(values: readonly number[], interval: Interval): string {
  const total = values.reduce((sum, v) => sum + v, 0);
  const peak = values.reduce((max, v) => Math.max(max, v), 0);
  const unit = interval === 'HOUR' ? 'hour' : 'day';
  return `${total} certificates issued over ${values.length} ${unit}${values.length === 1 ? '' : 's'}; at most ${peak} in one ${unit}.`;
}
