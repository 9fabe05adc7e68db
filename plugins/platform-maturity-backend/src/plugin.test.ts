import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  catalogFactory,
  OUTSIDER,
  permissionsDenyingOutsider,
  testEntities,
} from './__testUtils__/catalog';
import { platformMaturityPlugin } from './plugin';
import { startBackendAfterFirstRun } from './__testUtils__/backend';

jest.setTimeout(60_000);

const permissionsFactory = permissionsDenyingOutsider(
  'platform-maturity.scorecard.refresh',
);

describe('platform maturity backend plugin', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  it.each(databases.eachSupportedId())(
    'runs on schedule and serves the API on %p',
    async databaseId => {
      const backend = await startBackendAfterFirstRun({
        knex: await databases.init(databaseId),
        features: [
          permissionsFactory,
          // Requests without a token are anonymous, as in production.
          mockServices.httpAuth.factory({
            defaultCredentials: mockCredentials.none(),
          }),
        ],
      });
      try {
        const { server } = backend;
        const user = mockCredentials.user.header();
        const outsider = mockCredentials.user.header(OUTSIDER);
        const api = '/api/platform-maturity';

        const checklist = await request(server)
          .get(`${api}/v1/checklist`)
          .set('Authorization', user);
        expect(checklist.status).toBe(200);
        expect(checklist.body.checks.length).toBeGreaterThanOrEqual(17);

        const card = await request(server)
          .get(`${api}/v1/scorecards/component/default/orders`)
          .set('Authorization', user);
        expect(card.status).toBe(200);
        expect(card.body.entity.entityRef).toBe('component:default/orders');
        expect(card.body.scorecard.inScope).toBe(true);

        // Never leak existence: hidden and unknown entities answer the same 404.
        const hidden = await request(server)
          .get(`${api}/v1/scorecards/component/default/secret`)
          .set('Authorization', outsider);
        const unknown = await request(server)
          .get(`${api}/v1/scorecards/component/default/nope`)
          .set('Authorization', outsider);
        expect(hidden.status).toBe(404);
        expect(unknown.status).toBe(404);

        expect((await request(server).get(`${api}/v1/checklist`)).status).toBe(
          401,
        );

        const denied = await request(server)
          .post(`${api}/v1/scorecards/component/default/orders/refresh`)
          .set('Authorization', outsider);
        expect(denied.status).toBe(403);
        const refreshed = await request(server)
          .post(`${api}/v1/scorecards/component/default/orders/refresh`)
          .set('Authorization', user);
        expect(refreshed.status).toBe(200);
        expect(refreshed.body.scorecard.entityRef).toBe(
          'component:default/orders',
        );

        const list = await request(server)
          .get(`${api}/v1/scorecards?limit=1&orderBy=name`)
          .set('Authorization', user);
        expect(list.status).toBe(200);
        expect(list.body.items).toHaveLength(1);
        expect(list.body.totalCount).toBe(2);
        expect(list.body.nextCursor).toBeDefined();

        const summary = await request(server)
          .get(`${api}/v1/summary?groupBy=owner`)
          .set('Authorization', user);
        expect(summary.status).toBe(200);
        expect(summary.body.groups[0]).toMatchObject({
          key: 'group:default/team-a',
          count: 2,
        });

        const history = await request(server)
          .get(`${api}/v1/scorecards/component/default/orders/history`)
          .set('Authorization', user);
        expect(history.status).toBe(200);
        expect(history.body.entries.length).toBeGreaterThanOrEqual(1);

        for (const [path, message] of [
          ['/v1/scorecards?limit=1000', "'limit'"],
          ['/v1/scorecards?limit=abc', "'limit'"],
          ['/v1/scorecards?orderBy=color', "'orderBy'"],
          ['/v1/scorecards?capability=speed', "'capability'"],
          ['/v1/scorecards?level=high', "'level"],
          ['/v1/scorecards?cursor=garbage', 'cursor'],
          ['/v1/scorecards?colour=red', 'colour'],
          ['/v1/summary?groupBy=team', "'groupBy'"],
          [
            '/v1/scorecards/component/default/orders/history?since=yesterday',
            "'since'",
          ],
          ['/v1/scorecards/component/default/bad%20name', "'name'"],
        ]) {
          const res = await request(server)
            .get(`${api}${path}`)
            .set('Authorization', user);
          expect({ path, status: res.status }).toEqual({ path, status: 400 });
          expect(res.body.error.message).toContain(message);
        }
      } finally {
        await backend.stop();
      }
    },
  );

  it.each([
    [
      { repository: { concurrency: 0 } },
      "Invalid configuration at 'platformMaturity.repository.concurrency': must be at least 1",
    ],
    [
      { schedule: { frequency: { minutes: 5 }, timeout: 'soon' } },
      "Invalid configuration at 'platformMaturity.schedule.timeout': must be a positive duration",
    ],
    [
      { schedule: { frequency: { minutes: -5 }, timeout: { minutes: 1 } } },
      "Invalid configuration at 'platformMaturity.schedule.frequency': must be a positive duration",
    ],
    [
      {
        schedule: {
          frequency: { cron: '61 * * * *' },
          timeout: { minutes: 1 },
        },
      },
      "Invalid configuration at 'platformMaturity.schedule.frequency.cron': must be a cron expression",
    ],
    [
      {
        schedule: {
          frequency: { minutes: 5 },
          timeout: { minutes: 1 },
          scope: 'local',
        },
      },
      "Invalid configuration at 'platformMaturity.schedule.scope': must be 'global'",
    ],
  ])(
    'stops at start with a message naming a bad configuration key (%j)',
    async (platformMaturity, message) => {
      await expect(
        startTestBackend({
          features: [
            platformMaturityPlugin,
            catalogFactory,
            mockServices.rootConfig.factory({ data: { platformMaturity } }),
          ],
        }),
      ).rejects.toThrow(message);
    },
  );

  it('follows a run that found new entities with another while the catalog loads', async () => {
    // The catalog at the first run holds only `orders`; `secret` arrives while it loads.
    let catalog = catalogServiceMock({ entities: testEntities.slice(0, 2) });
    const loadingCatalog = createServiceFactory({
      service: catalogServiceRef,
      deps: {},
      factory: () =>
        new Proxy({} as CatalogService, {
          get: (_, method) =>
            typeof (catalog as any)[method] === 'function'
              ? (...args: unknown[]) => (catalog as any)[method](...args)
              : undefined,
        }),
    });
    const backend = await startTestBackend({
      features: [
        platformMaturityPlugin,
        loadingCatalog,
        mockServices.database.factory({
          knex: await databases.init('SQLITE_3'),
        }),
        mockServices.rootConfig.factory({
          data: {
            platformMaturity: {
              // The schedule alone would score `secret` an hour later.
              schedule: {
                frequency: { hours: 1 },
                timeout: { minutes: 5 },
                initialDelay: { seconds: 0 },
              },
            },
          },
        }),
      ],
    });
    try {
      const get = (name: string) =>
        request(backend.server)
          .get(`/api/platform-maturity/v1/scorecards/component/default/${name}`)
          .set('Authorization', mockCredentials.user.header());
      expect((await get('orders')).status).toBe(200);
      expect((await get('secret')).status).toBe(404);
      catalog = catalogServiceMock({ entities: testEntities });
      let secret = await get('secret');
      for (let i = 0; i < 60 && secret.status !== 200; i++) {
        await new Promise(resolve => setTimeout(resolve, 500));
        secret = await get('secret');
      }
      expect(secret.status).toBe(200);
      const run = await request(backend.server)
        .get('/api/platform-maturity/v1/runs/latest')
        .set('Authorization', mockCredentials.user.header());
      expect(run.body).toMatchObject({
        status: 'succeeded',
        evaluated: 1,
        skipped: 1,
      });
    } finally {
      await backend.stop();
    }
  });
});
