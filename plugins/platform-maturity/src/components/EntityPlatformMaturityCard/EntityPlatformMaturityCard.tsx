import { InfoCard, InfoCardVariants } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import type {
  ChecklistResponse,
  Scorecard,
} from '@paved/plugin-platform-maturity-common';
import { CAPABILITY_STATUS_LABELS } from '../../lib/labels';
import { useEntityScorecard } from '../../lib/useEntityScorecard';
import { CapabilityProgress } from '../ScorecardParts/CapabilityProgress';
import { CheckList } from '../ScorecardParts/CheckList';
import { NextLevelChecks } from '../ScorecardParts/NextLevelChecks';
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

const useStyles = makeStyles(theme => ({
  body: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(2),
  },
  capabilities: {
    '& .MuiAccordion-root': {
      boxShadow: 'none',
      borderTop: `1px solid ${theme.palette.divider}`,
    },
    '& .MuiAccordion-root:before': { display: 'none' },
    // The theme's focus shade is faint; keyboard users need to see which row they are on.
    '& .MuiAccordionSummary-root.Mui-focusVisible': {
      outline: `2px solid ${theme.palette.primary.main}`,
      outlineOffset: -2,
    },
  },
  summaryContent: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(0.5, 1),
    width: '100%',
    minWidth: 0,
  },
  // On a narrow card the title keeps its line and the status moves below it.
  capabilityTitle: { flex: '1 1 10em', minWidth: 0 },
  meta: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginLeft: 'auto',
  },
  statusLabel: { minWidth: '7em' },
  failing: { minWidth: '4.5em', whiteSpace: 'nowrap', fontWeight: 500 },
}));

function CapabilityRows(props: {
  scorecard: Scorecard;
  checklist: ChecklistResponse;
}) {
  const { scorecard, checklist } = props;
  const classes = useStyles();
  return (
    <div className={classes.capabilities}>
      {scorecard.capabilities.map(capability => {
        const title =
          checklist.capabilities.find(c => c.id === capability.capability)
            ?.title ?? capability.capability;
        const id = `platform-maturity-card-${capability.capability}`;
        const results = scorecard.results.filter(
          r => r.capability === capability.capability,
        );
        const failing = results.filter(r => r.status === 'fail').length;
        return (
          <Accordion
            key={capability.capability}
            TransitionProps={{ unmountOnExit: true }}
          >
            <AccordionSummary
              expandIcon={<ExpandMoreIcon />}
              id={`${id}-header`}
              aria-controls={`${id}-checks`}
            >
              <span className={classes.summaryContent}>
                <CapabilityStatusIcon status={capability.status} />
                <Typography
                  variant="body2"
                  component="span"
                  className={classes.capabilityTitle}
                >
                  {title}
                </Typography>
                <span className={classes.meta}>
                  <Typography
                    variant="caption"
                    color="textSecondary"
                    className={classes.statusLabel}
                  >
                    {CAPABILITY_STATUS_LABELS[capability.status]}
                  </Typography>
                  <Typography
                    variant="caption"
                    color="textPrimary"
                    className={classes.failing}
                  >
                    {failing > 0 ? `${failing} failing` : ''}
                  </Typography>
                  <CapabilityProgress capability={capability} title={title} />
                </span>
              </span>
            </AccordionSummary>
            <AccordionDetails
              id={`${id}-checks`}
              role="region"
              aria-labelledby={`${id}-header`}
            >
              <CheckList
                results={results}
                checks={checklist.checks}
                entityRef={scorecard.entityRef}
                label={`Checks of ${title}`}
                briefWaivers
              />
            </AccordionDetails>
          </Accordion>
        );
      })}
    </div>
  );
}

/**
 * Properties of {@link EntityPlatformMaturityCard}.
 *
 * @public
 */
export interface EntityPlatformMaturityCardProps {
  /** The InfoCard variant; `gridItem` fills the height of its grid row. */
  variant?: InfoCardVariants;
}

/**
 * The platform maturity scorecard of the current entity: score and level, the checks that block
 * the next level with their Fix links, the waivers, and the six capabilities with their checks.
 *
 * @public
 */
export function EntityPlatformMaturityCard(
  props: EntityPlatformMaturityCardProps,
) {
  const { entity } = useEntity();
  const classes = useStyles();
  const {
    state,
    canRefresh,
    refresh,
    refreshing,
    resting,
    refreshOutcome,
    refreshError,
  } = useEntityScorecard(entity);

  const action =
    canRefresh && state.status === 'evaluated' ? (
      <ReEvaluateButton
        refreshing={refreshing}
        resting={resting}
        onClick={refresh}
      />
    ) : undefined;

  let body;
  switch (state.status) {
    case 'loading':
      body = <LoadingState />;
      break;
    case 'error':
      body = <ErrorState error={state.error} />;
      break;
    case 'out-of-scope':
      body = <OutOfScopeState entity={entity} variant="card" />;
      break;
    case 'not-evaluated':
      body = (
        <NotEvaluatedState
          variant="card"
          canRefresh={canRefresh}
          refreshing={refreshing}
          onEvaluate={refresh}
        />
      );
      break;
    default: {
      body = (
        <>
          <ScorecardSummary
            scorecard={state.scorecard}
            checklist={state.checklist}
          />
          <PartialRepositoryAlert scorecard={state.scorecard} />
          <UnreadEvidenceAlert scorecard={state.scorecard} />
          <NextLevelChecks
            scorecard={state.scorecard}
            checklist={state.checklist}
          />
          <WaiverList
            scorecard={state.scorecard}
            checks={state.checklist.checks}
            headingLevel="h3"
          />
          <CapabilityRows
            scorecard={state.scorecard}
            checklist={state.checklist}
          />
        </>
      );
    }
  }

  return (
    <InfoCard
      title="Platform maturity"
      // A heading, so that screen reader users can jump to the card.
      titleTypographyProps={{ component: 'h2' }}
      // A stable hook for the browser test's accessibility checks.
      className="paved-platform-maturity-card"
      variant={props.variant}
      action={action}
    >
      <div className={classes.body}>
        {refreshError && <RefreshErrorAlert error={refreshError} />}
        <RefreshOutcome outcome={refreshOutcome} />
        {body}
      </div>
    </InfoCard>
  );
}
