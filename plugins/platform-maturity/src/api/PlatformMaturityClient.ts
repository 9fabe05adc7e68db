import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  ChecklistResponse,
  EvaluationRun,
  HistoryResponse,
  ScorecardListResponse,
  ScorecardResponse,
  SummaryGroupBy,
  SummaryResponse,
} from '@paved/plugin-platform-maturity-common';
import type {
  PlatformMaturityApi,
  ScorecardListRequest,
} from './PlatformMaturityApi';

/**
 * The {@link PlatformMaturityApi} over the backend's REST API, found through the discovery API
 * and called with the app's fetch API (which adds the user's credentials).
 *
 * @public
 */
export class PlatformMaturityClient implements PlatformMaturityApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getChecklist(): Promise<ChecklistResponse> {
    return this.request('/v1/checklist');
  }

  async getScorecard(
    entityRef: CompoundEntityRef,
  ): Promise<ScorecardResponse | undefined> {
    return this.requestOptional(scorecardPath(entityRef));
  }

  async refreshScorecard(
    entityRef: CompoundEntityRef,
  ): Promise<ScorecardResponse> {
    return this.request(`${scorecardPath(entityRef)}/refresh`, {
      method: 'POST',
    });
  }

  async getHistory(
    entityRef: CompoundEntityRef,
    options: { since?: Date } = {},
  ): Promise<HistoryResponse> {
    const query = new URLSearchParams();
    if (options.since) {
      query.set('since', options.since.toISOString());
    }
    return this.request(`${scorecardPath(entityRef)}/history`, {}, query);
  }

  async listScorecards(
    request: ScorecardListRequest,
  ): Promise<ScorecardListResponse> {
    const query = new URLSearchParams();
    const lists: Array<[string, Array<string | number> | undefined]> = [
      ['owner', request.owner],
      ['kind', request.kind],
      ['lifecycle', request.lifecycle],
      ['system', request.system],
      ['domain', request.domain],
      ['level', request.level],
    ];
    for (const [name, values] of lists) {
      if (values && values.length > 0) {
        query.set(name, values.join(','));
      }
    }
    const single: Array<[string, string | number | undefined]> = [
      ['capability', request.failingCapability],
      ['q', request.q],
      ['orderBy', request.orderBy],
      ['order', request.order],
      ['cursor', request.cursor],
      ['limit', request.limit],
    ];
    for (const [name, value] of single) {
      if (value !== undefined && value !== '') {
        query.set(name, String(value));
      }
    }
    return this.request('/v1/scorecards', {}, query);
  }

  async getSummary(groupBy: SummaryGroupBy): Promise<SummaryResponse> {
    return this.request('/v1/summary', {}, new URLSearchParams({ groupBy }));
  }

  async getLatestRun(): Promise<EvaluationRun | undefined> {
    return this.requestOptional('/v1/runs/latest');
  }

  private async fetch(
    path: string,
    init: RequestInit,
    query?: URLSearchParams,
  ): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('platform-maturity');
    const search = query?.toString();
    return this.fetchApi.fetch(
      `${baseUrl}${path}${search ? `?${search}` : ''}`,
      init,
    );
  }

  private async request<T>(
    path: string,
    init: RequestInit = {},
    query?: URLSearchParams,
  ): Promise<T> {
    const response = await this.fetch(path, init, query);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }

  /** Like `request`, but a 404 answers `undefined`: the thing does not exist (yet). */
  private async requestOptional<T>(path: string): Promise<T | undefined> {
    const response = await this.fetch(path, {});
    if (response.status === 404) {
      return undefined;
    }
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}

function scorecardPath(entityRef: CompoundEntityRef): string {
  const parts = [entityRef.kind, entityRef.namespace, entityRef.name].map(
    encodeURIComponent,
  );
  return `/v1/scorecards/${parts.join('/')}`;
}
