/** The certificates that expire first: expired ones still registered, then those within the window, soonest first. */
import type { FleetClient } from '../api/fleet.js';
import { EXPIRING_WITHIN_DAYS, expiringSoonRequest } from '../lib/expiring-soon.js';
import { formatDateTime, shortId } from '../lib/format.js';
import { useAsync } from '../state/use-async.js';
import { EmptyState, ErrorAlert, Loading } from './feedback.js';
import { StatusBadge } from './status-badge.js';

const SHOWN = 10;

export function ExpiringSoon({ fleet, reloads }: { fleet: FleetClient; reloads: number }) {
  const listing = useAsync(() => fleet.searchCertificates(expiringSoonRequest(new Date(), SHOWN)), [fleet, reloads]);
  const now = Date.now();
  return (
    <section class="panel" aria-labelledby="expiring-title" data-testid="expiring-soon">
      <h2 id="expiring-title">Expired or expiring within {EXPIRING_WITHIN_DAYS} days</h2>
      <ErrorAlert error={listing.error} onRetry={listing.reload} />
      {listing.loading && !listing.data ? <Loading what="Looking for expiring certificates…" /> : null}
      {listing.data && listing.data.certificates.length === 0 ? (
        <EmptyState>No certificate expires within {EXPIRING_WITHIN_DAYS} days.</EmptyState>
      ) : null}
      {listing.data && listing.data.certificates.length > 0 ? (
        <table class="table compact">
          <thead>
            <tr>
              <th scope="col">Certificate id</th>
              <th scope="col">Status</th>
              <th scope="col">Valid until</th>
            </tr>
          </thead>
          <tbody>
            {listing.data.certificates.map((certificate) => (
              <tr key={certificate.certificateId} data-certificate-id={certificate.certificateId}>
                <td>
                  <a href={`#/certificates/${certificate.certificateId}`} class="mono">
                    {shortId(certificate.certificateId)}
                  </a>
                </td>
                <td>
                  <StatusBadge status={certificate.status} />
                </td>
                <td>
                  {formatDateTime(certificate.validity?.notAfter)}
                  {(certificate.validity?.notAfter?.getTime() ?? now) < now ? ' (expired)' : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
