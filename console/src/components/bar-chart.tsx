/** A small SVG bar chart of counts per time bucket, with axes, labels, a title and a table for screen readers. */
import { useId } from 'preact/hooks';
import {
  barHeight,
  bucketLabel,
  bucketName,
  chartSummary,
  countAxis,
  type Interval,
  labelStride,
} from '../lib/chart.js';

export interface Bucket {
  readonly start: Date;
  readonly count: number;
}

interface Props {
  readonly title: string;
  readonly interval: Interval;
  readonly buckets: readonly Bucket[];
  readonly testid?: string;
}

const WIDTH = 720;
const HEIGHT = 260;
const MARGIN = { top: 12, right: 12, bottom: 44, left: 48 };

export function BarChart({ title, interval, buckets, testid }: Props) {
  const id = useId();
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const values = buckets.map((b) => b.count);
  const axis = countAxis(Math.max(0, ...values));
  const slot = buckets.length > 0 ? plotWidth / buckets.length : plotWidth;
  const barWidth = Math.max(1, slot * 0.8);
  const stride = labelStride(buckets.length, 12);
  const summary = chartSummary(values, interval);
  const baseline = MARGIN.top + plotHeight;
  return (
    <figure class="chart" data-testid={testid}>
      <figcaption id={`${id}-title`} class="chart-title">
        {title}
      </figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        class="chart-svg"
        preserveAspectRatio="xMidYMid meet"
      >
        <title>{title}</title>
        <desc id={`${id}-desc`}>{summary}</desc>
        {axis.ticks.map((tick) => {
          const y = baseline - barHeight(tick, axis.top, plotHeight);
          return (
            <g key={`tick-${tick}`} class="chart-tick">
              <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y} y2={y} />
              <text x={MARGIN.left - 6} y={y} dy="0.32em" text-anchor="end">
                {tick}
              </text>
            </g>
          );
        })}
        {buckets.map((bucket, index) => {
          const h = barHeight(bucket.count, axis.top, plotHeight);
          const x = MARGIN.left + index * slot + (slot - barWidth) / 2;
          return (
            <g key={bucket.start.getTime()}>
              <rect class="chart-bar" x={x} y={baseline - h} width={barWidth} height={h}>
                <title>{`${bucketName(bucket.start, interval)}: ${bucket.count}`}</title>
              </rect>
              {index % stride === 0 ? (
                <text class="chart-label" x={x + barWidth / 2} y={baseline + 16} text-anchor="middle">
                  {bucketLabel(bucket.start, interval)}
                </text>
              ) : null}
            </g>
          );
        })}
        <line class="chart-axis" x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={baseline} y2={baseline} />
        <line class="chart-axis" x1={MARGIN.left} x2={MARGIN.left} y1={MARGIN.top} y2={baseline} />
        <text class="chart-axis-title" x={MARGIN.left + plotWidth / 2} y={HEIGHT - 6} text-anchor="middle">
          {interval === 'HOUR' ? 'Hour (UTC)' : 'Day (UTC)'}
        </text>
      </svg>
      <details class="chart-table">
        <summary>Show the numbers as a table</summary>
        <table>
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">{interval === 'HOUR' ? 'Hour' : 'Day'}</th>
              <th scope="col">Certificates issued</th>
            </tr>
          </thead>
          <tbody>
            {buckets.map((bucket) => (
              <tr key={bucket.start.getTime()}>
                <th scope="row">{bucketName(bucket.start, interval)}</th>
                <td>{bucket.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
