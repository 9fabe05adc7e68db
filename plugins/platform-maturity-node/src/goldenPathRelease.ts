import type { RootConfigService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  GoldenPathRelease,
  parseGoldenPathChangelog,
  PAVED_GOLDEN_PATH_RELEASE,
} from '@paved/plugin-platform-maturity-common';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

/**
 * The key of the platform team's golden-path content directory, shared with the scaffolder
 * module that renders it.
 *
 * @public
 */
export const GOLDEN_PATH_CONTENT_DIRECTORY_KEY = 'goldenPath.content.directory';

/**
 * The file of a golden-path content directory that versions it: its `source` name and its
 * `releases`, newest first.
 *
 * @public
 */
export const GOLDEN_PATH_CHANGELOG_FILE = 'CHANGELOG.yaml';

/**
 * The release of the golden-path content in force with this configuration: the
 * `CHANGELOG.yaml` of the platform team's content directory (`goldenPath.content.directory`,
 * relative to the working directory) when it has one, else the release of the content Paved
 * ships. The backend, the command-line scorer and the scaffolder module all call it, so that
 * `as-code.golden-path-current` gives one verdict everywhere (pass it to `compileRuleset` as
 * `goldenPath`).
 *
 * @throws InputError naming the key when the directory does not exist, or the file and the key
 *   when the changelog is malformed
 * @public
 */
export function readGoldenPathRelease(
  config: Pick<RootConfigService, 'getOptionalString'>,
): GoldenPathRelease {
  const directory = config.getOptionalString(GOLDEN_PATH_CONTENT_DIRECTORY_KEY);
  if (!directory) {
    return PAVED_GOLDEN_PATH_RELEASE;
  }
  const root = path.resolve(directory);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    throw new InputError(
      `Invalid configuration at '${GOLDEN_PATH_CONTENT_DIRECTORY_KEY}': ${root} is not a directory`,
    );
  }
  const file = path.join(root, GOLDEN_PATH_CHANGELOG_FILE);
  if (!fs.existsSync(file)) {
    return PAVED_GOLDEN_PATH_RELEASE;
  }
  let raw: unknown;
  try {
    raw = parseYaml(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InputError(
      `${file} is not valid YAML: ${(error as Error).message}`,
    );
  }
  try {
    return parseGoldenPathChangelog(raw, file);
  } catch (error) {
    throw new InputError((error as Error).message);
  }
}
