import {
  coreServices,
  createServiceFactory,
  SchedulerService,
  SchedulerServiceTaskInvocationDefinition,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { EvaluationRun } from '@paved/plugin-platform-maturity-common';
import request from 'supertest';
import { serviceOn, startBackendOn } from './__testUtils__/gitHost/backend';
import {
  generatedRepositoryName,
  SimulatedGitHost,
} from '@paved/plugin-platform-maturity-node/testUtils';

jest.setTimeout(60_000);

describe('GET /v1/runs/latest while a run waits for the API budget', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
  let host: SimulatedGitHost | undefined;

  afterEach(async () => {
    await host?.stop();
  });

  it.each(databases.eachSupportedId())(
    'shows how far the run has come and the wait, until when, on %p',
    async databaseId => {
      // Half of 8 calls a minute: two first reads, then the run waits for the reset.
      host = await SimulatedGitHost.start({
        repositories: 5,
        rateLimit: { limit: 8, windowMs: 60_000 },
      });
      const names = [0, 1, 2, 3, 4].map(i => `service-${i}`);
      // The plugin's scheduled task, run by the test rather than at start-up.
      let task: SchedulerServiceTaskInvocationDefinition | undefined;
      const backend = await startBackendOn(
        host,
        names.map((name, i) =>
          serviceOn(
            name,
            host!.treeUrl(generatedRepositoryName(i), { ref: 'main' }),
          ),
        ),
        { repository: { budgetShare: 0.5, concurrency: 1 } },
        [
          createServiceFactory({
            service: coreServices.scheduler,
            deps: {},
            factory: () =>
              ({
                scheduleTask: async (
                  definition: SchedulerServiceTaskInvocationDefinition,
                ) => {
                  task = definition;
                },
                triggerTask: async () => {},
              } as unknown as SchedulerService),
          }),
          mockServices.database.factory({
            knex: await databases.init(databaseId),
          }),
        ],
      );
      const stop = new AbortController();
      const running = Promise.resolve(task!.fn(stop.signal as any)).catch(
        () => undefined,
      );
      try {
        let run: EvaluationRun | undefined;
        // The run's heartbeat (every 10 seconds) records the wait.
        for (let i = 0; i < 300 && !run?.progress?.waitingForBudget; i++) {
          await new Promise(resolve => setTimeout(resolve, 100));
          const response = await request(backend.server)
            .get('/api/platform-maturity/v1/runs/latest')
            .set('Authorization', mockCredentials.user.header());
          run = response.status === 200 ? response.body : undefined;
        }
        expect(run).toMatchObject({
          status: 'running',
          evaluated: 2,
          progress: {
            total: 5,
            done: 2,
            waitingForBudget: { host: host.host },
          },
        });
        const until = Date.parse(run!.progress!.waitingForBudget!.until);
        // The reset of the host's window, at most a minute away, and a second of margin.
        expect(until).toBeGreaterThan(Date.now());
        expect(until).toBeLessThanOrEqual(host.rateLimit().reset * 1000 + 1000);
        expect(run!.progress!.perMinute).toBeGreaterThan(0);
        expect(Date.parse(run!.progress!.estimatedFinishAt!)).toBeGreaterThan(
          Date.parse(run!.startedAt),
        );
        expect(host.stats.rateLimited).toBe(0);
      } finally {
        stop.abort();
        await running;
        await backend.stop();
      }
    },
  );
});
