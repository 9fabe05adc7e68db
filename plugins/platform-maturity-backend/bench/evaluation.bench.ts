/* eslint-disable no-console */
/*
 * Backend benchmark (issue 3): the platform maturity plugin in a test backend, over a synthetic
 * catalog (served by a catalog mock that makes entities on demand) with repository evidence in
 * memory, on SQLite (a file) and on PostgreSQL. For each database it prints:
 *
 * - the full run (the plugin's scheduled task over an empty database), the CPU time the
 *   benchmark's process used in it (on a busy machine, the figure to compare between runs; on
 *   SQLite it includes the database's work, on PostgreSQL not the server's) and the time of it
 *   spent waiting on the database; target under 60 s at 100,000 entities,
 * - the unchanged re-run (every entity skipped by its hashes and repository ETag), twice (see
 *   below); under 10 s,
 * - the summary by owner, as the store's query and through the HTTP route; under 500 ms,
 * - GET /v1/scorecards/component/default/<random entity> at 50 keep-alive connections from a
 *   child process (a minimal HTTP client, see load.ts), after a warm-up: p50/p90/p99/max,
 *   throughput, and the CPU time per request of the server and of the load; p99 under 50 ms. The
 *   same load against a bare Express route (first line) tells what the machine gives at best,
 * - for each run, the event loop's delay (max and p99, `monitorEventLoopDelay`): how long the run
 *   held the loop at a time, which a request waits for at worst; target under 50 ms,
 * - peak RSS and V8 heap (sampled every 100 ms) of each phase, and the largest heap in use right
 *   after a full GC (what is really kept), which should not grow with the catalog.
 *
 * The re-run is printed twice because on SQLite the first one rewrites every row (the run number
 * it marks them with grows from 1 to 2 bytes); later ones, the usual case, cost less.
 *
 * Usage: `npm run bench` in plugins/platform-maturity-backend. Settings, by environment variable:
 *   PAVED_BENCH_ENTITIES     entities (default 100000); a comma-separated list runs each size in
 *                            its own process, to compare peak memory, e.g. 10000,50000,100000.
 *                            A quick try: PAVED_BENCH_ENTITIES=5000.
 *   PAVED_BENCH_DATABASES    sqlite,postgres (default both).
 *   PAVED_BENCH_CONNECTIONS  concurrent GET connections (default 50).
 *   PAVED_BENCH_GET_SECONDS  measured seconds of GET load (default 10, after 3 s of warm-up; 0
 *                            skips it).
 *   PAVED_BENCH_QUERIES=1    also prints where each run's database time went, by statement.
 *   BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING  PostgreSQL server (default
 *                            postgresql://postgres@127.0.0.1:5432); a database is created and
 *                            dropped on it.
 */
import {
  coreServices,
  createServiceFactory,
  SchedulerService,
  SchedulerServiceTaskInvocationDefinition,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  compileRuleset,
  evaluate,
} from '@paved/plugin-platform-maturity-common';
import express from 'express';
import knexFactory, { Knex } from 'knex';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  constants,
  monitorEventLoopDelay,
  PerformanceObserver,
} from 'node:perf_hooks';
import { KnexScorecardStore } from '../src/database/KnexScorecardStore';
import { platformMaturityPlugin } from '../src/plugin';
import { LoadResult, runLoad } from './load';
import {
  componentOf,
  syntheticCatalog,
  syntheticUrlReader,
} from './syntheticCatalog';

const SIZES = (process.env.PAVED_BENCH_ENTITIES ?? '100000')
  .split(',')
  .map(s => Number(s.trim()));
const DATABASES = (process.env.PAVED_BENCH_DATABASES ?? 'sqlite,postgres')
  .split(',')
  .map(s => s.trim());
const CONNECTIONS = Number(process.env.PAVED_BENCH_CONNECTIONS ?? 50);
const GET_SECONDS = Number(process.env.PAVED_BENCH_GET_SECONDS ?? 10);
const WARM_UP_SECONDS = 3;
const PG =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
  'postgresql://postgres@127.0.0.1:5432';
const API = '/api/platform-maturity';
const TASK_ID = 'platform-maturity-evaluate-catalog';

for (const [name, value] of [
  ['PAVED_BENCH_ENTITIES', SIZES],
  ['PAVED_BENCH_CONNECTIONS', [CONNECTIONS]],
  ['PAVED_BENCH_GET_SECONDS', [GET_SECONDS]],
] as const) {
  if (value.some(v => !Number.isInteger(v) || v < 0)) {
    throw new Error(`${name} must be whole numbers, got '${value}'`);
  }
}
for (const database of DATABASES) {
  if (!['sqlite', 'postgres'].includes(database)) {
    throw new Error(
      `PAVED_BENCH_DATABASES must list sqlite and/or postgres, got '${database}'`,
    );
  }
}

const MiB = 1024 * 1024;

/**
 * Peak RSS and V8 heap in use, sampled every 100 ms from `reset()` on, and the largest heap in use
 * right after a full garbage collection: the heap in use also counts garbage that V8 has not
 * collected yet, which grows with the heap V8 allows itself, so only the latter tells what is
 * really kept.
 */
class MemoryPeaks {
  private rss = 0;
  private heap = 0;
  private live = 0;
  private readonly timer = setInterval(() => this.sample(), 100);

  constructor() {
    this.timer.unref();
    new PerformanceObserver(list => {
      if (
        list
          .getEntries()
          .some(
            entry =>
              (entry as { detail?: { kind?: number } }).detail?.kind ===
              constants.NODE_PERFORMANCE_GC_MAJOR,
          )
      ) {
        this.live = Math.max(this.live, process.memoryUsage().heapUsed);
      }
    }).observe({ entryTypes: ['gc'] });
  }

  reset() {
    this.rss = 0;
    this.heap = 0;
    this.live = 0;
    this.sample();
  }

  sample() {
    const usage = process.memoryUsage();
    this.rss = Math.max(this.rss, usage.rss);
    this.heap = Math.max(this.heap, usage.heapUsed);
  }

  toString() {
    this.sample();
    const mib = (bytes: number) => `${(bytes / MiB).toFixed(0)} MiB`;
    return `peak RSS ${mib(this.rss)}, heap ${mib(this.heap)} (after full GCs ${
      this.live ? mib(this.live) : 'none'
    })`;
  }
}

const memory = new MemoryPeaks();

async function timed<T>(
  fn: () => Promise<T>,
): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

/**
 * Sums the time queries were outstanding, to tell the database's share of a run; with
 * PAVED_BENCH_QUERIES=1, also by statement (its first words), to tell which ones.
 */
function databaseClock(knex: Knex) {
  const started = new Map<string, { at: bigint; sql: string }>();
  const byStatement = new Map<string, { count: number; ns: bigint }>();
  let total = 0n;
  knex.on('query', (query: { __knexQueryUid: string; sql: string }) =>
    started.set(query.__knexQueryUid, {
      at: process.hrtime.bigint(),
      sql: query.sql,
    }),
  );
  const end = (_: unknown, query: { __knexQueryUid: string }) => {
    const start = started.get(query.__knexQueryUid);
    if (start !== undefined) {
      const ns = process.hrtime.bigint() - start.at;
      total += ns;
      started.delete(query.__knexQueryUid);
      const statement = start.sql.replace(/\(.*$/s, '').slice(0, 70);
      const entry = byStatement.get(statement) ?? { count: 0, ns: 0n };
      entry.count++;
      entry.ns += ns;
      byStatement.set(statement, entry);
    }
  };
  knex.on('query-response', end);
  knex.on('query-error', end);
  return {
    reset: () => {
      total = 0n;
      byStatement.clear();
    },
    seconds: () => Number(total) / 1e9,
    statements: () =>
      [...byStatement]
        .sort((a, b) => Number(b[1].ns - a[1].ns))
        .slice(0, 6)
        .map(
          ([sql, { count, ns }]) =>
            `\n      ${(Number(ns) / 1e9).toFixed(2)} s in ${count} × ${sql}`,
        )
        .join(''),
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function bench(label: string, knex: Knex, total: number) {
  console.log(label);
  const clock = databaseClock(knex);
  let task: SchedulerServiceTaskInvocationDefinition | undefined;
  // Captures the plugin's scheduled task, so that the benchmark runs it when it wants to.
  const schedulerFactory = createServiceFactory({
    service: coreServices.scheduler,
    deps: {},
    factory: () =>
      ({
        scheduleTask: async (t: SchedulerServiceTaskInvocationDefinition) => {
          task = t;
        },
      } as unknown as SchedulerService),
  });
  const backend = await startTestBackend({
    features: [
      platformMaturityPlugin,
      schedulerFactory,
      createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        factory: () => syntheticCatalog(total),
      }),
      createServiceFactory({
        service: coreServices.urlReader,
        deps: {},
        factory: () => syntheticUrlReader(),
      }),
      mockServices.database.factory({ knex }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      mockServices.rootConfig.factory({
        data: {
          platformMaturity: {
            schedule: { frequency: { hours: 24 }, timeout: { hours: 1 } },
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
    const runTask = async () => {
      clock.reset();
      memory.reset();
      const cpuBefore = process.cpuUsage();
      // How long the run held the event loop at a time: what a request waits for at worst.
      const loopDelay = monitorEventLoopDelay({ resolution: 10 });
      loopDelay.enable();
      const { ms } = await timed(async () => {
        await task!.fn(new AbortController().signal as any);
      });
      loopDelay.disable();
      const cpu = process.cpuUsage(cpuBefore);
      const run = await store.getLatestRun();
      return `${seconds(ms)} (CPU ${seconds(
        (cpu.user + cpu.system) / 1000,
      )}, database ${clock.seconds().toFixed(1)} s; evaluated ${
        run?.evaluated
      }, skipped ${run?.skipped}, failed ${run?.failed}, ${
        run?.status
      }), event loop delay max ${(loopDelay.max / 1e6).toFixed(1)} ms, p99 ${(
        loopDelay.percentile(99) / 1e6
      ).toFixed(1)} ms, ${memory}${
        process.env.PAVED_BENCH_QUERIES ? clock.statements() : ''
      }`;
    };
    if (!task) {
      throw new Error(`The plugin did not schedule ${TASK_ID}`);
    }
    console.log(`  full run:          ${await runTask()}`);
    console.log(`  unchanged re-run:  ${await runTask()}`);
    console.log(`  and once more:     ${await runTask()}`);

    const query = await timed(() => store.getSummary('owner'));
    const port = backend.server.port();
    const authorization = mockCredentials.user.header();
    const route = await timed(async () => {
      const res = await fetch(
        `http://127.0.0.1:${port}${API}/v1/summary?groupBy=owner`,
        { headers: { authorization } },
      );
      if (res.status !== 200) {
        throw new Error(`GET /v1/summary answered ${res.status}`);
      }
      return res.json();
    });
    console.log(
      `  summary by owner:  ${query.ms.toFixed(0)} ms query, ${route.ms.toFixed(
        0,
      )} ms HTTP route (${query.value.length} groups)`,
    );

    if (GET_SECONDS > 0) {
      memory.reset();
      const paths = Array.from(
        { length: Math.min(total, 10_000) },
        () =>
          `${API}/v1/scorecards/component/default/svc-${Math.floor(
            Math.random() * total,
          )}`,
      );
      const load = await runLoad({
        port,
        paths,
        headers: { authorization },
        connections: CONNECTIONS,
        warmUpSeconds: WARM_UP_SECONDS,
        seconds: GET_SECONDS,
      });
      console.log(
        `  GET scorecard:     ${describeLoad(load)}; server ${memory}`,
      );
    }
  } finally {
    await backend.stop();
  }
}

function describeLoad(load: LoadResult): string {
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  return `${CONNECTIONS} connections, p50 ${ms(load.p50)}, p90 ${ms(
    load.p90,
  )}, p99 ${ms(load.p99)}, max ${ms(load.max)}; ${(
    load.requests / load.seconds
  ).toFixed(0)} req/s, ${load.requests} requests ${JSON.stringify(
    load.statuses,
  )}, ${
    load.errors
  } errors; CPU per request: server ${load.serverCpuMsPerRequest.toFixed(
    2,
  )} ms, load ${load.clientCpuMsPerRequest.toFixed(2)} ms`;
}

/**
 * What this machine gives at best: the same load against a bare Express route that answers a
 * scorecard of the same size, parsed and serialised again as the plugin's route does.
 */
async function calibrate(): Promise<string> {
  const ruleset = compileRuleset({});
  const entity = componentOf(0);
  const body = JSON.stringify({
    entity: { entityRef: 'component:default/svc-0' },
    scorecard: evaluate(ruleset, {
      entity,
      repository: { paths: ['README.md'], read: () => undefined },
      now: new Date(),
    }),
  });
  const app = express();
  app.get('/scorecard', (_req, res) => {
    res.json(JSON.parse(body));
  });
  const server = http.createServer(app);
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  try {
    const load = await runLoad({
      port: (server.address() as AddressInfo).port,
      paths: ['/scorecard'],
      headers: {},
      connections: CONNECTIONS,
      warmUpSeconds: WARM_UP_SECONDS,
      seconds: GET_SECONDS,
    });
    return `${describeLoad(load)} (${body.length} bytes)`;
  } finally {
    server.close();
  }
}

async function runSize(total: number) {
  console.log(
    `platform-maturity-backend benchmark: ${total.toLocaleString(
      'en-US',
    )} entities, load average ${os
      .loadavg()
      .map(l => l.toFixed(2))
      .join(' ')} on ${os.cpus().length} cores`,
  );
  memory.reset();
  console.log(`  at start:          ${memory}`);
  if (GET_SECONDS > 0) {
    console.log(`  bare Express GET:  ${await calibrate()}`);
  }
  if (DATABASES.includes('sqlite')) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-bench-'));
    const sqlite = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: path.join(dir, 'bench.sqlite') },
      useNullAsDefault: true,
    });
    try {
      await bench('SQLite (file)', sqlite, total);
    } finally {
      await sqlite.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  if (DATABASES.includes('postgres')) {
    const admin = knexFactory({ client: 'pg', connection: PG });
    const database = `paved_bench_${process.pid}`;
    await admin.raw(`CREATE DATABASE ${database}`);
    const pg = knexFactory({ client: 'pg', connection: `${PG}/${database}` });
    try {
      await bench('PostgreSQL', pg, total);
    } finally {
      await pg.destroy();
      await admin.raw(`DROP DATABASE ${database}`);
      await admin.destroy();
    }
  }
}

/** Each size in its own process, so that one size's peak memory does not hide the next one's. */
async function runSizes() {
  for (const size of SIZES) {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [...process.execArgv, __filename], {
        stdio: 'inherit',
        env: { ...process.env, PAVED_BENCH_ENTITIES: String(size) },
      });
      child.once('error', reject);
      child.once('exit', code =>
        code === 0 ? resolve() : reject(new Error(`exit code ${code}`)),
      );
    });
  }
}

(SIZES.length > 1 ? runSizes() : runSize(SIZES[0])).then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
