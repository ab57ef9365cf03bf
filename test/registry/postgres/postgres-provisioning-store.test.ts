import { THING_COLUMNS, type ThingRow, thingRecordFromRow } from '../../../src/registry/thing-row.js';
import { type ProvisioningFixture, provisioningStoreConformance } from '../provisioning-store-conformance.js';
import { freshSchema } from './postgres-fixtures.js';

provisioningStoreConformance('postgres', async (): Promise<ProvisioningFixture> => {
  const schema = await freshSchema();
  return {
    // With its change feed: the suite listens for the announced status changes.
    registry: await schema.open(),
    second: () => schema.open({ changeFeed: false }),
    inspect: {
      thing: async (scope, thingName) => {
        const [row] = await schema.query<ThingRow>(
          `SELECT ${THING_COLUMNS.join(', ')} FROM things WHERE account_id = $1 AND region = $2 AND thing_name = $3`,
          [scope.accountId, scope.region, thingName],
        );
        return row === undefined ? undefined : thingRecordFromRow(row);
      },
      attachments: async (scope, certificateId) =>
        (
          await schema.query<{ attachment: string }>(
            `SELECT kind || ':' || name AS attachment FROM certificate_attachments
              WHERE account_id = $1 AND region = $2 AND certificate_id = $3 ORDER BY (kind || ':' || name) COLLATE "C"`,
            [scope.accountId, scope.region, certificateId],
          )
        ).map((row) => row.attachment),
      redeemedAt: async (scope, certificateId) => {
        const [row] = await schema.query<{ redeemed_at: string | null }>(
          'SELECT redeemed_at FROM ownership_tokens WHERE account_id = $1 AND region = $2 AND certificate_id = $3',
          [scope.accountId, scope.region, certificateId],
        );
        if (row === undefined) return undefined;
        return row.redeemed_at === null ? null : Number(row.redeemed_at);
      },
    },
    cleanup: schema.cleanup,
  };
});
