import {
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type {
  CapabilityStatus,
  ChecklistResponse,
  Scorecard,
} from '@paved/plugin-platform-maturity-common';
import useAsync from 'react-use/esm/useAsync';
import { platformMaturityApiRef } from '../../api/PlatformMaturityApi';
import { errorMessage } from '../../lib/errors';
import { CAPABILITY_STATUS_LABELS } from '../../lib/labels';
import { useEntityScorecard } from '../../lib/useEntityScorecard';
import { CapabilityProgress } from '../ScorecardParts/CapabilityProgress';
import { CheckList } from '../ScorecardParts/CheckList';
import { PartialRepositoryAlert } from '../ScorecardParts/PartialRepositoryAlert';
import { ReEvaluateButton } from '../ScorecardParts/ReEvaluateButton';
import { ScorecardSummary } from '../ScorecardParts/ScorecardSummary';
import { UnreadEvidenceAlert } from '../ScorecardParts/UnreadEvidenceAlert';
import {
  ErrorState,
  LoadingState,
  NotEvaluatedState,
  OutOfScopeState,
  RefreshErrorAlert,
  RefreshOutcome,
} from '../ScorecardParts/ScorecardStates';
import { CapabilityStatusIcon } from '../ScorecardParts/StatusIcon';
import { WaiverList } from '../ScorecardParts/Waivers';
import { HistoryChart } from './HistoryChart';

const useStyles = makeStyles(theme => ({
  capabilityHeader: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(1),
  },
  notices: { margin: 0, paddingLeft: theme.spacing(2) },
  alert: { marginTop: theme.spacing(2) },
}));

/** The cards' titles are headings, so that screen reader users can move between them. */
const HEADING = { component: 'h2' };

const CAPABILITY_ORDER: Record<CapabilityStatus, number> = {
  missing: 0,
  partial: 1,
  unknown: 2,
  complete: 3,
  'not-applicable': 4,
};

function History(props: {
  scorecard: Scorecard;
  checklist: ChecklistResponse;
}) {
  const { scorecard, checklist } = props;
  const api = useApi(platformMaturityApiRef);
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  // Reloaded when a re-evaluation produced a newer scorecard.
  const history = useAsync(
    () => api.getHistory(getCompoundEntityRef(entity)),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, entityRef, scorecard.evaluatedAt],
  );
  if (history.loading) {
    return <Progress aria-label="Loading the history" />;
  }
  if (history.error) {
    return (
      <Alert severity="error">
        Could not load the history: {errorMessage(history.error)}
      </Alert>
    );
  }
  const entries = history.value?.entries ?? [];
  if (entries.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No history yet.
      </Typography>
    );
  }
  return (
    <HistoryChart
      entries={entries}
      levels={checklist.levels}
      checks={checklist.checks}
    />
  );
}

function Evaluated(props: {
  scorecard: Scorecard;
  checklist: ChecklistResponse;
  action?: JSX.Element;
}) {
  const { scorecard, checklist, action } = props;
  const classes = useStyles();
  // The partly read and the unreadable repository have alerts of their own, and expired waivers
  // are listed with the others.
  const notices = scorecard.notices.filter(
    n =>
      n.type !== 'repository-truncated' &&
      n.type !== 'repository-unreadable' &&
      !(n.type === 'waiver-expired' && n.waiver),
  );
  // What needs work first; complete and not applicable capabilities last.
  const capabilities = [...scorecard.capabilities].sort(
    (a, b) => CAPABILITY_ORDER[a.status] - CAPABILITY_ORDER[b.status],
  );
  return (
    <>
      <Grid item xs={12} md={4}>
        <InfoCard
          title="Platform maturity"
          titleTypographyProps={HEADING}
          action={action}
          variant="gridItem"
        >
          <ScorecardSummary scorecard={scorecard} checklist={checklist} />
          <PartialRepositoryAlert
            scorecard={scorecard}
            className={classes.alert}
          />
          <UnreadEvidenceAlert
            scorecard={scorecard}
            className={classes.alert}
          />
          {notices.length > 0 && (
            <Alert severity="warning" className={classes.alert}>
              <ul className={classes.notices} aria-label="Notices">
                {notices.map((notice, index) => (
                  <li key={`${notice.type}:${notice.checkId}:${index}`}>
                    {notice.message}
                  </li>
                ))}
              </ul>
            </Alert>
          )}
          <div className={classes.alert}>
            <WaiverList
              scorecard={scorecard}
              checks={checklist.checks}
              headingLevel="h3"
            />
          </div>
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={8}>
        <InfoCard
          title="History"
          titleTypographyProps={HEADING}
          variant="gridItem"
        >
          <History scorecard={scorecard} checklist={checklist} />
        </InfoCard>
      </Grid>
      {capabilities.map(capability => {
        const definition = checklist.capabilities.find(
          c => c.id === capability.capability,
        );
        const title = definition?.title ?? capability.capability;
        return (
          <Grid item xs={12} key={capability.capability}>
            <InfoCard title={title} titleTypographyProps={HEADING}>
              <div className={classes.capabilityHeader}>
                <CapabilityStatusIcon status={capability.status} />
                <Typography variant="body2">
                  {CAPABILITY_STATUS_LABELS[capability.status]}
                </Typography>
                <CapabilityProgress capability={capability} title={title} />
              </div>
              {definition && (
                <Typography variant="body2" color="textSecondary" paragraph>
                  {definition.description}
                </Typography>
              )}
              <CheckList
                results={scorecard.results.filter(
                  r => r.capability === capability.capability,
                )}
                checks={checklist.checks}
                entityRef={scorecard.entityRef}
                label={`Checks of ${title}`}
                detailed
                foldSettled
                briefWaivers
              />
            </InfoCard>
          </Grid>
        );
      })}
    </>
  );
}

/**
 * The platform maturity tab of an entity page: the scorecard, every check grouped by capability
 * with full detail (what needs work first, passed and not applicable checks folded), the waivers,
 * and the history of score and level.
 *
 * @public
 */
export function EntityPlatformMaturityContent() {
  const { entity } = useEntity();
  const {
    state,
    canRefresh,
    refresh,
    refreshing,
    resting,
    refreshOutcome,
    refreshError,
  } = useEntityScorecard(entity);

  let content: JSX.Element;
  switch (state.status) {
    case 'loading':
      content = <LoadingState />;
      break;
    case 'error':
      content = <ErrorState error={state.error} />;
      break;
    case 'out-of-scope':
      content = <OutOfScopeState entity={entity} variant="page" />;
      break;
    case 'not-evaluated':
      content = (
        <NotEvaluatedState
          variant="page"
          canRefresh={canRefresh}
          refreshing={refreshing}
          onEvaluate={refresh}
        />
      );
      break;
    default:
      content = (
        <Evaluated
          scorecard={state.scorecard}
          checklist={state.checklist}
          action={
            canRefresh ? (
              <ReEvaluateButton
                refreshing={refreshing}
                resting={resting}
                onClick={refresh}
              />
            ) : undefined
          }
        />
      );
  }
  return (
    <Grid container spacing={3} className="paved-platform-maturity-tab">
      {refreshError && (
        <Grid item xs={12}>
          <RefreshErrorAlert error={refreshError} />
        </Grid>
      )}
      {refreshOutcome && (
        <Grid item xs={12}>
          <RefreshOutcome outcome={refreshOutcome} />
        </Grid>
      )}
      {state.status === 'evaluated' ? (
        content
      ) : (
        <Grid item xs={12}>
          {content}
        </Grid>
      )}
    </Grid>
  );
}
