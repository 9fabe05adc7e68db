import { makeStyles, useTheme } from '@material-ui/core/styles';
import type { LevelDefinition } from '@paved/plugin-platform-maturity-common';
import { levelColour, levelLabel } from './format';
import { levelCounts } from './summary';

const useStyles = makeStyles(theme => ({
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
 * The level distribution of a group as one stacked bar, coloured like the catalog chart. The
 * numbers are in its accessible name (and in the tooltip of each segment).
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
  );
}
