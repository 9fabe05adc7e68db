import { createBackendModule } from '@backstage/backend-plugin-api';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { JsonObject } from '@backstage/types';
import { compileRuleset } from '@paved/plugin-platform-maturity-common';
import fc from 'fast-check';
import request from 'supertest';
import { KnexScorecardStore } from './database/KnexScorecardStore';
import { platformMaturityPlugin } from './plugin';
import { CatalogEvaluator } from './service/CatalogEvaluator';
import { RepositoryEvidence } from './service/RepositoryEvidence';
import {
  closeDatabasesOnStop,
  dropPrefixedDatabases,
} from './__testUtils__/databases';
import { recordReliability } from './__testUtils__/reliability';

jest.setTimeout(300_000);

const POSTGRES =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;

/** Entities per database: most through the evaluator directly, the rest through the real catalog. */
const DIRECT = 9700;
const THROUGH_CATALOG = 300;
const SEED = 13;

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

/** Odd text: long, unicode, control characters and NUL bytes. */
const oddText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ minLength: 256, maxLength: 3000 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.constantFrom('\u0000', 'a\u0000b', '🚀'.repeat(300), '\ud800', ''),
);

/** Anything at all, including what JSON cannot hold (cycles, BigInt). */
const junkValue = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  oddText,
  fc.bigInt(),
  fc.constant(undefined),
  fc.constant(null),
);

/**
 * An entity as a catalog provider that skips validation could hand over: the fields the evaluator
 * reads are sometimes missing, of the wrong type, or odd text; some entities are not objects.
 */
const malformedEntity = fc
  .record(
    {
      kind: fc.oneof(fc.constant('Component'), junkValue),
      name: fc.oneof(fc.constant('ok'), oddText, junkValue),
      namespace: fc.oneof(
        fc.constant(undefined),
        fc.constant('default'),
        junkValue,
      ),
      metadataJunk: fc.option(junkValue, { freq: 8 }),
      title: fc.option(oddText),
      annotations: fc.oneof(
        fc.dictionary(oddText, oddText, { maxKeys: 3 }),
        junkValue,
      ),
      spec: fc.oneof(
        {
          weight: 6,
          arbitrary: fc.record({
            type: fc.oneof(
              { arbitrary: fc.constant('service'), weight: 6 },
              { arbitrary: junkValue, weight: 1 },
            ),
            lifecycle: fc.oneof(oddText, junkValue),
            owner: fc.oneof(oddText, junkValue),
            system: fc.oneof(oddText, junkValue),
            dependsOn: junkValue,
          }),
        },
        { weight: 1, arbitrary: junkValue },
      ),
      cyclic: fc.boolean(),
      notAnEntity: fc.option(junkValue, { freq: 20 }),
    },
    { requiredKeys: [] },
  )
  .map((shape): unknown => shape);

/** Builds the entity of a generated shape; `i` makes every name and uid distinct. */
function entityOf(shape: any, i: number): unknown {
  if (shape.notAnEntity !== undefined && shape.notAnEntity !== null) {
    return shape.notAnEntity;
  }
  const metadata: Record<string, unknown> = {
    uid: `uid-${i}`,
    name: typeof shape.name === 'string' ? `${shape.name}-${i}` : shape.name,
    namespace: shape.namespace,
    title: shape.title,
    annotations: shape.annotations,
  };
  const spec =
    shape.spec && typeof shape.spec === 'object'
      ? { ...shape.spec }
      : shape.spec;
  if (shape.cyclic && spec && typeof spec === 'object') {
    spec.self = spec;
  }
  const entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: shape.kind,
    metadata:
      shape.metadataJunk !== undefined && shape.metadataJunk !== null
        ? shape.metadataJunk
        : metadata,
    spec,
  };
  return entity;
}

/**
 * The entities the evaluator must account for: those it may not leave out as outside the
 * ruleset's scope, because they are malformed (the oracle, written independently of the
 * evaluator's check) or in scope.
 */
function mustBeAccountedFor(
  ruleset: { isInScope(e: Entity): boolean },
  entity: any,
): boolean {
  const isName = (v: unknown) => typeof v === 'string' && v.length > 0;
  let wellFormed = false;
  try {
    wellFormed =
      isName(entity?.kind) &&
      typeof entity.metadata === 'object' &&
      entity.metadata !== null &&
      isName(entity.metadata.name) &&
      (entity.metadata.namespace === undefined ||
        isName(entity.metadata.namespace)) &&
      (entity.spec === undefined ||
        (typeof entity.spec === 'object' &&
          entity.spec !== null &&
          !Array.isArray(entity.spec))) &&
      `${entity.kind}:${entity.metadata.namespace ?? 'default'}/${
        entity.metadata.name
      }`.length <= 255 &&
      !`${entity.kind}${entity.metadata.namespace}${entity.metadata.name}`.includes(
        '\u0000',
      );
  } catch {
    wellFormed = false;
  }
  if (!wellFormed) {
    return true;
  }
  try {
    return ruleset.isInScope(entity as Entity);
  } catch {
    return true;
  }
}

describe('malformed entities', () => {
  it.each(databases.eachSupportedId())(
    'every entity a validation-skipping provider hands over is scored or recorded with a reason, and no run aborts, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const store = await KnexScorecardStore.create({
        database: mockServices.database({ knex }),
      });
      const entities = fc
        .sample(malformedEntity, { numRuns: DIRECT, seed: SEED })
        .map(entityOf);
      const ruleset = compileRuleset({});
      const expected = entities.filter(e =>
        mustBeAccountedFor(ruleset, e),
      ).length;

      // The lookup of owners and systems goes to the in-memory catalog; the evaluation's stream
      // hands over the malformed entities as they are, in pages.
      const catalog = catalogServiceMock({
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Group',
            metadata: { name: 'team-a', namespace: 'default' },
            spec: { type: 'team', children: [] },
          },
        ],
      });
      const lookup = catalog.streamEntities.bind(catalog);
      catalog.streamEntities = async function* malformed(req, options) {
        if (req?.fields) {
          yield* lookup(req, options);
          return;
        }
        for (let i = 0; i < entities.length; i += 500) {
          yield entities.slice(i, i + 500) as Entity[];
        }
      };
      // A run reads its pages by ref, as the catalog answers them.
      const byRef = new Map<string, Entity>();
      for (const entity of entities) {
        try {
          byRef.set(stringifyEntityRef(entity as Entity), entity as Entity);
        } catch {
          // Without a ref, the run records it from the stream.
        }
      }
      catalog.getEntitiesByRefs = async req => ({
        items: req.entityRefs.map(ref => byRef.get(ref)),
      });
      const logger = mockServices.logger.mock();
      const evaluator = new CatalogEvaluator({
        catalog,
        auth: mockServices.auth(),
        store,
        logger,
        ruleset,
        concurrency: 4,
        historyRetentionDays: 30,
        repositories: new RepositoryEvidence({
          urlReader: mockServices.urlReader.mock(),
          logger,
          timeoutMs: 1000,
          maxFileSize: 1000,
          allowedLocalRoots: [],
        }),
      });

      let aborted = 0;
      const stats = await evaluator.runAll().catch(() => {
        aborted++;
        return undefined;
      });
      const run = await store.getLatestRun();
      const scored = Number((await knex('scorecards').count({ n: '*' }))[0].n);
      const unaccounted =
        expected - (stats?.evaluated ?? 0) - (stats?.failed ?? 0);
      recordReliability({
        area: 'malformed entities',
        tried: entities.length,
        failedSafe: stats?.failed ?? 0,
        failedUnsafe: aborted + Math.abs(unaccounted),
      });

      expect(aborted).toBe(0);
      expect(unaccounted).toBe(0);
      expect(run).toMatchObject({ status: 'succeeded', failed: stats!.failed });
      expect(scored).toBe(stats!.evaluated);
      // Every unscored entity has a reason, up to the record's bound.
      expect(run!.unscored).toHaveLength(Math.min(stats!.failed, 1000));
      expect(run!.unscored.every(u => u.reason.length > 0)).toBe(true);
      // The fuzz reached both sides.
      expect(stats!.evaluated).toBeGreaterThan(50);
      expect(stats!.failed).toBeGreaterThan(1000);
    },
  );

  /**
   * The real catalog, on each database, where the plugin's database is the same kind: entities
   * that pass the catalog's validation but carry odd values.
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
              prefix: `paved_malformed_${process.pid}_`,
            },
          ] as [string, JsonObject],
        ]
      : []),
  ];

  /** Odd values the catalog accepts, for a Component it accepts. */
  const oddComponent = fc.record({
    lifecycle: fc.oneof(
      fc.string({ minLength: 1, maxLength: 20 }),
      fc.string({ minLength: 256, maxLength: 2000 }),
      fc.constant('🚀'.repeat(300)),
    ),
    title: fc.string({ unit: 'grapheme', maxLength: 500 }),
    owner: fc.oneof(
      fc.constant('team-a'),
      fc.string({ minLength: 1, maxLength: 400 }),
    ),
    system: fc.option(fc.string({ minLength: 1, maxLength: 400 })),
    description: fc.string({ unit: 'binary', maxLength: 200 }),
    annotation: fc.string({ unit: 'binary', maxLength: 300 }),
  });

  it.each(databaseConfigs)(
    'every odd but valid entity from the real catalog is scored or recorded with a reason, on %s',
    async (_name, database) => {
      const entities: Entity[] = fc
        .sample(oddComponent, { numRuns: THROUGH_CATALOG, seed: SEED })
        .map((odd, i) => ({
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: {
            name: `odd-${i}`,
            namespace: 'default',
            title: odd.title,
            description: odd.description,
            annotations: {
              'backstage.io/managed-by-location':
                'url:https://fuzz.example.com/',
              'backstage.io/managed-by-origin-location':
                'url:https://fuzz.example.com/',
              'example.com/odd': odd.annotation,
            },
          },
          spec: {
            type: 'service',
            lifecycle: odd.lifecycle,
            owner: odd.owner,
            ...(odd.system ? { system: odd.system } : {}),
          },
        }));
      const provider = createBackendModule({
        pluginId: 'catalog',
        moduleId: 'odd-entities',
        register(env) {
          env.registerInit({
            deps: { catalog: catalogProcessingExtensionPoint },
            async init({ catalog }) {
              catalog.addEntityProvider({
                getProviderName: () => 'odd-entities',
                connect: async connection => {
                  await connection.applyMutation({
                    type: 'full',
                    entities: entities.map(entity => ({
                      entity,
                      locationKey: 'odd-entities',
                    })),
                  });
                },
              });
            },
          });
        },
      });
      const backend = await startTestBackend({
        features: [
          catalogPlugin,
          provider,
          platformMaturityPlugin,
          databaseServiceFactory,
          ...closeDatabasesOnStop('catalog', 'platform-maturity'),
          schedulerServiceFactory,
          mockServices.rootConfig.factory({
            data: {
              backend: { database },
              catalog: { processingInterval: { seconds: 1 } },
              platformMaturity: {
                schedule: {
                  frequency: { seconds: 2 },
                  timeout: { minutes: 2 },
                  initialDelay: { seconds: 0 },
                },
              },
            },
          }),
        ],
      });
      try {
        const { server } = backend;
        const user = mockCredentials.user.header();
        // The entities the catalog accepted and serves (it may refuse some: those never reach
        // the plugin, which is the catalog's answer to them).
        let served = 0;
        let stableSince = Date.now();
        for (let i = 0; i < 600; i++) {
          const res = await request(server)
            .get('/api/catalog/entities/by-query?filter=kind=component&limit=1')
            .set('Authorization', user);
          const total = Number(res.body.totalItems ?? 0);
          if (total !== served) {
            served = total;
            stableSince = Date.now();
          } else if (served > 0 && Date.now() - stableSince > 5000) {
            break;
          }
          await new Promise(resolve => setTimeout(resolve, 250));
        }
        const ready = Date.now();
        let run: any;
        for (let i = 0; i < 600; i++) {
          run = (
            await request(server)
              .get('/api/platform-maturity/v1/runs/latest')
              .set('Authorization', user)
          ).body;
          if (run?.status !== 'running' && Date.parse(run?.startedAt) > ready) {
            break;
          }
          await new Promise(resolve => setTimeout(resolve, 250));
        }
        const list = await request(server)
          .get('/api/platform-maturity/v1/scorecards?limit=1')
          .set('Authorization', user);

        const accounted = run.evaluated + run.skipped + run.failed;
        const unsafe =
          (run.status === 'succeeded' ? 0 : 1) + Math.abs(served - accounted);
        recordReliability({
          area: 'malformed entities',
          tried: entities.length,
          failedSafe: entities.length - served + run.failed,
          failedUnsafe: unsafe,
        });
        expect(served).toBeGreaterThan(THROUGH_CATALOG / 2);
        expect(run.status).toBe('succeeded');
        expect(accounted).toBe(served);
        expect(list.body.totalCount).toBe(served - run.failed);
        expect(run.unscored).toHaveLength(Math.min(run.failed, 1000));
      } finally {
        await backend.stop();
        if (database.prefix) {
          await dropPrefixedDatabases(POSTGRES!, database.prefix as string);
        }
      }
    },
  );
});
