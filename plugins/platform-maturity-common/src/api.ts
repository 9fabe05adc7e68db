import type {
  Capability,
  CapabilityId,
  CapabilityStatus,
  CheckDefinition,
  CheckStatus,
  LevelDefinition,
  Scorecard,
  ScorecardCoverage,
} from './types';

/**
 * `GET /v1/checklist`: the effective checklist of the backend.
 *
 * @public
 */
export interface ChecklistResponse {
  capabilities: Capability[];
  checks: CheckDefinition[];
  levels: LevelDefinition[];
  rulesetHash: string;
}

/**
 * The catalog facts stored beside a scorecard, which the list and summary routes filter and
 * group by.
 *
 * @public
 */
export interface ScorecardEntityFacts {
  entityRef: string;
  kind: string;
  namespace: string;
  name: string;
  title?: string;
  owner?: string;
  system?: string;
  domain?: string;
  lifecycle?: string;
  type?: string;
}

/**
 * `GET /v1/scorecards/:kind/:namespace/:name`: the latest scorecard with its entity facts.
 *
 * @public
 */
export interface ScorecardResponse {
  entity: ScorecardEntityFacts;
  scorecard: Scorecard;
}

/**
 * One row of `GET /v1/scorecards`.
 *
 * @public
 */
export interface ScorecardListItem extends ScorecardEntityFacts {
  score: number | null;
  level: number | null;
  levelName: string | null;
  /** Capability scores, 0–100, `null` when not applicable or unknown. */
  capabilities: Record<CapabilityId, number | null>;
  /**
   * Capability statuses, which tell `unknown` (could not check) from `not-applicable`; absent
   * for a capability of a scorecard stored without them.
   */
  capabilityStatuses: Partial<Record<CapabilityId, CapabilityStatus>>;
  /** How much of the checklist could be checked; `null` when out of scope. */
  coverage: ScorecardCoverage | null;
  evaluatedAt: string;
}

/**
 * `GET /v1/scorecards`: one page of scorecards.
 *
 * @public
 */
export interface ScorecardListResponse {
  items: ScorecardListItem[];
  totalCount: number;
  /** Pass as `cursor` to get the next page; absent on the last page. */
  nextCursor?: string;
}

/**
 * The dimensions `GET /v1/summary` can group by.
 *
 * @public
 */
export type SummaryGroupBy =
  | 'owner'
  | 'system'
  | 'domain'
  | 'lifecycle'
  | 'kind';

/**
 * One group of `GET /v1/summary`.
 *
 * @public
 */
export interface SummaryGroup {
  /** The owner, system, domain, lifecycle or kind; `null` for entities without one. */
  key: string | null;
  count: number;
  /** Mean score of the scored entities, 0–100, or null. */
  meanScore: number | null;
  /**
   * Mean coverage of the scored entities, 0–100 (how much of their checklist could be checked),
   * or null: a mean score is only as good as this.
   */
  meanCoverage: number | null;
  /** Entities of the group of which some applicable check could not be checked. */
  partlyChecked: number;
  /** Number of entities per level, keyed by level number. */
  levels: Record<string, number>;
  /**
   * Per capability: the share (0–100) of the entities to which it applies that have it complete.
   */
  capabilityCompletion: Record<CapabilityId, number | null>;
}

/**
 * `GET /v1/summary`.
 *
 * @public
 */
export interface SummaryResponse {
  groupBy: SummaryGroupBy;
  groups: SummaryGroup[];
}

/**
 * One row of an entity's score history: written only when the score, the level or a check
 * status changed.
 *
 * @public
 */
export interface HistoryEntry {
  recordedAt: string;
  score: number | null;
  level: number | null;
  levelName: string | null;
  rulesetHash: string;
  evidenceDigest: string;
  /** Check statuses at that time, by check id. */
  statuses: Record<string, CheckStatus>;
  /** What moved since the previous row: the standard (ruleset), the service (evidence), or both. */
  change: 'first' | 'ruleset' | 'evidence' | 'both';
}

/**
 * `GET /v1/scorecards/:kind/:namespace/:name/history`.
 *
 * @public
 */
export interface HistoryResponse {
  entityRef: string;
  entries: HistoryEntry[];
}

/**
 * One evaluation run of the catalog, `GET /v1/runs/latest`.
 *
 * @public
 */
export interface EvaluationRun {
  id: number;
  startedAt: string;
  finishedAt: string | null;
  status: 'running' | 'succeeded' | 'failed';
  evaluated: number;
  skipped: number;
  failed: number;
  removed: number;
  rulesetHash: string;
  /** Why the run failed, when it did. */
  error?: string;
  /**
   * Entities the catalog returned that the run could not score, with the reason, by entity ref;
   * `failed` counts them all, the list holds at most the first 1,000.
   */
  unscored: UnscoredEntity[];
  /**
   * How far a run in progress has come; set while `status` is `running`, once the run has listed
   * the catalog. Its counts (`evaluated`, `skipped`, `failed` above) are renewed every few seconds.
   */
  progress?: RunProgress;
}

/**
 * The progress of an evaluation run in progress. For a caller who may see only part of the
 * catalog, the counts are those of the entities it may see.
 *
 * @public
 */
export interface RunProgress {
  /** Entities the run is to look at (score, or find unchanged). */
  total: number;
  /** Entities it has looked at so far: evaluated, skipped and failed. */
  done: number;
  /** Entities looked at per minute since the run started; null until it has looked at one. */
  perMinute: number | null;
  /** When the run should finish at the pace it has kept so far; null until it has a pace. */
  estimatedFinishAt: string | null;
  /**
   * Set while the run waits for a Git host's API budget: the host, and when the wait ends (the
   * host's rate-limit window resets, or the run's pacing lets the next read go).
   */
  waitingForBudget?: { host: string; until: string };
}

/**
 * An entity that an evaluation run could not score, and why.
 *
 * @public
 */
export interface UnscoredEntity {
  /** The entity ref, or as much of one as a malformed entity had. */
  entityRef: string;
  /** Why the run could not score it. */
  reason: string;
}
