/** Provisioning templates: ListProvisioningTemplates, one template with its body, and claim certificates for it. */
import {
  CreateProvisioningClaimCommand,
  DescribeProvisioningTemplateCommand,
  ListProvisioningTemplatesCommand,
} from '@aws-sdk/client-iot';
import { useState } from 'preact/hooks';
import { Facts, PageHeader } from '../components/facts.js';
import { ErrorAlert, Loading } from '../components/feedback.js';
import { type IssuedKeys, IssuedKeysView } from '../components/issued-keys.js';
import { ListStatus } from '../components/list-status.js';
import { formatDateTime, prettyJson } from '../lib/format.js';
import { href } from '../lib/route.js';
import { useSession } from '../state/session.js';
import { useAsync } from '../state/use-async.js';
import { usePagedList } from '../state/use-paged-list.js';

export function TemplatesView() {
  const { iot } = useSession();
  const list = usePagedList(
    async (marker) => {
      const answer = await iot.send(
        new ListProvisioningTemplatesCommand({ maxResults: 50, ...(marker ? { nextToken: marker } : {}) }),
      );
      return { items: answer.templates ?? [], next: answer.nextToken };
    },
    [iot],
  );
  return (
    <>
      <PageHeader title="Provisioning templates" />
      <div class="table-wrap">
        <table class="table" data-testid="template-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Enabled</th>
              <th scope="col">Type</th>
              <th scope="col">Description</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((t) => (
              <tr key={t.templateName} data-testid="template-row" data-template-name={t.templateName}>
                <th scope="row">
                  <a href={href('templates', t.templateName ?? '')}>{t.templateName}</a>
                </th>
                <td>{t.enabled ? 'Yes' : 'No'}</td>
                <td>{t.type ?? 'FLEET_PROVISIONING'}</td>
                <td>{t.description ?? '–'}</td>
                <td>{formatDateTime(t.creationDate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ListStatus list={list} label="Template" empty="No provisioning template exists in this account and region." />
    </>
  );
}

export function TemplateDetail({ templateName }: { templateName: string }) {
  const { iot } = useSession();
  const template = useAsync(
    () => iot.send(new DescribeProvisioningTemplateCommand({ templateName })),
    [iot, templateName],
  );
  const data = template.data;
  return (
    <>
      <PageHeader title={`Template ${templateName}`}>
        <a class="button" href={href('templates')}>
          ← All templates
        </a>
      </PageHeader>
      <ErrorAlert error={template.error} onRetry={template.reload} />
      {template.loading && !data ? <Loading /> : null}
      {data ? (
        <>
          <Facts
            testid="template-facts"
            facts={[
              ['Enabled', data.enabled ? 'Yes' : 'No'],
              ['Type', data.type ?? 'FLEET_PROVISIONING'],
              ['Description', data.description ?? '–'],
              [
                'Provisioning role',
                <span key="role" class="mono breakable">
                  {data.provisioningRoleArn ?? '–'}
                </span>,
              ],
              ['Pre-provisioning hook', data.preProvisioningHook?.targetArn ?? '–'],
              ['Created', formatDateTime(data.creationDate)],
              ['Last modified', formatDateTime(data.lastModifiedDate)],
              ['Version', String(data.defaultVersionId ?? '–')],
            ]}
          />
          <section class="panel" aria-labelledby="body-title">
            <h2 id="body-title">Template body</h2>
            {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a wide document scrolls; keyboard users need to reach it. */}
            <pre class="code" tabIndex={0} data-testid="template-body">
              {prettyJson(data.templateBody)}
            </pre>
          </section>
          <ProvisioningClaim templateName={templateName} />
        </>
      ) : null}
    </>
  );
}

/** CreateProvisioningClaim: a short-lived claim certificate and key for a device's first connection. */
function ProvisioningClaim({ templateName }: { templateName: string }) {
  const { iot } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  // Held in component state only: gone when the operator leaves the page.
  const [claim, setClaim] = useState<{ keys: IssuedKeys; expiration: Date | undefined } | undefined>(undefined);
  const create = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const answer = await iot.send(new CreateProvisioningClaimCommand({ templateName }));
      setClaim({
        keys: {
          certificateId: answer.certificateId ?? '',
          certificatePem: answer.certificatePem ?? '',
          publicKey: answer.keyPair?.PublicKey ?? '',
          privateKey: answer.keyPair?.PrivateKey ?? '',
        },
        expiration: answer.expiration,
      });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="panel" aria-labelledby="claim-title" data-testid="provisioning-claim">
      <h2 id="claim-title">Claim certificate</h2>
      <p>
        A claim certificate lets a device without credentials ask for its own certificate through this template (fleet
        provisioning by claim). It expires after a few minutes.
      </p>
      <ErrorAlert error={error} />
      {claim ? (
        <IssuedKeysView
          issued={claim.keys}
          extra={<p data-testid="claim-expiration">Expires {formatDateTime(claim.expiration)}.</p>}
        />
      ) : (
        <button type="button" class="button button-primary" onClick={create} disabled={busy} data-testid="create-claim">
          {busy ? 'Creating…' : 'Create a claim certificate'}
        </button>
      )}
    </section>
  );
}
