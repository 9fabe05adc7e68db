import type {
  EvaluationRun,
  HistoryEntry,
  Scorecard,
  ScorecardEntityFacts,
  ScorecardListItem,
  SummaryGroup,
  SummaryGroupBy,
} from '@paved/plugin-platform-maturity-common';

/** What is stored for an entity after an evaluation. */
export interface StoredScorecard {
  entity: ScorecardEntityFacts;
  scorecard: Scorecard;
  /** Hash of the entity content the evaluation saw, for skipping unchanged entities. */
  entityHash: string;
  /** The repository tree's ETag, when the repository was read. */
  repositoryEtag?: string;
}

/** What decides whether an entity can be skipped: compared with the next evaluation's inputs. */
export interface SkipKey {
  entityHash: string;
  repositoryEtag?: string;
  rulesetHash: string;
}

/** Columns the list can be ordered by. */
export type ScorecardOrderBy =
  | 'entityRef'
  | 'name'
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
  /** Marks entities as seen by a run without changing their scorecards (skipped entities). */
  markSeen(entityRefs: string[], runId: number): Promise<void>;
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
  getSummary(groupBy: SummaryGroupBy): Promise<SummaryGroup[]>;
  /** History of an entity, oldest first, optionally since a time. */
  getHistory(entityRef: string, since?: Date): Promise<HistoryEntry[]>;
  startRun(options: { startedAt: Date; rulesetHash: string }): Promise<number>;
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
  ): Promise<void>;
  getLatestRun(): Promise<EvaluationRun | undefined>;
}
