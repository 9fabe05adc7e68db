import type { Scorecard } from '@paved/plugin-platform-maturity-common';
import Alert from '@material-ui/lab/Alert';

/**
 * Says that the repository was only partly read (more files than the backend lists), so that
 * checks which found nothing among the files read show as "could not check", not as missing.
 */
export function PartialRepositoryAlert(props: {
  scorecard: Scorecard;
  className?: string;
}) {
  const partial = props.scorecard.partialRepository;
  if (!partial) {
    return null;
  }
  return (
    <Alert severity="warning" className={props.className}>
      The repository was only partly read: the first{' '}
      {partial.filesRead.toLocaleString('en-US')} of more files. Checks that
      found nothing among them show as “could not check” and do not count
      against the score.
    </Alert>
  );
}
