import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import type {
  ChecklistResponse,
  Scorecard,
} from '@paved/plugin-platform-maturity-common';
import { formatDateTime, formatRelativeTime } from '../../lib/time';
import { ScoreRing } from './ScoreRing';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(2),
    flexWrap: 'wrap',
  },
  text: { minWidth: 0, flex: 1 },
}));

/** The scorecard's header: score ring, level name and number, next level, evaluation time. */
export function ScorecardSummary(props: {
  scorecard: Scorecard;
  checklist: ChecklistResponse;
}) {
  const { scorecard, checklist } = props;
  const classes = useStyles();
  const topLevel = Math.max(0, ...checklist.levels.map(l => l.level));
  const capabilityTitle = (id: string) =>
    checklist.capabilities.find(c => c.id === id)?.title ?? id;
  const { level, nextLevel } = scorecard;
  const needs = nextLevel
    ? [
        ...nextLevel.missingCapabilities.map(capabilityTitle),
        ...(nextLevel.minScore !== undefined
          ? [`a score of ${nextLevel.minScore}`]
          : []),
      ]
    : [];

  return (
    <div className={classes.root}>
      {scorecard.score !== null && <ScoreRing score={scorecard.score} />}
      <div className={classes.text}>
        {level && (
          <>
            <Typography variant="overline" component="p">
              Level {level.level} of {topLevel}
            </Typography>
            <Typography variant="h5" component="p">
              {level.name}
            </Typography>
          </>
        )}
        {nextLevel && (
          <Typography variant="body2" color="textSecondary">
            Next: level {nextLevel.level}, {nextLevel.name}
            {needs.length > 0 && <> (needs {needs.join(', ')})</>}
          </Typography>
        )}
        <Typography variant="caption" color="textSecondary" component="p">
          Evaluated{' '}
          <time
            dateTime={scorecard.evaluatedAt}
            title={formatDateTime(scorecard.evaluatedAt)}
          >
            {formatRelativeTime(scorecard.evaluatedAt)}
          </time>
        </Typography>
      </div>
    </div>
  );
}
