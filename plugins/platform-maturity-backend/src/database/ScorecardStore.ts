import type {
  EvaluationRun,
  HistoryEntry,
  Scorecard,
  ScorecardEntityFacts,
  ScorecardListItem,
  SummaryGroup,
  SummaryGroupBy,
  UnscoredEntity,
} from '@paved/plugin-platform-maturity-common';

/** What is stored for an entity after an evaluation. */
export interface StoredScorecard {
  entity: ScorecardEntityFacts;
  scorecard: Scorecard;
  /** Hash of the entity content the evaluation saw, for skipping unchanged entities. */
  entityHash: string;
  /** The repository tree's ETag, when the repository was read. */
  repositoryEtag?: string;
  /** Where the entity's repository is on a Git host, for push events to find it. */
  repository?: RepositoryIndexEntry;
}

/** The repository of an entity's source location on a Git host. */
export interface RepositoryIndexEntry {
  /** `host/owner/name`, lower-case. */
  repository: string;
  /** The ref the location names; undefined for the default branch. */
  ref?: string;
  /** The location's directory inside the repository, without slashes around it; '' for the root. */
  path: string;
}

/** What decides whether an entity can be skipped: compared with the next evaluation's inputs. */
export interface SkipKey {
  entityHash: string;
  repositoryEtag?: string;
  rulesetHash: string;
}

/** What decides an entity's place in a run (see `runOrder`). */
export interface RunOrderKey {
  /** When a run last scored the entity or found it unchanged (ISO 8601). */
  checkedAt: string;
  /** When a push event last touched the entity (ISO 8601), if one did. */
  pushedAt?: string;
  /** Whether its repository was last read from a Git host (it has a repository index entry). */
  onGitHost: boolean;
}

/** How far a run in progress has come, renewed with its heartbeat. */
export interface RunProgressUpdate {
  /** Entities the run is to look at; undefined until it has listed the catalog. */
  total?: number;
  evaluated: number;
  skipped: number;
  failed: number;
  /** Set while the run waits for a Git host's API budget; null once it no longer waits. */
  waiting: { host: string; until: Date } | null;
}

/** Columns the list can be ordered by. */
export type ScorecardOrderBy =
  | 'entityRef'
  | 'name'
  | 'owner'
  | 'score'
  | 'level'
  | 'evaluatedAt';

/** Filters and paging of the scorecard list; all filters combine with AND. */
export interface ScorecardListQuery {
  /** Entity refs of owners, any of which matches (lower-case). */
  owner?: string[];
  /** Kinds, any of which matches (compared case-insensitively). */
  kind?: string[];
  /** Lifecycles, any of which matches. */
  lifecycle?: string[];
  /** Entity refs of systems, any of which matches (lower-case). */
  system?: string[];
  /** Entity refs of domains, any of which matches (lower-case). */
  domain?: string[];
  /** Levels, any of which matches. */
  level?: number[];
  /** Entities for which this capability applies and is not complete (score below 100). */
  failingCapability?: string;
  /** Case-insensitive substring of the entity ref or title. */
  q?: string;
  orderBy: ScorecardOrderBy;
  order: 'asc' | 'desc';
  /** Opaque cursor from a previous page. */
  cursor?: string;
  limit: number;
  /** Only the scorecards of these entity refs, when given (see {@link ScorecardVisibility}). */
  visibleEntityRefs?: readonly string[];
}

/**
 * The scorecards a caller may see: those of `visibleEntityRefs` (entity refs as
 * `stringifyEntityRef` writes them), or every one when it is undefined. Applied in SQL, so that
 * totals and counts include nothing else.
 *
 * @internal
 */
export interface ScorecardVisibility {
  visibleEntityRefs?: readonly string[];
}

/** Persistence of scorecards, history and evaluation runs. */
export interface ScorecardStore {
  /** The latest scorecard of an entity (ref lower-case), or undefined. */
  getScorecard(entityRef: string): Promise<StoredScorecard | undefined>;
  /**
   * The latest scorecard of an entity as the JSON text of a `ScorecardResponse`, or undefined: the
   * stored JSON as it is, for the API's most frequent request, which would otherwise parse and
   * serialise about 6 KB again every time.
   */
  getScorecardResponseJson(entityRef: string): Promise<string | undefined>;
  /** Skip keys of the given entities that have a stored scorecard. */
  getSkipKeys(entityRefs: string[]): Promise<Map<string, SkipKey>>;
  /**
   * Stores the latest scorecard (insert or replace) and, in the same transaction, appends a history
   * row when the score, the level or any check status differs from the previous latest scorecard
   * (or when there was none). Marks the entity as seen by `runId` when given.
   */
  saveScorecard(
    stored: StoredScorecard,
    options?: { runId?: number },
  ): Promise<{ historyAdded: boolean }>;
  /**
   * `saveScorecard` for many entities in one transaction (one per page of a run); returns, per
   * entity, whether a history row was added.
   */
  saveScorecards(
    stored: StoredScorecard[],
    options?: { runId?: number },
  ): Promise<boolean[]>;
  /**
   * The run order keys of the given entities that have a stored scorecard; an entity without one
   * was never scored.
   */
  getRunOrderKeys(entityRefs: string[]): Promise<Map<string, RunOrderKey>>;
  /**
   * Records that a push touched these entities at `at`, so that a run takes them before the
   * entities nobody pushed to, until one checks them (see `runOrder`).
   */
  recordPush(entityRefs: string[], at: Date): Promise<void>;
  /** The entities whose latest scorecard was read from `repository` (`host/owner/name`). */
  findByRepository(
    repository: string,
  ): Promise<({ entityRef: string } & RepositoryIndexEntry)[]>;
  /**
   * Marks entities as seen by a run without changing their scorecards (skipped entities); with
   * `checkedAt`, also as checked then (found unchanged, rather than left out by a failure).
   */
  markSeen(
    entityRefs: string[],
    runId: number,
    checkedAt?: Date,
  ): Promise<void>;
  /** Deletes the latest scorecards not seen by the run; history stays. Returns how many. */
  removeUnseen(runId: number): Promise<number>;
  /** Deletes history rows older than the cutoff of entities that have no latest scorecard. */
  pruneHistory(olderThan: Date): Promise<number>;
  /** One page of scorecards; the cursor encodes the position, not an offset. */
  listScorecards(query: ScorecardListQuery): Promise<{
    items: ScorecardListItem[];
    totalCount: number;
    nextCursor?: string;
  }>;
  /** Rollups computed in SQL over the latest in-scope scorecards, optionally filtered to one kind. */
  getSummary(
    groupBy: SummaryGroupBy,
    visibility?: ScorecardVisibility,
  ): Promise<SummaryGroup[]>;
  /** History of an entity, oldest first, optionally since a time. */
  getHistory(entityRef: string, since?: Date): Promise<HistoryEntry[]>;
  /**
   * Starts a run and returns its id, unless another run is in progress: at most one run is
   * `running` at a time, whichever process or replica starts it. A `running` run whose heartbeat
   * is older than `staleAfterMs` (default 30 seconds) before `startedAt` belongs to a process that
   * died; it is marked failed with the reason in the same transaction. Throws `ConflictError` when
   * a live run holds the claim, or when another process claimed it first.
   */
  startRun(options: {
    startedAt: Date;
    rulesetHash: string;
    staleAfterMs?: number;
  }): Promise<number>;
  /**
   * Renews a run's heartbeat, and with `progress` its counts so far; false when the run is no
   * longer `running` (it lost its claim).
   */
  heartbeatRun(
    runId: number,
    at: Date,
    progress?: RunProgressUpdate,
  ): Promise<boolean>;
  /**
   * Records the outcome of a run; false, recording nothing, when the run is no longer `running`
   * (another process found it stale and marked it failed). Keeps the unscored entities of the
   * ten latest runs only.
   */
  finishRun(
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
  ): Promise<boolean>;
  /**
   * Records entities a run could not score; an entity already recorded for the run keeps its
   * first reason. Refs and reasons are stored as text columns can hold them (see
   * {@link storableText}).
   */
  recordUnscored(runId: number, entities: UnscoredEntity[]): Promise<void>;
  /** The run in progress, if any, with its latest heartbeat. */
  getRunningRun(): Promise<
    { id: number; startedAt: string; heartbeatAt: string } | undefined
  >;
  getRun(runId: number): Promise<EvaluationRun | undefined>;
  /**
   * The latest run, with its progress while it runs (as of its last heartbeat, at `now`). With
   * `visibleEntityRefs`, its counts and unscored entities are those of the visible entities only
   * (evaluated and skipped: visible scorecards the run saw; removed: none, as a removed entity is
   * no longer in the catalog; a running run's total: the visible stored scorecards and unscored
   * entities, and its finish estimated from the whole run's share done), and the error of a
   * failed run, which may name any entity, is replaced by a general one.
   */
  getLatestRun(
    visibility?: ScorecardVisibility,
    now?: Date,
  ): Promise<EvaluationRun | undefined>;
}

/** Characters the indexed text columns of the store hold (PostgreSQL `varchar(255)`). */
export const STORED_TEXT_LENGTH = 255;

/**
 * A value as a text column can hold it: NUL bytes, which PostgreSQL text refuses, become U+FFFD,
 * and with `maxLength`, the value is cut to that many characters (code points, as PostgreSQL
 * counts them).
 */
export function storableText(value: string, maxLength?: number): string {
  const text = value.includes('\u0000')
    ? value.replaceAll('\u0000', '\ufffd')
    : value;
  if (maxLength === undefined || text.length <= maxLength) {
    return text;
  }
  const codePoints = [...text];
  return codePoints.length <= maxLength
    ? text
    : codePoints.slice(0, maxLength).join('');
}

/**
 * An entity's facts as the store keeps them: each through {@link storableText}, the indexed ones
 * cut to {@link STORED_TEXT_LENGTH}; `truncated` names the facts that were cut. The entity ref is
 * left as it is: a ref the store cannot hold is refused, not changed into another entity's.
 */
export function storableFacts(facts: ScorecardEntityFacts): {
  facts: ScorecardEntityFacts;
  truncated: (keyof ScorecardEntityFacts)[];
} {
  const truncated: (keyof ScorecardEntityFacts)[] = [];
  const result: ScorecardEntityFacts = { ...facts };
  for (const key of Object.keys(facts) as (keyof ScorecardEntityFacts)[]) {
    const value = facts[key];
    if (key === 'entityRef' || typeof value !== 'string') {
      continue;
    }
    // The title is the one unindexed text column, so it holds any length.
    const stored = storableText(
      value,
      key === 'title' ? undefined : STORED_TEXT_LENGTH,
    );
    if (stored.length < value.length) {
      truncated.push(key);
    }
    result[key] = stored;
  }
  return { facts: result, truncated };
}
