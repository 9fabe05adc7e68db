import { Content, Header, Page, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import type {
  SummaryGroupBy,
  SummaryResponse,
} from '@paved/plugin-platform-maturity-common';
import { useCallback, useMemo, useRef } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { platformMaturityApiRef } from '../../api/PlatformMaturityApi';
import { CatalogOverview } from './CatalogOverview';
import { ErrorPanel } from './ErrorPanel';
import { RollupCard } from './RollupCard';
import { ScorecardTable } from './ScorecardTable';
import type { DrillDown, SummaryLoader } from './types';
import {
  NO_FILTERS,
  readViewState,
  writeViewState,
  type ViewState,
} from './viewState';

/**
 * Properties of {@link PlatformMaturityPage}; all optional.
 *
 * @public
 */
export interface PlatformMaturityPageProps {
  /** The page title. Default: `Platform maturity`. */
  title?: string;
  /** The line under the title. */
  subtitle?: string;
}

/** The view in the URL query string, and a way to change it. */
function useView() {
  const [params, setParams] = useSearchParams();
  const view = useMemo(() => readViewState(params), [params]);
  const update = useCallback(
    (patch: Partial<ViewState>, options?: { replace?: boolean }) =>
      // From the current URL, not `view`: two updates in one tick must not undo each other.
      setParams(
        current => writeViewState({ ...readViewState(current), ...patch }),
        { replace: options?.replace },
      ),
    [setParams],
  );
  return { view, update };
}

/**
 * One request per summary dimension for the page's lifetime: the overview, the rollups and the
 * filter options share it. A failed request is forgotten so that the next use retries.
 */
function useSummaryLoader(): SummaryLoader {
  const api = useApi(platformMaturityApiRef);
  return useMemo(() => {
    const cache = new Map<SummaryGroupBy, Promise<SummaryResponse>>();
    return (groupBy: SummaryGroupBy) => {
      let summary = cache.get(groupBy);
      if (!summary) {
        summary = api.getSummary(groupBy);
        cache.set(groupBy, summary);
        summary.catch(() => cache.delete(groupBy));
      }
      return summary;
    };
  }, [api]);
}

function PlatformMaturityOverview() {
  const api = useApi(platformMaturityApiRef);
  const checklist = useAsync(() => api.getChecklist(), [api]);
  const summaries = useSummaryLoader();
  const { view, update } = useView();
  const tableHeading = useRef<HTMLSpanElement>(null);

  const drillDown: DrillDown = useCallback(
    filters => {
      update({ ...NO_FILTERS, ...filters });
      // Keyboard and screen reader users land where the result is.
      tableHeading.current?.focus();
    },
    [update],
  );
  const clearFilters = useCallback(() => update(NO_FILTERS), [update]);

  if (checklist.loading) {
    return <Progress />;
  }
  if (checklist.error || !checklist.value) {
    return (
      <ErrorPanel
        title="Could not load the checklist"
        error={checklist.error ?? new Error('No checklist')}
      />
    );
  }
  return (
    <Grid container spacing={3} className="paved-platform-maturity-overview">
      <CatalogOverview
        checklist={checklist.value}
        summaries={summaries}
        onDrillDown={drillDown}
      />
      <Grid item xs={12}>
        <RollupCard
          checklist={checklist.value}
          summaries={summaries}
          groupBy={view.groupBy}
          onGroupByChange={groupBy => update({ groupBy }, { replace: true })}
          onDrillDown={drillDown}
        />
      </Grid>
      <Grid item xs={12}>
        <ScorecardTable
          headingRef={tableHeading}
          view={view}
          checklist={checklist.value}
          summaries={summaries}
          onChange={update}
          onClear={clearFilters}
        />
      </Grid>
    </Grid>
  );
}

/**
 * The organisation overview of platform maturity: the level distribution and capability
 * completion across the catalog, rollups by owner, system and domain with drill-down, and a
 * filterable, sortable table of every entity's scorecard with CSV export. The filters live in
 * the URL query string, so a view can be bookmarked and shared.
 *
 * @public
 */
export function PlatformMaturityPage(props: PlatformMaturityPageProps) {
  const {
    title = 'Platform maturity',
    subtitle = 'How far each service is from the self-serve platform tier',
  } = props;
  return (
    <Page themeId="tool">
      <Header title={title} subtitle={subtitle} />
      <Content>
        <PlatformMaturityOverview />
      </Content>
    </Page>
  );
}
