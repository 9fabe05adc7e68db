import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  CAPABILITY_IDS,
  CapabilityId,
  CapabilityScore,
  CheckStatus,
  ScorecardEntityFacts,
} from '@paved/plugin-platform-maturity-common';
import { Knex } from 'knex';
import { KnexScorecardStore } from './KnexScorecardStore';
import { ScorecardOrderBy, StoredScorecard } from './ScorecardStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const TABLES = [
  'scorecards',
  'scorecard_documents',
  'scorecard_history',
  'evaluation_runs',
  'evaluation_run_unscored',
];
const T0 = '2026-11-25T12:00:00.000Z';

/** `T0` plus some minutes, as an ISO string. */
function at(minutes: number): string {
  return new Date(Date.parse(T0) + minutes * 60_000).toISOString();
}

interface CardOptions {
  facts?: Partial<ScorecardEntityFacts>;
  inScope?: boolean;
  score?: number | null;
  level?: number | null;
  capabilities?: Partial<Record<CapabilityId, number | null>>;
  /** Capabilities that could not be checked (fully, or with nothing failed among the rest). */
  unknown?: CapabilityId[];
  /** The coverage share; with it, the counts of capabilities checked and applicable. */
  coverage?: number;
  statuses?: Record<string, CheckStatus>;
  rulesetHash?: string;
  evidenceDigest?: string;
  evaluatedAt?: string;
  entityHash?: string;
  repositoryEtag?: string;
}

/** A stored scorecard for `kind:namespace/name`, built by hand so each test controls every column. */
function card(entityRef: string, options: CardOptions = {}): StoredScorecard {
  const [, kind, namespace, name] = entityRef.match(/^(.+):(.+)\/(.+)$/)!;
  const inScope = options.inScope ?? true;
  const score = options.score !== undefined ? options.score : 50;
  const level = options.level !== undefined ? options.level : 1;
  const statuses =
    options.statuses ?? (inScope ? { 'build.pipeline': 'pass' } : {});
  const capabilities: CapabilityScore[] = CAPABILITY_IDS.map(id => {
    const capabilityScore = options.capabilities?.[id] ?? null;
    const unknown = options.unknown?.includes(id) ?? false;
    let status: CapabilityScore['status'] = 'partial';
    if (unknown) status = 'unknown';
    else if (capabilityScore === null) status = 'not-applicable';
    else if (capabilityScore === 100) status = 'complete';
    else if (capabilityScore === 0) status = 'missing';
    return {
      capability: id,
      status,
      score: capabilityScore,
      passedWeight: capabilityScore ?? 0,
      applicableWeight: capabilityScore === null ? 0 : 100,
      unknownWeight: unknown ? 100 : 0,
    };
  });
  const applicable = capabilities.filter(
    c => c.applicableWeight + c.unknownWeight > 0,
  ).length;
  const coverage =
    options.coverage === undefined
      ? {}
      : {
          coverage: {
            share: options.coverage,
            checkedCapabilities: applicable - (options.unknown?.length ?? 0),
            applicableCapabilities: applicable,
          },
        };
  return {
    entity: { entityRef, kind, namespace, name, ...options.facts },
    scorecard: {
      entityRef,
      evaluatedAt: options.evaluatedAt ?? T0,
      inScope,
      score: inScope ? score : null,
      ...coverage,
      level:
        inScope && level !== null ? { level, name: `Level ${level}` } : null,
      capabilities,
      results: Object.entries(statuses).map(([checkId, status]) => ({
        checkId,
        capability: checkId.split('.')[0] as CapabilityId,
        status,
        message: `${checkId} is ${status}`,
        evidence: [{ type: 'file', ref: 'Jenkinsfile', line: 1 }],
      })),
      notices: [],
      rulesetHash: options.rulesetHash ?? 'ruleset-1',
      evidenceDigest: options.evidenceDigest ?? 'evidence-1',
    },
    entityHash: options.entityHash ?? `hash-${entityRef}`,
    repositoryEtag: options.repositoryEtag,
  };
}

describe('KnexScorecardStore', () => {
  async function createStore(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    const store = await KnexScorecardStore.create({
      database: mockServices.database({ knex }),
    });
    return { knex, store };
  }

  async function saveAll(store: KnexScorecardStore, cards: StoredScorecard[]) {
    for (const stored of cards) {
      await store.saveScorecard(stored);
    }
  }

  async function tablesPresent(knex: Knex) {
    return Promise.all(TABLES.map(t => knex.schema.hasTable(t)));
  }

  it.each(databases.eachSupportedId())(
    'migrates up, down and up again, and skips migrations when told, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await KnexScorecardStore.create({
        database: mockServices.database({ knex, migrations: { skip: true } }),
      });
      await KnexScorecardStore.create({
        database: mockServices.database({ knex }),
        skipMigrations: true,
      });
      expect(await tablesPresent(knex)).toEqual(TABLES.map(() => false));

      await KnexScorecardStore.create({
        database: mockServices.database({ knex }),
      });
      expect(await tablesPresent(knex)).toEqual(TABLES.map(() => true));

      const directory = resolvePackagePath(
        '@paved/plugin-platform-maturity-backend',
        'migrations',
      );
      await knex.migrate.rollback({ directory }, true);
      expect(await tablesPresent(knex)).toEqual(TABLES.map(() => false));

      await knex.migrate.latest({ directory });
      expect(await tablesPresent(knex)).toEqual(TABLES.map(() => true));
    },
  );

  it.each(databases.eachSupportedId())(
    'gives scorecards stored before coverage existed their coverage, and unknown for what could not be checked, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const directory = resolvePackagePath(
        '@paved/plugin-platform-maturity-backend',
        'migrations',
      );
      const pending = async () =>
        ((await knex.migrate.list({ directory }))[1] as { file: string }[]).map(
          m => m.file,
        );
      while (!(await pending())[0].includes('coverage')) {
        await knex.migrate.up({ directory });
      }
      // As the engine wrote it then: build could not be read, as-code "partial" at 100.
      const old = card('component:default/unread', {
        score: 100,
        level: 0,
        capabilities: { build: null, 'as-code': 100 },
      });
      old.scorecard.capabilities = old.scorecard.capabilities.map(c => {
        if (c.capability === 'build') {
          return { ...c, status: 'unknown', unknownWeight: 1 };
        }
        if (c.capability === 'as-code') {
          return { ...c, status: 'partial', unknownWeight: 100 };
        }
        return c;
      });
      await knex('scorecards').insert({
        entity_ref: old.entity.entityRef,
        kind: old.entity.kind,
        namespace: old.entity.namespace,
        name: old.entity.name,
        in_scope: true,
        score: 100,
        level: 0,
        level_name: 'Level 0',
        cap_as_code: 100,
        ruleset_hash: 'ruleset-1',
        evidence_digest: 'evidence-1',
        entity_hash: old.entityHash,
        evaluated_at: new Date(T0),
      });
      await knex('scorecard_documents').insert({
        entity_ref: old.entity.entityRef,
        entity: JSON.stringify(old.entity),
        scorecard: JSON.stringify(old.scorecard),
      });

      const store = await KnexScorecardStore.create({
        database: mockServices.database({ knex }),
      });
      const { scorecard } = (await store.getScorecard(old.entity.entityRef))!;
      expect(scorecard.coverage).toEqual({
        share: 25,
        checkedCapabilities: 0,
        applicableCapabilities: 2,
      });
      expect(
        scorecard.capabilities.find(c => c.capability === 'as-code')?.status,
      ).toBe('unknown');
      const { items } = await store.listScorecards({
        orderBy: 'name',
        order: 'asc',
        limit: 1,
      });
      expect(items[0]).toMatchObject({
        coverage: { share: 25 },
        capabilities: { build: null, 'as-code': null },
        capabilityStatuses: { build: 'unknown', 'as-code': 'unknown' },
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps stored scorecards when their JSON moves to scorecard_documents and back, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const directory = resolvePackagePath(
        '@paved/plugin-platform-maturity-backend',
        'migrations',
      );
      const [initial] = (await knex.migrate.list({ directory }))[1] as {
        file: string;
      }[];
      // A database written by the first version, which kept the JSON in `scorecards`.
      await knex.migrate.up({ directory, name: initial.file });
      const stored = card('component:default/old', {
        score: 75,
        facts: { owner: 'group:default/team-a', lifecycle: 'production' },
      });
      // More rows than the migration copies at a time.
      const rows = [
        stored,
        ...Array.from({ length: 600 }, (_, i) =>
          card(`component:default/more-${i}`),
        ),
      ];
      for (const batch of [rows.slice(0, 300), rows.slice(300)]) {
        await knex('scorecards').insert(
          batch.map(({ entity, scorecard, entityHash }) => ({
            entity_ref: entity.entityRef,
            kind: entity.kind,
            namespace: entity.namespace,
            name: entity.name,
            owner: entity.owner ?? null,
            lifecycle: entity.lifecycle ?? null,
            in_scope: true,
            score: scorecard.score,
            level: 1,
            level_name: 'Level 1',
            ruleset_hash: 'ruleset-1',
            evidence_digest: 'evidence-1',
            entity_hash: entityHash,
            evaluated_at: new Date(T0),
            scorecard: JSON.stringify(scorecard),
          })),
        );
      }

      const store = await KnexScorecardStore.create({
        database: mockServices.database({ knex }),
      });
      expect(
        (await store.getScorecard('component:default/old'))?.scorecard,
      ).toEqual(stored.scorecard);
      expect(
        JSON.parse(
          (await store.getScorecardResponseJson('component:default/old'))!,
        ),
      ).toEqual({ entity: stored.entity, scorecard: stored.scorecard });
      expect(await knex.schema.hasColumn('scorecards', 'scorecard')).toBe(
        false,
      );
      expect(
        Number((await knex('scorecard_documents').count({ n: '*' }))[0].n),
      ).toBe(601);

      await knex.migrate.down({
        directory,
        name: '20261126000000_scorecard_documents.js',
      });
      expect(await knex.schema.hasTable('scorecard_documents')).toBe(false);
      const [row] = await knex('scorecards')
        .where('entity_ref', 'component:default/old')
        .select('scorecard');
      expect(JSON.parse(row.scorecard)).toEqual(stored.scorecard);

      await knex.migrate.latest({ directory });
      expect(
        (await store.getScorecard('component:default/old'))?.scorecard,
      ).toEqual(stored.scorecard);
    },
  );

  it.each(databases.eachSupportedId())(
    'round-trips a scorecard with its facts, JSON, booleans and dates, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const full = card('component:default/orders', {
        facts: {
          title: 'Orders',
          owner: 'group:default/team-a',
          system: 'system:default/shop',
          domain: 'domain:default/commerce',
          lifecycle: 'production',
          type: 'service',
        },
        score: 66.7,
        level: 2,
        capabilities: { build: 100, deploy: 33.3, data: null },
        statuses: { 'build.pipeline': 'pass', 'deploy.chart': 'fail' },
        evaluatedAt: '2026-11-25T12:34:56.789Z',
        repositoryEtag: 'W/"etag-1"',
      });
      const outOfScope = card('resource:default/bucket', { inScope: false });

      await saveAll(store, [full, outOfScope]);

      expect(await store.getScorecard('component:default/orders')).toEqual(
        full,
      );
      const bare = await store.getScorecard('resource:default/bucket');
      expect(bare).toEqual(outOfScope);
      expect(bare?.scorecard.inScope).toBe(false);
      expect(bare?.repositoryEtag).toBeUndefined();
      expect(bare?.entity.owner).toBeUndefined();
      expect(
        await store.getScorecard('component:default/nope'),
      ).toBeUndefined();
      // What the API sends, made from the stored JSON without parsing it.
      for (const stored of [full, outOfScope]) {
        expect(
          JSON.parse(
            (await store.getScorecardResponseJson(stored.entity.entityRef))!,
          ),
        ).toEqual({ entity: stored.entity, scorecard: stored.scorecard });
      }
      expect(
        await store.getScorecardResponseJson('component:default/nope'),
      ).toBeUndefined();

      const { items } = await store.listScorecards({
        orderBy: 'entityRef',
        order: 'asc',
        limit: 10,
      });
      expect(items[0]).toEqual({
        entityRef: 'component:default/orders',
        kind: 'component',
        namespace: 'default',
        name: 'orders',
        title: 'Orders',
        owner: 'group:default/team-a',
        system: 'system:default/shop',
        domain: 'domain:default/commerce',
        lifecycle: 'production',
        type: 'service',
        score: 66.7,
        level: 2,
        levelName: 'Level 2',
        capabilities: {
          build: 100,
          deploy: 33.3,
          observe: null,
          data: null,
          capacity: null,
          'as-code': null,
        },
        capabilityStatuses: {
          build: 'complete',
          deploy: 'partial',
          observe: 'not-applicable',
          data: 'not-applicable',
          capacity: 'not-applicable',
          'as-code': 'not-applicable',
        },
        coverage: null,
        evaluatedAt: '2026-11-25T12:34:56.789Z',
      });
      expect(items[1]).toMatchObject({
        entityRef: 'resource:default/bucket',
        score: null,
        level: null,
        levelName: null,
      });

      // Saving again replaces the latest scorecard.
      await store.saveScorecard(
        card('component:default/orders', { score: 80, level: 3 }),
      );
      const replaced = await store.getScorecard('component:default/orders');
      expect(replaced?.scorecard.score).toBe(80);
      expect(replaced?.entity.title).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'adds a history row only when the score, the level or a check status changes, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const ref = 'component:default/orders';
      const save = (options: CardOptions) =>
        store.saveScorecard(card(ref, options));
      const s1 = { 'build.pipeline': 'fail' } as const;

      expect(
        await save({ statuses: s1, score: 0, evaluatedAt: at(1) }),
      ).toEqual({ historyAdded: true });
      // The same scorecard again.
      expect(
        await save({ statuses: s1, score: 0, evaluatedAt: at(2) }),
      ).toEqual({ historyAdded: false });
      // A new standard that changes no result: the latest row follows, the history does not.
      expect(
        await save({
          statuses: s1,
          score: 0,
          rulesetHash: 'ruleset-2',
          evaluatedAt: at(3),
        }),
      ).toEqual({ historyAdded: false });
      expect((await store.getScorecard(ref))?.scorecard.rulesetHash).toBe(
        'ruleset-2',
      );
      // The service changed a status; against the previous history row both hashes moved.
      expect(
        await save({
          statuses: { 'build.pipeline': 'pass' },
          score: 100,
          rulesetHash: 'ruleset-2',
          evidenceDigest: 'evidence-2',
          evaluatedAt: at(4),
        }),
      ).toEqual({ historyAdded: true });
      // A new check shows up from new evidence.
      expect(
        await save({
          statuses: { 'build.pipeline': 'pass', 'build.tests': 'fail' },
          score: 100,
          rulesetHash: 'ruleset-2',
          evidenceDigest: 'evidence-3',
          evaluatedAt: at(5),
        }),
      ).toEqual({ historyAdded: true });
      // The standard alone fails a check.
      expect(
        await save({
          statuses: { 'build.pipeline': 'fail', 'build.tests': 'fail' },
          score: 100,
          rulesetHash: 'ruleset-3',
          evidenceDigest: 'evidence-3',
          evaluatedAt: at(6),
        }),
      ).toEqual({ historyAdded: true });
      // Only the level moved, with neither hash: time did it (a waiver expired).
      expect(
        await save({
          statuses: { 'build.pipeline': 'fail', 'build.tests': 'fail' },
          score: 100,
          level: 0,
          rulesetHash: 'ruleset-3',
          evidenceDigest: 'evidence-3',
          evaluatedAt: at(7),
        }),
      ).toEqual({ historyAdded: true });

      const history = await store.getHistory(ref);
      expect(history.map(h => [h.recordedAt, h.change])).toEqual([
        [at(1), 'first'],
        [at(4), 'both'],
        [at(5), 'evidence'],
        [at(6), 'ruleset'],
        [at(7), 'evidence'],
      ]);
      expect(history[0]).toEqual({
        recordedAt: at(1),
        score: 0,
        level: 1,
        levelName: 'Level 1',
        rulesetHash: 'ruleset-1',
        evidenceDigest: 'evidence-1',
        statuses: { 'build.pipeline': 'fail' },
        change: 'first',
      });
      expect(history[2].statuses).toEqual({
        'build.pipeline': 'pass',
        'build.tests': 'fail',
      });

      // Since a time, the first row is still classified against the one before it.
      const recent = await store.getHistory(ref, new Date(at(5)));
      expect(recent.map(h => [h.recordedAt, h.change])).toEqual([
        [at(5), 'evidence'],
        [at(6), 'ruleset'],
        [at(7), 'evidence'],
      ]);
      expect(await store.getHistory(ref, new Date(at(8)))).toEqual([]);
      expect(await store.getHistory('component:default/nope')).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'finds the entities of a repository by the index stored with their scorecards, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await saveAll(store, [
        {
          ...card('component:default/a'),
          repository: {
            repository: 'GitHub.com/Acme/Mono',
            path: 'services/a',
          },
        },
        {
          ...card('component:default/b'),
          repository: {
            repository: 'github.com/acme/mono',
            ref: 'release',
            path: '',
          },
        },
        {
          ...card('component:default/c'),
          repository: { repository: 'github.com/acme/other', path: '' },
        },
        card('component:default/d'),
        {
          ...card('component:default/e'),
          // Too long to index: found by scheduled runs only.
          repository: {
            repository: `github.com/acme/${'x'.repeat(300)}`,
            path: '',
          },
        },
      ]);
      const found = await store.findByRepository('github.com/ACME/mono');
      expect(
        found.sort((x, y) => x.entityRef.localeCompare(y.entityRef)),
      ).toEqual([
        {
          entityRef: 'component:default/a',
          repository: 'github.com/acme/mono',
          path: 'services/a',
        },
        {
          entityRef: 'component:default/b',
          repository: 'github.com/acme/mono',
          ref: 'release',
          path: '',
        },
      ]);
      expect(
        await store.findByRepository(`github.com/acme/${'x'.repeat(300)}`),
      ).toEqual([]);

      // A scorecard saved again without a repository leaves the index.
      await store.saveScorecard(card('component:default/a'));
      expect(
        (await store.findByRepository('github.com/acme/mono')).map(
          e => e.entityRef,
        ),
      ).toEqual(['component:default/b']);
    },
  );

  it.each(databases.eachSupportedId())(
    'returns the skip keys of stored entities, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await saveAll(store, [
        card('component:default/a', {
          entityHash: 'h-a',
          repositoryEtag: 'etag-a',
          rulesetHash: 'r-1',
        }),
        card('component:default/b', { entityHash: 'h-b', rulesetHash: 'r-2' }),
      ]);

      // More refs than one IN list holds.
      const refs = [
        ...Array.from({ length: 1200 }, (_, i) => `component:default/x${i}`),
        'component:default/a',
        'component:default/b',
      ];
      const keys = await store.getSkipKeys(refs);
      expect([...keys.entries()].sort()).toEqual([
        [
          'component:default/a',
          { entityHash: 'h-a', repositoryEtag: 'etag-a', rulesetHash: 'r-1' },
        ],
        [
          'component:default/b',
          { entityHash: 'h-b', repositoryEtag: undefined, rulesetHash: 'r-2' },
        ],
      ]);
      expect((await store.getSkipKeys([])).size).toBe(0);
    },
  );

  it.each(databases.eachSupportedId())(
    'removes the scorecards a run did not see and keeps their history, %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const run1 = await store.startRun({
        startedAt: new Date(at(0)),
        rulesetHash: 'r',
      });
      for (const name of ['evaluated', 'skipped', 'gone', 'refreshed']) {
        await store.saveScorecard(card(`component:default/${name}`), {
          runId: run1,
        });
      }
      // Saved outside any run, before and after run 2 started.
      await store.saveScorecard(
        card('component:default/manual-old', { evaluatedAt: at(5) }),
      );
      await store.saveScorecard(
        card('component:default/manual-new', { evaluatedAt: at(20) }),
      );

      const run2 = await store.startRun({
        startedAt: new Date(at(10)),
        rulesetHash: 'r',
      });
      await store.saveScorecard(
        card('component:default/evaluated', { score: 90, evaluatedAt: at(11) }),
        { runId: run2 },
      );
      await store.markSeen(
        ['component:default/skipped', 'component:default/refreshed'],
        run2,
      );
      // A refresh between marking and removal keeps the run's mark.
      await store.saveScorecard(
        card('component:default/refreshed', { score: 70, evaluatedAt: at(12) }),
      );

      expect(await store.removeUnseen(run2)).toBe(2);

      const { items } = await store.listScorecards({
        orderBy: 'entityRef',
        order: 'asc',
        limit: 10,
      });
      expect(items.map(i => i.name)).toEqual([
        'evaluated',
        'manual-new',
        'refreshed',
        'skipped',
      ]);
      // The removed scorecards' JSON goes with them.
      expect(
        (await knex('scorecard_documents').orderBy('entity_ref')).map(
          row => row.entity_ref,
        ),
      ).toEqual(items.map(i => i.entityRef));
      expect(await store.getHistory('component:default/gone')).toHaveLength(1);
      expect(
        await store.getHistory('component:default/manual-old'),
      ).toHaveLength(1);
      expect(await store.removeUnseen(run2)).toBe(0);
    },
  );

  it.each(databases.eachSupportedId())(
    'prunes old history of removed entities only, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      for (const name of ['kept', 'removed']) {
        await store.saveScorecard(
          card(`component:default/${name}`, { score: 10, evaluatedAt: at(0) }),
        );
        await store.saveScorecard(
          card(`component:default/${name}`, { score: 20, evaluatedAt: at(60) }),
        );
      }
      const run = await store.startRun({
        startedAt: new Date(at(120)),
        rulesetHash: 'r',
      });
      await store.markSeen(['component:default/kept'], run);
      expect(await store.removeUnseen(run)).toBe(1);

      expect(await store.pruneHistory(new Date(at(30)))).toBe(1);
      expect(
        (await store.getHistory('component:default/removed')).map(
          h => h.recordedAt,
        ),
      ).toEqual([at(60)]);
      expect(await store.getHistory('component:default/kept')).toHaveLength(2);
      expect(await store.pruneHistory(new Date(at(30)))).toBe(0);
    },
  );

  /** Entities for the filter and summary tests. */
  const catalog = [
    card('component:default/svc-a', {
      facts: {
        title: 'Orders Service',
        owner: 'group:default/a',
        system: 'system:default/s1',
        domain: 'domain:default/d1',
        lifecycle: 'production',
      },
      score: 80,
      level: 2,
      capabilities: { build: 100, deploy: 50, capacity: 100, 'as-code': 100 },
    }),
    card('component:default/svc-b', {
      facts: {
        title: 'Billing',
        owner: 'group:default/a',
        system: 'system:default/s1',
        domain: 'domain:default/d1',
        lifecycle: 'experimental',
      },
      score: 40,
      level: 1,
      capabilities: { build: 100, deploy: 100, observe: 0, 'as-code': 50 },
    }),
    card('api:default/svc-c', {
      facts: {
        title: '100% done',
        owner: 'group:default/b',
        system: 'system:default/s2',
        lifecycle: 'production',
      },
      score: 100,
      level: 3,
      capabilities: {
        build: 100,
        deploy: 100,
        observe: 100,
        capacity: 100,
        'as-code': 100,
      },
    }),
    card('component:default/svc_d', {
      score: 20,
      level: 0,
      capabilities: { build: 0 },
    }),
    card('component:default/svc-e', {
      facts: { owner: 'group:default/a', lifecycle: 'production' },
      inScope: false,
    }),
    card('component:default/svc-f', {
      facts: { owner: 'group:default/a', lifecycle: 'production' },
      score: 50,
      level: 1,
      capabilities: { build: 0 },
    }),
  ];

  it.each(databases.eachSupportedId())(
    'filters the list, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await saveAll(store, catalog);

      const list = async (filters: object) => {
        const page = await store.listScorecards({
          orderBy: 'entityRef',
          order: 'asc',
          limit: 100,
          ...filters,
        });
        expect(page.totalCount).toBe(page.items.length);
        expect(page.nextCursor).toBeUndefined();
        return page.items.map(i => i.name);
      };

      expect(await list({})).toEqual([
        'svc-c',
        'svc-a',
        'svc-b',
        'svc-e',
        'svc-f',
        'svc_d',
      ]);
      expect(await list({ owner: ['group:default/a'] })).toEqual([
        'svc-a',
        'svc-b',
        'svc-e',
        'svc-f',
      ]);
      expect(
        await list({ owner: ['group:default/a', 'group:default/b'] }),
      ).toEqual(['svc-c', 'svc-a', 'svc-b', 'svc-e', 'svc-f']);
      expect(await list({ kind: ['API'] })).toEqual(['svc-c']);
      expect(await list({ lifecycle: ['production'] })).toEqual([
        'svc-c',
        'svc-a',
        'svc-e',
        'svc-f',
      ]);
      expect(await list({ level: [1, 3] })).toEqual([
        'svc-c',
        'svc-b',
        'svc-f',
      ]);
      expect(await list({ failingCapability: 'build' })).toEqual([
        'svc-f',
        'svc_d',
      ]);
      expect(await list({ failingCapability: 'deploy' })).toEqual(['svc-a']);
      expect(await list({ failingCapability: 'data' })).toEqual([]);
      expect(await list({ q: 'ORDERS' })).toEqual(['svc-a']);
      expect(await list({ q: 'api:Default/' })).toEqual(['svc-c']);
      // % and _ are literal characters, not wildcards.
      expect(await list({ q: '%' })).toEqual(['svc-c']);
      expect(await list({ q: '_' })).toEqual(['svc_d']);
      expect(
        await list({ owner: ['group:default/a'], lifecycle: ['production'] }),
      ).toEqual(['svc-a', 'svc-e', 'svc-f']);
      expect(await list({ owner: ['group:default/nobody'] })).toEqual([]);
      expect(await list({ system: ['system:default/s1'] })).toEqual([
        'svc-a',
        'svc-b',
      ]);
      expect(
        await list({ system: ['system:default/s1', 'system:default/s2'] }),
      ).toEqual(['svc-c', 'svc-a', 'svc-b']);
      expect(await list({ domain: ['domain:default/d1'] })).toEqual([
        'svc-a',
        'svc-b',
      ]);

      await expect(
        store.listScorecards({
          orderBy: 'entityRef',
          order: 'asc',
          limit: 10,
          failingCapability: 'flying',
        }),
      ).rejects.toThrow(InputError);
    },
  );

  it.each(databases.eachSupportedId())(
    'orders by every column in both directions and pages without gaps or duplicates, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      // Names, scores, levels and times repeat, so the entity ref must break ties.
      const cards = Array.from({ length: 25 }, (_, i) => {
        const kind = i < 13 ? 'component' : 'api';
        const name = `svc-${String(i < 13 ? i : i - 12).padStart(2, '0')}`;
        const unscored = i % 5 === 0;
        return card(`${kind}:default/${name}`, {
          // Some without an owner, which sorts first.
          facts:
            i % 4 === 3 ? {} : { owner: `group:default/team${'abc'[i % 4]}` },
          inScope: !unscored,
          score: unscored ? null : ((i * 7) % 40) + 60,
          level: unscored ? null : i % 4,
          coverage: unscored ? undefined : [100, 50, 83.3][i % 3],
          evaluatedAt: at(i % 6),
        });
      });
      await saveAll(store, cards);

      const orderValue = (
        stored: StoredScorecard,
        orderBy: ScorecardOrderBy,
      ): Array<string | number> => {
        const { entity, scorecard } = stored;
        switch (orderBy) {
          case 'entityRef':
            return [entity.entityRef];
          case 'name':
            return [entity.name];
          case 'owner':
            return [entity.owner ?? ''];
          case 'score':
          case 'level':
            // Level, then score, then coverage (see docs/architecture.md).
            return [
              scorecard.level?.level ?? -1,
              scorecard.score ?? -1,
              scorecard.coverage?.share ?? -1,
            ];
          default:
            return [scorecard.evaluatedAt];
        }
      };

      const orders: ScorecardOrderBy[] = [
        'entityRef',
        'name',
        'owner',
        'score',
        'level',
        'evaluatedAt',
      ];
      for (const orderBy of orders) {
        for (const order of ['asc', 'desc'] as const) {
          const sign = order === 'asc' ? 1 : -1;
          const expected = [...cards]
            .sort((x, y) => {
              const a = orderValue(x, orderBy);
              const b = orderValue(y, orderBy);
              const k = a.findIndex((value, j) => value !== b[j]);
              if (k >= 0) return (a[k] < b[k] ? -1 : 1) * sign;
              return (x.entity.entityRef < y.entity.entityRef ? -1 : 1) * sign;
            })
            .map(c => c.entity.entityRef);

          const seen: string[] = [];
          const pageSizes: number[] = [];
          let cursor: string | undefined;
          do {
            const page = await store.listScorecards({
              orderBy,
              order,
              limit: 10,
              cursor,
            });
            expect(page.totalCount).toBe(25);
            seen.push(...page.items.map(i => i.entityRef));
            pageSizes.push(page.items.length);
            cursor = page.nextCursor;
          } while (cursor);

          expect({ orderBy, order, refs: seen }).toEqual({
            orderBy,
            order,
            refs: expected,
          });
          expect(pageSizes).toEqual([10, 10, 5]);
        }
      }

      // Exactly one page: no cursor to a page that would be empty.
      const full = await store.listScorecards({
        orderBy: 'score',
        order: 'desc',
        limit: 25,
      });
      expect(full.items).toHaveLength(25);
      expect(full.nextCursor).toBeUndefined();

      // Filters apply to every page and to the total.
      const firstPage = await store.listScorecards({
        orderBy: 'score',
        order: 'asc',
        limit: 3,
        kind: ['api'],
      });
      expect(firstPage.totalCount).toBe(12);
      const secondPage = await store.listScorecards({
        orderBy: 'score',
        order: 'asc',
        limit: 3,
        kind: ['api'],
        cursor: firstPage.nextCursor,
      });
      expect(secondPage.totalCount).toBe(12);
      expect(secondPage.items.every(i => i.kind === 'api')).toBe(true);
    },
  );

  it.each(databases.eachSupportedId())(
    'ranks by level, then score, then coverage, so that a service that could not be checked never ranks best, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await saveAll(store, [
        // The repository could not be read: what was checked passed, at level 0.
        card('component:default/unread', {
          score: 100,
          level: 0,
          capabilities: { build: null, 'as-code': 100 },
          unknown: ['build', 'as-code'],
          coverage: 25,
        }),
        card('component:default/good', {
          score: 80,
          level: 2,
          capabilities: { build: 100, 'as-code': 60 },
          coverage: 100,
        }),
        card('component:default/tie-checked', {
          score: 70,
          level: 1,
          capabilities: { build: 100, 'as-code': 40 },
          coverage: 100,
        }),
        card('component:default/tie-unchecked', {
          score: 70,
          level: 1,
          capabilities: { build: 100, 'as-code': 40 },
          coverage: 60,
        }),
      ]);
      for (const orderBy of ['score', 'level'] as const) {
        // One item per page: every cursor carries level, score and coverage.
        const refs: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await store.listScorecards({
            orderBy,
            order: 'desc',
            limit: 1,
            cursor,
          });
          refs.push(...page.items.map(i => i.name));
          cursor = page.nextCursor;
        } while (cursor);
        expect({ orderBy, refs }).toEqual({
          orderBy,
          refs: ['good', 'tie-checked', 'tie-unchecked', 'unread'],
        });
      }

      const { items } = await store.listScorecards({
        orderBy: 'name',
        order: 'asc',
        limit: 1,
        q: 'unread',
      });
      // Could not check and not applicable are told apart; an unknown capability has no score.
      expect(items[0]).toMatchObject({
        coverage: {
          share: 25,
          checkedCapabilities: 0,
          applicableCapabilities: 2,
        },
        capabilities: { build: null, 'as-code': null, data: null },
        capabilityStatuses: {
          build: 'unknown',
          'as-code': 'unknown',
          data: 'not-applicable',
        },
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'reports coverage in the rollups, and counts no capability that could not be checked as complete, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const owner = { owner: 'group:default/a' };
      await saveAll(store, [
        card('component:default/unread', {
          facts: owner,
          score: 100,
          level: 0,
          capabilities: { build: null, 'as-code': 100 },
          unknown: ['build', 'as-code'],
          coverage: 20,
        }),
        card('component:default/read', {
          facts: owner,
          score: 70,
          level: 1,
          capabilities: { build: 100, 'as-code': 40 },
          coverage: 100,
        }),
      ]);
      // The unread service's as-code passed what could be read; it is not counted as complete.
      expect(await store.getSummary('owner')).toEqual([
        {
          key: 'group:default/a',
          count: 2,
          meanScore: 85,
          meanCoverage: 60,
          partlyChecked: 1,
          levels: { '0': 1, '1': 1 },
          capabilityCompletion: {
            build: 100,
            deploy: null,
            observe: null,
            data: null,
            capacity: null,
            'as-code': 0,
          },
        },
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'rejects an invalid cursor with an InputError, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await saveAll(store, [
        card('component:default/a'),
        card('component:default/b'),
      ]);
      const list = (cursor: string, orderBy: ScorecardOrderBy = 'score') =>
        store.listScorecards({ orderBy, order: 'asc', limit: 1, cursor });
      const encode = (value: unknown) =>
        Buffer.from(JSON.stringify(value)).toString('base64url');

      for (const cursor of [
        'not a cursor',
        encode('just a string'),
        encode({ orderBy: 'score', order: 'asc', value: 'high' }),
        encode({
          orderBy: 'score',
          order: 'asc',
          value: 'high',
          entityRef: 'component:default/a',
        }),
      ]) {
        await expect(list(cursor)).rejects.toThrow(InputError);
        await expect(list(cursor)).rejects.toThrow(/cursor/);
      }
      await expect(
        list(
          encode({
            orderBy: 'evaluatedAt',
            order: 'asc',
            value: 'yesterday',
            entityRef: 'component:default/a',
          }),
          'evaluatedAt',
        ),
      ).rejects.toThrow(InputError);

      // A cursor of one order does not continue another.
      const { nextCursor } = await store.listScorecards({
        orderBy: 'name',
        order: 'asc',
        limit: 1,
      });
      expect(nextCursor).toBeDefined();
      await expect(list(nextCursor!, 'entityRef')).rejects.toThrow(/cursor/);
      await expect(
        store.listScorecards({
          orderBy: 'name',
          order: 'desc',
          limit: 1,
          cursor: nextCursor,
        }),
      ).rejects.toThrow(InputError);
    },
  );

  it.each(databases.eachSupportedId())(
    'summarises in-scope scorecards per group, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      expect(await store.getSummary('owner')).toEqual([]);
      await saveAll(store, catalog);

      expect(await store.getSummary('owner')).toEqual([
        {
          key: 'group:default/a',
          count: 3,
          meanScore: 56.7,
          meanCoverage: null,
          partlyChecked: 0,
          levels: { '1': 2, '2': 1 },
          capabilityCompletion: {
            build: 66.7,
            deploy: 50,
            observe: 0,
            data: null,
            capacity: 100,
            'as-code': 50,
          },
        },
        {
          key: 'group:default/b',
          count: 1,
          meanScore: 100,
          meanCoverage: null,
          partlyChecked: 0,
          levels: { '3': 1 },
          capabilityCompletion: {
            build: 100,
            deploy: 100,
            observe: 100,
            data: null,
            capacity: 100,
            'as-code': 100,
          },
        },
        {
          key: null,
          count: 1,
          meanScore: 20,
          meanCoverage: null,
          partlyChecked: 0,
          levels: { '0': 1 },
          capabilityCompletion: {
            build: 0,
            deploy: null,
            observe: null,
            data: null,
            capacity: null,
            'as-code': null,
          },
        },
      ]);

      const counts = async (groupBy: Parameters<typeof store.getSummary>[0]) =>
        (await store.getSummary(groupBy)).map(g => [
          g.key,
          g.count,
          g.meanScore,
        ]);
      expect(await counts('kind')).toEqual([
        ['api', 1, 100],
        ['component', 4, 47.5],
      ]);
      expect(await counts('lifecycle')).toEqual([
        ['experimental', 1, 40],
        ['production', 3, 76.7],
        [null, 1, 20],
      ]);
      expect(await counts('system')).toEqual([
        ['system:default/s1', 2, 60],
        ['system:default/s2', 1, 100],
        [null, 2, 35],
      ]);
      expect(await counts('domain')).toEqual([
        ['domain:default/d1', 2, 60],
        [null, 3, 56.7],
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'records evaluation runs, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      expect(await store.getLatestRun()).toBeUndefined();

      const first = await store.startRun({
        startedAt: new Date(at(0)),
        rulesetHash: 'r-1',
      });
      expect(await store.getLatestRun()).toEqual({
        id: first,
        startedAt: at(0),
        finishedAt: null,
        status: 'running',
        evaluated: 0,
        skipped: 0,
        failed: 0,
        removed: 0,
        rulesetHash: 'r-1',
        unscored: [],
      });
      await store.finishRun(first, {
        finishedAt: new Date(at(1)),
        status: 'succeeded',
        evaluated: 10,
        skipped: 5,
        failed: 1,
        removed: 2,
      });
      expect(await store.getLatestRun()).toEqual({
        id: first,
        startedAt: at(0),
        finishedAt: at(1),
        status: 'succeeded',
        evaluated: 10,
        skipped: 5,
        failed: 1,
        removed: 2,
        rulesetHash: 'r-1',
        unscored: [],
      });

      const second = await store.startRun({
        startedAt: new Date(at(2)),
        rulesetHash: 'r-2',
      });
      expect(second).toBeGreaterThan(first);
      await store.finishRun(second, {
        finishedAt: new Date(at(3)),
        status: 'failed',
        evaluated: 0,
        skipped: 0,
        failed: 0,
        removed: 0,
        error: 'catalog unavailable',
      });
      expect(await store.getLatestRun()).toMatchObject({
        id: second,
        status: 'failed',
        error: 'catalog unavailable',
        finishedAt: at(3),
      });

      await expect(
        store.finishRun(second + 100, {
          finishedAt: new Date(at(4)),
          status: 'succeeded',
          evaluated: 0,
          skipped: 0,
          failed: 0,
          removed: 0,
        }),
      ).rejects.toThrow(NotFoundError);
    },
  );
  it.each(databases.eachSupportedId())(
    'leaves one running run when it adds heartbeats, the newest: older ones are dead, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const directory = resolvePackagePath(
        '@paved/plugin-platform-maturity-backend',
        'migrations',
      );
      await knex.migrate.up({ directory, name: '20261125000000_init.js' });
      await knex.migrate.up({
        directory,
        name: '20261126000000_scorecard_documents.js',
      });
      for (const minutes of [0, 10]) {
        await knex('evaluation_runs').insert({
          started_at: new Date(at(minutes)),
          status: 'running',
          ruleset_hash: 'r',
        });
      }
      const store = await KnexScorecardStore.create({
        database: mockServices.database({ knex }),
      });
      expect(await store.getRun(1)).toMatchObject({
        status: 'failed',
        error: 'The process running it stopped before it finished',
      });
      expect(await store.getRunningRun()).toMatchObject({ id: 2 });
    },
  );

  it.each(databases.eachSupportedId())(
    'runs one evaluation at a time, and a run whose heartbeat stopped is marked failed by the next, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const seconds = (s: number) => new Date(Date.parse(T0) + s * 1000);
      const staleAfterMs = 30_000;
      const first = await store.startRun({
        startedAt: seconds(0),
        rulesetHash: 'r',
        staleAfterMs,
      });
      await expect(
        store.startRun({
          startedAt: seconds(10),
          rulesetHash: 'r',
          staleAfterMs,
        }),
      ).rejects.toThrow(ConflictError);
      expect(await store.heartbeatRun(first, seconds(25))).toBe(true);
      // 25 seconds after the last heartbeat the holder still counts as alive.
      await expect(
        store.startRun({
          startedAt: seconds(50),
          rulesetHash: 'r',
          staleAfterMs,
        }),
      ).rejects.toThrow(/run \d+ is in progress/);

      const second = await store.startRun({
        startedAt: seconds(60),
        rulesetHash: 'r',
        staleAfterMs,
      });
      expect(second).toBeGreaterThan(first);
      expect(await store.getRun(first)).toMatchObject({
        status: 'failed',
        finishedAt: seconds(60).toISOString(),
        error: expect.stringMatching(
          /no heartbeat since 2026-11-25T12:00:25.000Z/,
        ),
      });
      // The dead run, should it come back, has lost its claim and cannot overwrite the record.
      expect(await store.heartbeatRun(first, seconds(61))).toBe(false);
      expect(
        await store.finishRun(first, {
          finishedAt: seconds(62),
          status: 'succeeded',
          evaluated: 1,
          skipped: 0,
          failed: 0,
          removed: 0,
        }),
      ).toBe(false);
      expect(await store.getRun(first)).toMatchObject({ status: 'failed' });
      expect(await store.getRunningRun()).toMatchObject({
        id: second,
        heartbeatAt: seconds(60).toISOString(),
      });

      // Replicas that find the same stale run at once: only one of them starts a run.
      const claims = await Promise.allSettled(
        [1, 2, 3].map(() =>
          store.startRun({
            startedAt: seconds(200),
            rulesetHash: 'r',
            staleAfterMs,
          }),
        ),
      );
      expect(claims.filter(c => c.status === 'fulfilled')).toHaveLength(1);
      expect(
        claims
          .filter(c => c.status === 'rejected')
          .map(c => (c as PromiseRejectedResult).reason.name),
      ).toEqual(['ConflictError', 'ConflictError']);
      expect(await store.getRun(second)).toMatchObject({ status: 'failed' });
    },
  );

  it.each(databases.eachSupportedId())(
    'records the entities a run could not score, with any text they carry, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const run = await store.startRun({
        startedAt: new Date(at(0)),
        rulesetHash: 'r',
      });
      await store.recordUnscored(run, [
        { entityRef: 'component:default/b', reason: 'Could not save: boom' },
        { entityRef: 'component:default/nul\u0000', reason: 'bad\u0000byte' },
        { entityRef: `component:default/${'x'.repeat(400)}`, reason: 'long' },
      ]);
      // The same entity twice in one run keeps its first reason.
      await store.recordUnscored(run, [
        { entityRef: 'component:default/b', reason: 'again' },
      ]);
      await store.finishRun(run, {
        finishedAt: new Date(at(1)),
        status: 'succeeded',
        evaluated: 0,
        skipped: 0,
        failed: 3,
        removed: 0,
      });
      const latest = await store.getLatestRun();
      expect(latest).toMatchObject({ id: run, failed: 3 });
      expect(latest?.unscored).toEqual([
        { entityRef: 'component:default/b', reason: 'Could not save: boom' },
        {
          entityRef: 'component:default/nul\ufffd',
          reason: 'bad\ufffdbyte',
        },
        {
          entityRef: `component:default/${'x'.repeat(237)}`,
          reason: 'long',
        },
      ]);

      // Only the records of recent runs are kept.
      for (let i = 1; i <= 12; i++) {
        const next = await store.startRun({
          startedAt: new Date(at(i * 10)),
          rulesetHash: 'r',
        });
        await store.recordUnscored(next, [
          { entityRef: 'component:default/b', reason: `run ${i}` },
        ]);
        await store.finishRun(next, {
          finishedAt: new Date(at(i * 10 + 1)),
          status: 'succeeded',
          evaluated: 0,
          skipped: 0,
          failed: 1,
          removed: 0,
        });
      }
      expect(await store.getRun(run)).toMatchObject({ unscored: [] });
      expect((await store.getLatestRun())?.unscored).toEqual([
        { entityRef: 'component:default/b', reason: 'run 12' },
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'stores facts of any length and with NUL bytes, and treats refs with NUL bytes as absent, %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const long = `${'ü'.repeat(250)}🚀🚀🚀${'l'.repeat(200)}`;
      const stored = card('component:default/odd', {
        facts: {
          title: 'Title with a \u0000 byte',
          lifecycle: long,
          owner: `group:default/${'o'.repeat(300)}`,
          type: 'service\u0000',
          system: 'system:default/s\u0000',
        },
      });
      await store.saveScorecards([stored], { runId: 1 });
      const saved = await store.getScorecard('component:default/odd');
      expect(saved?.entity).toEqual({
        ...stored.entity,
        title: 'Title with a \ufffd byte',
        lifecycle: [...long].slice(0, 255).join(''),
        owner: `group:default/${'o'.repeat(241)}`,
        type: 'service\ufffd',
        system: 'system:default/s\ufffd',
      });
      expect(
        JSON.parse(
          (await store.getScorecardResponseJson('component:default/odd'))!,
        ).entity,
      ).toEqual(saved?.entity);
      const { items } = await store.listScorecards({
        lifecycle: [saved!.entity.lifecycle!],
        orderBy: 'entityRef',
        order: 'asc',
        limit: 10,
      });
      expect(items.map(i => i.entityRef)).toEqual(['component:default/odd']);

      const refs = ['component:default/odd', 'component:default/odd\u0000'];
      expect([...(await store.getSkipKeys(refs)).keys()]).toEqual([
        'component:default/odd',
      ]);
      await store.markSeen(refs, 2);
      expect(
        (await knex('scorecards').select('last_seen_run')).map(r =>
          Number(r.last_seen_run),
        ),
      ).toEqual([2]);
      expect(
        await store.getScorecard('component:default/odd\u0000'),
      ).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'saves a page of scorecards in one call, with history only for what changed, on %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await store.saveScorecard(card('component:default/a', { score: 40 }));
      const page = Array.from({ length: 450 }, (_, i) =>
        card(`component:default/p${i}`, { score: i % 100 }),
      );
      const added = await store.saveScorecards(
        [card('component:default/a', { score: 40 }), ...page],
        { runId: 1 },
      );
      expect(added[0]).toBe(false);
      expect(added.slice(1).every(Boolean)).toBe(true);
      expect(
        (await store.getScorecard('component:default/p449'))?.scorecard.score,
      ).toBe(49);
      expect(await store.getHistory('component:default/a')).toHaveLength(1);
      expect(await store.getHistory('component:default/p7')).toHaveLength(1);
      expect(await store.saveScorecards([])).toEqual([]);
    },
  );

  it('lets other work run between the statements of a page on SQLite, whose driver blocks', async () => {
    const { store } = await createStore('SQLITE_3');
    const page = Array.from({ length: 450 }, (_, i) =>
      card(`component:default/p${i}`, { score: i % 100 }),
    );
    // Counts the turns of the event loop the save leaves to others (a request, a timer).
    let turns = 0;
    let saving = true;
    const tick = () => {
      if (saving) {
        turns++;
        setImmediate(tick);
      }
    };
    setImmediate(tick);
    await store.saveScorecards(page, { runId: 1 });
    saving = false;
    // 450 scorecards are 18 statements of 25 rows into each of three tables.
    expect(turns).toBeGreaterThanOrEqual(3 * 18);
    expect(
      (await store.getScorecard('component:default/p449'))?.scorecard.score,
    ).toBe(49);
  });
});
