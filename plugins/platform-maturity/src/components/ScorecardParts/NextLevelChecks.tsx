import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import type {
  ChecklistResponse,
  Scorecard,
} from '@paved/plugin-platform-maturity-common';
import { CHECK_STATUS_LABELS } from '../../lib/labels';
import { FixLink } from './CheckList';
import { CheckStatusIcon } from './StatusIcon';

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  item: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
    padding: theme.spacing(0.75, 0),
    '& + &': { borderTop: `1px solid ${theme.palette.divider}` },
  },
  icon: { paddingTop: 2 },
  body: { flex: 1, minWidth: 0 },
  title: { fontWeight: 500 },
}));

/**
 * What stands between the entity and its next level: the failing checks of the capabilities that
 * level requires, each with its Fix link, and those that could not be checked (their evidence has
 * to be read first, see the alert). Nothing at the top of the ladder.
 */
export function NextLevelChecks(props: {
  scorecard: Scorecard;
  checklist: ChecklistResponse;
}) {
  const { scorecard, checklist } = props;
  const classes = useStyles();
  const { nextLevel } = scorecard;
  if (!nextLevel) {
    return null;
  }
  const missing = new Set(nextLevel.missingCapabilities);
  const blocking = scorecard.results
    .filter(
      r =>
        missing.has(r.capability) &&
        (r.status === 'fail' || r.status === 'unknown'),
    )
    // Failing first: those have a Fix.
    .sort((a, b) => Number(a.status !== 'fail') - Number(b.status !== 'fail'));
  const heading = `To reach level ${nextLevel.level}, ${nextLevel.name}`;
  return (
    <section aria-label={heading}>
      <Typography variant="subtitle2" component="h3" gutterBottom>
        {heading}
      </Typography>
      {blocking.length === 0 && nextLevel.minScore !== undefined && (
        <Typography variant="body2">
          Raise the overall score to {nextLevel.minScore}.
        </Typography>
      )}
      <ul className={classes.list}>
        {blocking.map(result => {
          const definition = checklist.checks.find(
            c => c.id === result.checkId,
          );
          return (
            <li
              key={result.checkId}
              className={classes.item}
              data-check-id={result.checkId}
            >
              <span className={classes.icon}>
                <CheckStatusIcon status={result.status} />
              </span>
              <div className={classes.body}>
                <Typography
                  variant="body2"
                  component="span"
                  className={classes.title}
                >
                  {definition?.title ?? result.checkId}
                </Typography>
                <Typography variant="body2" color="textSecondary" component="p">
                  {result.status === 'unknown'
                    ? `${CHECK_STATUS_LABELS.unknown}: ${result.message}`
                    : result.message}
                </Typography>
              </div>
              {result.status === 'fail' && definition && (
                <FixLink
                  definition={definition}
                  entityRef={scorecard.entityRef}
                />
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
