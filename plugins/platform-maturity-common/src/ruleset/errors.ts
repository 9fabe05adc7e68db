import { InputError } from '@backstage/errors';

/**
 * An invalid `platformMaturity` configuration. The message names the key and the problem.
 *
 * @public
 */
export class RulesetConfigError extends InputError {
  readonly key: string;

  constructor(key: string, problem: string) {
    super(`Invalid configuration at '${key}': ${problem}`);
    this.key = key;
  }
}
