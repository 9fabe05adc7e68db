import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  CheckImplementation,
  compileRuleset,
  Ruleset,
  RulesetConfigError,
} from '@paved/plugin-platform-maturity-common';
import path from 'node:path';
import { z } from 'zod';

/** The backend's settings under `platformMaturity`, validated. */
export interface PlatformMaturityBackendConfig {
  ruleset: Ruleset;
  schedule: SchedulerServiceTaskScheduleDefinition;
  repository: {
    concurrency: number;
    timeoutMs: number;
    maxFileSize: number;
    /** Absolute directories from which `file:` source locations may be read. */
    allowedLocalRoots: string[];
  };
  history: { retentionDays: number };
}

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 30 },
  timeout: { minutes: 25 },
  initialDelay: { seconds: 15 },
};

/** Every key of `platformMaturity`; the ruleset keys are validated by `compileRuleset`. */
const backendSchema = z.strictObject({
  checks: z.unknown().optional(),
  levels: z.unknown().optional(),
  waivers: z.unknown().optional(),
  allowEntityWaivers: z.unknown().optional(),
  remediation: z.unknown().optional(),
  schedule: z.unknown().optional(),
  repository: z
    .object({
      concurrency: z
        .number({ error: 'must be a whole number' })
        .int('must be a whole number')
        .min(1, 'must be at least 1')
        .max(64, 'must be at most 64')
        .optional(),
      timeoutSeconds: z
        .number({ error: 'must be a number of seconds' })
        .positive('must be a positive number of seconds')
        .optional(),
      maxFileSize: z
        .number({ error: 'must be a number of bytes' })
        .int('must be a whole number of bytes')
        .positive('must be a positive number of bytes')
        .optional(),
      allowedLocalRoots: z
        .array(
          z
            .string({ error: 'must be an absolute directory path' })
            .refine(
              p => path.isAbsolute(p),
              'must be an absolute directory path',
            ),
          { error: 'must be a list of absolute directory paths' },
        )
        .optional(),
    })
    .strict()
    .optional(),
  history: z
    .object({
      retentionDays: z
        .number({ error: 'must be a number of days' })
        .int('must be a whole number of days')
        .min(1, 'must be at least 1 day')
        .optional(),
    })
    .strict()
    .optional(),
});

/**
 * Reads and validates `platformMaturity`: the ruleset (through `compileRuleset`) and the backend's
 * own keys. Throws an error naming the key and the problem, which stops the plugin at start.
 */
export function readBackendConfig(
  config: Config,
  extraChecks: CheckImplementation[] = [],
): PlatformMaturityBackendConfig {
  const root = config.getOptionalConfig('platformMaturity');
  const raw = (root?.get() ?? {}) as Record<string, unknown>;
  const ruleset = compileRuleset(raw, { extraChecks });
  const parsed = backendSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RulesetConfigError(
      ['platformMaturity', ...issue.path.map(String)].join('.'),
      issue.message,
    );
  }
  let schedule = DEFAULT_SCHEDULE;
  if (root?.has('schedule')) {
    try {
      schedule = readSchedulerServiceTaskScheduleDefinitionFromConfig(
        root.getConfig('schedule'),
      );
    } catch (error) {
      throw new RulesetConfigError(
        'platformMaturity.schedule',
        (error as Error).message,
      );
    }
    if (schedule.scope === 'local') {
      throw new RulesetConfigError(
        'platformMaturity.schedule.scope',
        "must be 'global': replicas sharing a database evaluate the catalog once per tick between them",
      );
    }
  }
  const repository = parsed.data.repository ?? {};
  return {
    ruleset,
    schedule,
    repository: {
      concurrency: repository.concurrency ?? 4,
      timeoutMs: (repository.timeoutSeconds ?? 60) * 1000,
      maxFileSize: repository.maxFileSize ?? 256 * 1024,
      allowedLocalRoots: (repository.allowedLocalRoots ?? []).map(p =>
        path.resolve(p),
      ),
    },
    history: { retentionDays: parsed.data.history?.retentionDays ?? 365 },
  };
}
