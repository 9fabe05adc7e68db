import LinearProgress from '@material-ui/core/LinearProgress';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import {
  roundScore,
  type CapabilityScore,
} from '@paved/plugin-platform-maturity-common';
import { capabilityTone } from './StatusIcon';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    width: 120,
    flexShrink: 0,
  },
  bar: { flex: 1, backgroundColor: theme.palette.divider },
  success: { backgroundColor: theme.palette.success.main },
  warning: { backgroundColor: theme.palette.warning.main },
  error: { backgroundColor: theme.palette.error.main },
  percent: { minWidth: '3.5em', textAlign: 'right' },
}));

/**
 * A capability's score as a small bar; for a capability that could not be fully checked, how
 * much of it was (its score would read as a success it may not be); nothing when not applicable.
 */
export function CapabilityProgress(props: {
  capability: CapabilityScore;
  title: string;
}) {
  const { capability, title } = props;
  const classes = useStyles();
  if (capability.status === 'unknown') {
    const total = capability.applicableWeight + capability.unknownWeight;
    return (
      <Typography
        variant="caption"
        color="textSecondary"
        className={classes.root}
      >
        {roundScore(
          total > 0 ? (100 * capability.applicableWeight) / total : 0,
        )}
        % checked
      </Typography>
    );
  }
  if (capability.score === null) {
    return <span className={classes.root} />;
  }
  const tone = capabilityTone(capability.status);
  return (
    <span className={classes.root}>
      <LinearProgress
        variant="determinate"
        value={capability.score}
        className={classes.bar}
        classes={tone ? { bar: classes[tone] } : undefined}
        aria-label={`${title} score`}
      />
      <Typography
        variant="caption"
        color="textSecondary"
        className={classes.percent}
        aria-hidden="true"
      >
        {roundScore(capability.score)}%
      </Typography>
    </span>
  );
}
