import { makeStyles, useTheme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import {
  roundScore,
  type CheckDefinition,
  type HistoryEntry,
  type LevelDefinition,
} from '@paved/plugin-platform-maturity-common';
import {
  CartesianGrid,
  ComposedChart,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { DotItemDotProps } from 'recharts';
import { CHECK_STATUS_LABELS } from '../../lib/labels';
import { formatDateTime } from '../../lib/time';

type Change = HistoryEntry['change'];

/** What a point of the history means, in the legend and in each point's accessible name. */
const CHANGE_LABELS: Record<Change, string> = {
  first: 'First evaluation',
  evidence: 'Service changed',
  ruleset: 'Ruleset changed',
  both: 'Service and ruleset changed',
};

const LEGEND_ORDER: Change[] = ['first', 'evidence', 'ruleset', 'both'];

interface Point {
  time: number;
  score: number | null;
  level: number | null;
  levelName: string | null;
  change: Change;
  /** The checks whose status moved since the previous point, in words. */
  checks: string[];
}

/** Points listed under the chart before the rest are folded. */
const LISTED = 8;

/** The checks whose status differs between two points, as "Title: Failing → Passed". */
export function changedChecks(
  previous: HistoryEntry | undefined,
  entry: HistoryEntry,
  checks: CheckDefinition[],
): string[] {
  if (!previous) {
    return [];
  }
  const ids = [
    ...new Set([
      ...Object.keys(previous.statuses),
      ...Object.keys(entry.statuses),
    ]),
  ].sort();
  const label = (status?: HistoryEntry['statuses'][string]) =>
    status ? CHECK_STATUS_LABELS[status] : 'Not in the ruleset';
  return ids
    .filter(id => previous.statuses[id] !== entry.statuses[id])
    .map(
      id =>
        `${checks.find(c => c.id === id)?.title ?? id}: ${label(
          previous.statuses[id],
        )} → ${label(entry.statuses[id])}`,
    );
}

const useStyles = makeStyles(theme => ({
  legend: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    listStyle: 'none',
    margin: theme.spacing(1, 0, 0),
    padding: 0,
  },
  legendItem: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
  },
  chart: {
    // The points are reachable by keyboard; show where the focus is.
    '& g[tabindex]:focus': {
      outline: `2px solid ${theme.palette.text.primary}`,
      outlineOffset: 2,
    },
  },
  points: {
    margin: theme.spacing(2, 0, 0),
    paddingLeft: theme.spacing(2.5),
    '& li + li': { marginTop: theme.spacing(0.5) },
  },
  folded: {
    marginTop: theme.spacing(1),
    '& > summary': { cursor: 'pointer', width: 'fit-content' },
  },
  tooltip: {
    backgroundColor: theme.palette.background.paper,
    border: `1px solid ${theme.palette.divider}`,
    padding: theme.spacing(1),
    borderRadius: theme.shape.borderRadius,
  },
}));

/** Colours from the theme, so the chart reads in light and dark mode. */
function useChartColours() {
  const theme = useTheme();
  return {
    score: theme.palette.primary.main,
    level: theme.palette.text.secondary,
    grid: theme.palette.divider,
    axis: theme.palette.text.secondary,
    evidence: theme.palette.primary.main,
    ruleset: theme.palette.warning.main,
    paper: theme.palette.background.paper,
  };
}

type Colours = ReturnType<typeof useChartColours>;

/**
 * The marker of a point: circles where the service changed, diamonds where the ruleset changed,
 * a square where both did; the first evaluation is a hollow circle.
 */
function Marker(props: {
  change: Change;
  x: number;
  y: number;
  colours: Colours;
}) {
  const { change, x, y, colours } = props;
  switch (change) {
    case 'first':
      return (
        <circle
          cx={x}
          cy={y}
          r={5}
          fill={colours.paper}
          stroke={colours.evidence}
          strokeWidth={2}
        />
      );
    case 'evidence':
      return <circle cx={x} cy={y} r={5} fill={colours.evidence} />;
    case 'ruleset':
      return (
        <path
          d={`M ${x} ${y - 7} L ${x + 7} ${y} L ${x} ${y + 7} L ${
            x - 7
          } ${y} Z`}
          fill={colours.ruleset}
        />
      );
    default:
      return (
        <rect
          x={x - 6}
          y={y - 6}
          width={12}
          height={12}
          fill={colours.ruleset}
          stroke={colours.evidence}
          strokeWidth={2}
        />
      );
  }
}

function describeChecks(point: Point): string {
  if (point.change === 'first') {
    return '';
  }
  return point.checks.length > 0
    ? `: ${point.checks.join('; ')}`
    : ': no check changed status';
}

function describePoint(point: Point): string {
  const score =
    point.score === null ? 'no score' : `score ${roundScore(point.score)}`;
  const level =
    point.level === null
      ? 'no level'
      : `level ${point.level} ${point.levelName ?? ''}`.trim();
  return `${formatDateTime(
    new Date(point.time).toISOString(),
  )}: ${score}, ${level}. ${CHANGE_LABELS[point.change]}${describeChecks(
    point,
  )}`;
}

/** The points as a list, newest first: each with its time, score, level and changed checks. */
function PointList(props: { points: Point[] }) {
  const classes = useStyles();
  const newestFirst = [...props.points].reverse();
  const item = (point: Point) => (
    <li key={point.time}>
      <Typography variant="body2">{describePoint(point)}</Typography>
    </li>
  );
  return (
    <>
      <ol className={classes.points} aria-label="History points, newest first">
        {newestFirst.slice(0, LISTED).map(item)}
      </ol>
      {newestFirst.length > LISTED && (
        <details className={classes.folded}>
          <summary>
            <Typography variant="body2" component="span">
              {newestFirst.length - LISTED} earlier points
            </Typography>
          </summary>
          <ol
            className={classes.points}
            start={LISTED + 1}
            aria-label="Earlier history points"
          >
            {newestFirst.slice(LISTED).map(item)}
          </ol>
        </details>
      )}
    </>
  );
}

function HistoryTooltip(props: {
  active?: boolean;
  payload?: ReadonlyArray<{ payload?: unknown }>;
}) {
  const classes = useStyles();
  const point = props.payload?.[0]?.payload as Point | undefined;
  if (!props.active || !point) {
    return null;
  }
  return (
    <div className={classes.tooltip}>
      <Typography variant="body2">
        {formatDateTime(new Date(point.time).toISOString())}
      </Typography>
      <Typography variant="body2">
        Score {point.score === null ? '–' : roundScore(point.score)}
        {point.level !== null &&
          `, level ${point.level} ${point.levelName ?? ''}`}
      </Typography>
      <Typography variant="caption" color="textSecondary">
        {CHANGE_LABELS[point.change]}
      </Typography>
      {point.checks.map(check => (
        <Typography key={check} variant="caption" component="p">
          {check}
        </Typography>
      ))}
    </div>
  );
}

/**
 * Score and level over time. Each point marks what moved: the service's evidence, the ruleset
 * (the standard changed), or both, so a drop after a ruleset change is not read as a regression;
 * each is reachable by keyboard and listed under the chart with its date, time and the checks
 * whose status changed.
 */
export function HistoryChart(props: {
  entries: HistoryEntry[];
  levels: LevelDefinition[];
  checks: CheckDefinition[];
}) {
  const classes = useStyles();
  const colours = useChartColours();
  const points: Point[] = props.entries.map((entry, index) => ({
    time: Date.parse(entry.recordedAt),
    score: entry.score,
    level: entry.level,
    levelName: entry.levelName,
    change: entry.change,
    checks: changedChecks(props.entries[index - 1], entry, props.checks),
  }));
  const topLevel = Math.max(0, ...props.levels.map(l => l.level));
  const changesShown = LEGEND_ORDER.filter(change =>
    points.some(p => p.change === change),
  );

  const renderDot = (dot: DotItemDotProps) => {
    const point = dot.payload as Point;
    if (dot.cx === undefined || dot.cy === undefined || point.score === null) {
      return <g key={`dot-${dot.index}`} />;
    }
    return (
      <g
        key={`dot-${dot.index}`}
        role="img"
        tabIndex={0}
        aria-label={describePoint(point)}
        data-change={point.change}
      >
        <Marker change={point.change} x={dot.cx} y={dot.cy} colours={colours} />
      </g>
    );
  };

  return (
    <>
      <figure
        style={{ margin: 0 }}
        className={classes.chart}
        aria-label="Score and level history"
      >
        <ResponsiveContainer
          width="100%"
          height={280}
          initialDimension={{ width: 640, height: 280 }}
        >
          <ComposedChart
            data={points}
            margin={{ top: 16, right: 16, bottom: 8, left: 0 }}
          >
            <CartesianGrid stroke={colours.grid} strokeDasharray="3 3" />
            <XAxis
              dataKey="time"
              type="number"
              scale="time"
              domain={['dataMin', 'dataMax']}
              tickFormatter={(time: number) =>
                new Date(time).toLocaleDateString(undefined, {
                  month: 'short',
                  day: 'numeric',
                })
              }
              stroke={colours.axis}
            />
            <YAxis
              yAxisId="score"
              domain={[0, 100]}
              stroke={colours.axis}
              label={{
                value: 'Score',
                angle: -90,
                position: 'insideLeft',
                fill: colours.axis,
              }}
            />
            <YAxis
              yAxisId="level"
              orientation="right"
              domain={[0, topLevel]}
              allowDecimals={false}
              stroke={colours.axis}
              label={{
                value: 'Level',
                angle: 90,
                position: 'insideRight',
                fill: colours.axis,
              }}
            />
            <Tooltip content={HistoryTooltip} />
            <Line
              yAxisId="level"
              type="stepAfter"
              dataKey="level"
              name="Level"
              stroke={colours.level}
              strokeDasharray="4 4"
              dot={false}
              activeDot={false}
              isAnimationActive={false}
            />
            <Line
              yAxisId="score"
              type="linear"
              dataKey="score"
              name="Score"
              stroke={colours.score}
              strokeWidth={2}
              dot={renderDot}
              isAnimationActive={false}
            />
          </ComposedChart>
        </ResponsiveContainer>
        <figcaption>
          <ul className={classes.legend} aria-label="Legend">
            <li className={classes.legendItem}>
              <svg width={24} height={14} aria-hidden="true">
                <line
                  x1={0}
                  y1={7}
                  x2={24}
                  y2={7}
                  stroke={colours.score}
                  strokeWidth={2}
                />
              </svg>
              <Typography variant="caption">Score (left axis)</Typography>
            </li>
            <li className={classes.legendItem}>
              <svg width={24} height={14} aria-hidden="true">
                <line
                  x1={0}
                  y1={7}
                  x2={24}
                  y2={7}
                  stroke={colours.level}
                  strokeDasharray="4 4"
                />
              </svg>
              <Typography variant="caption">Level (right axis)</Typography>
            </li>
            {changesShown.map(change => (
              <li
                key={change}
                className={classes.legendItem}
                data-change={change}
              >
                <svg width={16} height={16} aria-hidden="true">
                  <Marker change={change} x={8} y={8} colours={colours} />
                </svg>
                <Typography variant="caption">
                  {CHANGE_LABELS[change]}
                </Typography>
              </li>
            ))}
          </ul>
        </figcaption>
      </figure>
      <PointList points={points} />
    </>
  );
}
