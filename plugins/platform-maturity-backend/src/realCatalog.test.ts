import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import type { JsonObject } from '@backstage/types';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { platformMaturityPlugin } from './plugin';
import {
  closeDatabasesOnStop,
  dropPrefixedDatabases,
} from './__testUtils__/databases';

jest.setTimeout(120_000);

const POSTGRES =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;

/**
 * The backend's real database service, so that the catalog, the scheduler and this plugin each
 * get their own database as in production: SQLite in memory, and PostgreSQL (one database per
 * plugin, under a prefix dropped afterwards) where the test database is configured.
 */
const databaseConfigs: Array<[string, JsonObject]> = [
  ['SQLite', { client: 'better-sqlite3', connection: ':memory:' }],
  ...(POSTGRES
    ? [
        [
          'PostgreSQL',
          {
            client: 'pg',
            connection: POSTGRES,
            prefix: `paved_realcatalog_${process.pid}_`,
          },
        ] as [string, JsonObject],
      ]
    : []),
];

const OUTSIDER = 'user:default/outsider';

const isOutsider = (credentials: unknown) =>
  (credentials as { principal: { userEntityRef?: string } })?.principal
    ?.userEntityRef === OUTSIDER;

/**
 * The outsider may read scorecards but nothing in the catalog; everyone else may do everything.
 */
const decide = async (
  requests: { permission: { name: string } }[],
  options?: { credentials?: unknown },
) =>
  requests.map(r => ({
    result:
      isOutsider(options?.credentials) &&
      r.permission.name.startsWith('catalog.')
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
  })) as any;
const permissions = mockServices.permissions.mock({
  authorize: decide,
  authorizeConditional: decide,
});

describe('with the real catalog backend', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-catalog-'));
    fs.mkdirSync(path.join(dir, '.github/workflows'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, '.github/workflows/ci.yml'),
      'jobs:\n  test:\n    steps:\n      - run: npm test\n',
    );
    fs.writeFileSync(
      path.join(dir, 'catalog-info.yaml'),
      [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Group',
        'metadata: { name: team-a }',
        'spec: { type: team, children: [] }',
        '---',
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata:',
        '  name: orders',
        '  annotations:',
        "    paved.dev/waivers: 'not json'",
        'spec: { type: service, lifecycle: production, owner: team-a }',
      ].join('\n'),
    );
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each(databaseConfigs)(
    'scores an entity registered from a local file in a scheduled run, and hides it from a caller the catalog hides it from, on %s',
    async (_name, database) => {
      const backend = await startTestBackend({
        features: [
          catalogPlugin,
          platformMaturityPlugin,
          permissions.factory,
          databaseServiceFactory,
          ...closeDatabasesOnStop('catalog', 'platform-maturity'),
          // The real scheduler, so that the evaluation runs as the scheduled task it is in
          // production (the test scheduler would fire once at start-up, before the catalog
          // has processed its locations).
          schedulerServiceFactory,
          mockServices.rootConfig.factory({
            data: {
              backend: { database },
              catalog: {
                // The default rules admit only Components, APIs and Locations.
                rules: [{ allow: ['Component', 'Group', 'Location'] }],
                locations: [
                  {
                    type: 'file',
                    target: path.join(dir, 'catalog-info.yaml'),
                  },
                ],
              },
              platformMaturity: {
                schedule: {
                  frequency: { seconds: 1 },
                  timeout: { seconds: 30 },
                  initialDelay: { seconds: 0 },
                },
                repository: { allowedLocalRoots: [dir] },
              },
            },
          }),
        ],
      });
      try {
        const { server } = backend;
        const user = mockCredentials.user.header();
        const api =
          '/api/platform-maturity/v1/scorecards/component/default/orders';

        // The catalog processes its locations in the background; a later scheduled run scores
        // the entity.
        let stored: request.Response | undefined;
        for (let i = 0; i < 300 && stored?.status !== 200; i++) {
          await new Promise(resolve => setTimeout(resolve, 250));
          stored = await request(server).get(api).set('Authorization', user);
        }
        expect(stored?.status).toBe(200);
        const card = stored!.body.scorecard;
        // Repository evidence came from disk, through the allowed root.
        expect(
          card.results.find((r: any) => r.checkId === 'build.tests'),
        ).toMatchObject({ status: 'fail' });
        expect(
          card.results.find((r: any) => r.checkId === 'build.pipeline'),
        ).toMatchObject({ status: 'pass' });
        // The owner resolved through the real catalog.
        expect(
          card.results.find((r: any) => r.checkId === 'as-code.ownership')
            .message,
        ).not.toMatch(/does not exist/);
        // The malformed waiver annotation is reported, not fatal.
        expect(card.notices[0].type).toBe('waiver-invalid');

        const run = await request(server)
          .get('/api/platform-maturity/v1/runs/latest')
          .set('Authorization', user);
        expect(run.status).toBe(200);
        expect(run.body.evaluated + run.body.skipped).toBeGreaterThanOrEqual(1);

        const refreshed = await request(server)
          .post(`${api}/refresh`)
          .set('Authorization', user);
        expect(refreshed.status).toBe(200);
        expect(refreshed.body.scorecard.evidenceDigest).toBe(
          card.evidenceDigest,
        );
        const hidden = await request(server)
          .get(api)
          .set('Authorization', mockCredentials.user.header(OUTSIDER));
        expect(hidden.status).toBe(404);
      } finally {
        await backend.stop();
        if (database.prefix) {
          await dropPrefixedDatabases(POSTGRES!, database.prefix as string);
        }
      }
    },
  );
});
