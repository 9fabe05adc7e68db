import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import type { ChecklistResponse } from '@paved/plugin-platform-maturity-common';
import { levelLabel } from '../PlatformMaturityPage/format';

const useStyles = makeStyles(theme => ({
  details: {
    '& > summary': {
      cursor: 'pointer',
      width: 'fit-content',
      padding: theme.spacing(0.5, 0),
    },
  },
  list: { margin: theme.spacing(0.5, 0, 0), paddingLeft: theme.spacing(2.5) },
  current: { backgroundColor: theme.palette.action.selected },
}));

/** What each level of the ladder requires, folded under one line, the entity's level marked. */
export function LevelGuide(props: {
  checklist: ChecklistResponse;
  /** The entity's level, marked in the list. */
  level?: number;
}) {
  const { checklist, level } = props;
  const classes = useStyles();
  const title = (id: string) =>
    checklist.capabilities.find(c => c.id === id)?.title ?? id;
  const levels = [...checklist.levels].sort((a, b) => a.level - b.level);
  return (
    <details className={classes.details}>
      <summary>
        <Typography variant="body2" component="span">
          What the levels mean
        </Typography>
      </summary>
      <ol className={classes.list} aria-label="Levels">
        {levels.map(l => {
          const needs = [
            ...l.requires.map(title),
            ...(l.minScore !== undefined ? [`a score of ${l.minScore}`] : []),
          ];
          return (
            <li
              key={l.level}
              className={l.level === level ? classes.current : undefined}
              aria-current={l.level === level ? 'step' : undefined}
            >
              <Typography variant="body2" component="span">
                <strong>{levelLabel(l.level, l.name)}</strong>
                {l.level === level && ' (this service)'}:{' '}
                {l.description && `${l.description} `}
                {needs.length === 0
                  ? 'Nothing required.'
                  : `Needs ${needs.join(', ')}.`}
              </Typography>
            </li>
          );
        })}
      </ol>
    </details>
  );
}
