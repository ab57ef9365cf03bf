/** The dashboard: certificates per status, expiring and expired, issuance over time, devices connected now. */
import { useState } from 'preact/hooks';
import type { StatisticsInterval } from '../api/fleet-types.js';
import { BarChart } from '../components/bar-chart.js';
import { ExpiringSoon } from '../components/expiring-soon.js';
import { PageHeader } from '../components/facts.js';
import { ErrorAlert, Loading } from '../components/feedback.js';
import { StatusBadge } from '../components/status-badge.js';
import { emptySearchForm, formToQuery } from '../lib/certificate-search.js';
import { useSession } from '../state/session.js';
import { useAsync } from '../state/use-async.js';

const certificatesWithStatus = (status: string) => `#/certificates?${formToQuery({ ...emptySearchForm, status })}`;

export function Dashboard() {
  const { fleet } = useSession();
  const [interval, setBucketSize] = useState<StatisticsInterval>('DAY');
  const [refreshes, setRefreshes] = useState(0);
  const stats = useAsync(() => fleet.getCertificateStatistics({ interval }), [fleet, interval]);
  const connections = useAsync(() => fleet.listDeviceConnections({ pageSize: 1 }), [fleet]);
  const data = stats.data;
  const statsNote = stats.error ? 'unavailable' : undefined;
  return (
    <>
      <PageHeader title="Dashboard">
        <button
          type="button"
          class="button"
          onClick={() => {
            stats.reload();
            connections.reload();
            setRefreshes((count) => count + 1);
          }}
          data-testid="dashboard-refresh"
        >
          Refresh
        </button>
      </PageHeader>
      <ErrorAlert error={stats.error} />
      {stats.loading && !data ? <Loading what="Counting certificates…" /> : null}
      <section class="cards" aria-label="Totals">
        <Card label="Certificates" value={data?.total} testid="stat-total" href="#/certificates" note={statsNote} />
        <Card label="Expiring within 30 days" value={data?.expiringSoon} testid="stat-expiring-soon" note={statsNote} />
        <Card label="Expired, still registered" value={data?.expired} testid="stat-expired" note={statsNote} />
        <Card
          label="Devices connected now"
          value={connections.error ? undefined : connections.data?.total}
          testid="stat-connected"
          note={connections.error ? 'unavailable' : undefined}
        />
      </section>
      {connections.error ? <ErrorAlert error={connections.error} /> : null}
      {data ? (
        <section aria-labelledby="by-status-title" class="panel">
          <h2 id="by-status-title">By status</h2>
          <table class="table compact" data-testid="status-counts">
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col" class="numeric">
                  Certificates
                </th>
              </tr>
            </thead>
            <tbody>
              {data.countsByStatus.map(({ status, count }) => (
                <tr key={status} data-status={status}>
                  <th scope="row">
                    <a href={certificatesWithStatus(status)}>
                      <StatusBadge status={status} />
                    </a>
                  </th>
                  <td class="numeric">{count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      {data ? (
        <section class="panel" aria-label="Issuance">
          <div class="panel-head">
            <h2>Issuance</h2>
            <fieldset class="segmented">
              <legend class="visually-hidden">Bucket size</legend>
              {(['DAY', 'HOUR'] as const).map((value) => (
                <button
                  key={value}
                  type="button"
                  class={interval === value ? 'button selected' : 'button'}
                  aria-pressed={interval === value}
                  onClick={() => setBucketSize(value)}
                  data-testid={`chart-interval-${value.toLowerCase()}`}
                >
                  {value === 'DAY' ? 'Per day (30 days)' : 'Per hour (48 hours)'}
                </button>
              ))}
            </fieldset>
          </div>
          <BarChart
            title={data.interval === 'HOUR' ? 'Certificates issued per hour' : 'Certificates issued per day'}
            interval={data.interval}
            buckets={data.issuance}
            testid="issuance-chart"
          />
        </section>
      ) : null}
      <ExpiringSoon fleet={fleet} reloads={refreshes} />
    </>
  );
}

interface CardProps {
  readonly label: string;
  readonly value: number | undefined;
  readonly testid: string;
  readonly href?: string;
  readonly note?: string | undefined;
}

function Card({ label, value, testid, href, note }: CardProps) {
  const number = value === undefined ? (note ?? '…') : value.toLocaleString('en-US');
  return (
    <div class="card stat" data-testid={testid}>
      <span class={value === undefined && note ? 'stat-value stat-unavailable' : 'stat-value'}>
        {href && value !== undefined ? <a href={href}>{number}</a> : number}
      </span>
      <span class="stat-label">{label}</span>
    </div>
  );
}
