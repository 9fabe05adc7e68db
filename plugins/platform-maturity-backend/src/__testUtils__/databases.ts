import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import knexFactory from 'knex';

/**
 * Backend modules that close the database clients of the given plugins when a test backend stops.
 * The database service of `@backstage/backend-defaults` means to close them at shutdown but fails
 * before it does (it calls `includes` on the knex config object, and the error is swallowed), so
 * each pool stays open with a reaping interval that keeps the Jest worker from exiting ("A worker
 * process has failed to exit gracefully").
 */
export function closeDatabasesOnStop(...pluginIds: string[]) {
  return pluginIds.map(pluginId =>
    createBackendModule({
      pluginId,
      moduleId: 'test-close-database',
      register(env) {
        env.registerInit({
          deps: {
            database: coreServices.database,
            rootLifecycle: coreServices.rootLifecycle,
          },
          async init({ database, rootLifecycle }) {
            rootLifecycle.addShutdownHook(async () => {
              const client = await database.getClient();
              await client.destroy();
            });
          },
        });
      },
    }),
  );
}

/**
 * Drops the PostgreSQL databases whose names start with `prefix` (those that Backstage's database
 * service created for a test backend configured with that prefix).
 */
export async function dropPrefixedDatabases(
  connection: string,
  prefix: string,
) {
  const admin = knexFactory({ client: 'pg', connection });
  try {
    const { rows } = await admin.raw(
      'select datname from pg_database where datname like ?',
      [`${prefix}%`],
    );
    for (const { datname } of rows) {
      await admin.raw('drop database if exists ?? with (force)', [datname]);
    }
  } finally {
    await admin.destroy();
  }
}
