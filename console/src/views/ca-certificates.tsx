/** CA certificates: ListCACertificates, and one with DescribeCACertificate (status, PEM, its certificates). */
import { DescribeCACertificateCommand, ListCACertificatesCommand } from '@aws-sdk/client-iot';
import { Facts, PageHeader } from '../components/facts.js';
import { ErrorAlert, Loading } from '../components/feedback.js';
import { ListStatus } from '../components/list-status.js';
import { PemBlock } from '../components/pem-block.js';
import { StatusBadge } from '../components/status-badge.js';
import { emptySearchForm, formToQuery } from '../lib/certificate-search.js';
import { caCertificateFilename } from '../lib/filenames.js';
import { formatDateTime, shortId } from '../lib/format.js';
import { href } from '../lib/route.js';
import { useSession } from '../state/session.js';
import { useAsync } from '../state/use-async.js';
import { usePagedList } from '../state/use-paged-list.js';

export function CaCertificatesView() {
  const { iot } = useSession();
  const list = usePagedList(
    async (marker) => {
      const answer = await iot.send(new ListCACertificatesCommand({ pageSize: 50, ...(marker ? { marker } : {}) }));
      return { items: answer.certificates ?? [], next: answer.nextMarker };
    },
    [iot],
  );
  return (
    <>
      <PageHeader title="CA certificates" />
      <p class="hint">
        CA certificates registered with RegisterCACertificate, whose device certificates fleetca accepts.
      </p>
      <div class="table-wrap">
        <table class="table" data-testid="ca-certificate-table">
          <thead>
            <tr>
              <th scope="col">CA certificate id</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((ca) => (
              <tr key={ca.certificateId} data-testid="ca-certificate-row" data-certificate-id={ca.certificateId}>
                <th scope="row">
                  <a class="mono" href={href('ca-certificates', ca.certificateId ?? '')} title={ca.certificateId}>
                    {shortId(ca.certificateId ?? '', 16)}
                  </a>
                </th>
                <td>
                  <StatusBadge status={ca.status} />
                </td>
                <td>{formatDateTime(ca.creationDate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ListStatus
        list={list}
        label="CA certificate"
        empty="No CA certificate is registered in this account and region."
      />
    </>
  );
}

export function CaCertificateDetail({ certificateId }: { certificateId: string }) {
  const { iot } = useSession();
  const described = useAsync(() => iot.send(new DescribeCACertificateCommand({ certificateId })), [iot, certificateId]);
  const ca = described.data?.certificateDescription;
  const issued = `#/certificates?${formToQuery({ ...emptySearchForm, caCertificateId: certificateId })}`;
  return (
    <>
      <PageHeader title="CA certificate">
        <a class="button" href={href('ca-certificates')}>
          ← All CA certificates
        </a>
        <a class="button" href={issued} data-testid="ca-certificates-issued-link">
          Its device certificates
        </a>
      </PageHeader>
      <p class="mono breakable">{certificateId}</p>
      <ErrorAlert error={described.error} onRetry={described.reload} />
      {described.loading && !ca ? <Loading /> : null}
      {ca ? (
        <>
          <Facts
            testid="ca-certificate-facts"
            facts={[
              ['Status', <StatusBadge key="status" status={ca.status} />],
              ['Auto-registration', ca.autoRegistrationStatus ?? '–'],
              ['Mode', ca.certificateMode ?? '–'],
              ['Created', formatDateTime(ca.creationDate)],
              ['Valid from', formatDateTime(ca.validity?.notBefore)],
              ['Valid until', formatDateTime(ca.validity?.notAfter)],
              ['Owned by', ca.ownedBy ?? '–'],
            ]}
          />
          {ca.certificatePem ? (
            <PemBlock
              label="CA certificate PEM"
              pem={ca.certificatePem}
              filename={caCertificateFilename(certificateId)}
              testid="ca-certificate-pem"
            />
          ) : null}
        </>
      ) : null}
    </>
  );
}
