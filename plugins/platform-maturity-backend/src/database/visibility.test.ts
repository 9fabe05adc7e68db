import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { CAPABILITY_IDS } from '@paved/plugin-platform-maturity-common';
import { KnexScorecardStore } from './KnexScorecardStore';
import { StoredScorecard } from './ScorecardStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const STARTED = new Date('2026-12-01T12:00:00.000Z');

/** A scored component owned by `owner`, evaluated at `evaluatedAt`. */
function card(name: string, owner: string, evaluatedAt: Date): StoredScorecard {
  const entityRef = `component:default/${name}`;
  return {
    entity: {
      entityRef,
      kind: 'component',
      namespace: 'default',
      name,
      owner,
      lifecycle: `${name}-lifecycle`,
    },
    scorecard: {
      entityRef,
      evaluatedAt: evaluatedAt.toISOString(),
      inScope: true,
      score: 50,
      level: { level: 1, name: 'Level 1' },
      capabilities: CAPABILITY_IDS.map(capability => ({
        capability,
        status: 'partial',
        score: 50,
        passedWeight: 50,
        applicableWeight: 100,
        unknownWeight: 0,
      })),
      results: [],
      notices: [],
      rulesetHash: 'ruleset-1',
      evidenceDigest: 'evidence-1',
    },
    entityHash: `hash-${name}`,
  };
}

describe('KnexScorecardStore visibility', () => {
  it.each(databases.eachSupportedId())(
    'answers lists, summaries and the latest run over the visible entities only, with 100,000 refs in one parameter, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const store = await KnexScorecardStore.create({
        database: mockServices.database({ knex }),
      });
      const before = new Date(STARTED.getTime() - 3_600_000);
      const during = new Date(STARTED.getTime() + 60_000);

      // `skipped` was scored before the run and only seen by it; the others are evaluated by it.
      await store.saveScorecard(card('skipped', 'group:default/open', before));
      const runId = await store.startRun({
        startedAt: STARTED,
        rulesetHash: 'ruleset-1',
      });
      await store.saveScorecards(
        [
          card('evaluated', 'group:default/open', during),
          card('hidden', 'group:default/hidden-owner', during),
        ],
        { runId },
      );
      await store.markSeen(['component:default/skipped'], runId);
      await store.recordUnscored(runId, [
        { entityRef: 'component:default/broken', reason: 'no namespace' },
        { entityRef: 'component:default/hidden-broken', reason: 'secret' },
      ]);
      await store.finishRun(runId, {
        finishedAt: new Date(STARTED.getTime() + 120_000),
        status: 'failed',
        evaluated: 2,
        skipped: 1,
        failed: 2,
        removed: 4,
        error: 'Could not save component:default/hidden',
      });

      // Far more refs than either database accepts as separate bind parameters.
      const visibleEntityRefs = [
        ...Array.from(
          { length: 100_000 },
          (_, i) => `component:default/elsewhere-${i}`,
        ),
        'component:default/evaluated',
        'component:default/skipped',
        'component:default/broken',
      ];

      const list = await store.listScorecards({
        orderBy: 'entityRef',
        order: 'asc',
        limit: 1,
        visibleEntityRefs,
      });
      expect(list.totalCount).toBe(2);
      expect(list.items.map(i => i.entityRef)).toEqual([
        'component:default/evaluated',
      ]);
      const next = await store.listScorecards({
        orderBy: 'entityRef',
        order: 'asc',
        limit: 1,
        cursor: list.nextCursor,
        visibleEntityRefs,
      });
      expect(next.items.map(i => i.entityRef)).toEqual([
        'component:default/skipped',
      ]);
      expect(next.nextCursor).toBeUndefined();
      for (const filter of [
        { owner: ['group:default/hidden-owner'] },
        { lifecycle: ['hidden-lifecycle'] },
        { q: 'hidden' },
      ]) {
        const enumerated = await store.listScorecards({
          orderBy: 'entityRef',
          order: 'asc',
          limit: 10,
          visibleEntityRefs,
          ...filter,
        });
        expect(enumerated).toEqual({ items: [], totalCount: 0 });
      }

      expect(
        await store.getSummary('owner', { visibleEntityRefs }),
      ).toMatchObject([{ key: 'group:default/open', count: 2 }]);
      expect(await store.getSummary('owner')).toHaveLength(2);
      expect(
        await store.getSummary('lifecycle', { visibleEntityRefs: [] }),
      ).toEqual([]);

      expect(await store.getLatestRun({ visibleEntityRefs })).toMatchObject({
        id: runId,
        status: 'failed',
        evaluated: 1,
        skipped: 1,
        failed: 1,
        removed: 0,
        error: "The run failed; the reason is in the backend's logs",
        unscored: [
          { entityRef: 'component:default/broken', reason: 'no namespace' },
        ],
      });
      expect(await store.getLatestRun({ visibleEntityRefs: [] })).toMatchObject(
        {
          evaluated: 0,
          skipped: 0,
          failed: 0,
          removed: 0,
          unscored: [],
        },
      );
      // A caller who sees the whole catalog gets the run as it was recorded.
      expect(await store.getLatestRun()).toMatchObject({
        evaluated: 2,
        skipped: 1,
        failed: 2,
        removed: 4,
        error: 'Could not save component:default/hidden',
      });
    },
  );

  it.each(databases.eachSupportedId())(
    "gives a running run's progress, over the visible entities only for a caller who sees part, on %p",
    async databaseId => {
      const knex = await databases.init(databaseId);
      const store = await KnexScorecardStore.create({
        database: mockServices.database({ knex }),
      });
      const at = (seconds: number) =>
        new Date(STARTED.getTime() + seconds * 1000);
      await store.saveScorecard(
        card('skipped', 'group:default/open', at(-3600)),
      );
      await store.saveScorecard(card('later', 'group:default/open', at(-3600)));
      const runId = await store.startRun({
        startedAt: STARTED,
        rulesetHash: 'ruleset-1',
      });
      // Before the run has listed the catalog, it has no progress.
      await store.heartbeatRun(runId, at(5), {
        evaluated: 0,
        skipped: 0,
        failed: 0,
        waiting: null,
      });
      expect((await store.getLatestRun(undefined, at(6)))!.progress).toBe(
        undefined,
      );

      await store.saveScorecards(
        [
          card('evaluated', 'group:default/open', at(30)),
          card('hidden', 'group:default/hidden-owner', at(30)),
        ],
        { runId },
      );
      await store.markSeen(['component:default/skipped'], runId, at(40));
      await store.recordUnscored(runId, [
        { entityRef: 'component:default/hidden-broken', reason: 'secret' },
      ]);
      // 4 of 20 entities in 60 seconds; waiting for the budget until 30 minutes in.
      await store.heartbeatRun(runId, at(60), {
        total: 20,
        evaluated: 2,
        skipped: 1,
        failed: 1,
        waiting: { host: 'github.example.com', until: at(1800) },
      });

      const whole = (await store.getLatestRun(undefined, at(61)))!;
      expect(whole).toMatchObject({
        status: 'running',
        evaluated: 2,
        skipped: 1,
        failed: 1,
        progress: {
          total: 20,
          done: 4,
          perMinute: 4,
          // A fifth done in a minute: five minutes for the whole run.
          estimatedFinishAt: at(300).toISOString(),
          waitingForBudget: {
            host: 'github.example.com',
            until: at(1800).toISOString(),
          },
        },
      });
      expect(whole.unscored.map(u => u.entityRef)).toEqual([
        'component:default/hidden-broken',
      ]);

      // The partial caller sees three stored scorecards, of which the run has looked at two.
      const visibleEntityRefs = [
        'component:default/evaluated',
        'component:default/skipped',
        'component:default/later',
      ];
      const partial = (await store.getLatestRun(
        { visibleEntityRefs },
        at(61),
      ))!;
      expect(partial).toMatchObject({
        evaluated: 1,
        skipped: 1,
        failed: 0,
        unscored: [],
        progress: {
          total: 3,
          done: 2,
          perMinute: 2,
          estimatedFinishAt: at(300).toISOString(),
          waitingForBudget: { host: 'github.example.com' },
        },
      });
      expect(JSON.stringify(partial)).not.toMatch(/hidden/);

      // Once the wait is over, it is no longer shown.
      expect(
        (await store.getLatestRun(undefined, at(1801)))!.progress
          ?.waitingForBudget,
      ).toBeUndefined();
      await store.finishRun(runId, {
        finishedAt: at(400),
        status: 'succeeded',
        evaluated: 2,
        skipped: 1,
        failed: 1,
        removed: 0,
      });
      expect((await store.getLatestRun())!.progress).toBeUndefined();
    },
  );
});
