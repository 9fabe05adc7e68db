import { makeStyles, useTheme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import type { LevelDefinition } from '@paved/plugin-platform-maturity-common';
import { levelColour, levelLabel } from './format';
import { levelCounts } from './summary';

const useStyles = makeStyles(theme => ({
  root: { minWidth: theme.spacing(12) },
  labels: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0, 1),
    whiteSpace: 'nowrap',
  },
  bar: {
    display: 'flex',
    width: '100%',
    minWidth: theme.spacing(12),
    height: theme.spacing(1.5),
    borderRadius: theme.shape.borderRadius,
    overflow: 'hidden',
    backgroundColor: theme.palette.action.disabledBackground,
  },
}));

/**
 * The level distribution of a group as one stacked bar, coloured like the catalog chart, with the
 * count of each level written beneath it. The numbers are also in its accessible name.
 */
export function LevelBar(props: {
  levels: Record<string, number>;
  ladder: LevelDefinition[];
}) {
  const classes = useStyles();
  const theme = useTheme();
  const counts = levelCounts(
    Object.fromEntries(
      Object.entries(props.levels).map(([level, n]) => [Number(level), n]),
    ),
    props.ladder,
  );
  const total = counts.reduce((sum, c) => sum + c.count, 0);
  const description = counts
    .map(c => `${levelLabel(c.level, c.name)}: ${c.count}`)
    .join(', ');
  return (
    <div className={classes.root}>
      <div className={classes.bar} role="img" aria-label={description}>
        {total > 0 &&
          counts.map(c =>
            c.count > 0 ? (
              <div
                key={c.level}
                title={`${levelLabel(c.level, c.name)}: ${c.count}`}
                style={{
                  width: `${(100 * c.count) / total}%`,
                  backgroundColor: levelColour(theme, c.level, props.ladder),
                }}
              />
            ) : null,
          )}
      </div>
      {/* The numbers in words too: the colours alone would say nothing to some readers. */}
      <Typography
        variant="caption"
        color="textSecondary"
        className={classes.labels}
        aria-hidden="true"
      >
        {counts
          .filter(c => c.count > 0)
          .map(c => (
            <span key={c.level}>
              L{c.level}: {c.count}
            </span>
          ))}
      </Typography>
    </div>
  );
}
