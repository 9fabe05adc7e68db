import CircularProgress from '@material-ui/core/CircularProgress';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';

const useStyles = makeStyles(theme => ({
  root: {
    position: 'relative',
    display: 'inline-flex',
    flexShrink: 0,
  },
  track: { color: theme.palette.divider },
  value: { position: 'absolute', left: 0, top: 0 },
  high: { color: theme.palette.success.main },
  medium: { color: theme.palette.warning.main },
  low: { color: theme.palette.error.main },
  label: {
    position: 'absolute',
    inset: 0,
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    justifyContent: 'center',
    lineHeight: 1,
  },
}));

/** The overall score, 0–100, as a ring with the number inside. */
export function ScoreRing(props: { score: number; size?: number }) {
  const { score, size = 88 } = props;
  const classes = useStyles();
  const rounded = Math.round(score);
  let band = classes.low;
  if (score >= 80) {
    band = classes.high;
  } else if (score >= 50) {
    band = classes.medium;
  }
  return (
    <div className={classes.root} style={{ width: size, height: size }}>
      <CircularProgress
        variant="determinate"
        value={100}
        size={size}
        thickness={5}
        className={classes.track}
        aria-hidden="true"
      />
      <CircularProgress
        variant="determinate"
        value={score}
        size={size}
        thickness={5}
        className={`${classes.value} ${band}`}
        aria-label="Platform maturity score"
        aria-valuetext={`${rounded} out of 100`}
      />
      <div className={classes.label} aria-hidden="true">
        <Typography variant="h5" component="span">
          {rounded}
        </Typography>
        <Typography variant="caption" color="textSecondary" component="span">
          of 100
        </Typography>
      </div>
    </div>
  );
}
