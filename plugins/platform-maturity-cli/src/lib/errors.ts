import { InputError, isError } from '@backstage/errors';

/**
 * The exit codes of `paved`.
 *
 * @internal
 */
export const ExitCode = Object.freeze({
  /** Scored, and every gate passed. */
  Pass: 0,
  /** Scored, and a gate failed. */
  GateFailed: 1,
  /** Could not score: a usage or configuration error. */
  UsageError: 2,
  /**
   * Scored, every gate passed, but an entity is out of scope (no check applies to its kind or
   * type), so the gate judged nothing for it. `--allow-out-of-scope` turns this into 0.
   */
  OutOfScope: 3,
});

/**
 * A mistake in the command line or in a file it names, reported as `<option>: <problem>`.
 *
 * @internal
 */
export function usageError(option: string, problem: string): InputError {
  return new InputError(`${option}: ${problem}`);
}

/** Node.js system error codes that describe the user's files, not a bug. */
const FILE_ERROR_CODES = new Set([
  'ENOENT',
  'ENOTDIR',
  'EISDIR',
  'EACCES',
  'EPERM',
  'ELOOP',
  'ENAMETOOLONG',
]);

/**
 * Whether an error is the user's to fix (bad input, a missing or unreadable file), so that it is
 * reported with its message only, never a stack trace.
 *
 * @internal
 */
export function isUserError(error: unknown): boolean {
  if (!isError(error)) {
    return false;
  }
  // RulesetConfigError is an InputError.
  if (error.name === 'InputError' || error.name === 'NotFoundError') {
    return true;
  }
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && FILE_ERROR_CODES.has(code);
}
