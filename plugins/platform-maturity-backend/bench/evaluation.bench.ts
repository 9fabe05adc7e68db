/* eslint-disable no-console */
import type {
  AuthService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { compileRuleset } from '@paved/plugin-platform-maturity-common';
import knexFactory, { Knex } from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KnexScorecardStore } from '../src/database/KnexScorecardStore';
import { CatalogEvaluator } from '../src/service/CatalogEvaluator';
import { RepositoryEvidence } from '../src/service/RepositoryEvidence';

// Evaluation benchmark over a synthetic catalog, with repository evidence in memory, on SQLite
// and PostgreSQL. Targets (issue 3): full run < 60 s, unchanged re-run < 10 s, summary < 500 ms.
const TOTAL = Number(process.env.BENCH_ENTITIES ?? 100_000);
const PG =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
  'postgresql://postgres@127.0.0.1:5432';

const WORKFLOW =
  'jobs:\n  test:\n    steps:\n      - run: npm test\n      - uses: docker/build-push-action@v6\n';

function entity(i: number): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: `svc-${i}`,
      namespace: 'default',
      etag: `e${i}`,
      annotations: {
        'backstage.io/source-location': `url:https://git.example.com/acme/svc-${i}/tree/main/`,
        ...(i % 3 === 0 ? { 'pagerduty.com/service-id': `P${i}` } : {}),
      },
    },
    spec: {
      type: 'service',
      lifecycle: i % 5 === 0 ? 'experimental' : 'production',
      owner: `group:default/team-${i % 50}`,
      system: `system-${i % 20}`,
    },
  };
}

const entities = Array.from({ length: TOTAL }, (_, i) => entity(i));

/** Serves `streamEntities` in pages over the synthetic catalog. */
const catalog = {
  async *streamEntities(request?: { filter?: unknown; pageSize?: number }) {
    const kinds = (request?.filter as { kind?: string[] })?.kind ?? [];
    if (kinds.includes('group')) {
      return; // no lookups in this benchmark: owners count as unknown
    }
    const size = request?.pageSize ?? 200;
    for (let i = 0; i < entities.length; i += size) {
      yield entities.slice(i, i + size);
    }
  },
} as unknown as CatalogService;

/** A repository of ~100 paths per entity; the ETag never changes, so re-runs can skip. */
const urlReader = {
  async readTree(
    url: string,
    options?: { etag?: string; filter?(p: string): boolean },
  ) {
    if (options?.etag === 'stable') {
      const error = new Error('not modified');
      error.name = 'NotModifiedError';
      throw error;
    }
    const n = Number(/svc-(\d+)/.exec(url)![1]);
    const paths = ['README.md', 'package.json'];
    if (n % 2 === 0) paths.push('.github/workflows/ci.yml');
    for (let i = 0; paths.length < 100; i++) {
      paths.push(
        i % 4 === 0 ? `src/m${i % 9}/f${i}.test.ts` : `src/m${i % 9}/f${i}.ts`,
      );
    }
    const kept = paths.filter(p => options?.filter?.(p) ?? true);
    return {
      etag: 'stable',
      files: async () =>
        kept.map(p => ({
          path: p,
          content: async () =>
            Buffer.from(p.endsWith('ci.yml') ? WORKFLOW : '{}'),
        })),
    };
  },
} as unknown as UrlReaderService;

const auth = {
  getOwnServiceCredentials: async () => ({
    $$type: '@backstage/BackstageCredentials',
    principal: { type: 'service', subject: 'bench' },
  }),
} as unknown as AuthService;

const silent = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child: () => silent,
} as any;

async function bench(label: string, knex: Knex) {
  const store = await KnexScorecardStore.create({
    database: {
      getClient: async () => knex,
      migrations: { skip: false },
    } as any,
  });
  const ruleset = compileRuleset({});
  const evaluator = new CatalogEvaluator({
    catalog,
    auth,
    store,
    logger: silent,
    ruleset,
    concurrency: 8,
    historyRetentionDays: 30,
    repositories: new RepositoryEvidence({
      urlReader,
      logger: silent,
      timeoutMs: 10_000,
      maxFileSize: 100_000,
      allowedLocalRoots: [],
    }),
  });
  const time = async (fn: () => Promise<unknown>) => {
    const start = process.hrtime.bigint();
    const result = await fn();
    return { seconds: Number(process.hrtime.bigint() - start) / 1e9, result };
  };
  const full = await time(() => evaluator.runAll());
  const rerun = await time(() => evaluator.runAll());
  const summary = await time(() => store.getSummary('owner'));
  console.log(`${label}`);
  console.log(
    `  full run:            ${full.seconds.toFixed(
      1,
    )} s (target < 60 s) ${JSON.stringify(full.result)}`,
  );
  console.log(
    `  unchanged re-run:    ${rerun.seconds.toFixed(
      1,
    )} s (target < 10 s) ${JSON.stringify(rerun.result)}`,
  );
  console.log(
    `  summary by owner:    ${(summary.seconds * 1000).toFixed(
      0,
    )} ms (target < 500 ms)`,
  );
  console.log(
    `  peak RSS so far:     ${(process.memoryUsage().rss / 1048576).toFixed(
      0,
    )} MiB`,
  );
}

async function main() {
  console.log(
    `platform-maturity-backend evaluation benchmark: ${TOTAL.toLocaleString(
      'en-US',
    )} entities`,
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-bench-'));
  const sqlite = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: path.join(dir, 'bench.sqlite') },
    useNullAsDefault: true,
  });
  await bench('SQLite (file)', sqlite);
  await sqlite.destroy();
  fs.rmSync(dir, { recursive: true, force: true });

  const admin = knexFactory({ client: 'pg', connection: PG });
  const database = `paved_bench_${process.pid}`;
  await admin.raw(`CREATE DATABASE ${database}`);
  const pg = knexFactory({ client: 'pg', connection: `${PG}/${database}` });
  try {
    await bench('PostgreSQL 15', pg);
  } finally {
    await pg.destroy();
    await admin.raw(`DROP DATABASE ${database}`);
    await admin.destroy();
  }
  console.log(
    '  (GET latency under 50 concurrent connections is not measured yet.)',
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
