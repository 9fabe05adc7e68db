import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import type { HumanDuration } from '@backstage/types';
import { CronTime } from 'cron';
import {
  CheckImplementation,
  compileRuleset,
  Ruleset,
  RulesetConfigError,
} from '@paved/plugin-platform-maturity-common';
import {
  DEFAULT_MAX_FILES,
  readGoldenPathRelease,
} from '@paved/plugin-platform-maturity-node';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_BUDGET_SHARE } from './service/GithubApiBudget';

/** The backend's settings under `platformMaturity`, validated. */
export interface PlatformMaturityBackendConfig {
  ruleset: Ruleset;
  schedule: SchedulerServiceTaskScheduleDefinition;
  /**
   * The window a pass of the catalog spreads its paced reads over: nine tenths of the shorter of
   * the schedule's frequency (when it is a duration) and its timeout, so that a pass ends before
   * the scheduler stops it.
   */
  passWindowMs: number;
  repository: {
    concurrency: number;
    timeoutMs: number;
    maxFileSize: number;
    /** Files listed of one repository; past it, the snapshot is marked truncated. */
    maxFiles: number;
    /** Absolute directories from which `file:` source locations may be read. */
    allowedLocalRoots: string[];
    /** Share of each GitHub host's remaining API budget that evaluation may use. */
    budgetShare: number;
  };
  history: { retentionDays: number };
}

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 30 },
  timeout: { minutes: 25 },
  initialDelay: { seconds: 15 },
};

const DAY_MS = 24 * 60 * 60 * 1000;

/** The most files listed of one repository: every path is held in memory while it is scored. */
const MAX_REPOSITORY_FILES = 1_000_000;

/**
 * The largest value of each schedule duration. The scheduler times a run's `timeout` with a
 * Node.js timer, which fires at once when given more than 2^31 - 1 ms (24.8 days), and adds the
 * frequency and initial delay to timestamps in the database.
 */
const MAX_DURATION_DAYS = { frequency: 365, timeout: 24, initialDelay: 365 };

/** Milliseconds per unit of a duration, with the scheduler's (luxon's) casual year and month. */
const UNIT_MS: Record<keyof HumanDuration, number> = {
  years: 365 * DAY_MS,
  months: 30 * DAY_MS,
  weeks: 7 * DAY_MS,
  days: DAY_MS,
  hours: 60 * 60 * 1000,
  minutes: 60 * 1000,
  seconds: 1000,
  milliseconds: 1,
};

/** A repository read is timed by a Node.js timer too; an hour is far above any real read. */
const MAX_READ_TIMEOUT_SECONDS = 3600;
const MAX_RETENTION_DAYS = 3650;

const globalScope = z.literal('global', {
  error:
    "must be 'global': replicas sharing a database evaluate the catalog once per tick between them",
});

/** Every key of `platformMaturity`; the ruleset keys are validated by `compileRuleset`. */
const backendSchema = z.strictObject({
  checks: z.unknown().optional(),
  levels: z.unknown().optional(),
  waivers: z.unknown().optional(),
  allowEntityWaivers: z.unknown().optional(),
  remediation: z.unknown().optional(),
  // The durations are read by readSchedule, with the scheduler's own parser.
  schedule: z
    .strictObject(
      {
        frequency: z.unknown().optional(),
        timeout: z.unknown().optional(),
        initialDelay: z.unknown().optional(),
        scope: globalScope.optional(),
      },
      { error: 'must be an object of frequency, timeout and initialDelay' },
    )
    .optional(),
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
        .max(
          MAX_READ_TIMEOUT_SECONDS,
          `must be at most ${MAX_READ_TIMEOUT_SECONDS} (one hour)`,
        )
        .optional(),
      maxFileSize: z
        .number({ error: 'must be a number of bytes' })
        .int('must be a whole number of bytes')
        .positive('must be a positive number of bytes')
        .optional(),
      maxFiles: z
        .number({ error: 'must be a whole number of files' })
        .int('must be a whole number of files')
        .min(1, 'must be at least 1')
        .max(
          MAX_REPOSITORY_FILES,
          `must be at most ${MAX_REPOSITORY_FILES.toLocaleString('en-US')}`,
        )
        .optional(),
      budgetShare: z
        .number({ error: 'must be a number above 0 and at most 1' })
        .gt(0, 'must be a number above 0 and at most 1')
        .max(1, 'must be a number above 0 and at most 1')
        .optional(),
      allowedLocalRoots: z
        .array(
          z
            .string({ error: 'must be an absolute directory path' })
            .refine(
              p => path.isAbsolute(p),
              'must be an absolute directory path',
            )
            .refine(p => !p.includes('\0'), 'must not contain NUL characters')
            .refine(
              p => path.resolve(p) !== path.parse(path.resolve(p)).root,
              'must not be the filesystem root: that would allow reading any file on the server',
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
        .max(
          MAX_RETENTION_DAYS,
          `must be at most ${MAX_RETENTION_DAYS} days (ten years)`,
        )
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
  const ruleset = compileRuleset(raw, {
    extraChecks,
    goldenPath: readGoldenPathRelease(config),
  });
  const parsed = backendSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const unknownKey = issue.code === 'unrecognized_keys';
    throw new RulesetConfigError(
      [
        'platformMaturity',
        ...issue.path.map(String),
        ...(unknownKey ? [issue.keys[0]] : []),
      ].join('.'),
      unknownKey ? 'is an unknown key' : issue.message,
    );
  }
  const repository = parsed.data.repository ?? {};
  const schedule = root?.has('schedule')
    ? readSchedule(root.getConfig('schedule'))
    : DEFAULT_SCHEDULE;
  return {
    ruleset,
    schedule,
    passWindowMs: passWindowMsOf(schedule),
    repository: {
      concurrency: repository.concurrency ?? 4,
      timeoutMs: (repository.timeoutSeconds ?? 60) * 1000,
      maxFileSize: repository.maxFileSize ?? 256 * 1024,
      maxFiles: repository.maxFiles ?? DEFAULT_MAX_FILES,
      allowedLocalRoots: (repository.allowedLocalRoots ?? []).map(p =>
        path.resolve(p),
      ),
      budgetShare: repository.budgetShare ?? DEFAULT_BUDGET_SHARE,
    },
    history: { retentionDays: parsed.data.history?.retentionDays ?? 365 },
  };
}

/** See {@link PlatformMaturityBackendConfig.passWindowMs}. */
function passWindowMsOf(
  schedule: SchedulerServiceTaskScheduleDefinition,
): number {
  // readSchedule gives durations as objects; a cron expression or a manual trigger has none.
  const ms = (duration: unknown) =>
    Object.entries(duration as HumanDuration).reduce(
      (sum, [unit, value]) =>
        sum + (value ?? 0) * UNIT_MS[unit as keyof HumanDuration],
      0,
    );
  const { frequency, timeout } = schedule;
  const isDuration =
    typeof frequency === 'object' &&
    !('cron' in frequency) &&
    !('trigger' in frequency);
  const timeoutMs = ms(timeout);
  return Math.floor(
    0.9 * (isDuration ? Math.min(ms(frequency), timeoutMs) : timeoutMs),
  );
}

/**
 * `platformMaturity.schedule`, whose keys the schema has checked: each duration in any form the
 * scheduler reads (ISO 8601, `ms` strings, objects), positive and within its maximum, and a cron
 * expression parsed by the `cron` package that the scheduler uses, so that a schedule accepted
 * here never fails in the scheduler.
 */
function readSchedule(config: Config): SchedulerServiceTaskScheduleDefinition {
  // Each key left out keeps its default: a schedule that sets only `frequency` still starts its
  // first run shortly after start-up.
  return {
    frequency: config.has('frequency')
      ? readFrequency(config)
      : DEFAULT_SCHEDULE.frequency,
    timeout: config.has('timeout')
      ? readDuration(config, 'timeout')
      : DEFAULT_SCHEDULE.timeout,
    ...readInitialDelay(config),
  };
}

/**
 * `initialDelay`, default 15 seconds; a zero delay is left out, which the scheduler reads as
 * "start at once" (and test schedulers run such tasks at start-up).
 */
function readInitialDelay(
  config: Config,
): Pick<SchedulerServiceTaskScheduleDefinition, 'initialDelay'> {
  if (!config.has('initialDelay')) {
    return { initialDelay: DEFAULT_SCHEDULE.initialDelay };
  }
  const initialDelay = readDuration(config, 'initialDelay');
  return Object.values(initialDelay).every(value => value === 0)
    ? {}
    : { initialDelay };
}

/** A duration, `{ cron }` or `{ trigger: 'manual' }`, as the scheduler tells them apart. */
function readFrequency(
  config: Config,
): SchedulerServiceTaskScheduleDefinition['frequency'] {
  const value = config.getOptional('frequency');
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    if ('cron' in value) {
      return { cron: readCron(config.getConfig('frequency')) };
    }
    if ('trigger' in value) {
      return readManualTrigger(config.getConfig('frequency'));
    }
  }
  return readDuration(config, 'frequency');
}

function readDuration(
  config: Config,
  key: keyof typeof MAX_DURATION_DAYS,
): HumanDuration {
  const name = `platformMaturity.schedule.${key}`;
  const problem =
    "must be a positive duration such as { minutes: 30 }, 'PT30M' or '30 minutes'";
  let duration: HumanDuration;
  try {
    duration = readDurationFromConfig(config, { key });
  } catch (error) {
    throw new RulesetConfigError(
      name,
      `${problem} (${(error as Error).message})`,
    );
  }
  const parts = Object.entries(duration) as [keyof HumanDuration, number][];
  if (parts.some(([, value]) => !Number.isFinite(value) || value < 0)) {
    throw new RulesetConfigError(name, `${problem}, with no negative part`);
  }
  const ms = parts.reduce(
    (sum, [unit, value]) => sum + value * UNIT_MS[unit],
    0,
  );
  // An initial delay of zero means "start at once"; a zero frequency or timeout means nothing.
  if (ms <= 0 && key !== 'initialDelay') {
    throw new RulesetConfigError(name, `${problem}, not zero`);
  }
  if (ms > MAX_DURATION_DAYS[key] * DAY_MS) {
    throw new RulesetConfigError(
      name,
      `must be at most ${MAX_DURATION_DAYS[key]} days`,
    );
  }
  return duration;
}

function readCron(config: Config): string {
  const unknown = config.keys().find(key => key !== 'cron');
  if (unknown) {
    throw new RulesetConfigError(
      `platformMaturity.schedule.frequency.${unknown}`,
      'is an unknown key',
    );
  }
  const name = 'platformMaturity.schedule.frequency.cron';
  const expression = config.getOptional('cron');
  if (typeof expression !== 'string' || !expression.trim()) {
    throw new RulesetConfigError(name, 'must be a cron expression');
  }
  let cron: CronTime;
  try {
    cron = new CronTime(expression);
  } catch (error) {
    throw new RulesetConfigError(
      name,
      `must be a cron expression (minute hour day-of-month month day-of-week, seconds optional first): ${
        (error as Error).message
      }`,
    );
  }
  try {
    cron.sendAt();
  } catch {
    throw new RulesetConfigError(name, 'is a cron expression that never fires');
  }
  return expression;
}

function readManualTrigger(config: Config): { trigger: 'manual' } {
  const unknown = config.keys().find(key => key !== 'trigger');
  if (unknown) {
    throw new RulesetConfigError(
      `platformMaturity.schedule.frequency.${unknown}`,
      'is an unknown key',
    );
  }
  if (config.getOptional('trigger') !== 'manual') {
    throw new RulesetConfigError(
      'platformMaturity.schedule.frequency.trigger',
      "must be 'manual'",
    );
  }
  return { trigger: 'manual' };
}
