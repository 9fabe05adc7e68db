import { createApiRef } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type {
  CapabilityId,
  ChecklistResponse,
  EvaluationRun,
  HistoryResponse,
  ScorecardListResponse,
  ScorecardResponse,
  SummaryGroupBy,
  SummaryResponse,
} from '@paved/plugin-platform-maturity-common';

/**
 * Filters, sort and page of {@link PlatformMaturityApi.listScorecards}; every filter is optional
 * and they combine with AND. Lists match any of their values.
 *
 * @public
 */
export interface ScorecardListRequest {
  /** Owner entity refs, e.g. `group:default/payments`. */
  owner?: string[];
  /** Entity kinds, e.g. `Component`. */
  kind?: string[];
  /** Lifecycles, e.g. `production`. */
  lifecycle?: string[];
  /** System entity refs. */
  system?: string[];
  /** Domain entity refs. */
  domain?: string[];
  /** Level numbers reached. */
  level?: number[];
  /** Only entities for which this capability applies and is not complete. */
  failingCapability?: CapabilityId;
  /** Case-insensitive substring of the entity ref or title. */
  q?: string;
  /** The sort key; default `entityRef`. */
  orderBy?: 'entityRef' | 'name' | 'owner' | 'score' | 'level' | 'evaluatedAt';
  /** The sort direction; default `asc`. */
  order?: 'asc' | 'desc';
  /** The `nextCursor` of the previous page. */
  cursor?: string;
  /** Page size, 1–100 (backend default 25). */
  limit?: number;
}

/**
 * The backend API of the platform maturity plugin (`/api/platform-maturity`), as the frontend
 * uses it. Every method rejects with a `ResponseError` carrying the backend's message.
 *
 * @public
 */
export interface PlatformMaturityApi {
  /** Capabilities, effective checks, levels and ruleset hash. */
  getChecklist(): Promise<ChecklistResponse>;
  /** The latest scorecard, or `undefined` when the entity has not been evaluated (404). */
  getScorecard(
    entityRef: CompoundEntityRef,
  ): Promise<ScorecardResponse | undefined>;
  /** Evaluates the entity now (needs the refresh permission) and returns the new scorecard. */
  refreshScorecard(entityRef: CompoundEntityRef): Promise<ScorecardResponse>;
  /** The entity's history, one entry per change, oldest first. */
  getHistory(
    entityRef: CompoundEntityRef,
    options?: { since?: Date },
  ): Promise<HistoryResponse>;
  /** One page of scorecards. */
  listScorecards(request: ScorecardListRequest): Promise<ScorecardListResponse>;
  /** Rollups across the catalog, grouped by one dimension. */
  getSummary(groupBy: SummaryGroupBy): Promise<SummaryResponse>;
  /** The latest evaluation run, or `undefined` when none has run yet. */
  getLatestRun(): Promise<EvaluationRun | undefined>;
}

/**
 * The {@link PlatformMaturityApi} reference.
 *
 * @public
 */
export const platformMaturityApiRef = createApiRef<PlatformMaturityApi>({
  id: 'plugin.platform-maturity.api',
});
