import { ResponseError } from '@backstage/errors';
import {
  CAPABILITIES,
  DEFAULT_LEVELS,
  type CapabilityId,
  type CapabilityStatus,
  type ChecklistResponse,
  type EvaluationRun,
  type ScorecardListItem,
  type ScorecardListResponse,
  type SummaryGroup,
  type SummaryGroupBy,
  type SummaryResponse,
} from '@paved/plugin-platform-maturity-common';
import type {
  PlatformMaturityApi,
  ScorecardListRequest,
} from '../../../api/PlatformMaturityApi';

// Test support: an in-memory PlatformMaturityApi that filters, sorts, pages and summarises like
// the backend's store does, and records every call the page makes.

/** A stored scorecard row: a list item plus whether any check applies to it. */
export interface FakeScorecard extends ScorecardListItem {
  inScope: boolean;
}

const CAPABILITY_IDS = CAPABILITIES.map(c => c.id);

const OWNERS = [
  'group:default/payments',
  'group:default/search',
  'group:default/platform',
  'user:default/jdoe',
  undefined,
];
const SYSTEMS: Array<[string | undefined, string | undefined]> = [
  ['system:default/checkout', 'domain:default/commerce'],
  ['system:default/catalog-search', 'domain:default/discovery'],
  ['system:default/ledger', 'domain:default/commerce'],
  [undefined, undefined],
];
const LIFECYCLES = ['production', 'experimental', 'deprecated'];

function capabilitiesAt(
  level: number,
  index: number,
): Record<CapabilityId, number | null> {
  const complete = (requiredLevel: number, partial: number) =>
    level >= requiredLevel ? 100 : partial;
  return {
    build: complete(1, index % 2 ? 50 : 0),
    deploy: complete(2, 33.3),
    observe: complete(3, index % 3 ? 66.7 : 0),
    // Every third service has no data store: not applicable.
    data: index % 3 === 0 ? null : complete(4, 50),
    capacity: complete(4, index % 4 ? 50 : 0),
    'as-code': complete(4, 75),
  };
}

function statusesOf(
  capabilities: Record<CapabilityId, number | null>,
): Record<CapabilityId, CapabilityStatus> {
  const statusOf = (score: number | null): CapabilityStatus => {
    if (score === null) return 'not-applicable';
    if (score === 100) return 'complete';
    return score === 0 ? 'missing' : 'partial';
  };
  return Object.fromEntries(
    CAPABILITY_IDS.map(id => [id, statusOf(capabilities[id])]),
  ) as Record<CapabilityId, CapabilityStatus>;
}

function meanOf(values: Array<number | null>): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length
    ? Math.round((known.reduce((a, b) => a + b, 0) / known.length) * 10) / 10
    : null;
}

/**
 * A realistic catalog of `count` scorecards: services spread over owners, systems, lifecycles
 * and every level, a few APIs, and two out-of-scope Resources.
 */
export function fakeScorecards(count = 57): FakeScorecard[] {
  const items: FakeScorecard[] = [];
  for (let i = 0; i < count; i++) {
    const outOfScope = i >= count - 2;
    let kind = i % 9 === 4 ? 'api' : 'component';
    if (outOfScope) {
      kind = 'resource';
    }
    const name = `${kind === 'api' ? 'api' : 'service'}-${String(i).padStart(
      2,
      '0',
    )}`;
    const [system, domain] = SYSTEMS[i % SYSTEMS.length];
    const level = outOfScope ? null : (i * 7) % 5;
    const capabilities = outOfScope
      ? (Object.fromEntries(CAPABILITY_IDS.map(id => [id, null])) as Record<
          CapabilityId,
          number | null
        >)
      : capabilitiesAt(level!, i);
    items.push({
      entityRef: `${kind}:default/${name}`,
      kind,
      namespace: 'default',
      name,
      ...(i % 4 === 1 ? { title: `Service ${i}` } : {}),
      owner: OWNERS[i % OWNERS.length],
      system,
      domain,
      lifecycle: LIFECYCLES[i % LIFECYCLES.length],
      type: kind === 'component' ? 'service' : undefined,
      score: outOfScope ? null : meanOf(Object.values(capabilities)),
      level,
      levelName:
        level === null
          ? null
          : DEFAULT_LEVELS.find(l => l.level === level)!.name,
      capabilities,
      capabilityStatuses: statusesOf(capabilities),
      coverage: outOfScope
        ? null
        : {
            share: 100,
            checkedCapabilities: Object.values(capabilities).filter(
              c => c !== null,
            ).length,
            applicableCapabilities: Object.values(capabilities).filter(
              c => c !== null,
            ).length,
          },
      evaluatedAt: new Date(
        Date.UTC(2025, 2, 1 + (i % 20), 8, i % 60),
      ).toISOString(),
      inScope: !outOfScope,
    });
  }
  return items;
}

/** A `ResponseError` as the client throws it for an error answer of the backend. */
export async function fakeResponseError(
  status: number,
  statusText: string,
  error: { name: string; message: string },
): Promise<ResponseError> {
  const body = JSON.stringify({
    error,
    request: { method: 'GET', url: '/api/platform-maturity/v1/scorecards' },
    response: { statusCode: status },
  });
  return ResponseError.fromResponse({
    ok: false,
    status,
    statusText,
    url: 'http://localhost:7007/api/platform-maturity/v1/scorecards',
    redirected: false,
    type: 'basic',
    headers: new Headers({ 'content-type': 'application/json' }),
    text: async () => body,
  });
}

type Method = keyof PlatformMaturityApi;

/** One recorded call of {@link FakePlatformMaturityApi}. */
export interface FakeCall {
  method: Method;
  args: unknown[];
}

/** Level, then score, then coverage, for both `level` and `score`, as the backend sorts. */
const levelScoreCoverage = (item: ScorecardListItem) => [
  item.level ?? -1,
  item.score ?? -1,
  item.coverage?.share ?? -1,
];

const ORDER_VALUE: Record<
  NonNullable<ScorecardListRequest['orderBy']>,
  (item: ScorecardListItem) => string | number | number[]
> = {
  entityRef: item => item.entityRef,
  name: item => item.name,
  owner: item => item.owner ?? '',
  score: levelScoreCoverage,
  level: levelScoreCoverage,
  evaluatedAt: item => item.evaluatedAt,
};

function compare(
  a: string | number | number[],
  b: string | number | number[],
): number {
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < a.length; i++) {
      const order = compare(a[i], b[i]);
      if (order !== 0) return order;
    }
    return 0;
  }
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

/** An in-memory {@link PlatformMaturityApi} over {@link fakeScorecards}. */
export class FakePlatformMaturityApi implements PlatformMaturityApi {
  readonly calls: FakeCall[] = [];
  /** Makes the named method reject with this error. */
  readonly failures: Partial<Record<Method, Error>> = {};

  constructor(
    readonly scorecards: FakeScorecard[] = fakeScorecards(),
    /** What `getLatestRun` answers; a test may change it between calls. */
    public latestRun?: EvaluationRun,
  ) {}

  /** The requests of every `listScorecards` call, oldest first. */
  get listRequests(): ScorecardListRequest[] {
    return this.calls
      .filter(c => c.method === 'listScorecards')
      .map(c => c.args[0] as ScorecardListRequest);
  }

  get lastListRequest(): ScorecardListRequest | undefined {
    return this.listRequests[this.listRequests.length - 1];
  }

  private async record(method: Method, args: unknown[]): Promise<void> {
    this.calls.push({ method, args });
    const failure = this.failures[method];
    if (failure) {
      throw failure;
    }
  }

  async getChecklist(): Promise<ChecklistResponse> {
    await this.record('getChecklist', []);
    return {
      capabilities: [...CAPABILITIES],
      checks: [],
      levels: [...DEFAULT_LEVELS],
      rulesetHash: 'fnv1a64:0123456789abcdef',
    };
  }

  async getScorecard(): Promise<undefined> {
    await this.record('getScorecard', []);
    return undefined;
  }

  async refreshScorecard(): Promise<never> {
    await this.record('refreshScorecard', []);
    throw new Error('refreshScorecard is not used by the overview page');
  }

  async getHistory(): Promise<never> {
    await this.record('getHistory', []);
    throw new Error('getHistory is not used by the overview page');
  }

  async getLatestRun(): Promise<EvaluationRun | undefined> {
    await this.record('getLatestRun', []);
    return this.latestRun;
  }

  async listScorecards(
    request: ScorecardListRequest,
  ): Promise<ScorecardListResponse> {
    await this.record('listScorecards', [request]);
    const orderBy = request.orderBy ?? 'entityRef';
    const order = request.order ?? 'asc';
    const limit = request.limit ?? 25;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      throw await fakeResponseError(400, 'Bad Request', {
        name: 'InputError',
        message:
          "Invalid query parameter 'limit': must be a whole number from 1 to 100",
      });
    }
    const q = request.q?.toLowerCase();
    const matching = this.scorecards.filter(
      item =>
        (!request.owner?.length ||
          request.owner.includes(item.owner as string)) &&
        (!request.kind?.length ||
          request.kind.map(k => k.toLowerCase()).includes(item.kind)) &&
        (!request.lifecycle?.length ||
          request.lifecycle.includes(item.lifecycle as string)) &&
        (!request.system?.length ||
          request.system.includes(item.system as string)) &&
        (!request.domain?.length ||
          request.domain.includes(item.domain as string)) &&
        (!request.level?.length ||
          request.level.includes(item.level as number)) &&
        (!request.failingCapability ||
          (item.capabilities[request.failingCapability] ?? 100) < 100) &&
        (!q ||
          item.entityRef.toLowerCase().includes(q) ||
          (item.title?.toLowerCase().includes(q) ?? false)),
    );
    const sign = order === 'desc' ? -1 : 1;
    const valueOf = ORDER_VALUE[orderBy];
    matching.sort(
      (a, b) =>
        sign *
        (compare(valueOf(a), valueOf(b)) || compare(a.entityRef, b.entityRef)),
    );
    let offset = 0;
    if (request.cursor) {
      const cursor = JSON.parse(atob(request.cursor));
      if (cursor.orderBy !== orderBy || cursor.order !== order) {
        throw await fakeResponseError(400, 'Bad Request', {
          name: 'InputError',
          message: 'The cursor belongs to another sort order',
        });
      }
      offset = cursor.offset;
    }
    const items = matching
      .slice(offset, offset + limit)
      .map(({ inScope: _inScope, ...item }) => item);
    const next = offset + limit;
    return {
      items,
      totalCount: matching.length,
      ...(next < matching.length
        ? { nextCursor: btoa(JSON.stringify({ orderBy, order, offset: next })) }
        : {}),
    };
  }

  async getSummary(groupBy: SummaryGroupBy): Promise<SummaryResponse> {
    await this.record('getSummary', [groupBy]);
    const byKey = new Map<string | null, FakeScorecard[]>();
    for (const item of this.scorecards.filter(s => s.inScope)) {
      const key = item[groupBy] ?? null;
      byKey.set(key, [...(byKey.get(key) ?? []), item]);
    }
    const groups: SummaryGroup[] = [...byKey.entries()]
      .sort(([a], [b]) => {
        if (a === null) return 1;
        if (b === null) return -1;
        return compare(a, b);
      })
      .map(([key, items]) => {
        const levels: Record<string, number> = {};
        for (const item of items) {
          if (item.level !== null) {
            levels[item.level] = (levels[item.level] ?? 0) + 1;
          }
        }
        const completion = (id: CapabilityId) => {
          const applicable = items.filter(i => i.capabilities[id] !== null);
          const done = applicable.filter(i => i.capabilities[id] === 100);
          return applicable.length
            ? Math.round((1000 * done.length) / applicable.length) / 10
            : null;
        };
        return {
          key,
          count: items.length,
          meanScore: meanOf(items.map(i => i.score)),
          meanCoverage: meanOf(items.map(i => i.coverage?.share ?? null)),
          partlyChecked: items.filter(
            i => i.coverage !== null && i.coverage.share < 100,
          ).length,
          levels,
          capabilityCompletion: Object.fromEntries(
            CAPABILITY_IDS.map(id => [id, completion(id)]),
          ) as Record<CapabilityId, number | null>,
        };
      });
    return { groupBy, groups };
  }
}
