import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  CAPABILITY_IDS,
  CapabilityId,
  CapabilityStatus,
  CheckStatus,
  EvaluationRun,
  HistoryEntry,
  RunProgress,
  Scorecard,
  ScorecardEntityFacts,
  ScorecardListItem,
  SummaryGroup,
  SummaryGroupBy,
  UnscoredEntity,
  isCapabilityId,
  roundScore,
} from '@paved/plugin-platform-maturity-common';
import { Knex } from 'knex';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { decodeCursor, encodeCursor } from './cursor';
import {
  ScorecardListQuery,
  ScorecardOrderBy,
  ScorecardStore,
  ScorecardVisibility,
  SkipKey,
  STORED_TEXT_LENGTH,
  storableFacts,
  storableText,
  RepositoryIndexEntry,
  RunOrderKey,
  RunProgressUpdate,
  StoredScorecard,
} from './ScorecardStore';

/** Typed as a record so that a new capability fails to compile until it has a column. */
const CAPABILITY_COLUMNS: Record<CapabilityId, string> = {
  build: 'cap_build',
  deploy: 'cap_deploy',
  observe: 'cap_observe',
  data: 'cap_data',
  capacity: 'cap_capacity',
  'as-code': 'cap_as_code',
};

const GROUP_COLUMNS: Record<SummaryGroupBy, string> = {
  owner: 'owner',
  system: 'system',
  domain: 'domain',
  lifecycle: 'lifecycle',
  kind: 'kind',
};

/**
 * Level, then score, then coverage: the order of both `level` and `score`, so that a service
 * whose evidence could not be read (a high score of little that was checked, at a low level)
 * never ranks above one that reached a higher level, and of equal scores the better checked
 * ranks higher. SQLite sorts NULL first and PostgreSQL last; coalescing to -1 puts unscored
 * entities below every score on both, and gives the cursor a value to compare with.
 */
const LEVEL_SCORE_COVERAGE = {
  expressions: [
    'coalesce(level, -1)',
    'coalesce(score, -1)',
    'coalesce(coverage, -1)',
  ],
  valueOf: (item: ScorecardListItem) => [
    item.level ?? -1,
    item.score ?? -1,
    item.coverage?.share ?? -1,
  ],
};

/**
 * What each list order sorts by: the SQL expressions, and their values for a list item, which
 * the cursor carries.
 */
const ORDERS: Record<
  ScorecardOrderBy,
  {
    expressions: string[];
    valueOf(item: ScorecardListItem): string | number | number[];
  }
> = {
  entityRef: { expressions: ['entity_ref'], valueOf: item => item.entityRef },
  name: { expressions: ['name'], valueOf: item => item.name },
  // No owner sorts as the empty string: first in ascending order on both databases.
  owner: {
    expressions: ["coalesce(owner, '')"],
    valueOf: item => item.owner ?? '',
  },
  score: LEVEL_SCORE_COVERAGE,
  level: LEVEL_SCORE_COVERAGE,
  evaluatedAt: {
    expressions: ['evaluated_at'],
    valueOf: item => item.evaluatedAt,
  },
};

/** Keeps `IN (...)` lists well below the bind-parameter limits of SQLite and PostgreSQL. */
const CHUNK_SIZE = 500;
/** Rows per multi-row insert: about 30 columns each, still far below the bind-parameter limits. */
const WRITE_CHUNK = 200;
/**
 * Rows or refs per statement on SQLite. Its driver runs each statement synchronously in the event
 * loop, so a statement of 200 scorecards would hold the loop for tens of milliseconds; 25 hold it
 * for a few, and the store yields to the event loop between statements (see docs/architecture.md).
 */
const SQLITE_CHUNK = 25;
/** How long a `running` run may go without a heartbeat before it counts as dead, by default. */
const DEFAULT_STALE_AFTER_MS = 30_000;
/** Runs whose unscored entities are kept; older records are deleted when a run finishes. */
const UNSCORED_RUNS_KEPT = 10;
/** Unscored entities a run's record lists. */
const UNSCORED_LISTED = 1000;
/** Characters of a reason an unscored entity's record keeps. */
const REASON_LENGTH = 1000;

type Timestamp = Date | number | string;

interface ScorecardRow {
  entity_ref: string;
  kind: string;
  namespace: string;
  name: string;
  title: string | null;
  owner: string | null;
  system: string | null;
  domain: string | null;
  lifecycle: string | null;
  type: string | null;
  in_scope: boolean;
  score: number | null;
  level: number | null;
  level_name: string | null;
  cap_build: number | null;
  cap_deploy: number | null;
  cap_observe: number | null;
  cap_data: number | null;
  cap_capacity: number | null;
  cap_as_code: number | null;
  coverage: number | null;
  checked_capabilities: number | null;
  applicable_capabilities: number | null;
  capability_statuses: string | null;
  ruleset_hash: string;
  evidence_digest: string;
  entity_hash: string;
  repository_etag: string | null;
  repository: string | null;
  repository_ref: string | null;
  repository_path: string | null;
  evaluated_at: Timestamp;
  last_seen_run: number | null;
  checked_at: Timestamp | null;
  pushed_at: Timestamp | null;
}

/**
 * The scorecard JSON, in a table of its own so that `scorecards` rows stay small, with the facts
 * as JSON too, so that the API's most frequent request reads one row.
 */
interface DocumentRow {
  entity_ref: string;
  entity: string;
  scorecard: string;
}

interface HistoryRow {
  id: number;
  entity_ref: string;
  recorded_at: Timestamp;
  score: number | null;
  level: number | null;
  level_name: string | null;
  ruleset_hash: string;
  evidence_digest: string;
  statuses: string;
}

interface RunRow {
  id: number;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  status: EvaluationRun['status'];
  evaluated: number;
  skipped: number;
  failed: number;
  removed: number;
  ruleset_hash: string;
  error: string | null;
  heartbeat_at: Timestamp | null;
  total: number | null;
  waiting_until: Timestamp | null;
  waiting_host: string | null;
}

/** The columns of an entity's facts. */
const FACT_COLUMNS = [
  'entity_ref',
  'kind',
  'namespace',
  'name',
  'title',
  'owner',
  'system',
  'domain',
  'lifecycle',
  'type',
] as const;

/** The columns a list item needs. */
const LIST_COLUMNS = [
  ...FACT_COLUMNS,
  'score',
  'level',
  'level_name',
  'evaluated_at',
  ...Object.values(CAPABILITY_COLUMNS),
  'coverage',
  'checked_capabilities',
  'applicable_capabilities',
  'capability_statuses',
];

/**
 * The knex implementation of {@link ScorecardStore}, for SQLite and PostgreSQL.
 *
 * Dates are bound as `Date`s: PostgreSQL stores them as `timestamptz` and returns `Date`s, the
 * better-sqlite3 driver stores and returns epoch milliseconds; both are read back as ISO strings.
 */
export class KnexScorecardStore implements ScorecardStore {
  /** Connects to the plugin's database and, unless told not to, brings its schema up to date. */
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<KnexScorecardStore> {
    const { database, skipMigrations } = options;
    const client = await database.getClient();
    if (isSqlite(client)) {
      // Backstage leaves SQLite in its defaults: a rollback journal and a sync of the disk (two,
      // with the journal) on every commit. The plugin's database is its own file, which a run
      // writes in a few hundred transactions: with write-ahead logging, commits only append to
      // the log, and readers never wait for the writer. `synchronous = NORMAL` is the setting
      // SQLite recommends with WAL: the database stays consistent, and a power cut can lose the
      // last commits, which the next run writes again. It holds for this connection (knex keeps
      // one for SQLite); an in-memory database answers `memory` and is unchanged.
      await client.raw('PRAGMA journal_mode = WAL');
      await client.raw('PRAGMA synchronous = NORMAL');
    }
    if (!skipMigrations && !database.migrations?.skip) {
      await client.migrate.latest({
        directory: resolvePackagePath(
          '@paved/plugin-platform-maturity-backend',
          'migrations',
        ),
      });
    }
    return new KnexScorecardStore(client);
  }

  private constructor(private readonly db: Knex) {}

  /**
   * Splits the rows or refs of a write (or of the reads inside one) into statements. On SQLite the
   * statements are smaller and the store yields to the event loop after each, so that requests and
   * timers wait for one short statement at most, not for a whole page.
   */
  private async *statements<T>(items: T[], size: number): AsyncGenerator<T[]> {
    if (!isSqlite(this.db)) {
      yield* chunks(items, size);
      return;
    }
    for (const part of chunks(items, SQLITE_CHUNK)) {
      yield part;
      await nextTurn();
    }
  }

  async getScorecard(entityRef: string): Promise<StoredScorecard | undefined> {
    const row = await this.latestRow(entityRef);
    if (!row) {
      return undefined;
    }
    return {
      entity: factsOf(row),
      scorecard: JSON.parse(row.scorecard) as Scorecard,
      entityHash: row.entity_hash,
      repositoryEtag: row.repository_etag ?? undefined,
    };
  }

  async getScorecardResponseJson(
    entityRef: string,
  ): Promise<string | undefined> {
    const row: Pick<DocumentRow, 'entity' | 'scorecard'> | undefined =
      await this.db('scorecard_documents')
        .where('entity_ref', entityRef)
        .first('entity', 'scorecard');
    if (!row) {
      return undefined;
    }
    return `{"entity":${row.entity},"scorecard":${row.scorecard}}`;
  }

  async getSkipKeys(entityRefs: string[]): Promise<Map<string, SkipKey>> {
    const keys = new Map<string, SkipKey>();
    for await (const refs of this.statements(
      entityRefs.filter(isStorableRef),
      CHUNK_SIZE,
    )) {
      const rows = await this.db<ScorecardRow>('scorecards')
        .whereIn('entity_ref', refs)
        .select('entity_ref', 'entity_hash', 'repository_etag', 'ruleset_hash');
      for (const row of rows) {
        keys.set(row.entity_ref, {
          entityHash: row.entity_hash,
          repositoryEtag: row.repository_etag ?? undefined,
          rulesetHash: row.ruleset_hash,
        });
      }
    }
    return keys;
  }

  async getRunOrderKeys(
    entityRefs: string[],
  ): Promise<Map<string, RunOrderKey>> {
    const keys = new Map<string, RunOrderKey>();
    for await (const refs of this.statements(
      entityRefs.filter(isStorableRef),
      CHUNK_SIZE,
    )) {
      const rows: Pick<
        ScorecardRow,
        | 'entity_ref'
        | 'checked_at'
        | 'evaluated_at'
        | 'pushed_at'
        | 'repository'
      >[] = await this.db('scorecards')
        .whereIn('entity_ref', refs)
        .select(
          'entity_ref',
          'checked_at',
          'evaluated_at',
          'pushed_at',
          'repository',
        );
      for (const row of rows) {
        keys.set(row.entity_ref, {
          checkedAt: toIsoString(row.checked_at ?? row.evaluated_at),
          ...(row.pushed_at !== null
            ? { pushedAt: toIsoString(row.pushed_at) }
            : {}),
          onGitHost: row.repository !== null,
        });
      }
    }
    return keys;
  }

  async recordPush(entityRefs: string[], at: Date): Promise<void> {
    const storable = entityRefs.filter(isStorableRef);
    if (storable.length === 0) {
      return;
    }
    await this.db.transaction(async tx => {
      for await (const refs of this.statements(storable, CHUNK_SIZE)) {
        await tx('scorecards')
          .whereIn('entity_ref', refs)
          .update({ pushed_at: at });
      }
    });
  }

  async findByRepository(
    repository: string,
  ): Promise<({ entityRef: string } & RepositoryIndexEntry)[]> {
    const key = repository.toLocaleLowerCase('en-US');
    if (!isStorableRef(key)) {
      return [];
    }
    const rows: Pick<
      ScorecardRow,
      'entity_ref' | 'repository' | 'repository_ref' | 'repository_path'
    >[] = await this.db('scorecards')
      .where('repository', key)
      .select('entity_ref', 'repository', 'repository_ref', 'repository_path');
    return rows.map(row => ({
      entityRef: row.entity_ref,
      repository: row.repository!,
      ...(row.repository_ref !== null ? { ref: row.repository_ref } : {}),
      path: row.repository_path ?? '',
    }));
  }

  async saveScorecard(
    stored: StoredScorecard,
    options: { runId?: number } = {},
  ): Promise<{ historyAdded: boolean }> {
    const [historyAdded] = await this.saveScorecards([stored], options);
    return { historyAdded };
  }

  async saveScorecards(
    list: StoredScorecard[],
    options: { runId?: number } = {},
  ): Promise<boolean[]> {
    if (list.length === 0) {
      return [];
    }
    for (const { entity } of list) {
      if (!isStorableRef(entity.entityRef)) {
        throw new InputError(
          `Cannot store the scorecard of '${storableText(
            entity.entityRef,
          )}': an entity ref must have at most ${STORED_TEXT_LENGTH} characters and no NUL bytes`,
        );
      }
    }
    const factsOfList = list.map(stored => storableFacts(stored.entity).facts);
    return this.db.transaction(async tx => {
      // FOR UPDATE (ignored by SQLite, whose writers are serialized anyway) keeps two concurrent
      // saves of one entity from both seeing the old row and both adding a history row.
      const previous = new Map<
        string,
        Pick<ScorecardRow, 'score' | 'level'> & Pick<DocumentRow, 'scorecard'>
      >();
      for await (const refs of this.statements(
        list.map(s => s.entity.entityRef),
        CHUNK_SIZE,
      )) {
        const rows = await tx('scorecards')
          .join(
            'scorecard_documents',
            'scorecard_documents.entity_ref',
            'scorecards.entity_ref',
          )
          .whereIn('scorecards.entity_ref', refs)
          .select(
            'scorecards.entity_ref',
            'scorecards.score',
            'scorecards.level',
            'scorecard_documents.scorecard',
          )
          .forUpdate();
        for (const row of rows) {
          previous.set(row.entity_ref, row);
        }
      }

      const latestRows = list.map((stored, i) => {
        const { scorecard } = stored;
        const entity = factsOfList[i];
        // A capability that could not be checked has no score to list, sort or sum up.
        const capabilityScores = Object.fromEntries(
          CAPABILITY_IDS.map(id => {
            const capability = scorecard.capabilities.find(
              c => c.capability === id,
            );
            return [
              CAPABILITY_COLUMNS[id],
              capability?.status === 'unknown'
                ? null
                : capability?.score ?? null,
            ];
          }),
        );
        const coverage = scorecard.coverage;
        return {
          entity_ref: entity.entityRef,
          kind: entity.kind,
          namespace: entity.namespace,
          name: entity.name,
          title: entity.title ?? null,
          owner: entity.owner ?? null,
          system: entity.system ?? null,
          domain: entity.domain ?? null,
          lifecycle: entity.lifecycle ?? null,
          type: entity.type ?? null,
          in_scope: scorecard.inScope,
          score: scorecard.score,
          level: scorecard.level?.level ?? null,
          level_name: scorecard.level?.name ?? null,
          ...capabilityScores,
          coverage: coverage?.share ?? null,
          checked_capabilities: coverage?.checkedCapabilities ?? null,
          applicable_capabilities: coverage?.applicableCapabilities ?? null,
          capability_statuses: JSON.stringify(
            Object.fromEntries(
              scorecard.capabilities.map(c => [c.capability, c.status]),
            ),
          ),
          ruleset_hash: scorecard.rulesetHash,
          evidence_digest: scorecard.evidenceDigest,
          entity_hash: stored.entityHash,
          repository_etag: stored.repositoryEtag ?? null,
          ...repositoryColumns(stored.repository),
          evaluated_at: new Date(scorecard.evaluatedAt),
          checked_at: new Date(scorecard.evaluatedAt),
          // Left out without a run, so that a refresh between runs keeps the last run's mark.
          ...(options.runId !== undefined
            ? { last_seen_run: options.runId }
            : {}),
        };
      });
      for await (const rows of this.statements(latestRows, WRITE_CHUNK)) {
        await tx('scorecards').insert(rows).onConflict('entity_ref').merge();
      }
      const documentRows: DocumentRow[] = list.map((stored, i) => ({
        entity_ref: stored.entity.entityRef,
        entity: JSON.stringify(factsOfList[i]),
        scorecard: JSON.stringify(stored.scorecard),
      }));
      for await (const rows of this.statements(documentRows, WRITE_CHUNK)) {
        await tx('scorecard_documents')
          .insert(rows)
          .onConflict('entity_ref')
          .merge();
      }

      const added = list.map(({ entity, scorecard }) => {
        const before = previous.get(entity.entityRef);
        return (
          !before ||
          before.score !== scorecard.score ||
          before.level !== (scorecard.level?.level ?? null) ||
          !sameStatuses(
            statusesOf(JSON.parse(before.scorecard) as Scorecard),
            statusesOf(scorecard),
          )
        );
      });
      const historyRows = list
        .filter((_, i) => added[i])
        .map(({ entity, scorecard }) => ({
          entity_ref: entity.entityRef,
          recorded_at: new Date(scorecard.evaluatedAt),
          score: scorecard.score,
          level: scorecard.level?.level ?? null,
          level_name: scorecard.level?.name ?? null,
          ruleset_hash: scorecard.rulesetHash,
          evidence_digest: scorecard.evidenceDigest,
          statuses: JSON.stringify(statusesOf(scorecard)),
        }));
      for await (const rows of this.statements(historyRows, WRITE_CHUNK)) {
        await tx('scorecard_history').insert(rows);
      }
      return added;
    });
  }

  async markSeen(
    entityRefs: string[],
    runId: number,
    checkedAt?: Date,
  ): Promise<void> {
    const storable = entityRefs.filter(isStorableRef);
    if (storable.length === 0) {
      return;
    }
    // One transaction: on SQLite each commit waits for the disk.
    await this.db.transaction(async tx => {
      for await (const refs of this.statements(storable, CHUNK_SIZE)) {
        await tx('scorecards')
          .whereIn('entity_ref', refs)
          .update({
            last_seen_run: runId,
            ...(checkedAt ? { checked_at: checkedAt } : {}),
          });
      }
    });
  }

  async removeUnseen(runId: number): Promise<number> {
    let removed = 0;
    await this.db.transaction(async tx => {
      const runStart = tx('evaluation_runs')
        .select('started_at')
        .where('id', runId);
      const unseen = (qb: Knex.QueryBuilder) => {
        qb
          // `<` rather than `<>`: a row already marked by a later run is not this run's to remove.
          .where('last_seen_run', '<', runId)
          // A row saved outside any run (a manual refresh) is removed only when it is older than
          // this run, so an entity refreshed while the run was listing the catalog survives.
          .orWhere(outside =>
            outside
              .whereNull('last_seen_run')
              .andWhere('evaluated_at', '<', runStart),
          );
      };
      await tx('scorecard_documents')
        .whereIn(
          'entity_ref',
          tx('scorecards').select('entity_ref').where(unseen),
        )
        .delete();
      removed = await tx('scorecards').where(unseen).delete();
    });
    return removed;
  }

  async pruneHistory(olderThan: Date): Promise<number> {
    return this.db('scorecard_history')
      .where('recorded_at', '<', olderThan)
      .whereNotExists(
        this.db('scorecards')
          .select('entity_ref')
          .whereRaw('scorecards.entity_ref = scorecard_history.entity_ref'),
      )
      .delete();
  }

  async listScorecards(query: ScorecardListQuery): Promise<{
    items: ScorecardListItem[];
    totalCount: number;
    nextCursor?: string;
  }> {
    if (!Number.isInteger(query.limit) || query.limit < 1) {
      throw new InputError(
        `Invalid limit ${query.limit}, must be a positive integer`,
      );
    }
    const sortOrder = ORDERS[query.orderBy];
    if (!sortOrder) {
      throw new InputError(`Invalid orderBy '${query.orderBy}'`);
    }
    const { expressions } = sortOrder;
    const direction = query.order === 'desc' ? 'desc' : 'asc';

    const page = this.filtered(query).select(LIST_COLUMNS);
    if (query.cursor) {
      // An `evaluatedAt` cursor decodes to a Date: timestamps compare as timestamps.
      const cursor = decodeCursor(query.cursor, query.orderBy, direction);
      const after = direction === 'asc' ? '>' : '<';
      const values = Array.isArray(cursor.value)
        ? cursor.value
        : [cursor.value];
      // A row-value comparison: the sort keys and the entity ref, compared in order.
      page.whereRaw(
        `(${expressions.join(', ')}, entity_ref) ${after} (${values
          .map(() => '?')
          .join(', ')}, ?)`,
        [...values, cursor.entityRef],
      );
    }
    // One extra row tells whether there is a next page.
    const [rows, countRows] = await Promise.all([
      page
        .orderByRaw(
          `${expressions
            .map(e => `${e} ${direction}`)
            .join(', ')}, entity_ref ${direction}`,
        )
        .limit(query.limit + 1) as Promise<ScorecardRow[]>,
      this.filtered(query).count({ count: '*' }),
    ]);

    const items = rows.slice(0, query.limit).map(listItemOf);
    const last = items[items.length - 1];
    return {
      items,
      totalCount: Number(countRows[0].count),
      ...(rows.length > query.limit
        ? {
            nextCursor: encodeCursor({
              orderBy: query.orderBy,
              order: direction,
              value: sortOrder.valueOf(last),
              entityRef: last.entityRef,
            }),
          }
        : {}),
    };
  }

  async getSummary(
    groupBy: SummaryGroupBy,
    visibility: ScorecardVisibility = {},
  ): Promise<SummaryGroup[]> {
    const column = GROUP_COLUMNS[groupBy];
    if (!column) {
      throw new InputError(`Invalid groupBy '${groupBy}'`);
    }
    // One pass over the table, grouped by the column and the level; the groups are summed up here.
    const capabilityCounts = CAPABILITY_IDS.flatMap(id => [
      this.db.raw('sum(case when ?? = 100 then 1 else 0 end) as ??', [
        CAPABILITY_COLUMNS[id],
        `done_${id}`,
      ]),
      this.db.raw('count(??) as ??', [CAPABILITY_COLUMNS[id], `scored_${id}`]),
    ]);
    // SQLite would walk the group column's index to save a sort it then does anyway, reading the
    // table in index order, one row lookup at a time; a plain scan reads it in order.
    const table = isSqlite(this.db)
      ? this.db.raw('?? not indexed', ['scorecards'])
      : 'scorecards';
    const rows = (await this.db
      .from(table)
      .where('in_scope', true)
      .modify(qb => this.whereVisible(qb, visibility))
      .select({ group_key: column, level: 'level' })
      .count({ count: '*' })
      .count({ scores: 'score' })
      .sum({ score_sum: 'score' })
      .count({ coverages: 'coverage' })
      .sum({ coverage_sum: 'coverage' })
      .select(
        this.db.raw(
          'sum(case when coverage < 100 then 1 else 0 end) as partly_checked',
        ),
      )
      .select(capabilityCounts)
      .groupBy(column, 'level')
      .orderByRaw('case when ?? is null then 1 else 0 end, ??', [
        column,
        column,
      ])) as Record<string, unknown>[];

    // Aggregates come back as numbers or, for PostgreSQL's bigint and numeric, as strings.
    const groups = new Map<
      string | null,
      {
        count: number;
        scores: number;
        scoreSum: number;
        coverages: number;
        coverageSum: number;
        partlyChecked: number;
        levels: Record<string, number>;
        done: number[];
        scored: number[];
      }
    >();
    for (const row of rows) {
      const key = (row.group_key as string | null) ?? null;
      let group = groups.get(key);
      if (!group) {
        group = {
          count: 0,
          scores: 0,
          scoreSum: 0,
          coverages: 0,
          coverageSum: 0,
          partlyChecked: 0,
          levels: {},
          done: CAPABILITY_IDS.map(() => 0),
          scored: CAPABILITY_IDS.map(() => 0),
        };
        groups.set(key, group);
      }
      group.count += Number(row.count);
      group.scores += Number(row.scores);
      group.scoreSum += Number(row.score_sum ?? 0);
      group.coverages += Number(row.coverages);
      group.coverageSum += Number(row.coverage_sum ?? 0);
      group.partlyChecked += Number(row.partly_checked ?? 0);
      if (row.level !== null) {
        group.levels[String(row.level)] = Number(row.count);
      }
      CAPABILITY_IDS.forEach((id, i) => {
        group!.done[i] += Number(row[`done_${id}`] ?? 0);
        group!.scored[i] += Number(row[`scored_${id}`]);
      });
    }
    return [...groups].map(([key, group]) => ({
      key,
      count: group.count,
      meanScore:
        group.scores > 0 ? roundScore(group.scoreSum / group.scores) : null,
      meanCoverage:
        group.coverages > 0
          ? roundScore(group.coverageSum / group.coverages)
          : null,
      partlyChecked: group.partlyChecked,
      levels: group.levels,
      capabilityCompletion: Object.fromEntries(
        CAPABILITY_IDS.map((id, i) => [
          id,
          group.scored[i] > 0
            ? roundScore((100 * group.done[i]) / group.scored[i])
            : null,
        ]),
      ) as Record<CapabilityId, number | null>,
    }));
  }

  async getHistory(entityRef: string, since?: Date): Promise<HistoryEntry[]> {
    const rows: HistoryRow[] = await this.db<HistoryRow>('scorecard_history')
      .where('entity_ref', entityRef)
      .modify(qb => {
        if (since) {
          qb.where('recorded_at', '>=', since);
        }
      })
      .orderBy([
        { column: 'recorded_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ]);
    // The first row after `since` is classified against the row before it, not as 'first'.
    let previous: HistoryRow | undefined =
      since && rows.length > 0
        ? await this.db<HistoryRow>('scorecard_history')
            .where('entity_ref', entityRef)
            .where('recorded_at', '<', since)
            .orderBy([
              { column: 'recorded_at', order: 'desc' },
              { column: 'id', order: 'desc' },
            ])
            .first()
        : undefined;

    return rows.map(row => {
      const entry: HistoryEntry = {
        recordedAt: toIsoString(row.recorded_at),
        score: row.score,
        level: row.level,
        levelName: row.level_name,
        rulesetHash: row.ruleset_hash,
        evidenceDigest: row.evidence_digest,
        statuses: JSON.parse(row.statuses) as Record<string, CheckStatus>,
        change: changeOf(previous, row),
      };
      previous = row;
      return entry;
    });
  }

  async startRun(options: {
    startedAt: Date;
    rulesetHash: string;
    staleAfterMs?: number;
  }): Promise<number> {
    const { startedAt } = options;
    const staleBefore =
      startedAt.getTime() - (options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS);
    try {
      return await this.db.transaction(async tx => {
        const holder: Pick<RunRow, 'id' | 'started_at' | 'heartbeat_at'> =
          await tx('evaluation_runs')
            .where('status', 'running')
            .first('id', 'started_at', 'heartbeat_at');
        if (holder) {
          const beat = new Date(holder.heartbeat_at ?? holder.started_at);
          if (beat.getTime() >= staleBefore) {
            throw new ConflictError(
              `Evaluation run ${
                holder.id
              } is in progress (last heartbeat at ${beat.toISOString()})`,
            );
          }
          // Conditional, so that of two processes that found the same stale run only one marks it;
          // on PostgreSQL the other waits for the row and then finds it no longer running.
          const marked = await tx('evaluation_runs')
            .where({ id: holder.id, status: 'running' })
            .update({
              status: 'failed',
              finished_at: startedAt,
              error: `The process running it stopped: no heartbeat since ${beat.toISOString()}`,
            });
          if (marked === 0) {
            throw new ConflictError(
              `Evaluation run ${holder.id} was just taken over by another process`,
            );
          }
        }
        const [row] = await tx('evaluation_runs')
          .insert({
            started_at: startedAt,
            heartbeat_at: startedAt,
            status: 'running',
            evaluated: 0,
            skipped: 0,
            failed: 0,
            removed: 0,
            ruleset_hash: options.rulesetHash,
          })
          .returning('id');
        return Number(row.id);
      });
    } catch (error) {
      // The unique index over running rows: another process started a run at the same moment.
      if (isUniqueViolation(error)) {
        throw new ConflictError(
          'Another evaluation run was started at the same time',
        );
      }
      throw error;
    }
  }

  async heartbeatRun(
    runId: number,
    at: Date,
    progress?: RunProgressUpdate,
  ): Promise<boolean> {
    const updated = await this.db('evaluation_runs')
      .where({ id: runId, status: 'running' })
      .update({
        heartbeat_at: at,
        ...(progress
          ? {
              ...(progress.total !== undefined
                ? { total: progress.total }
                : {}),
              evaluated: progress.evaluated,
              skipped: progress.skipped,
              failed: progress.failed,
              waiting_until: progress.waiting?.until ?? null,
              waiting_host: progress.waiting
                ? storableText(progress.waiting.host, STORED_TEXT_LENGTH)
                : null,
            }
          : {}),
      });
    return updated > 0;
  }

  async finishRun(
    runId: number,
    result: {
      finishedAt: Date;
      status: 'succeeded' | 'failed';
      evaluated: number;
      skipped: number;
      failed: number;
      removed: number;
      error?: string;
    },
  ): Promise<boolean> {
    return this.db.transaction(async tx => {
      const updated = await tx('evaluation_runs')
        .where({ id: runId, status: 'running' })
        .update({
          finished_at: result.finishedAt,
          status: result.status,
          evaluated: result.evaluated,
          skipped: result.skipped,
          failed: result.failed,
          removed: result.removed,
          error: result.error ?? null,
          waiting_until: null,
          waiting_host: null,
        });
      if (updated === 0) {
        const exists = await tx('evaluation_runs')
          .where('id', runId)
          .first('id');
        if (!exists) {
          throw new NotFoundError(`No evaluation run ${runId}`);
        }
        return false;
      }
      await tx('evaluation_run_unscored')
        .whereNotIn(
          'run_id',
          tx('evaluation_runs')
            .select('id')
            .orderBy('id', 'desc')
            .limit(UNSCORED_RUNS_KEPT),
        )
        .delete();
      return true;
    });
  }

  async recordUnscored(
    runId: number,
    entities: UnscoredEntity[],
  ): Promise<void> {
    const rows = entities.map(entity => ({
      run_id: runId,
      entity_ref: storableText(entity.entityRef, STORED_TEXT_LENGTH),
      reason: storableText(entity.reason, REASON_LENGTH),
    }));
    for (const batch of chunks(rows, WRITE_CHUNK)) {
      await this.db('evaluation_run_unscored')
        .insert(batch)
        .onConflict(['run_id', 'entity_ref'])
        .ignore();
    }
  }

  async getRunningRun(): Promise<
    { id: number; startedAt: string; heartbeatAt: string } | undefined
  > {
    const row: Pick<RunRow, 'id' | 'started_at' | 'heartbeat_at'> | undefined =
      await this.db('evaluation_runs')
        .where('status', 'running')
        .first('id', 'started_at', 'heartbeat_at');
    if (!row) {
      return undefined;
    }
    return {
      id: Number(row.id),
      startedAt: toIsoString(row.started_at),
      heartbeatAt: toIsoString(row.heartbeat_at ?? row.started_at),
    };
  }

  async getRun(runId: number): Promise<EvaluationRun | undefined> {
    const row = await this.db<RunRow>('evaluation_runs')
      .where('id', runId)
      .first();
    return row ? this.runOf(row) : undefined;
  }

  async getLatestRun(
    visibility: ScorecardVisibility = {},
    now = new Date(),
  ): Promise<EvaluationRun | undefined> {
    const row = await this.db<RunRow>('evaluation_runs')
      .orderBy('id', 'desc')
      .first();
    if (!row) {
      return undefined;
    }
    return visibility.visibleEntityRefs === undefined
      ? this.runOf(row, now)
      : this.visibleRunOf(row, visibility, now);
  }

  /**
   * A run as a caller who sees only some entities may see it: the run's own counts are over the
   * whole catalog, so they are counted again over the visible scorecards the run saw (those
   * evaluated since it started, the others skipped) and its visible unscored entities.
   */
  private async visibleRunOf(
    row: RunRow,
    visibility: ScorecardVisibility,
    now: Date,
  ): Promise<EvaluationRun> {
    const startedAt = new Date(row.started_at);
    const [seen, unscoredCount, unscoredRows, stored] = await Promise.all([
      this.whereVisible(this.db('scorecards'), visibility)
        .where('last_seen_run', row.id)
        .first(
          this.db.raw('count(*) as seen'),
          this.db.raw(
            'sum(case when evaluated_at >= ? then 1 else 0 end) as evaluated',
            [startedAt],
          ),
        ),
      this.whereVisible(this.db('evaluation_run_unscored'), visibility)
        .where('run_id', row.id)
        .count({ count: '*' }),
      this.whereVisible(this.db('evaluation_run_unscored'), visibility)
        .where('run_id', row.id)
        .orderBy('entity_ref')
        .limit(UNSCORED_LISTED)
        .select('entity_ref', 'reason') as Promise<
        { entity_ref: string; reason: string }[]
      >,
      // The run's own total counts the whole catalog: a running run's visible total is counted.
      row.status === 'running' && row.total !== null
        ? this.whereVisible(this.db('scorecards'), visibility).count({
            count: '*',
          })
        : undefined,
    ]);
    // Aggregates come back as numbers or, for PostgreSQL's bigint, as strings.
    const evaluated = Number(seen?.evaluated ?? 0);
    const failed = Number(unscoredCount[0].count);
    const done = Number(seen?.seen ?? 0) + failed;
    const progress =
      stored && row.total
        ? progressOf(row, now, {
            total: Math.max(done, Number(stored[0].count)),
            done,
            // The whole run's share done, which names no count.
            shareDone: Math.min(
              1,
              (row.evaluated + row.skipped + row.failed) / row.total,
            ),
          })
        : undefined;
    return {
      id: Number(row.id),
      startedAt: toIsoString(row.started_at),
      finishedAt:
        row.finished_at === null ? null : toIsoString(row.finished_at),
      status: row.status,
      evaluated,
      skipped: Number(seen?.seen ?? 0) - evaluated,
      failed,
      removed: 0,
      rulesetHash: row.ruleset_hash,
      // A run's error can name any entity of the catalog.
      ...(row.error !== null
        ? { error: "The run failed; the reason is in the backend's logs" }
        : {}),
      unscored: unscoredRows.map(r => ({
        entityRef: r.entity_ref,
        reason: r.reason,
      })),
      ...(progress ? { progress } : {}),
    };
  }

  /**
   * Restricts a query to the visible entity refs, bound as one JSON parameter so that any number
   * of refs stays within the bind-parameter limits of both databases.
   */
  private whereVisible(
    qb: Knex.QueryBuilder,
    visibility: ScorecardVisibility,
  ): Knex.QueryBuilder {
    const { visibleEntityRefs } = visibility;
    if (visibleEntityRefs === undefined) {
      return qb;
    }
    const refs = JSON.stringify(visibleEntityRefs);
    return isSqlite(this.db)
      ? qb.whereRaw('entity_ref in (select value from json_each(?))', [refs])
      : qb.whereRaw(
          'entity_ref in (select json_array_elements_text(?::json))',
          [refs],
        );
  }

  private async runOf(row: RunRow, now = new Date()): Promise<EvaluationRun> {
    const unscored: UnscoredEntity[] = (
      await this.db('evaluation_run_unscored')
        .where('run_id', row.id)
        .orderBy('entity_ref')
        .limit(UNSCORED_LISTED)
        .select('entity_ref', 'reason')
    ).map(r => ({ entityRef: r.entity_ref, reason: r.reason }));
    return {
      id: Number(row.id),
      startedAt: toIsoString(row.started_at),
      finishedAt:
        row.finished_at === null ? null : toIsoString(row.finished_at),
      status: row.status,
      evaluated: row.evaluated,
      skipped: row.skipped,
      failed: row.failed,
      removed: row.removed,
      rulesetHash: row.ruleset_hash,
      ...(row.error !== null ? { error: row.error } : {}),
      unscored,
      ...(row.status === 'running' && row.total !== null
        ? {
            progress: progressOf(row, now, {
              total: row.total,
              done: row.evaluated + row.skipped + row.failed,
              shareDone: Math.min(
                1,
                (row.evaluated + row.skipped + row.failed) /
                  Math.max(1, row.total),
              ),
            }),
          }
        : {}),
    };
  }

  /** The facts, skip key columns and JSON of an entity's latest scorecard. */
  private async latestRow(
    entityRef: string,
  ): Promise<
    | (Pick<
        ScorecardRow,
        (typeof FACT_COLUMNS)[number] | 'entity_hash' | 'repository_etag'
      > &
        Pick<DocumentRow, 'scorecard'>)
    | undefined
  > {
    if (!isStorableRef(entityRef)) {
      return undefined;
    }
    return this.db('scorecards')
      .join(
        'scorecard_documents',
        'scorecard_documents.entity_ref',
        'scorecards.entity_ref',
      )
      .where('scorecards.entity_ref', entityRef)
      .first(
        ...[...FACT_COLUMNS, 'entity_hash', 'repository_etag'].map(
          column => `scorecards.${column}`,
        ),
        'scorecard_documents.scorecard',
      );
  }

  /** The scorecards matching the list filters, for both the page and the total count. */
  private filtered(query: ScorecardListQuery): Knex.QueryBuilder {
    const qb = this.whereVisible(this.db('scorecards'), query);
    if (query.owner?.length) {
      qb.whereIn('owner', query.owner);
    }
    if (query.kind?.length) {
      const kinds = query.kind.map(k => k.toLowerCase());
      qb.whereRaw(`lower(kind) in (${kinds.map(() => '?').join(', ')})`, kinds);
    }
    if (query.lifecycle?.length) {
      qb.whereIn('lifecycle', query.lifecycle);
    }
    if (query.system?.length) {
      qb.whereIn('system', query.system);
    }
    if (query.domain?.length) {
      qb.whereIn('domain', query.domain);
    }
    if (query.level?.length) {
      qb.whereIn('level', query.level);
    }
    if (query.failingCapability !== undefined) {
      if (!isCapabilityId(query.failingCapability)) {
        throw new InputError(
          `Invalid capability '${
            query.failingCapability
          }', must be one of ${CAPABILITY_IDS.join(', ')}`,
        );
      }
      // A NULL score (not applicable or unknown) is never below 100, so it is not failing.
      qb.where(CAPABILITY_COLUMNS[query.failingCapability], '<', 100);
    }
    if (query.q) {
      // lower() on both sides because LIKE is case-sensitive on PostgreSQL. SQLite's lower()
      // folds only ASCII letters, so there the match ignores the case of ASCII letters only.
      const pattern = `%${query.q
        .toLowerCase()
        .replace(/[\\%_]/g, c => `\\${c}`)}%`;
      qb.where(match =>
        match
          .whereRaw(`lower(entity_ref) like ? escape '\\'`, [pattern])
          .orWhereRaw(`lower(title) like ? escape '\\'`, [pattern]),
      );
    }
    return qb;
  }
}

function isSqlite(knex: Knex): boolean {
  return ['sqlite3', 'better-sqlite3'].includes(knex.client.config.client);
}

/** A ref the store can hold as it is; no stored scorecard has any other. */
function isStorableRef(entityRef: string): boolean {
  return (
    entityRef.length <= STORED_TEXT_LENGTH && !entityRef.includes('\u0000')
  );
}

/** A unique-constraint violation, as PostgreSQL and better-sqlite3 report it. */
function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

function* chunks<T>(items: T[], size = CHUNK_SIZE): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) {
    yield items.slice(i, i + size);
  }
}

/** Accepts what the drivers return: `Date` (pg), epoch milliseconds (better-sqlite3). */
function toIsoString(value: Timestamp): string {
  return new Date(value).toISOString();
}

/**
 * A running run's progress as of its last heartbeat: `done` of `total` entities, their pace since
 * the run started, and its finish estimated from the share of the whole run done so far.
 */
function progressOf(
  row: RunRow,
  now: Date,
  counts: { total: number; done: number; shareDone: number },
): RunProgress {
  const started = new Date(row.started_at).getTime();
  const beat = new Date(row.heartbeat_at ?? row.started_at).getTime();
  const elapsedMs = Math.max(0, beat - started);
  const paced = counts.shareDone > 0 && elapsedMs > 0;
  const waitingUntil =
    row.waiting_until !== null ? new Date(row.waiting_until) : undefined;
  return {
    total: counts.total,
    done: counts.done,
    perMinute:
      paced && counts.done > 0
        ? Math.round((counts.done / elapsedMs) * 60_000 * 10) / 10
        : null,
    estimatedFinishAt: paced
      ? new Date(started + elapsedMs / counts.shareDone).toISOString()
      : null,
    ...(waitingUntil && waitingUntil > now && row.waiting_host !== null
      ? {
          waitingForBudget: {
            host: row.waiting_host,
            until: waitingUntil.toISOString(),
          },
        }
      : {}),
  };
}

/** Scores and percentages to one decimal. */
function factsOf(
  row: Pick<
    ScorecardRow,
    | 'entity_ref'
    | 'kind'
    | 'namespace'
    | 'name'
    | 'title'
    | 'owner'
    | 'system'
    | 'domain'
    | 'lifecycle'
    | 'type'
  >,
): ScorecardEntityFacts {
  return {
    entityRef: row.entity_ref,
    kind: row.kind,
    namespace: row.namespace,
    name: row.name,
    title: row.title ?? undefined,
    owner: row.owner ?? undefined,
    system: row.system ?? undefined,
    domain: row.domain ?? undefined,
    lifecycle: row.lifecycle ?? undefined,
    type: row.type ?? undefined,
  };
}

function listItemOf(row: ScorecardRow): ScorecardListItem {
  return {
    ...factsOf(row),
    score: row.score,
    level: row.level,
    levelName: row.level_name,
    capabilities: Object.fromEntries(
      CAPABILITY_IDS.map(id => [
        id,
        row[CAPABILITY_COLUMNS[id] as keyof ScorecardRow] as number | null,
      ]),
    ) as Record<CapabilityId, number | null>,
    capabilityStatuses: row.capability_statuses
      ? (JSON.parse(row.capability_statuses) as Partial<
          Record<CapabilityId, CapabilityStatus>
        >)
      : {},
    coverage:
      row.coverage === null ||
      row.checked_capabilities === null ||
      row.applicable_capabilities === null
        ? null
        : {
            share: row.coverage,
            checkedCapabilities: row.checked_capabilities,
            applicableCapabilities: row.applicable_capabilities,
          },
    evaluatedAt: toIsoString(row.evaluated_at),
  };
}

function statusesOf(scorecard: Scorecard): Record<string, CheckStatus> {
  return Object.fromEntries(scorecard.results.map(r => [r.checkId, r.status]));
}

function sameStatuses(
  a: Record<string, CheckStatus>,
  b: Record<string, CheckStatus>,
): boolean {
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every(key => a[key] === b[key])
  );
}

/**
 * What moved since the previous history row. When neither hash moved, the status changed with
 * time alone (a waiver expired), which is the service's situation rather than the standard.
 */
function changeOf(
  previous: HistoryRow | undefined,
  row: HistoryRow,
): HistoryEntry['change'] {
  if (!previous) {
    return 'first';
  }
  const ruleset = previous.ruleset_hash !== row.ruleset_hash;
  const evidence = previous.evidence_digest !== row.evidence_digest;
  if (ruleset && evidence) {
    return 'both';
  }
  return ruleset ? 'ruleset' : 'evidence';
}

/**
 * The repository index columns of a scorecard; all null when any value is too long to store (the
 * entity is then found by the scheduled runs only).
 */
function repositoryColumns(
  entry: RepositoryIndexEntry | undefined,
): Pick<ScorecardRow, 'repository' | 'repository_ref' | 'repository_path'> {
  const values = entry && [entry.repository, entry.ref ?? '', entry.path];
  if (!entry || !values!.every(isStorableRef)) {
    return { repository: null, repository_ref: null, repository_path: null };
  }
  return {
    repository: entry.repository.toLocaleLowerCase('en-US'),
    repository_ref: entry.ref ?? null,
    repository_path: entry.path,
  };
}
