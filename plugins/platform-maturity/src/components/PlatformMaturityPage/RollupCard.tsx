import { InfoCard, Progress } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Tab from '@material-ui/core/Tab';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TablePagination from '@material-ui/core/TablePagination';
import TableRow from '@material-ui/core/TableRow';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type {
  ChecklistResponse,
  SummaryGroup,
} from '@paved/plugin-platform-maturity-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { CapabilityHeaderCell } from './capabilityHeader';
import { ErrorPanel } from './ErrorPanel';
import { formatNumber, formatPercent } from './format';
import { LevelBar } from './LevelBar';
import { useNarrow, useSharedStyles, useTableStyles } from './styles';
import type { DrillDown, SummaryLoader } from './types';
import type { RollupGroupBy } from './viewState';

const DIMENSIONS: Record<
  RollupGroupBy,
  { label: string; defaultKind: string; none: string }
> = {
  owner: { label: 'Owner', defaultKind: 'group', none: 'No owner' },
  system: { label: 'System', defaultKind: 'system', none: 'No system' },
  domain: { label: 'Domain', defaultKind: 'domain', none: 'No domain' },
};
const GROUP_BYS = Object.keys(DIMENSIONS) as RollupGroupBy[];

const useStyles = makeStyles(theme => ({
  line: {
    display: 'flex',
    alignItems: 'baseline',
    justifyContent: 'space-between',
    gap: theme.spacing(1),
  },
  bar: { margin: theme.spacing(0.5, 0) },
}));

/** A group's name: a link to its entity, or how the page calls a missing one. */
function GroupName(props: { group: SummaryGroup; groupBy: RollupGroupBy }) {
  const dimension = DIMENSIONS[props.groupBy];
  return props.group.key ? (
    <EntityRefLink
      entityRef={props.group.key}
      defaultKind={dimension.defaultKind}
    />
  ) : (
    <Typography variant="body2" color="textSecondary" component="span">
      <em>{dimension.none}</em>
    </Typography>
  );
}

/** The rollups on a narrow screen: one entry per group instead of a table of 12 columns. */
function RollupList(props: {
  groupBy: RollupGroupBy;
  groups: SummaryGroup[];
  checklist: ChecklistResponse;
  onDrillDown: DrillDown;
}) {
  const { groupBy, groups, checklist, onDrillDown } = props;
  const classes = useStyles();
  const tables = useTableStyles();
  const dimension = DIMENSIONS[groupBy];
  return (
    <ul className={tables.list} aria-label={`Scorecards by ${groupBy}`}>
      {groups.map(group => (
        <li key={group.key ?? '\0none'} className={tables.item}>
          <div className={classes.line}>
            <Typography variant="subtitle1" component="h3">
              <GroupName group={group} groupBy={groupBy} />
            </Typography>
            {group.key && (
              <Button
                size="small"
                color="primary"
                onClick={() => onDrillDown({ [groupBy]: [group.key] })}
                aria-label={`Show the entities of ${dimension.label.toLowerCase()} ${
                  group.key
                }`}
              >
                Show
              </Button>
            )}
          </div>
          <Typography variant="body2">
            {group.count} {group.count === 1 ? 'entity' : 'entities'}, mean
            score {formatNumber(group.meanScore)},{' '}
            {formatPercent(group.meanCoverage)} checked
          </Typography>
          <div className={classes.bar}>
            <LevelBar levels={group.levels} ladder={checklist.levels} />
          </div>
        </li>
      ))}
      {groups.length === 0 && <li>No scorecards yet.</li>}
    </ul>
  );
}
const ROWS_PER_PAGE = [10, 25, 50];

function RollupTable(props: {
  groupBy: RollupGroupBy;
  groups: SummaryGroup[];
  checklist: ChecklistResponse;
  onDrillDown: DrillDown;
}) {
  const { groupBy, groups, checklist, onDrillDown } = props;
  const classes = useSharedStyles();
  const tables = useTableStyles();
  const narrow = useNarrow();
  const dimension = DIMENSIONS[groupBy];
  const [paging, setPaging] = useState({ page: 0, rowsPerPage: 10 });
  const page = Math.min(
    paging.page,
    Math.max(0, Math.ceil(groups.length / paging.rowsPerPage) - 1),
  );
  const rows = groups.slice(
    page * paging.rowsPerPage,
    (page + 1) * paging.rowsPerPage,
  );

  return (
    <>
      {narrow ? (
        <RollupList
          groupBy={groupBy}
          groups={rows}
          checklist={checklist}
          onDrillDown={onDrillDown}
        />
      ) : (
        <TableContainer>
          <Table
            size="small"
            className={tables.table}
            aria-label={`Scorecards by ${groupBy}`}
          >
            <TableHead>
              <TableRow>
                <TableCell>{dimension.label}</TableCell>
                <TableCell align="right">Entities</TableCell>
                <TableCell align="right">Mean score</TableCell>
                <TableCell
                  align="right"
                  title="Mean share of the checklist that could be checked"
                >
                  Checked
                </TableCell>
                <TableCell>Levels</TableCell>
                {checklist.capabilities.map(c => (
                  <CapabilityHeaderCell key={c.id} capability={c} />
                ))}
                <TableCell>
                  <span className={classes.visuallyHidden}>Drill down</span>
                </TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map(group => (
                <TableRow key={group.key ?? '\0none'}>
                  <TableCell component="th" scope="row">
                    <GroupName group={group} groupBy={groupBy} />
                  </TableCell>
                  <TableCell align="right" data-nowrap>
                    {group.count}
                  </TableCell>
                  <TableCell align="right" data-nowrap>
                    {formatNumber(group.meanScore)}
                  </TableCell>
                  <TableCell align="right" data-nowrap>
                    {formatPercent(group.meanCoverage)}
                  </TableCell>
                  <TableCell>
                    <LevelBar levels={group.levels} ladder={checklist.levels} />
                  </TableCell>
                  {checklist.capabilities.map(c => (
                    <TableCell key={c.id} align="right" data-nowrap>
                      {formatPercent(group.capabilityCompletion[c.id])}
                    </TableCell>
                  ))}
                  <TableCell>
                    {group.key && (
                      <Button
                        size="small"
                        color="primary"
                        onClick={() => onDrillDown({ [groupBy]: [group.key] })}
                        aria-label={`Show the entities of ${dimension.label.toLowerCase()} ${
                          group.key
                        }`}
                      >
                        Show
                      </Button>
                    )}
                  </TableCell>
                </TableRow>
              ))}
              {groups.length === 0 && (
                <TableRow>
                  <TableCell colSpan={6 + checklist.capabilities.length}>
                    No scorecards yet.
                  </TableCell>
                </TableRow>
              )}
            </TableBody>
          </Table>
        </TableContainer>
      )}
      {groups.length > ROWS_PER_PAGE[0] && (
        <TablePagination
          component="div"
          count={groups.length}
          page={page}
          rowsPerPage={paging.rowsPerPage}
          rowsPerPageOptions={ROWS_PER_PAGE}
          labelRowsPerPage="Groups per page:"
          onPageChange={(_event, next) =>
            setPaging(current => ({ ...current, page: next }))
          }
          onRowsPerPageChange={event =>
            setPaging({ page: 0, rowsPerPage: Number(event.target.value) })
          }
        />
      )}
      {groups.some(g => g.key === null) && (
        <Box mt={1}>
          <Typography variant="caption" color="textSecondary">
            “{dimension.none}” counts the entities without one; they cannot be
            listed on their own, because the entity list has no filter for a
            missing {groupBy}.
          </Typography>
        </Box>
      )}
    </>
  );
}

/**
 * Rollups by owner, system or domain from the summary route: count, mean score, level
 * distribution and capability completion per group, each group drillable into the entity table.
 */
export function RollupCard(props: {
  checklist: ChecklistResponse;
  summaries: SummaryLoader;
  groupBy: RollupGroupBy;
  onGroupByChange: (groupBy: RollupGroupBy) => void;
  onDrillDown: DrillDown;
}) {
  const { checklist, summaries, groupBy, onGroupByChange, onDrillDown } = props;
  const summary = useAsync(() => summaries(groupBy), [summaries, groupBy]);

  let content;
  if (summary.loading) {
    content = <Progress />;
  } else if (summary.error || !summary.value) {
    content = (
      <ErrorPanel
        title={`Could not load the rollup by ${groupBy}`}
        error={summary.error ?? new Error('No summary')}
      />
    );
  } else {
    content = (
      <RollupTable
        // A new dimension starts on its first page.
        key={groupBy}
        groupBy={groupBy}
        groups={summary.value.groups}
        checklist={checklist}
        onDrillDown={onDrillDown}
      />
    );
  }

  return (
    <InfoCard
      title="Rollups"
      subheader="In-scope entities per group; open a group to list its entities"
    >
      <Tabs
        value={groupBy}
        onChange={(_event, value: RollupGroupBy) => onGroupByChange(value)}
        indicatorColor="primary"
        textColor="primary"
        aria-label="Group the rollups by"
      >
        {GROUP_BYS.map(g => (
          <Tab
            key={g}
            value={g}
            label={DIMENSIONS[g].label}
            id={`platform-maturity-rollup-tab-${g}`}
            aria-controls="platform-maturity-rollup-panel"
          />
        ))}
      </Tabs>
      <div
        role="tabpanel"
        id="platform-maturity-rollup-panel"
        aria-labelledby={`platform-maturity-rollup-tab-${groupBy}`}
      >
        {content}
      </div>
    </InfoCard>
  );
}
