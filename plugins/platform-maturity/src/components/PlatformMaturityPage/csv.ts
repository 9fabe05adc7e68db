import {
  roundScore,
  type CapabilityId,
  type ScorecardListItem,
} from '@paved/plugin-platform-maturity-common';
import type {
  PlatformMaturityApi,
  ScorecardListRequest,
} from '../../api/PlatformMaturityApi';
import { MAX_PAGE_SIZE } from './viewState';

/** A CSV cell: text, a number, or nothing. */
export type CsvCell = string | number | null | undefined;

// A spreadsheet runs a cell that starts with one of these as a formula (CSV injection, OWASP).
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field: text that a spreadsheet would run as a formula is prefixed with `'`, and a
 * field holding a comma, a double quote or a line break is quoted (RFC 4180). Numbers are
 * written as they are, so a negative number stays a number.
 */
export function csvField(cell: CsvCell): string {
  if (cell === null || cell === undefined) {
    return '';
  }
  if (typeof cell === 'number') {
    return Number.isFinite(cell) ? String(cell) : '';
  }
  const text = FORMULA_START.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows to CSV text, with CRLF line ends (RFC 4180). */
export function toCsv(rows: CsvCell[][]): string {
  return rows.map(row => `${row.map(csvField).join(',')}\r\n`).join('');
}

/** A score or share, rounded by the one rule of the card, the table and the rollups. */
function scoreCell(value: number | null | undefined): CsvCell {
  return value === null || value === undefined ? null : roundScore(value);
}

/**
 * A capability's cell: its score, or `unknown` when it could not be checked, or
 * `not-applicable`; empty when the list does not say.
 */
function capabilityCell(item: ScorecardListItem, id: CapabilityId): CsvCell {
  const status = item.capabilityStatuses?.[id];
  if (status === 'unknown' || status === 'not-applicable') {
    return status;
  }
  return scoreCell(item.capabilities[id]);
}

/**
 * The CSV of a list of scorecards: one row per entity, the columns named after the list route's
 * fields so that scripts can rely on them, one column per capability (its score, `unknown` or
 * `not-applicable`).
 */
export function scorecardsToCsv(
  items: ScorecardListItem[],
  capabilities: CapabilityId[],
): string {
  const header = [
    'entityRef',
    'title',
    'kind',
    'owner',
    'system',
    'domain',
    'lifecycle',
    'type',
    'level',
    'levelName',
    'score',
    'coverage',
    ...capabilities,
    'evaluatedAt',
  ];
  const rows = items.map(item => [
    item.entityRef,
    item.title,
    item.kind,
    item.owner,
    item.system,
    item.domain,
    item.lifecycle,
    item.type,
    item.level,
    item.levelName,
    scoreCell(item.score),
    scoreCell(item.coverage?.share),
    ...capabilities.map(id => capabilityCell(item, id)),
    item.evaluatedAt,
  ]);
  return toCsv([header, ...rows]);
}

/**
 * Every scorecard that a list request matches, in its sort order: pages of 100 fetched one after
 * the other by following `nextCursor`. `onPage` reports progress after each page.
 */
export async function fetchAllScorecards(
  api: Pick<PlatformMaturityApi, 'listScorecards'>,
  request: ScorecardListRequest,
  onPage?: (progress: { loaded: number; totalCount: number }) => void,
): Promise<ScorecardListItem[]> {
  const filters = { ...request };
  delete filters.cursor;
  const items: ScorecardListItem[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (;;) {
    const page = await api.listScorecards({
      ...filters,
      limit: MAX_PAGE_SIZE,
      ...(cursor ? { cursor } : {}),
    });
    items.push(...page.items);
    onPage?.({ loaded: items.length, totalCount: page.totalCount });
    if (!page.nextCursor || page.items.length === 0) {
      return items;
    }
    // A cursor seen before would loop forever; the backend never returns one, but a proxy
    // caching the first page could.
    if (seen.has(page.nextCursor)) {
      throw new Error(
        `The scorecard list returned the cursor '${page.nextCursor}' twice; the export stopped`,
      );
    }
    seen.add(page.nextCursor);
    cursor = page.nextCursor;
  }
}
