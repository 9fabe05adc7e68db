import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * Jest global setup: builds the package once, so that the tests run the built `paved` binary as
 * a user would.
 *
 * @internal
 */
export default function buildCli(): void {
  const packageDir = path.resolve(__dirname, '../..');
  const backstageCli = path.join(
    path.dirname(require.resolve('@backstage/cli/package.json')),
    'bin/backstage-cli',
  );
  const result = spawnSync(
    process.execPath,
    [backstageCli, 'package', 'build'],
    { cwd: packageDir, encoding: 'utf8' },
  );
  if (result.status !== 0) {
    throw new Error(
      `backstage-cli package build failed in ${packageDir}:\n${result.stdout}\n${result.stderr}`,
    );
  }
}
