import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { CapabilityId } from '@paved/plugin-platform-maturity-common';
import type { ScorecardListRequest } from '../../api/PlatformMaturityApi';

/** The sort keys of the list route. */
export type EntityOrderBy = NonNullable<ScorecardListRequest['orderBy']>;

/** The dimensions the rollups can be grouped by (those the list route can filter on). */
export type RollupGroupBy = 'owner' | 'system' | 'domain';

/**
 * What the overview page shows: the entity table's filters, sort and page size, and the
 * dimension of the rollups. It lives in the URL query string so a view can be shared.
 */
export interface ViewState {
  owner: string[];
  kind: string[];
  lifecycle: string[];
  system: string[];
  domain: string[];
  level: number[];
  failingCapability?: CapabilityId;
  q: string;
  orderBy: EntityOrderBy;
  order: 'asc' | 'desc';
  limit: number;
  groupBy: RollupGroupBy;
}

/** The filters of a view, which a drill-down replaces. */
export type ViewFilters = Pick<
  ViewState,
  | 'owner'
  | 'kind'
  | 'lifecycle'
  | 'system'
  | 'domain'
  | 'level'
  | 'failingCapability'
  | 'q'
>;

export const PAGE_SIZES = [10, 25, 50, 100];
export const MAX_PAGE_SIZE = 100;
/** The list route accepts search strings up to this length. */
export const MAX_SEARCH_LENGTH = 200;

// A record keyed by `CapabilityId` makes the compiler check that every id is listed, and only
// those; a local list keeps the common package's runtime code out of this chunk.
const CAPABILITY_IDS: Record<CapabilityId, true> = {
  build: true,
  deploy: true,
  observe: true,
  data: true,
  capacity: true,
  'as-code': true,
};

const ORDER_BYS: readonly EntityOrderBy[] = [
  'entityRef',
  'name',
  'owner',
  'score',
  'level',
  'evaluatedAt',
];
const GROUP_BYS: readonly RollupGroupBy[] = ['owner', 'system', 'domain'];

export const NO_FILTERS: ViewFilters = {
  owner: [],
  kind: [],
  lifecycle: [],
  system: [],
  domain: [],
  level: [],
  failingCapability: undefined,
  q: '',
};

export const DEFAULT_VIEW: ViewState = {
  ...NO_FILTERS,
  orderBy: 'entityRef',
  order: 'asc',
  limit: 25,
  groupBy: 'owner',
};

function isCapabilityId(value: string | null): value is CapabilityId {
  return value !== null && Object.hasOwn(CAPABILITY_IDS, value);
}

function distinct<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function strings(params: URLSearchParams, key: string): string[] {
  return distinct(
    params
      .getAll(key)
      .map(value => value.trim())
      .filter(Boolean),
  );
}

/**
 * A full, lower-case entity ref as the backend stores owners, systems and domains, so that
 * `payments` or `Group:Payments` typed by hand finds `group:default/payments`. A value that is
 * not an entity ref is kept as typed; it matches nothing.
 */
export function normalizeEntityRef(value: string, defaultKind: string): string {
  try {
    return stringifyEntityRef(parseEntityRef(value.trim(), { defaultKind }));
  } catch {
    return value.trim().toLocaleLowerCase('en-US');
  }
}

/**
 * Reads a view from the query string. The URL is editable by hand, so values the backend would
 * reject (an unknown sort, a page size over 100, a level that is not a number) are dropped
 * rather than turned into an error page.
 */
export function readViewState(params: URLSearchParams): ViewState {
  const orderBy = params.get('orderBy');
  const order = params.get('order');
  const groupBy = params.get('groupBy');
  const capability = params.get('capability');
  const limit = Number(params.get('limit'));
  return {
    owner: distinct(
      strings(params, 'owner').map(o => normalizeEntityRef(o, 'group')),
    ),
    kind: distinct(
      strings(params, 'kind').map(k => k.toLocaleLowerCase('en-US')),
    ),
    lifecycle: strings(params, 'lifecycle'),
    system: distinct(
      strings(params, 'system').map(s => normalizeEntityRef(s, 'system')),
    ),
    domain: distinct(
      strings(params, 'domain').map(d => normalizeEntityRef(d, 'domain')),
    ),
    level: distinct(
      strings(params, 'level')
        .filter(l => /^\d+$/.test(l))
        .map(Number),
    ).sort((a, b) => a - b),
    failingCapability: isCapabilityId(capability) ? capability : undefined,
    q: (params.get('q') ?? '').slice(0, MAX_SEARCH_LENGTH),
    orderBy: ORDER_BYS.find(o => o === orderBy) ?? DEFAULT_VIEW.orderBy,
    order: order === 'desc' ? 'desc' : 'asc',
    limit:
      Number.isInteger(limit) && limit >= 1 && limit <= MAX_PAGE_SIZE
        ? limit
        : DEFAULT_VIEW.limit,
    groupBy: GROUP_BYS.find(g => g === groupBy) ?? DEFAULT_VIEW.groupBy,
  };
}

/** Writes a view to a query string, leaving out what equals the default. */
export function writeViewState(view: ViewState): URLSearchParams {
  const params = new URLSearchParams();
  const lists = [
    ['owner', view.owner],
    ['kind', view.kind],
    ['lifecycle', view.lifecycle],
    ['system', view.system],
    ['domain', view.domain],
    ['level', view.level.map(String)],
  ] as const;
  for (const [key, values] of lists) {
    for (const value of values) {
      params.append(key, value);
    }
  }
  if (view.failingCapability) {
    params.set('capability', view.failingCapability);
  }
  if (view.q) {
    params.set('q', view.q);
  }
  if (view.orderBy !== DEFAULT_VIEW.orderBy) {
    params.set('orderBy', view.orderBy);
  }
  if (view.order !== DEFAULT_VIEW.order) {
    params.set('order', view.order);
  }
  if (view.limit !== DEFAULT_VIEW.limit) {
    params.set('limit', String(view.limit));
  }
  if (view.groupBy !== DEFAULT_VIEW.groupBy) {
    params.set('groupBy', view.groupBy);
  }
  return params;
}

/** True when the view filters the entities at all. */
export function hasFilters(view: ViewFilters): boolean {
  return (
    view.owner.length +
      view.kind.length +
      view.lifecycle.length +
      view.system.length +
      view.domain.length +
      view.level.length >
      0 ||
    view.failingCapability !== undefined ||
    view.q.trim() !== ''
  );
}

/** The list request of a view, without a cursor; empty filters are left out. */
export function toListRequest(view: ViewState): ScorecardListRequest {
  const request: ScorecardListRequest = {
    orderBy: view.orderBy,
    order: view.order,
    limit: view.limit,
  };
  if (view.owner.length) request.owner = view.owner;
  if (view.kind.length) request.kind = view.kind;
  if (view.lifecycle.length) request.lifecycle = view.lifecycle;
  if (view.system.length) request.system = view.system;
  if (view.domain.length) request.domain = view.domain;
  if (view.level.length) request.level = view.level;
  if (view.failingCapability)
    request.failingCapability = view.failingCapability;
  const q = view.q.trim();
  if (q) request.q = q;
  return request;
}
