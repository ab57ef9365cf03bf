/** One certificate: facts, PEM, chain and its verification, what is attached, live connections, actions. */
import {
  DescribeCertificateCommand,
  ListAttachedPoliciesCommand,
  ListPrincipalThingsCommand,
} from '@aws-sdk/client-iot';
import type { ComponentChildren } from 'preact';
import type { DeviceConnection } from '../api/fleet-types.js';
import { CertificateActions } from '../components/certificate-actions.js';
import { CertificateChainView } from '../components/certificate-chain.js';
import { Facts, PageHeader } from '../components/facts.js';
import { ErrorAlert, Loading } from '../components/feedback.js';
import { PemBlock } from '../components/pem-block.js';
import { StatusBadge } from '../components/status-badge.js';
import { pemFilename } from '../lib/filenames.js';
import { formatDateTime, plural } from '../lib/format.js';
import { href } from '../lib/route.js';
import { useSession } from '../state/session.js';
import { useAsync } from '../state/use-async.js';

export function CertificateDetail({ certificateId }: { certificateId: string }) {
  const { iot, fleet } = useSession();
  const described = useAsync(
    async () => (await iot.send(new DescribeCertificateCommand({ certificateId }))).certificateDescription,
    [iot, certificateId],
  );
  const arn = described.data?.certificateArn;
  const things = useAsync(
    async () =>
      arn ? ((await iot.send(new ListPrincipalThingsCommand({ principal: arn, maxResults: 100 }))).things ?? []) : [],
    [iot, arn],
  );
  const policies = useAsync(
    async () =>
      arn ? ((await iot.send(new ListAttachedPoliciesCommand({ target: arn, pageSize: 100 }))).policies ?? []) : [],
    [iot, arn],
  );
  // fleetca's own operations wait for the certificate: an unknown id is said once, by DescribeCertificate.
  const status = described.data?.status;
  const connections = useAsync(
    async () => (status ? fleet.listDeviceConnections({ certificateId, pageSize: 50 }) : undefined),
    [fleet, certificateId, status],
  );
  const chain = useAsync(
    async () => (status ? fleet.describeCertificateChain(certificateId) : undefined),
    [fleet, certificateId, status],
  );

  const certificate = described.data;
  const refresh = () => {
    described.reload();
    connections.reload();
  };
  return (
    <>
      <PageHeader title="Certificate">
        <a class="button" href={href('certificates')}>
          ← All certificates
        </a>
      </PageHeader>
      <p class="mono breakable" data-testid="certificate-id">
        {certificateId}
      </p>
      <ErrorAlert error={described.error} onRetry={described.reload} />
      {described.loading && !certificate ? <Loading /> : null}
      {certificate ? (
        <>
          <Facts
            testid="certificate-facts"
            facts={[
              ['Status', <StatusBadge key="status" status={certificate.status} />],
              ['Mode', certificate.certificateMode],
              ['Created', formatDateTime(certificate.creationDate)],
              ['Last modified', formatDateTime(certificate.lastModifiedDate)],
              ['Valid from', formatDateTime(certificate.validity?.notBefore)],
              ['Valid until', formatDateTime(certificate.validity?.notAfter)],
              [
                'CA certificate',
                certificate.caCertificateId ? (
                  <a class="mono" href={href('ca-certificates', certificate.caCertificateId)}>
                    {certificate.caCertificateId}
                  </a>
                ) : (
                  '–'
                ),
              ],
              [
                'ARN',
                <span key="arn" class="mono breakable">
                  {certificate.certificateArn}
                </span>,
              ],
            ]}
          />
          <CertificateActions
            certificateId={certificateId}
            state={{
              status: certificate.status ?? '',
              connections: connections.data?.connections.length ?? 0,
              things: things.data?.length ?? 0,
              policies: policies.data?.length ?? 0,
            }}
            onChanged={refresh}
            onDeleted={() => {
              location.hash = href('certificates');
            }}
          />
          <Panel title="Live connections" testid="certificate-connections">
            <ErrorAlert error={connections.error} />
            {connections.data ? (
              <Connections data={connections.data.connections} />
            ) : connections.loading ? (
              <Loading />
            ) : null}
          </Panel>
          <Panel title="Things attached" testid="certificate-things">
            <ErrorAlert error={things.error} />
            {things.data ? (
              things.data.length === 0 ? (
                <p class="hint">No thing is attached.</p>
              ) : (
                <ul>
                  {things.data.map((name) => (
                    <li key={name}>
                      <a href={href('things', name)}>{name}</a>
                    </li>
                  ))}
                </ul>
              )
            ) : null}
          </Panel>
          <Panel title="Policies attached" testid="certificate-policies">
            <ErrorAlert error={policies.error} />
            {policies.data ? (
              policies.data.length === 0 ? (
                <p class="hint">No policy is attached.</p>
              ) : (
                <ul>
                  {policies.data.map((p) => (
                    <li key={p.policyName}>
                      <a href={href('policies', p.policyName ?? '')}>{p.policyName}</a>
                    </li>
                  ))}
                </ul>
              )
            ) : null}
          </Panel>
          <Panel title="Chain" testid="certificate-chain-panel">
            <ErrorAlert error={chain.error} />
            {chain.data ? <CertificateChainView chain={chain.data} /> : chain.loading ? <Loading /> : null}
          </Panel>
          {certificate.certificatePem ? (
            <PemBlock
              label="Certificate PEM"
              pem={certificate.certificatePem}
              filename={pemFilename(certificateId, 'certificate')}
              testid="certificate-pem"
            />
          ) : null}
        </>
      ) : null}
    </>
  );
}

function Panel({ title, testid, children }: { title: string; testid: string; children: ComponentChildren }) {
  return (
    <section class="panel" aria-label={title} data-testid={testid}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

function Connections({ data }: { data: DeviceConnection[] }) {
  if (data.length === 0) return <p class="hint">No device is connected with this certificate now.</p>;
  return (
    <>
      <p>{plural(data.length, 'connection')} now.</p>
      <div class="table-wrap">
        <table class="table compact">
          <thead>
            <tr>
              <th scope="col">Client id</th>
              <th scope="col">Connected since</th>
              <th scope="col">From</th>
              <th scope="col">MQTT</th>
              <th scope="col">Keep-alive</th>
            </tr>
          </thead>
          <tbody>
            {data.map((c) => (
              <tr key={`${c.clientId}-${c.remoteAddress}`}>
                <th scope="row" class="mono">
                  {c.clientId}
                </th>
                <td>{formatDateTime(c.connectedAt)}</td>
                <td class="mono">{c.remoteAddress ?? '–'}</td>
                <td>{c.protocolVersion ?? '–'}</td>
                <td>{c.keepAlive === undefined ? '–' : `${c.keepAlive} s`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
