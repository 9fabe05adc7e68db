import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { compileRuleset } from '@paved/plugin-platform-maturity-common';
import { KnexScorecardStore } from '../database/KnexScorecardStore';
import { serviceOn } from '../__testUtils__/gitHost/backend';
import {
  generatedRepositoryName,
  SimulatedGitHost,
} from '@paved/plugin-platform-maturity-node/testUtils';
import { CatalogEvaluator } from './CatalogEvaluator';
import { GithubApiBudget } from './GithubApiBudget';
import { RepositoryEvidence } from './RepositoryEvidence';

jest.setTimeout(120_000);

const SERVICES = 6;
const refOf = (i: number) => `component:default/service-${i}`;

/**
 * A catalog of six services on the simulated host, and an evaluator whose API budget allows four
 * calls: two first reads (commit and tarball each), or four looks at unchanged repositories. Each
 * call of `evaluator()` stands for a run in a new rate-limit window.
 */
async function setUp(
  knex: Awaited<ReturnType<TestDatabases['init']>>,
  options: { share: number; passWindowMs?: number } = { share: 4.5 / 10_000 },
) {
  // 4 calls of 10,000: the share of a window that the plugin may use.
  const host = await SimulatedGitHost.start({
    repositories: SERVICES,
    rateLimit: { limit: 10_000, windowMs: 3_600_000 },
  });
  const config = new ConfigReader({
    integrations: { github: [host.integrationConfig()] },
  });
  const logger = mockServices.logger.mock();
  const integrations = ScmIntegrations.fromConfig(config);
  const store = await KnexScorecardStore.create({
    database: mockServices.database({ knex }),
  });
  const catalog = catalogServiceMock({
    entities: [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: 'team-a', namespace: 'default' },
        spec: { type: 'team', children: [] },
      },
      ...Array.from({ length: SERVICES }, (_, i) =>
        serviceOn(
          `service-${i}`,
          host.treeUrl(generatedRepositoryName(i), { ref: 'main' }),
        ),
      ),
    ],
  });
  const evaluator = () =>
    new CatalogEvaluator({
      catalog,
      auth: mockServices.auth(),
      store,
      logger,
      ruleset: compileRuleset({}),
      concurrency: 1,
      historyRetentionDays: 30,
      passWindowMs: options.passWindowMs,
      heartbeat: { intervalMs: 100, staleAfterMs: 30_000 },
      repositories: new RepositoryEvidence({
        urlReader: UrlReaders.default({ config, logger }),
        logger,
        timeoutMs: 10_000,
        maxFileSize: 256 * 1024,
        allowedLocalRoots: [],
        integrations,
        budget: new GithubApiBudget({
          integrations,
          share: options.share,
          logger,
        }),
      }),
    });
  return { host, store, evaluator };
}

/** A run that stops once its budget is spent (it would wait an hour for the reset). */
async function stoppedRun(evaluator: CatalogEvaluator) {
  await expect(
    evaluator.runAll({ signal: AbortSignal.timeout(1500) }),
  ).rejects.toThrow();
}

describe('the order and the pace of a run', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
  let host: SimulatedGitHost | undefined;

  afterEach(async () => {
    await host?.stop();
  });

  it.each(databases.eachSupportedId())(
    'reach every entity, the ones never scored first, then the pushed, then the longest unchecked, on %p',
    async databaseId => {
      const setup = await setUp(await databases.init(databaseId));
      host = setup.host;
      const { store, evaluator } = setup;
      const scored = async () =>
        (
          await Promise.all(
            Array.from({ length: SERVICES }, (_, i) =>
              store.getScorecard(refOf(i)),
            ),
          )
        ).flatMap((stored, i) => (stored ? [i] : []));
      const checkedAt = async () =>
        store.getRunOrderKeys(
          Array.from({ length: SERVICES }, (_, i) => refOf(i)),
        );

      // Two first reads per run: three runs score the six services, none twice.
      await stoppedRun(evaluator());
      expect(await scored()).toEqual([0, 1]);
      await stoppedRun(evaluator());
      expect(await scored()).toEqual([0, 1, 2, 3]);
      await stoppedRun(evaluator());
      expect(await scored()).toEqual([0, 1, 2, 3, 4, 5]);
      expect(host.stats.calls.tarball).toBe(6);
      // Waiting for the budget left nothing unknown.
      for (const i of await scored()) {
        const { scorecard } = (await store.getScorecard(refOf(i)))!;
        expect(scorecard.results.filter(r => r.status === 'unknown')).toEqual(
          [],
        );
      }

      // A push recorded for service-5 (scored last) puts it before the longest unchecked. A
      // read reserves the two calls a new commit costs: after service-5's read (two calls), the
      // budget holds one look (one call) at the longest unchecked, service-0.
      const checkedIn = async (run: { startedAt: string }) => {
        const keys = await checkedAt();
        return [0, 1, 2, 3, 4, 5].filter(
          i => keys.get(refOf(i))!.checkedAt >= run.startedAt,
        );
      };
      host.push(generatedRepositoryName(5));
      await store.recordPush([refOf(5)], new Date());
      await stoppedRun(evaluator());
      expect(host.stats.calls.tarball).toBe(7);
      const fourth = (await store.getLatestRun())!;
      expect(fourth).toMatchObject({ evaluated: 1, skipped: 1 });
      expect(await checkedIn(fourth)).toEqual([0, 5]);

      // Then three looks per run, longest unchecked first: every entity comes round again.
      await stoppedRun(evaluator());
      const fifth = (await store.getLatestRun())!;
      expect(fifth).toMatchObject({ evaluated: 0, skipped: 3 });
      expect(await checkedIn(fifth)).toEqual([1, 2, 3]);
      await stoppedRun(evaluator());
      const sixth = (await store.getLatestRun())!;
      expect(sixth).toMatchObject({ evaluated: 0, skipped: 3 });
      expect(await checkedIn(sixth)).toEqual([0, 4, 5]);
      expect(host.stats.calls.tarball).toBe(7);
      expect(host.stats.rateLimited).toBe(0);
    },
  );

  it.each(databases.eachSupportedId())(
    'paces the looks at entities checked before over the pass window, never the first reads, and shows its progress, on %p',
    async databaseId => {
      const setup = await setUp(await databases.init(databaseId), {
        share: 0.5,
        passWindowMs: 6000,
      });
      host = setup.host;
      const { store, evaluator } = setup;

      let started = Date.now();
      await evaluator().runAll();
      const cold = Date.now() - started;
      // Six reads at once: far from the 5 s that pacing them over the window would take.
      expect(cold).toBeLessThan(5000);
      expect(host.stats.calls.tarball).toBe(SERVICES);

      // Six looks, one every second of the six-second window.
      started = Date.now();
      const run = evaluator().runAll();
      let progress;
      while (!progress?.done) {
        await new Promise(resolve => setTimeout(resolve, 200));
        progress = (await store.getLatestRun())!.progress;
      }
      expect(progress).toMatchObject({ total: SERVICES });
      expect(progress.done).toBeLessThan(SERVICES);
      expect(progress.perMinute).toBeGreaterThan(0);
      expect(Date.parse(progress.estimatedFinishAt!)).toBeGreaterThan(
        Date.now(),
      );
      expect(await run).toMatchObject({ skipped: SERVICES, evaluated: 0 });
      expect(Date.now() - started).toBeGreaterThanOrEqual(5000);
      const finished = (await store.getLatestRun())!;
      expect(finished.status).toBe('succeeded');
      expect(finished.progress).toBeUndefined();
    },
  );
});
