/** An address the console does not know. */
import { PageHeader } from '../components/facts.js';

export function NotFound({ path }: { path: string }) {
  return (
    <>
      <PageHeader title="Page not found" />
      <p data-testid="not-found">
        The console has no page at <code>{path || '/'}</code>. <a href="#/">Go to the dashboard</a>.
      </p>
    </>
  );
}
