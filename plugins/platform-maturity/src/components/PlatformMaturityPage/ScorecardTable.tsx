import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import LinearProgress from '@material-ui/core/LinearProgress';
import { makeStyles } from '@material-ui/core/styles';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TablePagination from '@material-ui/core/TablePagination';
import TableRow from '@material-ui/core/TableRow';
import TableSortLabel from '@material-ui/core/TableSortLabel';
import Typography from '@material-ui/core/Typography';
import GetAppIcon from '@material-ui/icons/GetApp';
import Alert from '@material-ui/lab/Alert';
import type {
  ChecklistResponse,
  ScorecardListItem,
} from '@paved/plugin-platform-maturity-common';
import { type Ref, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { platformMaturityApiRef } from '../../api/PlatformMaturityApi';
import { CapabilityHeaderCell } from './capabilityHeader';
import { fetchAllScorecards, scorecardsToCsv } from './csv';
import { downloadText } from './download';
import { errorMessage } from '../../lib/errors';
import { EntityTabLink } from './EntityTabLink';
import { ErrorPanel } from './ErrorPanel';
import { formatDateTime, formatNumber, levelLabel } from './format';
import { ScorecardFilters } from './ScorecardFilters';
import { useNarrow, useSharedStyles, useTableStyles } from './styles';
import type { SummaryLoader } from './types';
import {
  PAGE_SIZES,
  hasFilters,
  toListRequest,
  type EntityOrderBy,
  type ViewState,
} from './viewState';

const useStyles = makeStyles(theme => ({
  facts: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5, 2),
    margin: theme.spacing(0.5, 0, 0),
  },
}));

/** An entity of the narrow list: name, level and score first, then owner and gaps. */
function EntityListItem(props: {
  item: ScorecardListItem;
  checklist: ChecklistResponse;
}) {
  const { item, checklist } = props;
  const classes = useStyles();
  const tables = useTableStyles();
  const incomplete = checklist.capabilities.filter(c => {
    const score = item.capabilities[c.id];
    return (
      item.capabilityStatuses?.[c.id] !== 'unknown' &&
      score !== null &&
      score !== undefined &&
      score < 100
    );
  });
  const unknown = checklist.capabilities.filter(
    c => item.capabilityStatuses?.[c.id] === 'unknown',
  );
  return (
    <li className={tables.item} data-entity-ref={item.entityRef}>
      <Typography variant="subtitle1" component="h3">
        <EntityTabLink entityRef={item.entityRef} title={item.title} />
      </Typography>
      <Typography variant="body2">
        {item.level === null
          ? 'No level'
          : levelLabel(item.level, item.levelName)}
        {' · '}Score {formatNumber(item.score)}
        {item.coverage &&
          item.coverage.share < 100 &&
          ` (${item.coverage.checkedCapabilities} of ${item.coverage.applicableCapabilities} checked)`}
      </Typography>
      <dl className={classes.facts}>
        <Typography variant="body2" color="textSecondary" component="div">
          <dt style={{ display: 'inline' }}>Owner: </dt>
          <dd style={{ display: 'inline', margin: 0 }}>
            {item.owner ? (
              <EntityRefLink entityRef={item.owner} defaultKind="group" />
            ) : (
              '—'
            )}
          </dd>
        </Typography>
        {incomplete.length > 0 && (
          <Typography variant="body2" color="textSecondary" component="div">
            <dt style={{ display: 'inline' }}>Incomplete: </dt>
            <dd style={{ display: 'inline', margin: 0 }}>
              {incomplete.map(c => c.title).join(', ')}
            </dd>
          </Typography>
        )}
        {unknown.length > 0 && (
          <Typography variant="body2" color="textSecondary" component="div">
            <dt style={{ display: 'inline' }}>Could not check: </dt>
            <dd style={{ display: 'inline', margin: 0 }}>
              {unknown.map(c => c.title).join(', ')}
            </dd>
          </Typography>
        )}
        <Typography variant="body2" color="textSecondary" component="div">
          <dt style={{ display: 'inline' }}>Evaluated: </dt>
          <dd style={{ display: 'inline', margin: 0 }}>
            <time dateTime={item.evaluatedAt}>
              {formatDateTime(item.evaluatedAt)}
            </time>
          </dd>
        </Typography>
      </dl>
    </li>
  );
}

/** A column header that sorts the list on the server; a second click reverses the order. */
function SortableHeader(props: {
  orderBy: EntityOrderBy;
  label: string;
  view: ViewState;
  align?: 'right';
  onSort: (orderBy: EntityOrderBy) => void;
}) {
  const { orderBy, label, view, align, onSort } = props;
  const active = view.orderBy === orderBy;
  return (
    <TableCell
      align={align}
      sortDirection={active ? view.order : false}
      aria-label={label}
    >
      <TableSortLabel
        active={active}
        direction={active ? view.order : 'asc'}
        onClick={() => onSort(orderBy)}
        aria-label={`Sort by ${label.toLowerCase()}`}
      >
        {label}
      </TableSortLabel>
    </TableCell>
  );
}

function EntityRow(props: {
  item: ScorecardListItem;
  checklist: ChecklistResponse;
}) {
  const { item, checklist } = props;
  return (
    <TableRow>
      <TableCell component="th" scope="row">
        <EntityTabLink entityRef={item.entityRef} title={item.title} />
      </TableCell>
      <TableCell>
        {item.owner ? (
          <EntityRefLink entityRef={item.owner} defaultKind="group" />
        ) : (
          '—'
        )}
      </TableCell>
      <TableCell>{item.kind}</TableCell>
      <TableCell>{item.lifecycle ?? '—'}</TableCell>
      <TableCell data-nowrap>
        {item.level === null ? '—' : levelLabel(item.level, item.levelName)}
      </TableCell>
      <TableCell align="right" data-nowrap>
        {formatNumber(item.score)}
        {item.coverage && item.coverage.share < 100 && (
          <Typography
            variant="caption"
            color="textSecondary"
            component="span"
            display="block"
          >
            {item.coverage.checkedCapabilities} of{' '}
            {item.coverage.applicableCapabilities} checked
          </Typography>
        )}
      </TableCell>
      {checklist.capabilities.map(c => (
        <TableCell key={c.id} align="right" data-nowrap>
          {item.capabilityStatuses?.[c.id] === 'unknown' ? (
            <Typography
              variant="body2"
              color="textSecondary"
              component="span"
              title="Could not check"
            >
              unknown
            </Typography>
          ) : (
            formatNumber(item.capabilities[c.id])
          )}
        </TableCell>
      ))}
      <TableCell data-nowrap>
        <time dateTime={item.evaluatedAt}>
          {formatDateTime(item.evaluatedAt)}
        </time>
      </TableCell>
    </TableRow>
  );
}

/** The export action: every page of the current view as one CSV download. */
function ExportButton(props: {
  view: ViewState;
  checklist: ChecklistResponse;
  totalCount?: number;
}) {
  const { view, checklist, totalCount } = props;
  const classes = useSharedStyles();
  const api = useApi(platformMaturityApiRef);
  const [progress, setProgress] = useState<string>();
  const [state, runExport] = useAsyncFn(async () => {
    setProgress(undefined);
    const items = await fetchAllScorecards(
      api,
      toListRequest(view),
      ({ loaded, totalCount: total }) =>
        setProgress(`Exporting ${loaded} of ${total}…`),
    );
    const csv = scorecardsToCsv(
      items,
      checklist.capabilities.map(c => c.id),
    );
    const day = new Date().toISOString().slice(0, 10);
    downloadText(`platform-maturity-${day}.csv`, csv, 'text/csv');
    return items.length;
  }, [api, view, checklist]);

  return (
    <Box display="flex" flexDirection="column" alignItems="flex-end">
      <Button
        variant="outlined"
        color="primary"
        startIcon={<GetAppIcon />}
        disabled={state.loading || !totalCount}
        onClick={runExport}
        // The name starts with what the button shows (WCAG's label in name).
        aria-label={
          totalCount
            ? `Export CSV of the ${totalCount} entities in this view`
            : 'Export CSV'
        }
      >
        {state.loading ? progress ?? 'Exporting…' : 'Export CSV'}
      </Button>
      <span role="status" className={classes.visuallyHidden}>
        {state.loading ? progress : ''}
      </span>
      {state.error && (
        <Box mt={1}>
          <Alert severity="error">
            The export failed: {errorMessage(state.error)}
          </Alert>
        </Box>
      )}
    </Box>
  );
}

/**
 * The entities of the catalog with their scorecards: filters and sort in the URL, pages fetched
 * from the server by cursor, and an export of the whole view.
 */
export function ScorecardTable(props: {
  view: ViewState;
  checklist: ChecklistResponse;
  summaries: SummaryLoader;
  onChange: (
    patch: Partial<ViewState>,
    options?: { replace?: boolean },
  ) => void;
  onClear: () => void;
  /** The card's title, which a drill-down focuses. */
  headingRef: Ref<HTMLSpanElement>;
}) {
  const { view, checklist, summaries, onChange, onClear, headingRef } = props;
  const api = useApi(platformMaturityApiRef);
  const tables = useTableStyles();
  const narrow = useNarrow();

  // The cursors of the pages before this one: "previous" pops, "next" pushes. Another view
  // (filters, sort, page size) starts again at the first page.
  const request = toListRequest(view);
  const requestKey = JSON.stringify(request);
  const [paging, setPaging] = useState<{ key: string; cursors: string[] }>({
    key: requestKey,
    cursors: [],
  });
  const cursors = paging.key === requestKey ? paging.cursors : [];
  const cursor = cursors[cursors.length - 1];

  const page = useAsync(
    () => api.listScorecards(cursor ? { ...request, cursor } : request),
    // `requestKey` stands for `request`, which is a new object on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, requestKey, cursor],
  );

  const onSort = (orderBy: EntityOrderBy) =>
    onChange({
      orderBy,
      order: view.orderBy === orderBy && view.order === 'asc' ? 'desc' : 'asc',
    });

  const columns = 7 + checklist.capabilities.length;
  let body;
  if (page.error) {
    body = (
      <ErrorPanel title="Could not load the scorecards" error={page.error} />
    );
  } else if (!page.value) {
    body = <Progress />;
  } else {
    const { items, totalCount, nextCursor } = page.value;
    body = (
      <>
        {page.loading && <LinearProgress aria-label="Loading scorecards" />}
        {narrow ? (
          <>
            <ul className={tables.list} aria-label="Scorecards of the entities">
              {items.map(item => (
                <EntityListItem
                  key={item.entityRef}
                  item={item}
                  checklist={checklist}
                />
              ))}
            </ul>
            {items.length === 0 && (
              <Typography variant="body2">
                {hasFilters(view)
                  ? 'No entity matches these filters.'
                  : 'No scorecards yet.'}
              </Typography>
            )}
          </>
        ) : (
          <TableContainer>
            <Table
              size="small"
              className={tables.table}
              aria-label="Scorecards of the entities"
            >
              <TableHead>
                <TableRow>
                  <SortableHeader
                    orderBy="name"
                    label="Entity"
                    view={view}
                    onSort={onSort}
                  />
                  <SortableHeader
                    orderBy="owner"
                    label="Owner"
                    view={view}
                    onSort={onSort}
                  />
                  <TableCell>Kind</TableCell>
                  <TableCell>Lifecycle</TableCell>
                  <SortableHeader
                    orderBy="level"
                    label="Level"
                    view={view}
                    onSort={onSort}
                  />
                  <SortableHeader
                    orderBy="score"
                    label="Score"
                    align="right"
                    view={view}
                    onSort={onSort}
                  />
                  {checklist.capabilities.map(c => (
                    <CapabilityHeaderCell key={c.id} capability={c} />
                  ))}
                  <SortableHeader
                    orderBy="evaluatedAt"
                    label="Evaluated"
                    view={view}
                    onSort={onSort}
                  />
                </TableRow>
              </TableHead>
              <TableBody>
                {items.map(item => (
                  <EntityRow
                    key={item.entityRef}
                    item={item}
                    checklist={checklist}
                  />
                ))}
                {items.length === 0 && (
                  <TableRow>
                    <TableCell colSpan={columns}>
                      <Typography variant="body2">
                        {hasFilters(view)
                          ? 'No entity matches these filters.'
                          : 'No scorecards yet.'}
                      </Typography>
                    </TableCell>
                  </TableRow>
                )}
              </TableBody>
            </Table>
          </TableContainer>
        )}
        <TablePagination
          component="div"
          count={totalCount}
          page={cursors.length}
          rowsPerPage={view.limit}
          rowsPerPageOptions={
            PAGE_SIZES.includes(view.limit)
              ? PAGE_SIZES
              : [...PAGE_SIZES, view.limit].sort((a, b) => a - b)
          }
          backIconButtonProps={{
            disabled: page.loading || cursors.length === 0,
          }}
          nextIconButtonProps={{ disabled: page.loading || !nextCursor }}
          onPageChange={(_event, next) => {
            if (next > cursors.length && nextCursor) {
              setPaging({ key: requestKey, cursors: [...cursors, nextCursor] });
            } else if (next < cursors.length) {
              setPaging({ key: requestKey, cursors: cursors.slice(0, -1) });
            }
          }}
          onRowsPerPageChange={event =>
            onChange({ limit: Number(event.target.value) })
          }
        />
      </>
    );
  }

  return (
    <InfoCard
      title={
        <span ref={headingRef} tabIndex={-1}>
          Entities
        </span>
      }
      subheader={
        page.value
          ? `${page.value.totalCount} ${
              page.value.totalCount === 1 ? 'entity' : 'entities'
            } in this view`
          : undefined
      }
      action={
        <ExportButton
          view={view}
          checklist={checklist}
          totalCount={page.value?.totalCount}
        />
      }
    >
      <ScorecardFilters
        view={view}
        checklist={checklist}
        summaries={summaries}
        onChange={onChange}
        onClear={onClear}
      />
      {body}
    </InfoCard>
  );
}
