import { makeStyles } from '@material-ui/core/styles';

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
