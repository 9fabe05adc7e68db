import CircularProgress from '@material-ui/core/CircularProgress';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import {
  roundScore,
  type LevelDefinition,
} from '@paved/plugin-platform-maturity-common';
import { levelColour } from '../PlatformMaturityPage/format';

const useStyles = makeStyles(theme => ({
  root: {
    position: 'relative',
    display: 'inline-flex',
    flexShrink: 0,
  },
  track: { color: theme.palette.divider },
  value: { position: 'absolute', left: 0, top: 0 },
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

/**
 * The overall score, 0–100, as a ring with the number inside, coloured by the level reached: a
 * high score of the little that could be checked is not a success.
 */
export function ScoreRing(props: {
  score: number;
  level: number;
  ladder: LevelDefinition[];
  size?: number;
}) {
  const { score, level, ladder, size = 88 } = props;
  const classes = useStyles();
  const theme = useTheme();
  const rounded = roundScore(score);
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
        className={classes.value}
        style={{ color: levelColour(theme, level, ladder) }}
        aria-label="Platform maturity score"
        aria-valuetext={`${rounded} out of 100, level ${level}`}
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
