import type { ResponseError } from '@backstage/errors';

/**
 * The message to show for an error: for an error answer of the backend, the backend's own
 * message (for example which query parameter it rejected), not only the HTTP status.
 */
export function errorMessage(error: Error): string {
  if (error.name === 'ResponseError') {
    const cause = (error as ResponseError).cause;
    if (cause?.message) {
      return cause.message;
    }
  }
  return error.message;
}
