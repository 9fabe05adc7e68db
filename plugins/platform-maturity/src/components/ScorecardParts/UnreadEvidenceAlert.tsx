import Alert from '@material-ui/lab/Alert';
import type { Scorecard } from '@paved/plugin-platform-maturity-common';

/**
 * Says that some evidence could not be read, and, when the backend knows, why and who can fix
 * it; nothing when every check could be read or the repository was only partly read (which
 * `PartialRepositoryAlert` explains).
 */
export function UnreadEvidenceAlert(props: {
  scorecard: Scorecard;
  className?: string;
}) {
  const { scorecard, className } = props;
  if (
    scorecard.partialRepository ||
    !scorecard.results.some(r => r.status === 'unknown')
  ) {
    return null;
  }
  const reasons = scorecard.notices.filter(
    n => n.type === 'repository-unreadable',
  );
  return (
    <Alert severity="info" className={className}>
      Some evidence could not be read. Those checks show as “could not check”
      and do not count against the score; the capabilities they belong to are
      not counted as met.
      {reasons.map(notice => (
        <p key={notice.message}>{notice.message}</p>
      ))}
    </Alert>
  );
}
