import { createServiceFactory } from '@backstage/backend-plugin-api';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import knexFactory, { Knex } from 'knex';
import {
  permissionsDenyingOutsider,
  testEntities,
} from './__testUtils__/catalog';
import { platformMaturityPlugin } from './plugin';
import {
  closeDatabasesOnStop,
  dropPrefixedDatabases,
} from './__testUtils__/databases';

jest.setTimeout(120_000);

const POSTGRES =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;

/** How long the catalog takes to answer: a run lasts longer than the schedule's period. */
const CATALOG_DELAY_MS = 1500;

/** The test catalog, answering every stream only after {@link CATALOG_DELAY_MS}. */
const slowCatalogFactory = createServiceFactory({
  service: catalogServiceRef,
  deps: {},
  factory: () => {
    const catalog = catalogServiceMock({ entities: testEntities });
    const streamEntities = catalog.streamEntities.bind(catalog);
    catalog.streamEntities = async function* slowStream(request, options) {
      await new Promise(resolve => setTimeout(resolve, CATALOG_DELAY_MS));
      yield* streamEntities(request, options);
    };
    return catalog;
  },
});

interface RunRow {
  started_at: Date | string;
  finished_at: Date | string | null;
  status: string;
}

/**
 * Two backend replicas sharing one PostgreSQL: the real scheduler and database services, the
 * evaluation scheduled every second while each run takes longer than that. Each tick must run on
 * one replica only, so the recorded runs never overlap in time.
 */
(POSTGRES ? describe : describe.skip)('two replicas on PostgreSQL', () => {
  const prefix = `paved_replicas_${process.pid}_`;
  let admin: Knex;

  beforeAll(() => {
    admin = knexFactory({ client: 'pg', connection: POSTGRES });
  });

  afterAll(async () => {
    await admin.destroy();
    await dropPrefixedDatabases(POSTGRES!, prefix);
  });

  it('runs each scheduled evaluation on one replica at a time', async () => {
    const replica = () =>
      startTestBackend({
        features: [
          platformMaturityPlugin,
          slowCatalogFactory,
          permissionsDenyingOutsider('platform-maturity.scorecard.refresh'),
          databaseServiceFactory,
          ...closeDatabasesOnStop('platform-maturity'),
          schedulerServiceFactory,
          mockServices.rootConfig.factory({
            data: {
              backend: {
                database: { client: 'pg', connection: POSTGRES, prefix },
              },
              platformMaturity: {
                schedule: {
                  frequency: { seconds: 1 },
                  timeout: { seconds: 30 },
                  initialDelay: { seconds: 0 },
                },
              },
            },
          }),
        ],
      });
    const first = await replica();
    const second = await replica();

    const { rows } = await admin.raw(
      "select datname from pg_database where datname like ? and datname like '%maturity%'",
      [`${prefix}%`],
    );
    expect(rows).toHaveLength(1);
    const connection = new URL(POSTGRES!);
    connection.pathname = `/${rows[0].datname}`;
    const plugin = knexFactory({
      client: 'pg',
      connection: String(connection),
    });
    let runs: RunRow[] = [];
    try {
      for (let i = 0; i < 200; i++) {
        runs = await plugin('evaluation_runs')
          .select('started_at', 'finished_at', 'status')
          .orderBy('started_at');
        if (runs.filter(run => run.status === 'succeeded').length >= 4) {
          break;
        }
        await new Promise(resolve => setTimeout(resolve, 250));
      }
    } finally {
      await Promise.all([first.stop(), second.stop()]);
      runs = await plugin('evaluation_runs')
        .select('started_at', 'finished_at', 'status')
        .orderBy('started_at');
      await plugin.destroy();
    }

    expect(
      runs.filter(run => run.status === 'succeeded').length,
    ).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < runs.length; i++) {
      const previous = runs[i - 1].finished_at;
      const previousEnd = previous ? new Date(previous).getTime() : Infinity;
      const start = new Date(runs[i].started_at).getTime();
      expect({ run: i, overlapsPrevious: start < previousEnd }).toEqual({
        run: i,
        overlapsPrevious: false,
      });
    }
  });
});
