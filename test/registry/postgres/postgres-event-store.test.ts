import { eventStoreConformance } from '../event-store-conformance.js';
import { freshSchema } from './postgres-fixtures.js';

eventStoreConformance('postgres', async () => {
  const schema = await freshSchema();
  return { eventsReachEveryProcess: true, open: () => schema.open(), cleanup: schema.cleanup };
});
