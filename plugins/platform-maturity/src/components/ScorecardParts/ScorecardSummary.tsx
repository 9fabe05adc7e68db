import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import {
  scoreCoverage,
  type ChecklistResponse,
  type Scorecard,
} from '@paved/plugin-platform-maturity-common';
import { formatDateTime, formatRelativeTime } from '../../lib/time';
import { LevelGuide } from './LevelGuide';
import { ScoreRing } from './ScoreRing';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(2),
    flexWrap: 'wrap',
  },
  text: { minWidth: 0, flex: 1 },
  ring: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    gap: theme.spacing(0.5),
  },
}));

/**
 * The scorecard's header: score ring, level name and number, next level, evaluation time and what
 * the levels mean.
 */
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
  const coverage = scorecard.coverage ?? scoreCoverage(scorecard.capabilities);
  // A capability that could not be checked needs its evidence read, not work on the service.
  const unchecked = new Set(
    scorecard.capabilities
      .filter(c => c.status === 'unknown')
      .map(c => c.capability),
  );
  const missing = nextLevel?.missingCapabilities ?? [];
  const needs = [
    ...missing.filter(id => !unchecked.has(id)).map(capabilityTitle),
    ...(nextLevel?.minScore !== undefined
      ? [`a score of ${nextLevel.minScore}`]
      : []),
  ];
  const blockedBy = missing
    .filter(id => unchecked.has(id))
    .map(capabilityTitle);

  return (
    <div className={classes.root}>
      {scorecard.score !== null && level && (
        <div className={classes.ring}>
          <ScoreRing
            score={scorecard.score}
            level={level.level}
            ladder={checklist.levels}
          />
          {coverage && (
            <Typography variant="caption" color="textSecondary">
              {coverage.checkedCapabilities} of{' '}
              {coverage.applicableCapabilities} capabilities checked
            </Typography>
          )}
        </div>
      )}
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
            {blockedBy.length > 0 && (
              <>
                : {blockedBy.join(', ')} could not be checked, so whether{' '}
                {blockedBy.length > 1 ? 'they are' : 'it is'} met is not known
                (see why below)
              </>
            )}
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
          {scorecard.sourceCommit && (
            <>
              {' '}
              at commit{' '}
              <code title={scorecard.sourceCommit}>
                {scorecard.sourceCommit.slice(0, 7)}
              </code>
            </>
          )}
        </Typography>
        <LevelGuide checklist={checklist} level={level?.level} />
      </div>
    </div>
  );
}
