import { InputError } from '@backstage/errors';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { NotModifiedError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { compileRuleset } from '@paved/plugin-platform-maturity-common';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { readBackendConfig } from '../config';
import { KnexScorecardStore } from '../database/KnexScorecardStore';
import { CatalogEvaluator } from './CatalogEvaluator';
import { RepositoryEvidence } from './RepositoryEvidence';

jest.setTimeout(60_000);

const component = (
  name: string,
  spec: Record<string, unknown> = {},
  annotations: Record<string, string> = {},
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: {
      'backstage.io/source-location': `url:https://git.example.com/acme/${name}/tree/main/`,
      ...annotations,
    },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/team-a',
    system: 'payments',
    ...spec,
  },
});

const catalogEntities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-a', namespace: 'default' },
    spec: { type: 'team', children: [] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'payments', namespace: 'default' },
    spec: { owner: 'team-a', domain: 'commerce' },
  },
  component('orders', {}, { 'pagerduty.com/service-id': 'P1' }),
  component('legacy'),
  component('unreadable'),
  // Malformed for the checks: no spec fields at all.
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'odd', namespace: 'default' },
    spec: { type: 'service' },
  },
];

const repositories: Record<string, Record<string, string>> = {
  'https://git.example.com/acme/orders/tree/main/': {
    '.github/workflows/ci.yml':
      'jobs:\n  test:\n    steps:\n      - run: npm test\n      - uses: docker/build-push-action@v6\n',
    'src/orders.test.ts': '',
    'renovate.json': '{}',
  },
  'https://git.example.com/acme/legacy/tree/main/': { 'README.md': '# legacy' },
};

/** A URL reader over in-memory trees, with ETags that change when a tree changes. */
function fakeUrlReader() {
  const reads: string[] = [];
  const etagOf = (url: string) =>
    `etag-${JSON.stringify(repositories[url]).length}`;
  const reader = mockServices.urlReader.mock({
    readTree: async (url, options) => {
      reads.push(url);
      const tree = repositories[url];
      if (!tree) {
        throw new Error(`connection refused for ${url}`);
      }
      if (options?.etag && options.etag === etagOf(url)) {
        throw new NotModifiedError();
      }
      const kept = Object.keys(tree).filter(
        path => options?.filter?.(path, { size: tree[path].length }) ?? true,
      );
      return {
        etag: etagOf(url),
        files: async () =>
          kept.map(path => ({
            path,
            content: async () => Buffer.from(tree[path]),
          })),
        archive: async () => {
          throw new Error('not used');
        },
        dir: async () => {
          throw new Error('not used');
        },
      };
    },
  });
  return { reader, reads };
}

describe('CatalogEvaluator', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function setUp(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    const store = await KnexScorecardStore.create({
      database: mockServices.database({ knex }),
    });
    const { reader, reads } = fakeUrlReader();
    const logger = mockServices.logger.mock();
    const make = (
      config: unknown = {},
      entities = catalogEntities,
      options: Partial<ConstructorParameters<typeof CatalogEvaluator>[0]> = {},
    ) =>
      new CatalogEvaluator({
        catalog: catalogServiceMock({ entities: [...entities] }),
        auth: mockServices.auth(),
        store,
        logger,
        ruleset: compileRuleset(config),
        concurrency: 2,
        historyRetentionDays: 30,
        repositories: new RepositoryEvidence({
          urlReader: reader,
          logger,
          timeoutMs: 5000,
          maxFileSize: 100_000,
          allowedLocalRoots: [],
        }),
        ...options,
      });
    return { store, reads, logger, make };
  }

  it.each(databases.eachSupportedId())(
    'records an entity whose ref the catalog refuses to look up, and scores the rest of its page, on %p',
    async databaseId => {
      const { store, make } = await setUp(databaseId);
      // A provider that skips validation: a name the catalog cannot parse back from its ref.
      const entities = [...catalogEntities, component('a/b')];
      const catalog = catalogServiceMock({ entities });
      const byRefs = catalog.getEntitiesByRefs.bind(catalog);
      catalog.getEntitiesByRefs = async (request, options) => {
        if (request.entityRefs.includes('component:default/a/b')) {
          throw new InputError(
            "Entity reference 'component:default/a/b' had more than one '/'",
          );
        }
        return byRefs(request, options);
      };
      const evaluator = make({}, entities, { catalog });

      expect(await evaluator.runAll()).toMatchObject({
        evaluated: 4,
        failed: 1,
      });
      expect((await store.getLatestRun())?.unscored).toEqual([
        {
          entityRef: 'component:default/a/b',
          reason:
            "Could not read it from the catalog: InputError: Entity reference 'component:default/a/b' had more than one '/'",
        },
      ]);
      expect(
        await store.getScorecard('component:default/orders'),
      ).toBeDefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'evaluates the catalog, then skips what did not change, on %p',
    async databaseId => {
      const { store, reads, logger, make } = await setUp(databaseId);
      const evaluator = make();

      const first = await evaluator.runAll();
      expect(first).toEqual({
        evaluated: 4,
        skipped: 0,
        failed: 0,
        removed: 0,
        firstScored: 4,
      });
      const orders = await store.getScorecard('component:default/orders');
      expect(orders?.entity).toMatchObject({
        owner: 'group:default/team-a',
        system: 'system:default/payments',
        domain: 'domain:default/commerce',
      });
      const build = orders?.scorecard.capabilities.find(
        c => c.capability === 'build',
      );
      expect(build?.status).toBe('complete');
      expect(orders?.scorecard.level?.level).toBeGreaterThanOrEqual(1);

      // A failing read gives unknown repository checks, is logged, and the run goes on.
      const unreadable = await store.getScorecard(
        'component:default/unreadable',
      );
      expect(
        unreadable?.scorecard.results.find(r => r.checkId === 'build.pipeline')
          ?.status,
      ).toBe('unknown');
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining('connection refused'),
      );
      // The card says why, and who can fix it; the score says how little it covers.
      expect(unreadable?.scorecard.notices).toContainEqual({
        type: 'repository-unreadable',
        message: expect.stringMatching(
          /^The backend cannot read https:\/\/git\.example\.com\/acme\/unreadable\/tree\/main\/: there is no integration \(and so no credentials\) for git\.example\.com\. Who can fix it: your Backstage admins/,
        ),
      });
      expect(unreadable?.scorecard.coverage?.share).toBeLessThan(100);
      expect(orders?.scorecard.coverage?.share).toBe(100);
      const odd = await store.getScorecard('component:default/odd');
      expect(odd?.scorecard.notices).toContainEqual({
        type: 'repository-unreadable',
        message: expect.stringContaining(
          "the entity has no source location. Who can fix it: the entity's owner",
        ),
      });

      // Unchanged entities and repositories are skipped (orders and legacy by their ETags, odd
      // has no repository); the unreadable repository is tried again.
      reads.length = 0;
      const second = await evaluator.runAll();
      expect(second).toEqual({
        evaluated: 1,
        skipped: 3,
        failed: 0,
        removed: 0,
        firstScored: 0,
      });
      expect((await store.getLatestRun())?.skipped).toBe(3);
      expect(reads.sort()).toEqual([
        'https://git.example.com/acme/legacy/tree/main/',
        'https://git.example.com/acme/orders/tree/main/',
        'https://git.example.com/acme/unreadable/tree/main/',
      ]);

      // An edited entity is re-evaluated and gains a history row; a deleted one is removed.
      const before = await store.getHistory('component:default/legacy');
      const edited = component(
        'legacy',
        {},
        { 'pagerduty.com/service-id': 'P2' },
      );
      const third = await make(
        {},
        catalogEntities
          .filter(e => !['legacy', 'odd'].includes(e.metadata.name))
          .concat(edited),
      ).runAll();
      expect(third).toEqual({
        evaluated: 2,
        skipped: 1,
        failed: 0,
        removed: 1,
        firstScored: 0,
      });
      expect(await store.getScorecard('component:default/odd')).toBeUndefined();
      const after = await store.getHistory('component:default/legacy');
      expect(after).toHaveLength(before.length + 1);
      expect(after[after.length - 1].change).toBe('evidence');

      // A changed ruleset re-evaluates everything.
      const changed = make({ checks: { build: { tests: { weight: 5 } } } });
      const fourth = await changed.runAll();
      expect(fourth).toMatchObject({ evaluated: 4, skipped: 0 });
    },
  );

  it.each(databases.eachSupportedId())(
    'scores every service again when the golden-path content version changes, though no repository did, on %p',
    async databaseId => {
      const { store, make } = await setUp(databaseId);
      const content = fs.mkdtempSync(join(os.tmpdir(), 'paved-content-'));
      const release = (...versions: string[]) =>
        fs.writeFileSync(
          join(content, 'CHANGELOG.yaml'),
          // JSON is YAML too.
          JSON.stringify({
            source: 'acme-platform',
            releases: versions.map(version => ({
              version,
              changes: [`Release ${version}.`],
            })),
          }),
        );
      // The ruleset as the plugin compiles it from its configuration, content release included.
      const rulesetNow = () =>
        readBackendConfig(
          mockServices.rootConfig({
            data: { goldenPath: { content: { directory: content } } },
          }),
        ).ruleset;
      const stamped = catalogEntities.map(e =>
        e.metadata.name === 'orders'
          ? component(
              'orders',
              {},
              {
                'pagerduty.com/service-id': 'P1',
                'paved.dev/golden-path-version': '1.0.0',
                'paved.dev/golden-path-source': 'acme-platform',
              },
            )
          : e,
      );
      const drift = async () =>
        (
          await store.getScorecard('component:default/orders')
        )?.scorecard.results.find(
          r => r.checkId === 'as-code.golden-path-current',
        );
      try {
        release('1.0.0');
        expect(
          await make({}, stamped, { ruleset: rulesetNow() }).runAll(),
        ).toMatchObject({ evaluated: 4 });
        expect(await drift()).toMatchObject({ status: 'pass' });
        expect(
          await make({}, stamped, { ruleset: rulesetNow() }).runAll(),
        ).toMatchObject({ evaluated: 1, skipped: 3 });

        // The platform team releases 1.1.0: the same entities and repositories are scored again.
        release('1.1.0', '1.0.0');
        expect(
          await make({}, stamped, { ruleset: rulesetNow() }).runAll(),
        ).toMatchObject({ evaluated: 4, skipped: 0 });
        expect(await drift()).toMatchObject({
          status: 'fail',
          message:
            'Behind the golden path: on 1.0.0, the current is 1.1.0. Changed since: 1.1.0: Release 1.1.0.',
        });
      } finally {
        fs.rmSync(content, { recursive: true, force: true });
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'scores a component in a monorepo with the pipelines at its root, on %p',
    async databaseId => {
      const { store, reads, make } = await setUp(databaseId);
      const root = 'https://github.com/acme/mono/tree/main/';
      const own = `${root}services/checkout/`;
      repositories[root] = {
        '.github/workflows/ci.yml':
          'jobs:\n  test:\n    steps:\n      - run: npm test\n',
        'services/billing/Jenkinsfile': 'sh "make deploy"',
        'services/checkout/src/checkout.test.ts': '',
      };
      repositories[own] = { 'src/checkout.test.ts': '', 'package.json': '{}' };
      const checkout = component(
        'checkout',
        {},
        { 'backstage.io/source-location': `url:${own}` },
      );
      const evaluator = make({}, [...catalogEntities.slice(0, 2), checkout]);
      const resultOf = async (checkId: string) =>
        (
          await store.getScorecard('component:default/checkout')
        )?.scorecard.results.find(r => r.checkId === checkId);

      try {
        expect(await evaluator.runAll()).toMatchObject({ evaluated: 1 });
        // The root's workflow is the component's pipeline; another component's Jenkinsfile is not.
        expect(await resultOf('build.pipeline')).toMatchObject({
          status: 'pass',
          message: 'GitHub Actions pipeline: .github/workflows/ci.yml.',
        });
        expect(await resultOf('build.tests')).toMatchObject({
          status: 'pass',
          evidence: [
            expect.objectContaining({ ref: '.github/workflows/ci.yml' }),
            expect.objectContaining({ ref: 'src/checkout.test.ts' }),
          ],
        });

        // Unchanged: both trees answer "not modified" to their own ETags.
        reads.length = 0;
        expect(await evaluator.runAll()).toMatchObject({
          evaluated: 0,
          skipped: 1,
        });
        expect(reads.sort()).toEqual([root, own]);

        // A changed root pipeline re-scores the component, with its own files read again.
        repositories[root]['.github/workflows/ci.yml'] =
          'jobs:\n  build:\n    steps:\n      - run: make image\n';
        reads.length = 0;
        expect(await evaluator.runAll()).toMatchObject({
          evaluated: 1,
          skipped: 0,
        });
        expect(reads.sort()).toEqual([root, own, own]);
        expect(await resultOf('build.tests')).toMatchObject({
          status: 'fail',
          message:
            'The repository has tests (src/checkout.test.ts), but no CI pipeline runs them (looked in the pipeline files and the scripts, Make/just/Task targets and package.json scripts they call).',
        });
      } finally {
        delete repositories[root];
        delete repositories[own];
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'scores or records with a reason every entity the catalog returns, however malformed, on %p',
    async databaseId => {
      const { store, make } = await setUp(databaseId);
      const junk = (metadata: unknown, rest: Record<string, unknown> = {}) =>
        ({
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata,
          spec: { type: 'service' },
          ...rest,
        } as unknown as Entity);
      const longLifecycle = `${'long-'.repeat(60)}end`;
      const entities = [
        ...catalogEntities,
        component('long-lifecycle', { lifecycle: longLifecycle }),
        component(
          'nul-annotation',
          { lifecycle: 'production\u0000' },
          { 'pagerduty.com/service-id': 'P\u00001' },
        ),
      ];
      // Shapes only a provider that skips the catalog's validation can hand over, appended to the
      // catalog's answer (the in-memory catalog cannot filter them).
      const catalog = catalogServiceMock({ entities });
      const streamEntities = catalog.streamEntities.bind(catalog);
      catalog.streamEntities = async function* withJunk(request, options) {
        yield* streamEntities(request, options);
        if (!request?.fields) {
          yield [
            junk({ name: 'number-namespace', namespace: 5 }),
            junk({ namespace: 'default', uid: 'u-1' }),
            junk({ name: 'array-spec' }, { spec: ['not', 'an', 'object'] }),
            junk({ name: 'nul\u0000name' }),
            junk(null),
          ];
        }
      };
      const stats = await make({}, entities, { catalog }).runAll();
      expect(stats).toEqual({
        evaluated: 6,
        skipped: 0,
        failed: 5,
        removed: 0,
        firstScored: 6,
      });

      const long = await store.getScorecard('component:default/long-lifecycle');
      expect(long?.entity.lifecycle).toBe(longLifecycle.slice(0, 255));
      expect(long?.scorecard.notices).toContainEqual({
        type: 'value-truncated',
        message: expect.stringContaining('lifecycle'),
      });
      const nul = await store.getScorecard('component:default/nul-annotation');
      expect(nul?.entity.lifecycle).toBe('production\ufffd');
      expect(nul?.scorecard.inScope).toBe(true);

      const run = await store.getLatestRun();
      expect(run).toMatchObject({ status: 'succeeded', failed: 5 });
      // The entity whose spec is an array is recorded too: the ruleset's scope cannot be
      // decided for it.
      const byRef = (a: { entityRef: string }, b: { entityRef: string }) =>
        a.entityRef < b.entityRef ? -1 : 1;
      expect(run?.unscored.sort(byRef)).toEqual(
        [
          {
            entityRef:
              "component:<invalid namespace>/number-namespace (#7 in the catalog's answer)",
            reason: expect.stringMatching(
              /^Not a valid entity: metadata.namespace: /,
            ),
          },
          {
            entityRef: 'component:default/<no name> (uid u-1)',
            reason: expect.stringMatching(
              /^Not a valid entity: metadata.name: /,
            ),
          },
          {
            entityRef:
              "component:default/<no name> (#11 in the catalog's answer)",
            reason: expect.stringMatching(/^Not a valid entity: metadata: /),
          },
          {
            entityRef:
              "component:default/array-spec (#9 in the catalog's answer)",
            reason: expect.stringMatching(/^Not a valid entity: spec: /),
          },
          {
            entityRef:
              "component:default/nul\ufffdname (#10 in the catalog's answer)",
            reason:
              'Not a valid entity: its ref has more than 255 characters or a NUL byte',
          },
        ].sort(byRef),
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'starts no run while another is alive, takes over a dead one, and stops a run that lost its claim, on %p',
    async databaseId => {
      const { store, make } = await setUp(databaseId);
      const alive = await store.startRun({
        startedAt: new Date(),
        rulesetHash: 'r',
      });
      expect(await make().runAll()).toBeUndefined();
      expect(await store.getRun(alive)).toMatchObject({ status: 'running' });

      // Its heartbeat stopped a minute ago: the next run marks it failed and runs.
      await store.heartbeatRun(alive, new Date(Date.now() - 60_000));
      expect(await make().runAll()).toMatchObject({ evaluated: 4 });
      expect(await store.getRun(alive)).toMatchObject({
        status: 'failed',
        error: expect.stringMatching(
          /^The process running it stopped: no heartbeat since /,
        ),
      });

      // A run whose heartbeat finds it marked failed by another process stops, and its record
      // stays the other process's.
      const heartbeatRun = jest
        .spyOn(store, 'heartbeatRun')
        .mockResolvedValue(false);
      try {
        await expect(make().runAll()).rejects.toThrow(
          /was marked failed by another process/,
        );
      } finally {
        heartbeatRun.mockRestore();
      }
    },
  );

  it.each(databases.eachSupportedId())(
    "after a crash, starts a run as soon as the dead run's heartbeat is stale, and leaves a live run alone, on %p",
    async databaseId => {
      const { store, make } = await setUp(databaseId);
      const heartbeat = { intervalMs: 20, staleAfterMs: 200 };
      expect(
        await make({}, catalogEntities, { heartbeat }).recoverInterruptedRun(),
      ).toBeUndefined();

      // A run left `running` by a process that was killed just now.
      const dead = await store.startRun({
        startedAt: new Date(),
        rulesetHash: 'r',
      });
      expect(
        await make({}, catalogEntities, { heartbeat }).recoverInterruptedRun(),
      ).toMatchObject({ evaluated: 4 });
      expect(await store.getRun(dead)).toMatchObject({ status: 'failed' });
      expect(await store.getLatestRun()).toMatchObject({ status: 'succeeded' });

      // A live run renews its heartbeat: nothing is started.
      const live = await store.startRun({
        startedAt: new Date(),
        rulesetHash: 'r',
      });
      const renewing = setInterval(
        () => void store.heartbeatRun(live, new Date()),
        5,
      );
      try {
        expect(
          await make({}, catalogEntities, {
            heartbeat,
          }).recoverInterruptedRun(),
        ).toBeUndefined();
      } finally {
        clearInterval(renewing);
      }
      expect(await store.getRun(live)).toMatchObject({ status: 'running' });
    },
  );

  it.each(databases.eachSupportedId())(
    'stops an aborted run, records it as failed and removes nothing, on %p',
    async databaseId => {
      const { store, make } = await setUp(databaseId);
      await make().runAll();

      const controller = new AbortController();
      controller.abort();
      await expect(
        make({}, []).runAll({ signal: controller.signal }),
      ).rejects.toThrow(/abort/i);
      expect(await store.getLatestRun()).toMatchObject({
        status: 'failed',
        removed: 0,
      });
      expect(
        await store.getScorecard('component:default/orders'),
      ).toBeDefined();
    },
  );
});
