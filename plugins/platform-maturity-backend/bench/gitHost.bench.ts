/* eslint-disable no-console */
/*
 * Git host benchmark (issue 18): the platform maturity plugin in a test backend reads a synthetic
 * catalog's repositories from the simulated GitHub Enterprise host (`@paved/plugin-platform-maturity-node/testUtils`)
 * through Backstage's real GitHub URL reader, within the API budget, on SQLite (a file). Time on
 * the host is scaled: one rate-limit window (an hour on GitHub) lasts PAVED_BENCH_HOUR_MS of real
 * time, so "per hour" below means per window. It prints:
 *
 * - the cold first pass (empty database): its duration in windows, the calls of each window
 *   against the share of the budget the plugin may use, the calls the host refused (should be 0:
 *   the plugin waits instead), the bytes downloaded and the waits;
 * - the unchanged re-run (every repository asked for its commit only): calls and bytes;
 * - a burst of pushes (PAVED_BENCH_PUSHED of the repositories, default 1%), each published as a
 *   `github.push` event: the time from each event to its entity's new scorecard (p50, p95, max)
 *   and the calls and bytes the burst cost.
 *
 * Usage: `npm run bench:git-host` in plugins/platform-maturity-backend (also part of `npm run
 * bench`). Settings, by environment variable:
 *   PAVED_BENCH_REPOSITORIES  repositories, one service each (default 2000).
 *   PAVED_BENCH_LIMIT         calls per window (default 5000, a GitHub App's hour).
 *   PAVED_BENCH_SHARE         platformMaturity.repository.budgetShare (default 0.25).
 *   PAVED_BENCH_HOUR_MS       real milliseconds of one window (default 10000). The plugin waits a
 *                             second past each reset, a tenth of a window at the default.
 *   PAVED_BENCH_PUSHED        share of the repositories pushed in the burst (default 0.01).
 */
import {
  coreServices,
  createServiceFactory,
  SchedulerService,
  SchedulerServiceTaskInvocationDefinition,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  DefaultEventsService,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import knexFactory from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { KnexScorecardStore } from '../src/database/KnexScorecardStore';
import { platformMaturityPlugin } from '../src/plugin';
import {
  generatedRepositoryName,
  SimulatedGitHost,
} from '@paved/plugin-platform-maturity-node/testUtils';
import { syntheticCatalog } from './syntheticCatalog';

const REPOSITORIES = Number(process.env.PAVED_BENCH_REPOSITORIES ?? 2000);
const LIMIT = Number(process.env.PAVED_BENCH_LIMIT ?? 5000);
const SHARE = Number(process.env.PAVED_BENCH_SHARE ?? 0.25);
const HOUR_MS = Number(process.env.PAVED_BENCH_HOUR_MS ?? 10_000);
const PUSHED = Number(process.env.PAVED_BENCH_PUSHED ?? 0.01);

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
const windows = (ms: number) => (ms / HOUR_MS).toFixed(2);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}

/** A logger for the events service that prints warnings and errors only. */
const quietLogger = {
  debug: () => {},
  info: () => {},
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
  child: () => quietLogger,
} as unknown as Parameters<typeof DefaultEventsService.create>[0]['logger'];

async function main() {
  console.log(
    `Simulated GitHub host: ${REPOSITORIES} repositories, ${LIMIT} calls per window of ${HOUR_MS} ms, budget share ${SHARE} (${Math.floor(
      LIMIT * SHARE,
    )} calls per window at most)`,
  );
  const host = await SimulatedGitHost.start({
    repositories: REPOSITORIES,
    rateLimit: { limit: LIMIT, windowMs: HOUR_MS },
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-git-host-bench-'));
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: path.join(dir, 'bench.sqlite') },
    useNullAsDefault: true,
  });
  const events = DefaultEventsService.create({ logger: quietLogger });
  let task: SchedulerServiceTaskInvocationDefinition | undefined;
  const backend = await startTestBackend({
    features: [
      platformMaturityPlugin,
      createServiceFactory({
        service: coreServices.scheduler,
        deps: {},
        factory: () =>
          ({
            scheduleTask: async (
              t: SchedulerServiceTaskInvocationDefinition,
            ) => {
              task = t;
            },
          } as unknown as SchedulerService),
      }),
      createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        factory: () =>
          syntheticCatalog(REPOSITORIES, i =>
            host.treeUrl(generatedRepositoryName(i)),
          ),
      }),
      createServiceFactory({
        service: eventsServiceRef,
        deps: {},
        factory: () => events,
      }),
      mockServices.database.factory({ knex }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      mockServices.rootConfig.factory({
        data: {
          integrations: { github: [host.integrationConfig()] },
          platformMaturity: {
            schedule: { frequency: { hours: 24 }, timeout: { hours: 24 } },
            repository: { budgetShare: SHARE, concurrency: 8 },
          },
        },
      }),
    ],
  });
  try {
    const store = await KnexScorecardStore.create({
      database: { getClient: async () => knex } as any,
      skipMigrations: true,
    });
    const measure = async (label: string, work: () => Promise<void>) => {
      const calls = host.stats.totalCalls;
      const bytes = host.stats.bytes;
      const refused = host.stats.rateLimited;
      const firstWindow = host.stats.windows.length;
      const started = Date.now();
      await work();
      const ms = Date.now() - started;
      const perWindow = host.stats.windows
        .slice(Math.max(0, firstWindow - 1))
        .map(w => w.calls);
      console.log(
        `  ${label}: ${(ms / 1000).toFixed(1)} s = ${windows(ms)} windows; ${
          host.stats.totalCalls - calls
        } calls (at most ${Math.max(
          ...perWindow,
        )} in one window: ${perWindow.join(', ')}), ${
          host.stats.rateLimited - refused
        } refused, ${kib(host.stats.bytes - bytes)} downloaded`,
      );
    };
    if (!task) {
      throw new Error('The plugin did not schedule its task');
    }
    await measure('cold first pass', async () => {
      await task!.fn(new AbortController().signal as any);
    });
    const run = await store.getLatestRun();
    console.log(
      `    run: ${run?.status}, evaluated ${run?.evaluated}, failed ${run?.failed}`,
    );
    await measure('unchanged re-run', async () => {
      await task!.fn(new AbortController().signal as any);
    });

    const pushed = Array.from(
      { length: Math.max(1, Math.round(REPOSITORIES * PUSHED)) },
      (_, k) =>
        Math.floor(
          (k * REPOSITORIES) / Math.max(1, Math.round(REPOSITORIES * PUSHED)),
        ),
    );
    const latencies: number[] = [];
    await measure(`burst of ${pushed.length} pushes`, async () => {
      const before = new Map<number, string>();
      for (const i of pushed) {
        before.set(
          i,
          (await store.getScorecard(`component:default/svc-${i}`))!.scorecard
            .evaluatedAt,
        );
      }
      const sent = new Map<number, number>();
      for (const i of pushed) {
        const fullName = generatedRepositoryName(i);
        host.push(fullName);
        sent.set(i, Date.now());
        await events.publish({
          topic: 'github.push',
          eventPayload: {
            ref: 'refs/heads/main',
            repository: {
              html_url: `http://${host.host}/${fullName}`,
              default_branch: 'main',
            },
            commits: [{ added: [], modified: ['README.md'], removed: [] }],
          },
        });
      }
      const waiting = new Set(pushed);
      const deadline = Date.now() + 10 * HOUR_MS;
      while (waiting.size > 0 && Date.now() < deadline) {
        for (const i of [...waiting]) {
          const stored = await store.getScorecard(`component:default/svc-${i}`);
          if (stored && stored.scorecard.evaluatedAt !== before.get(i)) {
            latencies.push(Date.now() - sent.get(i)!);
            waiting.delete(i);
          }
        }
        await sleep(20);
      }
      if (waiting.size > 0) {
        console.log(`    ${waiting.size} pushes not scored within 10 windows`);
      }
    });
    if (latencies.length > 0) {
      console.log(
        `    push to new scorecard: p50 ${percentile(
          latencies,
          50,
        )} ms, p95 ${percentile(latencies, 95)} ms, max ${Math.max(
          ...latencies,
        )} ms (polled every 20 ms)`,
      );
    }
  } finally {
    await backend.stop();
    await knex.destroy();
    await host.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
