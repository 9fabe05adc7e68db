import { Link, LinkButton } from '@backstage/core-components';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import type {
  CheckDefinition,
  CheckResult,
  Evidence,
  Waiver,
} from '@paved/plugin-platform-maturity-common';
import { CHECK_STATUS_LABELS } from '../../lib/labels';
import { remediationTemplateUrl } from '../../lib/remediation';
import { formatUntil } from '../../lib/time';
import { useScaffolderRoot } from '../../lib/useScaffolderRoot';
import { CheckStatusIcon } from './StatusIcon';

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
  waiver: {
    marginTop: theme.spacing(0.5),
    paddingLeft: theme.spacing(1),
    borderLeft: `3px solid ${theme.palette.info.main}`,
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

function EvidenceList(props: { evidence: Evidence[] }) {
  const classes = useStyles();
  return (
    <ul className={classes.evidence} aria-label="Evidence">
      {props.evidence.map((e, index) => (
        <li key={`${e.type}:${e.ref}:${index}`}>
          <Typography variant="caption" color="textSecondary">
            {EVIDENCE_LABELS[e.type]}{' '}
            <code className={classes.code}>
              {e.ref}
              {e.line !== undefined && `:${e.line}`}
            </code>
            {e.detail && <> ({e.detail})</>}
          </Typography>
        </li>
      ))}
    </ul>
  );
}

function WaiverDetails(props: { waiver: Waiver }) {
  const classes = useStyles();
  const { waiver } = props;
  return (
    <Typography
      variant="body2"
      className={classes.waiver}
      aria-label="Waiver"
      component="div"
    >
      Waived by <strong>{waiver.waivedBy}</strong> until{' '}
      <time dateTime={waiver.until}>{formatUntil(waiver.until)}</time>
      {waiver.source === 'entity'
        ? ' (declared on the entity)'
        : ' (declared in configuration)'}
      : {waiver.reason}
    </Typography>
  );
}

function CheckItem(props: {
  result: CheckResult;
  definition?: CheckDefinition;
  entityRef: string;
  scaffolderRoot: string;
  detailed: boolean;
}) {
  const { result, definition, entityRef, scaffolderRoot, detailed } = props;
  const classes = useStyles();
  const title = definition?.title ?? result.checkId;
  const failing = result.status === 'fail';
  const fixUrl =
    failing && definition
      ? remediationTemplateUrl({
          scaffolderRoot,
          remediation: definition.remediation,
          entityRef,
        })
      : undefined;
  const docsUrl = definition?.remediation.docsUrl;
  const showDocs = docsUrl && (failing || detailed);

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
        <Typography variant="body2">{result.message}</Typography>
        {result.evidence.length > 0 && (
          <EvidenceList evidence={result.evidence} />
        )}
        {result.waiver && <WaiverDetails waiver={result.waiver} />}
        {(fixUrl || showDocs) && (
          <div className={classes.actions}>
            {fixUrl && (
              <LinkButton
                to={fixUrl}
                size="small"
                variant="outlined"
                color="primary"
                // It navigates: a link that looks like a button.
                role="link"
                aria-label={`Fix: ${title}`}
              >
                Fix
              </LinkButton>
            )}
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

/**
 * The results of some checks: status icon, title, message, evidence, waiver and, for a failing
 * check, its Fix link into the scaffolder and its docs. `detailed` adds each check's description
 * and docs link whatever its status.
 */
export function CheckList(props: {
  results: CheckResult[];
  checks: CheckDefinition[];
  entityRef: string;
  label: string;
  detailed?: boolean;
}) {
  const { results, checks, entityRef, label, detailed = false } = props;
  const classes = useStyles();
  const scaffolderRoot = useScaffolderRoot();
  return (
    <ul className={classes.list} aria-label={label}>
      {results.map(result => (
        <CheckItem
          key={result.checkId}
          result={result}
          definition={checks.find(c => c.id === result.checkId)}
          entityRef={entityRef}
          scaffolderRoot={scaffolderRoot}
          detailed={detailed}
        />
      ))}
    </ul>
  );
}
