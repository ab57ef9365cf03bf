/** Policies: ListPolicies, and one policy with GetPolicy's document and ListTargetsForPolicy. */
import { GetPolicyCommand, ListPoliciesCommand, ListTargetsForPolicyCommand } from '@aws-sdk/client-iot';
import { Facts, PageHeader } from '../components/facts.js';
import { ErrorAlert, Loading } from '../components/feedback.js';
import { ListStatus } from '../components/list-status.js';
import { certificateIdFromArn, formatDateTime, prettyJson } from '../lib/format.js';
import { href } from '../lib/route.js';
import { useSession } from '../state/session.js';
import { useAsync } from '../state/use-async.js';
import { usePagedList } from '../state/use-paged-list.js';

export function PoliciesView() {
  const { iot } = useSession();
  const list = usePagedList(
    async (marker) => {
      const answer = await iot.send(new ListPoliciesCommand({ pageSize: 50, ...(marker ? { marker } : {}) }));
      return { items: answer.policies ?? [], next: answer.nextMarker };
    },
    [iot],
  );
  return (
    <>
      <PageHeader title="Policies" />
      <div class="table-wrap">
        <table class="table" data-testid="policy-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">ARN</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((p) => (
              <tr key={p.policyName} data-testid="policy-row" data-policy-name={p.policyName}>
                <th scope="row">
                  <a href={href('policies', p.policyName ?? '')}>{p.policyName}</a>
                </th>
                <td class="mono small breakable">{p.policyArn}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ListStatus list={list} label="Policy" empty="No policy exists in this account and region." />
    </>
  );
}

export function PolicyDetail({ policyName }: { policyName: string }) {
  const { iot } = useSession();
  const policy = useAsync(() => iot.send(new GetPolicyCommand({ policyName })), [iot, policyName]);
  const targets = useAsync(
    async () => (await iot.send(new ListTargetsForPolicyCommand({ policyName, pageSize: 100 }))).targets ?? [],
    [iot, policyName],
  );
  const data = policy.data;
  return (
    <>
      <PageHeader title={`Policy ${policyName}`}>
        <a class="button" href={href('policies')}>
          ← All policies
        </a>
      </PageHeader>
      <ErrorAlert error={policy.error} onRetry={policy.reload} />
      {policy.loading && !data ? <Loading /> : null}
      {data ? (
        <>
          <Facts
            testid="policy-facts"
            facts={[
              [
                'ARN',
                <span key="arn" class="mono breakable">
                  {data.policyArn}
                </span>,
              ],
              ['Default version', data.defaultVersionId ?? '–'],
              ['Created', formatDateTime(data.creationDate)],
              ['Last modified', formatDateTime(data.lastModifiedDate)],
            ]}
          />
          <section class="panel" aria-labelledby="document-title">
            <h2 id="document-title">Document</h2>
            {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a wide document scrolls; keyboard users need to reach it. */}
            <pre class="code" tabIndex={0} data-testid="policy-document">
              {prettyJson(data.policyDocument)}
            </pre>
          </section>
        </>
      ) : null}
      <section class="panel" aria-labelledby="targets-title" data-testid="policy-targets">
        <h2 id="targets-title">Attached to</h2>
        <ErrorAlert error={targets.error} />
        {targets.loading ? <Loading /> : null}
        {targets.data?.length === 0 ? <p class="hint">The policy is not attached to anything.</p> : null}
        <ul>
          {(targets.data ?? []).map((arn) => {
            const id = certificateIdFromArn(arn);
            return (
              <li key={arn} class="mono breakable">
                {id ? <a href={href('certificates', id)}>{arn}</a> : arn}
              </li>
            );
          })}
        </ul>
      </section>
    </>
  );
}
