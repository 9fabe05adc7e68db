import CircularProgress from '@material-ui/core/CircularProgress';
import IconButton from '@material-ui/core/IconButton';
import Tooltip from '@material-ui/core/Tooltip';
import RefreshIcon from '@material-ui/icons/Refresh';

/** Evaluates the entity now; shown only to users who hold the refresh permission. */
export function ReEvaluateButton(props: {
  refreshing: boolean;
  /** Just re-evaluated: the button rests for a few seconds. */
  resting?: boolean;
  onClick: () => void;
}) {
  return (
    <Tooltip title="Re-evaluate now">
      <span>
        <IconButton
          aria-label="Re-evaluate now"
          onClick={props.onClick}
          disabled={props.refreshing || props.resting}
        >
          {props.refreshing ? (
            <CircularProgress size={20} aria-label="Evaluating" />
          ) : (
            <RefreshIcon />
          )}
        </IconButton>
      </span>
    </Tooltip>
  );
}
