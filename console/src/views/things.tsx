/** Things: ListThings, and one thing with DescribeThing and its principals (ListThingPrincipals). */
import { DescribeThingCommand, ListThingPrincipalsCommand, ListThingsCommand } from '@aws-sdk/client-iot';
import { Facts, PageHeader } from '../components/facts.js';
import { ErrorAlert, Loading } from '../components/feedback.js';
import { ListStatus } from '../components/list-status.js';
import { certificateIdFromArn } from '../lib/format.js';
import { href } from '../lib/route.js';
import { useSession } from '../state/session.js';
import { useAsync } from '../state/use-async.js';
import { usePagedList } from '../state/use-paged-list.js';

export function ThingsView() {
  const { iot } = useSession();
  const list = usePagedList(
    async (marker) => {
      const answer = await iot.send(
        new ListThingsCommand({ maxResults: 50, ...(marker ? { nextToken: marker } : {}) }),
      );
      return { items: answer.things ?? [], next: answer.nextToken };
    },
    [iot],
  );
  return (
    <>
      <PageHeader title="Things" />
      <div class="table-wrap">
        <table class="table" data-testid="thing-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Attributes</th>
              <th scope="col" class="numeric">
                Version
              </th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((thing) => (
              <tr key={thing.thingName} data-testid="thing-row" data-thing-name={thing.thingName}>
                <th scope="row">
                  <a href={href('things', thing.thingName ?? '')}>{thing.thingName}</a>
                </th>
                <td>{thing.thingTypeName ?? '–'}</td>
                <td class="mono small">{attributesText(thing.attributes)}</td>
                <td class="numeric">{thing.version ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ListStatus list={list} label="Thing" empty="No thing is registered in this account and region." />
    </>
  );
}

function attributesText(attributes: Record<string, string> | undefined): string {
  const entries = Object.entries(attributes ?? {});
  return entries.length === 0 ? '–' : entries.map(([k, v]) => `${k}=${v}`).join(', ');
}

export function ThingDetail({ thingName }: { thingName: string }) {
  const { iot } = useSession();
  const thing = useAsync(() => iot.send(new DescribeThingCommand({ thingName })), [iot, thingName]);
  const principals = useAsync(
    async () => (await iot.send(new ListThingPrincipalsCommand({ thingName, maxResults: 100 }))).principals ?? [],
    [iot, thingName],
  );
  const data = thing.data;
  return (
    <>
      <PageHeader title={`Thing ${thingName}`}>
        <a class="button" href={href('things')}>
          ← All things
        </a>
      </PageHeader>
      <ErrorAlert error={thing.error} onRetry={thing.reload} />
      {thing.loading && !data ? <Loading /> : null}
      {data ? (
        <Facts
          testid="thing-facts"
          facts={[
            ['Name', data.thingName],
            [
              'Id',
              <span key="id" class="mono">
                {data.thingId}
              </span>,
            ],
            [
              'ARN',
              <span key="arn" class="mono breakable">
                {data.thingArn}
              </span>,
            ],
            ['Type', data.thingTypeName ?? '–'],
            ['Attributes', attributesText(data.attributes)],
            ['Version', String(data.version ?? '–')],
          ]}
        />
      ) : null}
      <section class="panel" aria-labelledby="principals-title" data-testid="thing-principals">
        <h2 id="principals-title">Principals (certificates)</h2>
        <ErrorAlert error={principals.error} />
        {principals.loading ? <Loading /> : null}
        {principals.data?.length === 0 ? <p class="hint">No principal is attached.</p> : null}
        <ul>
          {(principals.data ?? []).map((arn) => {
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
