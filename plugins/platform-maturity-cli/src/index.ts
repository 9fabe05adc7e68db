/**
 * `paved`: scores a checkout against the platform maturity checklist with the same engine and
 * configuration as the Paved backend, and gates pull requests on the result.
 *
 * @packageDocumentation
 */

import { main } from './program';

main(process.argv, {
  stdout: process.stdout,
  stderr: process.stderr,
  color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
}).then(code => {
  // Setting the exit code (not calling process.exit) lets piped output drain first.
  process.exitCode = code;
});
