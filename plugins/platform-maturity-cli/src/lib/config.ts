import type { ConfigSource } from '@backstage/config-loader';
import { InputError } from '@backstage/errors';
import {
  compileRuleset,
  type CheckImplementation,
  type GoldenPathRelease,
  type Ruleset,
} from '@paved/plugin-platform-maturity-common';
import { readGoldenPathRelease } from '@paved/plugin-platform-maturity-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import { usageError } from './errors';

/**
 * What the CLI reads from Backstage configuration.
 *
 * @internal
 */
export interface CliConfiguration {
  /** The ruleset compiled from `platformMaturity`, exactly as the backend compiles it. */
  ruleset: Ruleset;
  /** `app.baseUrl`, the Backstage app that Fix links open, when configured. */
  appBaseUrl?: string;
  /** The configuration files read, in order. */
  files: string[];
}

/**
 * Reads the `platformMaturity` configuration from app-config files, as the backend does: later
 * files override earlier ones, `${VAR}` is substituted from the environment, `$include` and
 * `$file` resolve next to the file, and `APP_CONFIG_*` environment variables apply last. Without
 * files or `APP_CONFIG_*` variables, the default ruleset applies. `extraChecks` are the checks
 * written in code that the backend gets from its modules.
 *
 * @internal
 */
export async function loadCliConfiguration(options: {
  configFiles: readonly string[];
  extraChecks?: readonly CheckImplementation[];
  env?: Record<string, string | undefined>;
}): Promise<CliConfiguration> {
  const { configFiles, extraChecks, env = process.env } = options;
  const files: string[] = [];
  for (const file of configFiles) {
    const absolute = path.resolve(file);
    try {
      await fs.access(absolute);
    } catch {
      throw usageError('--config', `${file} does not exist`);
    }
    files.push(absolute);
  }

  const hasEnvConfig = Object.keys(env).some(key =>
    key.startsWith('APP_CONFIG_'),
  );
  if (files.length === 0 && !hasEnvConfig) {
    return { ruleset: compileRuleset({}, { extraChecks }), files };
  }

  // Loaded only when needed: it takes a good part of the start-up time.
  const { ConfigSources, EnvConfigSource } = await import(
    '@backstage/config-loader'
  );
  const sources: ConfigSource[] = [];
  if (files.length > 0) {
    sources.push(
      ConfigSources.defaultForTargets({
        targets: files.map(target => ({ type: 'path', target })),
        watch: false,
      }),
    );
  }
  if (hasEnvConfig) {
    sources.push(EnvConfigSource.create({ env }));
  }

  let platformMaturity: unknown;
  let appBaseUrl: string | undefined;
  let goldenPath: GoldenPathRelease;
  try {
    const config = await ConfigSources.toConfig(ConfigSources.merge(sources));
    config.close();
    platformMaturity = config.getOptional('platformMaturity');
    appBaseUrl = config.getOptionalString('app.baseUrl');
    // The golden-path release in force, as the backend reads it (a missing directory or a
    // malformed CHANGELOG.yaml is named like any other configuration error).
    goldenPath = readGoldenPathRelease(config);
  } catch (error) {
    throw new InputError(
      `--config: the configuration could not be read: ${
        (error as Error).message
      }`,
    );
  }
  // Throws RulesetConfigError, whose message names the key and the problem.
  const ruleset = compileRuleset(platformMaturity ?? {}, {
    extraChecks,
    goldenPath,
  });
  return { ruleset, appBaseUrl, files };
}
