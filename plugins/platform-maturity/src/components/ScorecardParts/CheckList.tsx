import { Link, LinkButton } from '@backstage/core-components';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import type {
  CheckDefinition,
  CheckResult,
  CheckStatus,
  Evidence,
} from '@paved/plugin-platform-maturity-common';
import { remediationTemplatePath } from '@paved/plugin-platform-maturity-common';
import { CHECK_STATUS_LABELS } from '../../lib/labels';
import { useScaffolderRoot } from '../../lib/useScaffolderRoot';
import { CheckStatusIcon } from './StatusIcon';
import { WaiverDetails } from './Waivers';

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: 0, padding: 0, width: '100%' },
  check: {
    display: 'flex',
    gap: theme.spacing(1.5),
    padding: theme.spacing(1, 0),
    '& + &': { borderTop: `1px solid ${theme.palette.divider}` },
  },
  icon: { paddingTop: 2 },
  body: { minWidth: 0, flex: 1 },
  heading: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'baseline',
    gap: theme.spacing(1),
  },
  title: { fontWeight: 500 },
  evidence: {
    margin: theme.spacing(0.5, 0, 0),
    paddingLeft: theme.spacing(2),
  },
  code: {
    fontFamily: 'monospace',
    fontSize: '0.85em',
    overflowWrap: 'anywhere',
  },
  waiver: { marginTop: theme.spacing(0.5) },
  folded: {
    borderTop: `1px solid ${theme.palette.divider}`,
    paddingTop: theme.spacing(1),
    '& > summary': {
      cursor: 'pointer',
      padding: theme.spacing(0.5, 0),
    },
  },
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginTop: theme.spacing(1),
  },
}));

const EVIDENCE_LABELS: Record<Evidence['type'], string> = {
  file: 'File',
  annotation: 'Annotation',
  field: 'Field',
  relation: 'Relation',
  catalog: 'Catalog entity',
};

/**
 * The evidence that decided a result, or, labelled "Rejected", the near-misses a failing check
 * found, each with why it does not count.
 */
function EvidenceList(props: {
  evidence: Array<Evidence & { reason?: string }>;
  label: string;
}) {
  const classes = useStyles();
  return (
    <ul className={classes.evidence} aria-label={props.label}>
      {props.evidence.map((e, index) => (
        <li key={`${e.type}:${e.ref}:${index}`}>
          <Typography variant="caption" color="textSecondary">
            {e.reason !== undefined && 'Rejected: '}
            {EVIDENCE_LABELS[e.type]}{' '}
            <code className={classes.code}>
              {e.ref}
              {e.line !== undefined && `:${e.line}`}
            </code>
            {e.detail && <> ({e.detail})</>}
            {e.reason !== undefined && <> — {e.reason}</>}
          </Typography>
        </li>
      ))}
    </ul>
  );
}

/**
 * The Fix link of a failing check: the check's remediation template with the entity prefilled;
 * nothing when the check names no template.
 */
export function FixLink(props: {
  definition: CheckDefinition;
  entityRef: string;
}) {
  const { definition, entityRef } = props;
  const scaffolderRoot = useScaffolderRoot();
  const fixUrl = remediationTemplatePath(definition.remediation, entityRef, {
    scaffolderRoot,
  });
  if (!fixUrl) {
    return null;
  }
  return (
    <LinkButton
      to={fixUrl}
      size="small"
      variant="outlined"
      color="primary"
      // It navigates: a link that looks like a button.
      role="link"
      aria-label={`Fix: ${definition.title}`}
    >
      Fix
    </LinkButton>
  );
}

function CheckItem(props: {
  result: CheckResult;
  definition?: CheckDefinition;
  entityRef: string;
  detailed: boolean;
  briefWaivers: boolean;
}) {
  const { result, definition, entityRef, detailed, briefWaivers } = props;
  const classes = useStyles();
  const title = definition?.title ?? result.checkId;
  const failing = result.status === 'fail';
  const fix = failing && definition?.remediation.templateRef && (
    <FixLink definition={definition} entityRef={entityRef} />
  );
  const docsUrl = definition?.remediation.docsUrl;
  // Docs help where something is to do or to understand, not on a check that passes.
  const showDocs =
    docsUrl &&
    (failing ||
      (detailed &&
        result.status !== 'pass' &&
        result.status !== 'not-applicable'));

  return (
    <li className={classes.check} data-check-id={result.checkId}>
      <span className={classes.icon}>
        <CheckStatusIcon status={result.status} />
      </span>
      <div className={classes.body}>
        <div className={classes.heading}>
          <Typography
            variant="body2"
            component="span"
            className={classes.title}
          >
            {title}
          </Typography>
          <Typography variant="caption" color="textSecondary">
            {CHECK_STATUS_LABELS[result.status]}
          </Typography>
        </div>
        {detailed && definition?.description && (
          <Typography variant="body2" color="textSecondary">
            {definition.description}
          </Typography>
        )}
        {/* A waived result's message repeats the waiver, which is shown below. */}
        {!result.waiver && (
          <Typography variant="body2">{result.message}</Typography>
        )}
        {result.evidence.length > 0 && (
          <EvidenceList evidence={result.evidence} label="Evidence" />
        )}
        {result.nearMisses && result.nearMisses.length > 0 && (
          <EvidenceList evidence={result.nearMisses} label="Near-misses" />
        )}
        {result.waiver && (
          <div className={classes.waiver}>
            <WaiverDetails waiver={result.waiver} brief={briefWaivers} />
          </div>
        )}
        {(fix || showDocs) && (
          <div className={classes.actions}>
            {fix}
            {showDocs && (
              <Link to={docsUrl} aria-label={`How to meet ${title}`}>
                How to meet this check
              </Link>
            )}
          </div>
        )}
      </div>
    </li>
  );
}

/** Failing first, then what could not be checked, waived, passed and not applicable. */
const STATUS_ORDER: Record<CheckStatus, number> = {
  fail: 0,
  unknown: 1,
  waived: 2,
  pass: 3,
  'not-applicable': 4,
};

/** The statuses that need no action, which `foldSettled` folds away. */
const SETTLED: ReadonlySet<CheckStatus> = new Set(['pass', 'not-applicable']);

function foldSummary(results: CheckResult[]): string {
  const passed = results.filter(r => r.status === 'pass').length;
  const notApplicable = results.length - passed;
  return [
    passed > 0 && `${passed} passed`,
    notApplicable > 0 && `${notApplicable} not applicable`,
  ]
    .filter(Boolean)
    .join(', ');
}

/**
 * The results of some checks, failing first: status icon, title, message, evidence, waiver and,
 * for a failing check, its Fix link into the scaffolder and its docs. `detailed` adds each check's
 * description, and the docs link of checks that could not be checked or are waived; `foldSettled` folds the passed and not applicable
 * checks under one line.
 */
export function CheckList(props: {
  results: CheckResult[];
  checks: CheckDefinition[];
  entityRef: string;
  label: string;
  detailed?: boolean;
  foldSettled?: boolean;
  /** Waivers show only their expiry: the card lists them in full above. */
  briefWaivers?: boolean;
}) {
  const {
    results,
    checks,
    entityRef,
    label,
    detailed = false,
    foldSettled = false,
    briefWaivers = false,
  } = props;
  const classes = useStyles();
  const sorted = [...results].sort(
    (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status],
  );
  const settled = foldSettled ? sorted.filter(r => SETTLED.has(r.status)) : [];
  const open = sorted.filter(r => !settled.includes(r));
  const items = (list: CheckResult[], listLabel: string) => (
    <ul className={classes.list} aria-label={listLabel}>
      {list.map(result => (
        <CheckItem
          key={result.checkId}
          result={result}
          definition={checks.find(c => c.id === result.checkId)}
          entityRef={entityRef}
          detailed={detailed}
          briefWaivers={briefWaivers}
        />
      ))}
    </ul>
  );
  if (settled.length === 0) {
    return items(open, label);
  }
  const summary = foldSummary(settled);
  return (
    <>
      {open.length > 0 && items(open, label)}
      <details className={classes.folded}>
        <summary>
          <Typography variant="body2" component="span">
            {summary}
          </Typography>
        </summary>
        {items(settled, open.length > 0 ? `${label}: ${summary}` : label)}
      </details>
    </>
  );
}
