import type {
  SummaryGroupBy,
  SummaryResponse,
} from '@paved/plugin-platform-maturity-common';
import type { ViewFilters } from './viewState';

/** Reads a summary; the page shares one answer per dimension between its sections. */
export type SummaryLoader = (
  groupBy: SummaryGroupBy,
) => Promise<SummaryResponse>;

/** Shows the entities of a part of the catalog: replaces the table's filters with these. */
export type DrillDown = (filters: Partial<ViewFilters>) => void;
