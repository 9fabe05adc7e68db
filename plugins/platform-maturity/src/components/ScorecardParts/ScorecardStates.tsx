import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import type { Entity } from '@backstage/catalog-model';
import { errorMessage } from '../../lib/errors';
import Button from '@material-ui/core/Button';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type { ReactNode } from 'react';

const useStyles = makeStyles(theme => ({
  compact: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
  },
}));

/** A message in place of a scorecard: compact in a card, an empty state on a page. */
function ScorecardMessage(props: {
  title: string;
  description: string;
  action?: ReactNode;
  variant: 'card' | 'page';
}) {
  const classes = useStyles();
  if (props.variant === 'page') {
    return (
      <EmptyState
        missing="data"
        title={props.title}
        description={props.description}
        action={props.action ? <>{props.action}</> : undefined}
      />
    );
  }
  return (
    <div className={classes.compact}>
      <Typography variant="h6" component="p">
        {props.title}
      </Typography>
      <Typography variant="body2" color="textSecondary">
        {props.description}
      </Typography>
      {props.action}
    </div>
  );
}

/** While the scorecard loads. */
export function LoadingState() {
  return <Progress aria-label="Loading the platform maturity scorecard" />;
}

/** The scorecard could not be loaded: the backend's message, and the details on demand. */
export function ErrorState(props: { error: Error }) {
  return (
    <ResponseErrorPanel
      error={props.error}
      title={`Could not load the platform maturity scorecard: ${errorMessage(
        props.error,
      )}`}
    />
  );
}

/** No check applies to the entity. */
export function OutOfScopeState(props: {
  entity: Entity;
  variant: 'card' | 'page';
}) {
  const { entity } = props;
  const type =
    typeof entity.spec?.type === 'string' ? ` of type ${entity.spec.type}` : '';
  return (
    <ScorecardMessage
      variant={props.variant}
      title="Out of scope"
      description={`No platform maturity check applies to this ${entity.kind}${type}, so it has no scorecard.`}
    />
  );
}

/** Checks apply, but the scheduled evaluation has not reached the entity yet. */
export function NotEvaluatedState(props: {
  canRefresh: boolean;
  refreshing: boolean;
  onEvaluate: () => void;
  variant: 'card' | 'page';
}) {
  return (
    <ScorecardMessage
      variant={props.variant}
      title="Not evaluated yet"
      description={
        props.canRefresh
          ? 'The scheduled evaluation has not reached this entity yet. Evaluate it now to see its scorecard.'
          : 'The scheduled evaluation has not reached this entity yet; its scorecard appears after the next run.'
      }
      action={
        props.canRefresh ? (
          <Button
            variant="contained"
            color="primary"
            onClick={props.onEvaluate}
            disabled={props.refreshing}
          >
            {props.refreshing ? 'Evaluating…' : 'Evaluate now'}
          </Button>
        ) : undefined
      }
    />
  );
}

/** A re-evaluation failed; the previous state stays on screen. */
export function RefreshErrorAlert(props: { error: Error }) {
  return (
    <Alert severity="error">
      Re-evaluation failed: {errorMessage(props.error)}
    </Alert>
  );
}

/** What the last re-evaluation changed, announced to screen readers as it appears. */
export function RefreshOutcome(props: { outcome?: string }) {
  if (!props.outcome) {
    return null;
  }
  return (
    <Alert severity="success" role="status">
      {props.outcome}
    </Alert>
  );
}
