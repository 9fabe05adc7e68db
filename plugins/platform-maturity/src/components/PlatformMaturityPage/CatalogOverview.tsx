import { EmptyState, InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import type {
  ChecklistResponse,
  EvaluationRun,
} from '@paved/plugin-platform-maturity-common';
import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Rectangle,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { BarShapeProps } from 'recharts';
import { platformMaturityApiRef } from '../../api/PlatformMaturityApi';
import {
  formatDateTime,
  formatPercent,
  levelColour,
  levelLabel,
} from './format';
import { ErrorPanel } from './ErrorPanel';
import { shortCapabilityLabel } from './capabilityHeader';
import { useNarrow } from './styles';
import { combineGroups, levelCounts } from './summary';
import type { DrillDown, SummaryLoader } from './types';
import { LatestRun } from './LatestRun';

const CHART_HEIGHT = 240;
// Drawn at this size until the container has been measured (and where it cannot be, as in tests).
const INITIAL_SIZE = { width: 480, height: CHART_HEIGHT };

const useStyles = makeStyles(theme => ({
  legend: {
    listStyle: 'none',
    margin: theme.spacing(2, 0, 0),
    padding: 0,
  },
  legendItem: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    minHeight: theme.spacing(4),
  },
  swatch: {
    flex: 'none',
    width: theme.spacing(1.5),
    height: theme.spacing(1.5),
    borderRadius: 2,
  },
  legendText: {
    flex: 1,
  },
}));

/** Recharts styling from the theme, so the charts follow light and dark themes. */
function useChartStyle() {
  const theme = useTheme();
  return {
    tick: { fill: theme.palette.text.secondary, fontSize: 12 },
    grid: theme.palette.divider,
    cursor: { fill: theme.palette.action.hover },
    tooltip: {
      backgroundColor: theme.palette.background.paper,
      border: `1px solid ${theme.palette.divider}`,
      color: theme.palette.text.primary,
    },
    tooltipItem: { color: theme.palette.text.primary },
  };
}

function EmptyOverview() {
  const api = useApi(platformMaturityApiRef);
  const run = useAsync(() => api.getLatestRun(), [api]);
  if (run.loading) {
    return <Progress />;
  }
  return (
    <EmptyState
      missing="data"
      title="No scorecards yet"
      description={describeRun(run.value, run.error)}
    />
  );
}

function describeRun(run?: EvaluationRun, error?: Error): string {
  if (error) {
    return `The backend has no scorecard to show, and the latest evaluation run could not be read: ${error.message}`;
  }
  if (!run) {
    return 'The backend has not evaluated the catalog yet. It does so on its schedule (platformMaturity.schedule, every 30 minutes by default); scorecards appear here after the first run.';
  }
  if (run.status === 'running') {
    return `An evaluation of the catalog has been running since ${formatDateTime(
      run.startedAt,
    )}; scorecards appear here as it saves them.`;
  }
  if (run.status === 'failed') {
    return `The latest evaluation (started ${formatDateTime(
      run.startedAt,
    )}) failed${run.error ? `: ${run.error}` : ''}.`;
  }
  return `The latest evaluation (finished ${formatDateTime(
    run.finishedAt ?? run.startedAt,
  )}) evaluated ${
    run.evaluated
  } entities, and no check of the ruleset applies to any of them.`;
}

/**
 * Catalog-wide level distribution and capability completion, from the summary grouped by kind,
 * with drill-down into the entity table.
 */
export function CatalogOverview(props: {
  checklist: ChecklistResponse;
  summaries: SummaryLoader;
  onDrillDown: DrillDown;
}) {
  const { checklist, summaries, onDrillDown } = props;
  const classes = useStyles();
  const theme = useTheme();
  const chart = useChartStyle();
  // A phone has room for `L2` under a bar, not `L2 Ships`; the list below has the names.
  const narrow = useNarrow();
  const summary = useAsync(() => summaries('kind'), [summaries]);

  const capabilities = checklist.capabilities;
  const totals = useMemo(
    () =>
      summary.value
        ? combineGroups(
            summary.value.groups,
            capabilities.map(c => c.id),
          )
        : undefined,
    [summary.value, capabilities],
  );

  if (summary.loading) {
    return (
      <Grid item xs={12}>
        <Progress />
      </Grid>
    );
  }
  if (summary.error || !totals || !summary.value) {
    return (
      <Grid item xs={12}>
        <ErrorPanel
          title="Could not load the catalog summary"
          error={summary.error ?? new Error('No summary')}
        />
      </Grid>
    );
  }
  if (totals.count === 0) {
    return (
      <>
        <LatestRun />
        <Grid item xs={12}>
          <EmptyOverview />
        </Grid>
      </>
    );
  }

  const levels = levelCounts(totals.levels, checklist.levels).map(l => ({
    ...l,
    label: levelLabel(l.level, l.name),
    short: levelLabel(l.level),
    colour: levelColour(theme, l.level, checklist.levels),
  }));
  const withLevel = levels.reduce((sum, l) => sum + l.count, 0);
  const completion = capabilities.map(c => ({
    id: c.id,
    title: c.title,
    short: shortCapabilityLabel(c),
    completion: totals.capabilityCompletion[c.id] ?? null,
  }));
  const kinds = summary.value.groups.length;

  return (
    <>
      <LatestRun />
      <Grid item xs={12} md={6}>
        <InfoCard
          title="Level distribution"
          subheader={`${totals.count} ${
            totals.count === 1 ? 'entity' : 'entities'
          } in scope`}
          variant="gridItem"
        >
          <figure
            aria-label="Bar chart of the number of entities at each level"
            style={{ margin: 0 }}
          >
            <ResponsiveContainer
              width="100%"
              height={CHART_HEIGHT}
              initialDimension={INITIAL_SIZE}
            >
              <BarChart
                data={levels}
                margin={{ top: 8, right: 8, bottom: 8, left: 0 }}
              >
                <CartesianGrid vertical={false} stroke={chart.grid} />
                <XAxis
                  dataKey={narrow ? 'short' : 'label'}
                  tick={chart.tick}
                  interval={0}
                />
                <YAxis allowDecimals={false} tick={chart.tick} width={40} />
                <Tooltip
                  cursor={chart.cursor}
                  contentStyle={chart.tooltip}
                  itemStyle={chart.tooltipItem}
                />
                <Bar
                  dataKey="count"
                  name="Entities"
                  isAnimationActive={false}
                  shape={(shape: BarShapeProps) => (
                    <Rectangle {...shape} fill={shape.payload?.colour} />
                  )}
                />
              </BarChart>
            </ResponsiveContainer>
          </figure>
          <ul className={classes.legend} aria-label="Entities per level">
            {levels.map(l => (
              <li key={l.level} className={classes.legendItem}>
                <span
                  className={classes.swatch}
                  style={{ backgroundColor: l.colour }}
                  aria-hidden
                />
                <Typography variant="body2" className={classes.legendText}>
                  {l.label}: {l.count}
                  {withLevel > 0 &&
                    ` (${Math.round((100 * l.count) / withLevel)}%)`}
                </Typography>
                <Button
                  size="small"
                  color="primary"
                  disabled={l.count === 0}
                  onClick={() => onDrillDown({ level: [l.level] })}
                  aria-label={`Show the entities at ${l.label}`}
                >
                  Show
                </Button>
              </li>
            ))}
          </ul>
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard
          title="Capability completion"
          subheader="Share of the entities to which a capability applies that have it complete"
          variant="gridItem"
        >
          <figure
            aria-label="Bar chart of the completion of each capability"
            style={{ margin: 0 }}
          >
            <ResponsiveContainer
              width="100%"
              height={CHART_HEIGHT}
              initialDimension={INITIAL_SIZE}
            >
              <BarChart
                data={completion}
                layout="vertical"
                margin={{ top: 8, right: 16, bottom: 8, left: 0 }}
              >
                <CartesianGrid horizontal={false} stroke={chart.grid} />
                <XAxis
                  type="number"
                  domain={[0, 100]}
                  unit="%"
                  tick={chart.tick}
                />
                <YAxis
                  type="category"
                  dataKey={narrow ? 'short' : 'title'}
                  width={narrow ? 72 : 150}
                  tick={chart.tick}
                />
                <Tooltip
                  cursor={chart.cursor}
                  contentStyle={chart.tooltip}
                  itemStyle={chart.tooltipItem}
                  formatter={value => formatPercent(Number(value))}
                />
                <Bar
                  dataKey="completion"
                  name="Complete"
                  fill={theme.palette.primary.main}
                  isAnimationActive={false}
                />
              </BarChart>
            </ResponsiveContainer>
          </figure>
          <ul className={classes.legend} aria-label="Completion per capability">
            {completion.map(c => (
              <li key={c.id} className={classes.legendItem}>
                <Typography variant="body2" className={classes.legendText}>
                  {c.title}: {formatPercent(c.completion)}
                </Typography>
                <Button
                  size="small"
                  color="primary"
                  disabled={c.completion === null || c.completion === 100}
                  onClick={() => onDrillDown({ failingCapability: c.id })}
                  aria-label={`Show the entities where ${c.title} is incomplete`}
                >
                  Show incomplete
                </Button>
              </li>
            ))}
          </ul>
          {!totals.exact && (
            <Box mt={1}>
              <Typography variant="caption" color="textSecondary">
                Combined from the summaries of {kinds} kinds, each weighted by
                its number of entities: approximate where a capability does not
                apply to every entity.
              </Typography>
            </Box>
          )}
        </InfoCard>
      </Grid>
    </>
  );
}
