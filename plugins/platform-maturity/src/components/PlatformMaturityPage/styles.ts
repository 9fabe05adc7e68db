import { makeStyles, type Theme } from '@material-ui/core/styles';
import useMediaQuery from '@material-ui/core/useMediaQuery';

/** Styles shared by the page's sections. */
export const useSharedStyles = makeStyles({
  /** Hidden on screen, read by screen readers (an empty header cell still needs a name). */
  visuallyHidden: {
    position: 'absolute',
    width: 1,
    height: 1,
    margin: -1,
    padding: 0,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
    border: 0,
  },
});

/** Below this width (a phone) the page lists entities and groups instead of wide tables. */
export function useNarrow(): boolean {
  return useMediaQuery((theme: Theme) => theme.breakpoints.down('xs'), {
    noSsr: true,
  });
}

/**
 * The overview's tables and their narrow-screen lists: words wrap only between words (headers,
 * numbers, levels and times not at all), narrow gutters so that the 14 columns fit a laptop's
 * width without scrolling, and list entries divided by a rule.
 */
export const useTableStyles = makeStyles((theme: Theme) => ({
  table: {
    '& th, & td': {
      wordBreak: 'normal',
      overflowWrap: 'normal',
      padding: theme.spacing(0.75, 1),
    },
    '& thead th, & td[data-nowrap]': { whiteSpace: 'nowrap' },
  },
  list: { listStyle: 'none', margin: 0, padding: 0 },
  item: {
    padding: theme.spacing(1.5, 0),
    '& + &': { borderTop: `1px solid ${theme.palette.divider}` },
  },
}));
