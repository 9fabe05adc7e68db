import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import type {
  CheckDefinition,
  Scorecard,
  Waiver,
} from '@paved/plugin-platform-maturity-common';
import { formatUntil } from '../../lib/time';

const useStyles = makeStyles(theme => ({
  waiver: {
    paddingLeft: theme.spacing(1),
    borderLeft: `3px solid ${theme.palette.info.main}`,
  },
  expired: { borderLeftColor: theme.palette.warning.main },
  list: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
  },
  line: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(0.5, 1),
  },
  title: { fontWeight: 500 },
}));

/** Who granted a waiver: a link when it names a user or group, else the name as written. */
function Granter(props: { waivedBy: string }) {
  const { waivedBy } = props;
  if (!/\s/.test(waivedBy)) {
    try {
      const ref = parseEntityRef(waivedBy, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      });
      if (ref.kind === 'group' || ref.kind === 'user') {
        return <EntityRefLink entityRef={ref} defaultKind="group" />;
      }
    } catch {
      // Not an entity ref: a name, shown as written.
    }
  }
  return <strong>{waivedBy}</strong>;
}

/**
 * One waiver: who granted it, until when (one date format), its reason (once), and whether the
 * service's owner declared it on their own entity rather than the platform team in configuration.
 */
export function WaiverDetails(props: {
  waiver: Waiver;
  /** The waiver no longer counts; the check is scored as it is. */
  expired?: boolean;
  /** The check's title, for a waiver listed apart from its check. */
  checkTitle?: string;
  /** Only that it is waived and until when: the details are listed elsewhere on the card. */
  brief?: boolean;
}) {
  const { waiver, expired = false, checkTitle, brief = false } = props;
  const classes = useStyles();
  const selfDeclared = waiver.source === 'entity';
  const until = (
    <time dateTime={waiver.until}>{formatUntil(waiver.until)}</time>
  );
  return (
    <div
      className={`${classes.waiver} ${expired ? classes.expired : ''}`}
      data-waiver={expired ? 'expired' : 'active'}
    >
      <Typography variant="body2" component="div" className={classes.line}>
        {checkTitle && <span className={classes.title}>{checkTitle}</span>}
        <Chip
          size="small"
          variant="outlined"
          label={expired ? 'Waiver expired' : 'Waived'}
        />
        {selfDeclared && (
          <Chip
            size="small"
            variant="outlined"
            label="Self-declared"
            title="Declared by the service's owner on its own entity, not granted by the platform team"
          />
        )}
        {brief && (
          <Typography variant="body2" color="textSecondary" component="span">
            until {until}, see Waivers above
          </Typography>
        )}
      </Typography>
      {!brief && (
        <>
          <Typography variant="body2" color="textSecondary" component="div">
            {selfDeclared ? (
              <>
                Declared on the entity, naming{' '}
                <Granter waivedBy={waiver.waivedBy} />
              </>
            ) : (
              <>
                Granted by <Granter waivedBy={waiver.waivedBy} /> in the
                platform configuration
              </>
            )}
            {expired ? '; expired on ' : '; until '}
            {until}
          </Typography>
          <Typography variant="body2">Reason: {waiver.reason}</Typography>
        </>
      )}
    </div>
  );
}

/**
 * The waivers of a scorecard, in force and expired, each with its check's title; nothing when
 * there are none.
 */
export function WaiverList(props: {
  scorecard: Scorecard;
  checks: CheckDefinition[];
  headingLevel: 'h3' | 'h4';
}) {
  const { scorecard, checks, headingLevel } = props;
  const classes = useStyles();
  const title = (checkId: string) =>
    checks.find(c => c.id === checkId)?.title ?? checkId;
  const active = scorecard.results.flatMap(r =>
    r.waiver ? [{ waiver: r.waiver, expired: false }] : [],
  );
  const expired = scorecard.notices.flatMap(n =>
    n.type === 'waiver-expired' && n.waiver
      ? [{ waiver: n.waiver, expired: true }]
      : [],
  );
  const waivers = [...expired, ...active];
  if (waivers.length === 0) {
    return null;
  }
  return (
    <section aria-label="Waivers">
      <Typography variant="subtitle2" component={headingLevel} gutterBottom>
        Waivers
      </Typography>
      <ul className={classes.list}>
        {waivers.map(({ waiver, expired: isExpired }) => (
          <li key={`${waiver.checkId}:${isExpired}`}>
            <WaiverDetails
              waiver={waiver}
              expired={isExpired}
              checkTitle={title(waiver.checkId)}
            />
          </li>
        ))}
      </ul>
    </section>
  );
}
