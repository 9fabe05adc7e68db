/* eslint-disable no-console */
/*
 * Git host benchmark (issue 18): the platform maturity plugin in a test backend reads a synthetic
 * catalog's repositories from the simulated GitHub Enterprise host (`@paved/plugin-platform-maturity-node/testUtils`)
 * through Backstage's real GitHub URL reader, within the API budget, on SQLite (a file). Time on
 * the host and in the plugin's schedule is scaled: one rate-limit window (an hour on GitHub) lasts
 * PAVED_BENCH_HOUR_MS of real time, so "per hour" below means per window, and the schedule (a
 * daily safety net) lasts 24 windows. It prints:
 *
 * - the cold first pass (empty database, every entity never scored, so nothing is paced): its
 *   duration in windows, the calls of each window against the share of the budget the plugin may
 *   use, the calls the host refused (should be 0: the plugin waits instead), the bytes downloaded;
 * - the steady state: the daily pass, paced over its window, while PAVED_BENCH_PUSHED of the
 *   repositories are pushed per window, each push published as a `github.push` event: calls and
 *   bytes per window, and the time from each event to its entity's new scorecard (p50, p95, max);
 * - a monorepo of 200 services: how many entities a push touching one service scores again.
 *
 * Usage: `npm run bench:git-host` in plugins/platform-maturity-backend (also part of `npm run
 * bench`). Settings, by environment variable:
 *   PAVED_BENCH_REPOSITORIES  repositories, one service each (default 10000), of which the last
 *                             200 services are the monorepo's instead.
 *   PAVED_BENCH_LIMIT         calls per window (default 5000, a GitHub App's hour).
 *   PAVED_BENCH_SHARE         platformMaturity.repository.budgetShare (default 0.25).
 *   PAVED_BENCH_HOUR_MS       real milliseconds of one window (default 10000). The plugin waits a
 *                             second past each reset, a tenth of a window at the default.
 *   PAVED_BENCH_PUSHED        share of the repositories pushed per window (default 0.01).
 *   PAVED_BENCH_STEADY        windows of steady state measured (default 6).
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
  generatedFiles,
  generatedRepositoryName,
  SimulatedGitHost,
} from '@paved/plugin-platform-maturity-node/testUtils';
import { syntheticCatalog } from './syntheticCatalog';

const REPOSITORIES = Number(process.env.PAVED_BENCH_REPOSITORIES ?? 10_000);
const LIMIT = Number(process.env.PAVED_BENCH_LIMIT ?? 5000);
const SHARE = Number(process.env.PAVED_BENCH_SHARE ?? 0.25);
const HOUR_MS = Number(process.env.PAVED_BENCH_HOUR_MS ?? 10_000);
const PUSHED = Number(process.env.PAVED_BENCH_PUSHED ?? 0.01);
const STEADY = Number(process.env.PAVED_BENCH_STEADY ?? 6);
/** Services of the monorepo: the last of the catalog's components. */
const MONOREPO_SERVICES = 200;
const MONOREPO = 'org/monorepo';
const FIRST_MONOREPO_SERVICE = REPOSITORIES - MONOREPO_SERVICES;

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

/** The files of the monorepo: a pipeline at its root and a directory per service. */
function monorepoFiles(changed?: number): Record<string, string> {
  const files: Record<string, string> = {
    '.github/workflows/ci.yml': generatedFiles(0, 0)[
      '.github/workflows/ci.yml'
    ],
  };
  for (let i = FIRST_MONOREPO_SERVICE; i < REPOSITORIES; i++) {
    for (const [file, content] of Object.entries(generatedFiles(i, 0))) {
      if (!file.startsWith('.github/')) {
        files[`services/svc-${i}/${file}`] = content;
      }
    }
  }
  if (changed !== undefined) {
    files[`services/svc-${changed}/src/index.js`] += '// changed\n';
  }
  return files;
}

async function main() {
  console.log(
    `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${
      os.cpus().length
    } cores, Node.js ${process.version}`,
  );
  console.log(
    `Simulated GitHub host: ${REPOSITORIES} repositories (${MONOREPO_SERVICES} of the services in one monorepo instead), ${LIMIT} calls per window of ${HOUR_MS} ms (the scaled hour), budget share ${SHARE} (${Math.floor(
      LIMIT * SHARE,
    )} calls per window at most); schedule: every 24 windows`,
  );
  const host = await SimulatedGitHost.start({
    repositories: REPOSITORIES,
    rateLimit: { limit: LIMIT, windowMs: HOUR_MS },
  });
  host.setRepository(MONOREPO, monorepoFiles());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-git-host-bench-'));
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: path.join(dir, 'bench.sqlite') },
    useNullAsDefault: true,
  });
  const events = DefaultEventsService.create({ logger: quietLogger });
  let task: SchedulerServiceTaskInvocationDefinition | undefined;
  const day = { milliseconds: 24 * HOUR_MS };
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
            triggerTask: async () => {},
          } as unknown as SchedulerService),
      }),
      createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        factory: () =>
          syntheticCatalog(REPOSITORIES, i =>
            i < FIRST_MONOREPO_SERVICE
              ? host.treeUrl(generatedRepositoryName(i))
              : host.treeUrl(MONOREPO, { path: `services/svc-${i}` }),
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
            schedule: { frequency: day, timeout: day },
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
    const evaluatedAt = async (i: number) =>
      (await store.getScorecard(`component:default/svc-${i}`))?.scorecard
        .evaluatedAt;
    if (!task) {
      throw new Error('The plugin did not schedule its task');
    }

    let calls = host.stats.totalCalls;
    let bytes = host.stats.bytes;
    let firstWindow = host.stats.windows.length;
    let started = Date.now();
    await task.fn(new AbortController().signal as any);
    let ms = Date.now() - started;
    const coldWindows = host.stats.windows
      .slice(Math.max(0, firstWindow - 1))
      .map(w => w.calls);
    const cold = await store.getLatestRun();
    console.log(
      `  cold first pass: ${(ms / 1000).toFixed(1)} s = ${windows(
        ms,
      )} windows (scaled hours); ${cold?.status}, ${
        cold?.evaluated
      } evaluated, ${cold?.failed} not scored; ${
        host.stats.totalCalls - calls
      } calls (at most ${Math.max(
        ...coldWindows,
      )} in one window: ${coldWindows.join(', ')}), ${
        host.stats.rateLimited
      } refused, ${kib(host.stats.bytes - bytes)} downloaded`,
    );

    // Steady state: the daily pass, paced, while pushes come at the given share per window.
    const pushesPerWindow = Math.max(1, Math.round(REPOSITORIES * PUSHED));
    const stop = new AbortController();
    calls = host.stats.totalCalls;
    bytes = host.stats.bytes;
    const refused = host.stats.rateLimited;
    firstWindow = host.stats.windows.length;
    started = Date.now();
    const pass = Promise.resolve(task.fn(stop.signal as any)).catch(
      () => undefined,
    );
    const latencies: number[] = [];
    const waiting = new Map<number, { sent: number; before?: string }>();
    const watcher = (async () => {
      while (!stop.signal.aborted || waiting.size > 0) {
        for (const [i, push] of [...waiting]) {
          const now = await evaluatedAt(i);
          if (now !== push.before) {
            latencies.push(Date.now() - push.sent);
            waiting.delete(i);
          } else if (Date.now() - push.sent > 10 * HOUR_MS) {
            waiting.delete(i);
          }
        }
        await sleep(20);
      }
    })();
    // Push k is sent at k push intervals after the start, whatever the sending costs.
    let pushed = 0;
    let next = 0;
    const interval = HOUR_MS / pushesPerWindow;
    while (next * interval < STEADY * HOUR_MS) {
      const due = started + next * interval;
      if (due > Date.now()) {
        await sleep(due - Date.now());
      }
      const i = (next++ * 7919) % FIRST_MONOREPO_SERVICE;
      if (!waiting.has(i)) {
        const fullName = generatedRepositoryName(i);
        waiting.set(i, { sent: Date.now(), before: await evaluatedAt(i) });
        host.push(fullName);
        pushed++;
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
    }
    const remaining = started + STEADY * HOUR_MS - Date.now();
    if (remaining > 0) {
      await sleep(remaining);
    }
    ms = Date.now() - started;
    const progress = (await store.getLatestRun())?.progress;
    stop.abort();
    await pass;
    await watcher;
    const steadyWindows = host.stats.windows
      .slice(firstWindow)
      .map(w => w.calls);
    console.log(
      `  steady state over ${windows(ms)} windows: the daily pass paced (${
        progress?.done
      } of ${progress?.total} looked at, ${(
        ((progress?.perMinute ?? 0) * HOUR_MS) /
        60_000
      ).toFixed(
        0,
      )} per window), ${pushed} pushes (${pushesPerWindow} per window): ${(
        ((host.stats.totalCalls - calls) * HOUR_MS) /
        ms
      ).toFixed(0)} calls per window (of ${Math.floor(
        LIMIT * SHARE,
      )} allowed; whole windows: ${steadyWindows.slice(0, -1).join(', ')}), ${
        host.stats.rateLimited - refused
      } refused, ${kib(
        ((host.stats.bytes - bytes) * HOUR_MS) / ms,
      )} downloaded per window`,
    );
    if (latencies.length > 0) {
      console.log(
        `    push to new scorecard: p50 ${percentile(
          latencies,
          50,
        )} ms, p95 ${percentile(latencies, 95)} ms, max ${Math.max(
          ...latencies,
        )} ms of ${latencies.length} (real time, polled every 20 ms); ${
          pushed - latencies.length
        } not scored within 10 windows`,
      );
    }

    // A push to the monorepo that touches one service's directory.
    const monorepo = Array.from(
      { length: MONOREPO_SERVICES },
      (_, k) => FIRST_MONOREPO_SERVICE + k,
    );
    const before = new Map<number, string | undefined>();
    for (const i of monorepo) {
      before.set(i, await evaluatedAt(i));
    }
    const touched = FIRST_MONOREPO_SERVICE + 42;
    host.setRepository(MONOREPO, monorepoFiles(touched));
    const sent = Date.now();
    await events.publish({
      topic: 'github.push',
      eventPayload: {
        ref: 'refs/heads/main',
        repository: {
          html_url: `http://${host.host}/${MONOREPO}`,
          default_branch: 'main',
        },
        commits: [
          {
            added: [],
            modified: [`services/svc-${touched}/src/index.js`],
            removed: [],
          },
        ],
      },
    });
    while (
      (await evaluatedAt(touched)) === before.get(touched) &&
      Date.now() - sent < 10 * HOUR_MS
    ) {
      await sleep(20);
    }
    const latency = Date.now() - sent;
    await sleep(1000);
    let rescored = 0;
    for (const i of monorepo) {
      if ((await evaluatedAt(i)) !== before.get(i)) {
        rescored++;
      }
    }
    console.log(
      `  monorepo of ${MONOREPO_SERVICES} services, a push touching one: ${rescored} entity scored again, in ${latency} ms`,
    );
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
