import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  CAPABILITY_IDS,
  CapabilityId,
  CheckStatus,
  EvaluationRun,
  HistoryEntry,
  Scorecard,
  ScorecardEntityFacts,
  ScorecardListItem,
  SummaryGroup,
  SummaryGroupBy,
  isCapabilityId,
} from '@paved/plugin-platform-maturity-common';
import { Knex } from 'knex';
import {
  ScorecardListQuery,
  ScorecardOrderBy,
  ScorecardStore,
  SkipKey,
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
 * What each list order sorts by: the SQL expression, and its value for a list item, which the
 * cursor carries. SQLite sorts NULL first and PostgreSQL last; coalescing to -1 puts unscored
 * entities below every score on both, and gives the cursor a value to compare with.
 */
const ORDERS: Record<
  ScorecardOrderBy,
  { expression: string; valueOf(item: ScorecardListItem): string | number }
> = {
  entityRef: { expression: 'entity_ref', valueOf: item => item.entityRef },
  name: { expression: 'name', valueOf: item => item.name },
  score: {
    expression: 'coalesce(score, -1)',
    valueOf: item => item.score ?? -1,
  },
  level: {
    expression: 'coalesce(level, -1)',
    valueOf: item => item.level ?? -1,
  },
  evaluatedAt: {
    expression: 'evaluated_at',
    valueOf: item => item.evaluatedAt,
  },
};

/** Keeps `IN (...)` lists well below the bind-parameter limits of SQLite and PostgreSQL. */
const CHUNK_SIZE = 500;
/** Rows per multi-row insert: about 30 columns each, still far below the bind-parameter limits. */
const WRITE_CHUNK = 200;

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
  ruleset_hash: string;
  evidence_digest: string;
  entity_hash: string;
  repository_etag: string | null;
  evaluated_at: Timestamp;
  last_seen_run: number | null;
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
];

interface Cursor {
  orderBy: ScorecardOrderBy;
  order: 'asc' | 'desc';
  value: string | number;
  entityRef: string;
}

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
    for (const refs of chunks(entityRefs)) {
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
    return this.db.transaction(async tx => {
      // FOR UPDATE (ignored by SQLite, whose writers are serialized anyway) keeps two concurrent
      // saves of one entity from both seeing the old row and both adding a history row.
      const previous = new Map<
        string,
        Pick<ScorecardRow, 'score' | 'level'> & Pick<DocumentRow, 'scorecard'>
      >();
      for (const refs of chunks(list.map(s => s.entity.entityRef))) {
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

      const latestRows = list.map(stored => {
        const { entity, scorecard } = stored;
        const capabilityScores = Object.fromEntries(
          CAPABILITY_IDS.map(id => [
            CAPABILITY_COLUMNS[id],
            scorecard.capabilities.find(c => c.capability === id)?.score ??
              null,
          ]),
        );
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
          ruleset_hash: scorecard.rulesetHash,
          evidence_digest: scorecard.evidenceDigest,
          entity_hash: stored.entityHash,
          repository_etag: stored.repositoryEtag ?? null,
          evaluated_at: new Date(scorecard.evaluatedAt),
          // Left out without a run, so that a refresh between runs keeps the last run's mark.
          ...(options.runId !== undefined
            ? { last_seen_run: options.runId }
            : {}),
        };
      });
      for (const rows of chunks(latestRows, WRITE_CHUNK)) {
        await tx('scorecards').insert(rows).onConflict('entity_ref').merge();
      }
      const documentRows: DocumentRow[] = list.map(stored => ({
        entity_ref: stored.entity.entityRef,
        entity: JSON.stringify(stored.entity),
        scorecard: JSON.stringify(stored.scorecard),
      }));
      for (const rows of chunks(documentRows, WRITE_CHUNK)) {
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
      for (const rows of chunks(historyRows, WRITE_CHUNK)) {
        await tx('scorecard_history').insert(rows);
      }
      return added;
    });
  }

  async markSeen(entityRefs: string[], runId: number): Promise<void> {
    if (entityRefs.length === 0) {
      return;
    }
    // One transaction: on SQLite each commit waits for the disk.
    await this.db.transaction(async tx => {
      for (const refs of chunks(entityRefs)) {
        await tx('scorecards')
          .whereIn('entity_ref', refs)
          .update({ last_seen_run: runId });
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
    const { expression } = sortOrder;
    const direction = query.order === 'desc' ? 'desc' : 'asc';

    const page = this.filtered(query).select(LIST_COLUMNS);
    if (query.cursor) {
      const cursor = decodeCursor(query.cursor, query.orderBy, direction);
      // Timestamps are compared as timestamps, not as the ISO strings the cursor carries.
      const value =
        query.orderBy === 'evaluatedAt' ? new Date(cursor.value) : cursor.value;
      const after = direction === 'asc' ? '>' : '<';
      page.where(position =>
        position
          .whereRaw(`${expression} ${after} ?`, [value])
          .orWhere(tie =>
            tie
              .whereRaw(`${expression} = ?`, [value])
              .andWhere('entity_ref', after, cursor.entityRef),
          ),
      );
    }
    // One extra row tells whether there is a next page.
    const [rows, countRows] = await Promise.all([
      page
        .orderByRaw(`${expression} ${direction}, entity_ref ${direction}`)
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

  async getSummary(groupBy: SummaryGroupBy): Promise<SummaryGroup[]> {
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
      .select({ group_key: column, level: 'level' })
      .count({ count: '*' })
      .count({ scores: 'score' })
      .sum({ score_sum: 'score' })
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
          levels: {},
          done: CAPABILITY_IDS.map(() => 0),
          scored: CAPABILITY_IDS.map(() => 0),
        };
        groups.set(key, group);
      }
      group.count += Number(row.count);
      group.scores += Number(row.scores);
      group.scoreSum += Number(row.score_sum ?? 0);
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
        group.scores > 0 ? rounded(group.scoreSum / group.scores) : null,
      levels: group.levels,
      capabilityCompletion: Object.fromEntries(
        CAPABILITY_IDS.map((id, i) => [
          id,
          group.scored[i] > 0
            ? rounded((100 * group.done[i]) / group.scored[i])
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
  }): Promise<number> {
    const [row] = await this.db('evaluation_runs')
      .insert({
        started_at: options.startedAt,
        status: 'running',
        evaluated: 0,
        skipped: 0,
        failed: 0,
        removed: 0,
        ruleset_hash: options.rulesetHash,
      })
      .returning('id');
    return Number(row.id);
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
  ): Promise<void> {
    const updated = await this.db('evaluation_runs')
      .where('id', runId)
      .update({
        finished_at: result.finishedAt,
        status: result.status,
        evaluated: result.evaluated,
        skipped: result.skipped,
        failed: result.failed,
        removed: result.removed,
        error: result.error ?? null,
      });
    if (updated === 0) {
      throw new NotFoundError(`No evaluation run ${runId}`);
    }
  }

  async getLatestRun(): Promise<EvaluationRun | undefined> {
    const row = await this.db<RunRow>('evaluation_runs')
      .orderBy('id', 'desc')
      .first();
    if (!row) {
      return undefined;
    }
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
    const qb = this.db('scorecards');
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

function* chunks<T>(items: T[], size = CHUNK_SIZE): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) {
    yield items.slice(i, i + size);
  }
}

/** Accepts what the drivers return: `Date` (pg), epoch milliseconds (better-sqlite3). */
function toIsoString(value: Timestamp): string {
  return new Date(value).toISOString();
}

/** Scores and percentages to one decimal. */
function rounded(value: number): number {
  return Math.round(value * 10) / 10;
}

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
    evaluatedAt: toIsoString(row.evaluated_at),
  };
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

/** The cursor names its order so that it is never applied to a list sorted another way. */
function decodeCursor(
  encoded: string,
  orderBy: ScorecardOrderBy,
  order: 'asc' | 'desc',
): Cursor {
  let cursor: Partial<Cursor> | undefined;
  try {
    cursor = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    cursor = undefined;
  }
  const valueType =
    orderBy === 'score' || orderBy === 'level' ? 'number' : 'string';
  if (
    typeof cursor !== 'object' ||
    cursor === null ||
    typeof cursor.entityRef !== 'string' ||
    typeof cursor.value !== valueType ||
    (orderBy === 'evaluatedAt' &&
      Number.isNaN(Date.parse(cursor.value as string)))
  ) {
    throw new InputError('Invalid cursor, start again without a cursor');
  }
  if (cursor.orderBy !== orderBy || cursor.order !== order) {
    throw new InputError(
      `Invalid cursor for orderBy '${orderBy}' and order '${order}', it was made for a different order`,
    );
  }
  return cursor as Cursor;
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
