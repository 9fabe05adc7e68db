import type {
  Capability,
  CapabilityId,
  CheckDefinition,
  CheckStatus,
  LevelDefinition,
  Scorecard,
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
}
