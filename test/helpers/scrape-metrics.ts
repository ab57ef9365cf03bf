import assert from 'node:assert/strict';
import { parsePrometheusText, sampleValue } from '../../bench/prometheus.js';

/** One reading of `/_fleetca/metrics`: a sample's value (0 when the series does not exist yet). */
export type MetricReading = (name: string, labels?: Readonly<Record<string, string>>) => number;

/** Scrapes `${baseUrl}/_fleetca/metrics` without credentials, as Prometheus does. */
export async function scrapeMetrics(baseUrl: string): Promise<MetricReading> {
  const response = await fetch(`${baseUrl}/_fleetca/metrics`);
  const body = await response.text();
  assert.equal(response.status, 200, body);
  assert.equal(response.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  const samples = parsePrometheusText(body);
  return (name, labels) => sampleValue(samples, name, labels) ?? 0;
}
