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

jest.setTimeout(60_000);

describe('a run that stops while it waits for the API budget', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
  let host: SimulatedGitHost;

  afterEach(async () => {
    await host?.stop();
  });

  it.each(databases.eachSupportedId())(
    'stores what it read and leaves the waiting entities unscored, never unknown, on %p',
    async databaseId => {
      // Half of 8 calls a minute: two reads, then the run waits for a reset a minute away.
      host = await SimulatedGitHost.start({
        repositories: 6,
        rateLimit: { limit: 8, windowMs: 60_000 },
      });
      const config = new ConfigReader({
        integrations: { github: [host.integrationConfig()] },
      });
      const logger = mockServices.logger.mock();
      const integrations = ScmIntegrations.fromConfig(config);
      const store = await KnexScorecardStore.create({
        database: mockServices.database({
          knex: await databases.init(databaseId),
        }),
      });
      const names = [0, 1, 2, 3, 4, 5].map(i => `service-${i}`);
      const evaluator = new CatalogEvaluator({
        catalog: catalogServiceMock({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Group',
              metadata: { name: 'team-a', namespace: 'default' },
              spec: { type: 'team', children: [] },
            },
            ...names.map((name, i) =>
              serviceOn(name, host.treeUrl(generatedRepositoryName(i))),
            ),
          ],
        }),
        auth: mockServices.auth(),
        store,
        logger,
        ruleset: compileRuleset({}),
        concurrency: 2,
        historyRetentionDays: 30,
        repositories: new RepositoryEvidence({
          urlReader: UrlReaders.default({ config, logger }),
          logger,
          timeoutMs: 10_000,
          maxFileSize: 256 * 1024,
          allowedLocalRoots: [],
          integrations,
          budget: new GithubApiBudget({ integrations, share: 0.5, logger }),
        }),
      });

      await expect(
        evaluator.runAll({ signal: AbortSignal.timeout(2000) }),
      ).rejects.toThrow();

      expect((await store.getLatestRun())?.status).toBe('failed');
      const stored = (
        await Promise.all(
          names.map(name => store.getScorecard(`component:default/${name}`)),
        )
      ).filter(s => s !== undefined);
      expect(stored).toHaveLength(2);
      for (const { scorecard } of stored) {
        expect(scorecard.results.filter(r => r.status === 'unknown')).toEqual(
          [],
        );
      }
      expect(host.stats.totalCalls).toBe(4);
      expect(host.stats.rateLimited).toBe(0);
    },
  );
});
