import { ResponseErrorPanel } from '@backstage/core-components';
import { errorMessage } from '../../lib/errors';

/** `ResponseErrorPanel` titled with what failed and the backend's message. */
export function ErrorPanel(props: { title: string; error: Error }) {
  const { title, error } = props;
  return (
    <ResponseErrorPanel
      title={`${title}: ${errorMessage(error)}`}
      error={error}
    />
  );
}
