import { ConfigReader } from '@backstage/config';
import { RulesetConfigError } from '@paved/plugin-platform-maturity-common';
import { readBackendConfig } from './config';

const read = (platformMaturity: unknown) =>
  readBackendConfig(new ConfigReader({ platformMaturity } as any));

/** The error of reading the configuration, or undefined when it was accepted. */
function errorOf(platformMaturity: unknown): RulesetConfigError | undefined {
  try {
    read(platformMaturity);
    return undefined;
  } catch (error) {
    return error as RulesetConfigError;
  }
}

const schedule = (fields: Record<string, unknown>) => ({
  schedule: {
    frequency: { minutes: 30 },
    timeout: { minutes: 10 },
    ...fields,
  },
});

describe('readBackendConfig', () => {
  it('spreads a pass over nine tenths of the shorter of the frequency and the timeout', () => {
    const minutes = 60_000;
    expect(read(undefined).passWindowMs).toBe(0.9 * 25 * minutes);
    expect(
      read({ schedule: { frequency: { hours: 24 }, timeout: 'PT20H' } })
        .passWindowMs,
    ).toBe(0.9 * 20 * 60 * minutes);
    expect(
      read({ schedule: { frequency: '2 hours', timeout: { hours: 6 } } })
        .passWindowMs,
    ).toBe(0.9 * 120 * minutes);
    // A cron expression or a manual trigger has no duration: the timeout bounds the pass.
    expect(
      read(schedule({ frequency: { cron: '0 3 * * *' } })).passWindowMs,
    ).toBe(0.9 * 10 * minutes);
    expect(
      read(schedule({ frequency: { trigger: 'manual' } })).passWindowMs,
    ).toBe(0.9 * 10 * minutes);
  });

  it('reads the defaults and valid settings in every duration form', () => {
    expect(read(undefined)).toMatchObject({
      schedule: { frequency: { minutes: 30 }, timeout: { minutes: 25 } },
      repository: {
        timeoutMs: 60_000,
        allowedLocalRoots: [],
        budgetShare: 0.25,
      },
      history: { retentionDays: 365 },
    });
    expect(
      read({ repository: { budgetShare: 1 } }).repository.budgetShare,
    ).toBe(1);
    expect(
      read({
        schedule: {
          frequency: { cron: '*/15 * * * *' },
          timeout: 'PT10M',
          initialDelay: '30 seconds',
          scope: 'global',
        },
        repository: { timeoutSeconds: 3600, allowedLocalRoots: ['/srv/repos'] },
        history: { retentionDays: 3650 },
      }),
    ).toMatchObject({
      schedule: {
        frequency: { cron: '*/15 * * * *' },
        timeout: { minutes: 10 },
        initialDelay: { seconds: 30 },
      },
      repository: { timeoutMs: 3_600_000, allowedLocalRoots: ['/srv/repos'] },
      history: { retentionDays: 3650 },
    });
    // Each key left out keeps its default.
    expect(read({ schedule: { frequency: { minutes: 5 } } }).schedule).toEqual({
      frequency: { minutes: 5 },
      timeout: { minutes: 25 },
      initialDelay: { seconds: 15 },
    });
    expect(read({ schedule: { timeout: { minutes: 5 } } }).schedule).toEqual({
      frequency: { minutes: 30 },
      timeout: { minutes: 5 },
      initialDelay: { seconds: 15 },
    });
    expect(
      read(schedule({ frequency: { trigger: 'manual' } })).schedule.frequency,
    ).toEqual({ trigger: 'manual' });
    // A zero initial delay is "start at once": the key is left out.
    expect(
      read(schedule({ initialDelay: { seconds: 0 } })).schedule,
    ).not.toHaveProperty('initialDelay');
    expect(
      read(schedule({ frequency: 'P1D', timeout: { hours: 1, minutes: 30 } }))
        .schedule,
    ).toMatchObject({
      frequency: { days: 1 },
      timeout: { hours: 1, minutes: 30 },
    });
  });

  it.each([
    // Durations that are negative or zero, in each form the scheduler reads.
    [
      schedule({ frequency: { minutes: -5 } }),
      'schedule.frequency',
      'positive',
    ],
    [schedule({ frequency: '-5m' }), 'schedule.frequency', 'positive'],
    [schedule({ frequency: 'PT-5M' }), 'schedule.frequency', 'positive'],
    [schedule({ frequency: { minutes: 0 } }), 'schedule.frequency', 'positive'],
    [schedule({ frequency: '0 seconds' }), 'schedule.frequency', 'positive'],
    [
      schedule({ frequency: { hours: 1, minutes: -30 } }),
      'schedule.frequency',
      'positive',
    ],
    [schedule({ timeout: { seconds: -1 } }), 'schedule.timeout', 'positive'],
    [schedule({ timeout: 'PT0S' }), 'schedule.timeout', 'positive'],
    [
      schedule({ initialDelay: { seconds: -15 } }),
      'schedule.initialDelay',
      'positive',
    ],
    [
      schedule({ initialDelay: '-1 hour' }),
      'schedule.initialDelay',
      'positive',
    ],
    // Durations a timer or the scheduler's database arithmetic cannot hold.
    [schedule({ timeout: { days: 30 } }), 'schedule.timeout', 'at most'],
    [schedule({ frequency: { years: 2 } }), 'schedule.frequency', 'at most'],
    [schedule({ initialDelay: 'P1000Y' }), 'schedule.initialDelay', 'at most'],
    // Malformed values, each named by its key.
    [schedule({ timeout: 'soon' }), 'schedule.timeout', 'duration'],
    [schedule({ frequency: { minutes: 'five' } }), 'schedule.frequency', ''],
    [schedule({ frequency: { fortnights: 1 } }), 'schedule.frequency', ''],
    [
      schedule({ frequency: { cron: 'every tuesday' } }),
      'schedule.frequency.cron',
      'cron',
    ],
    [
      schedule({ frequency: { cron: '61 * * * *' } }),
      'schedule.frequency.cron',
      'cron',
    ],
    [
      schedule({ frequency: { cron: '0 0 30 2 *' } }),
      'schedule.frequency.cron',
      'never',
    ],
    [
      schedule({ frequency: { cron: '* * * * *', timezone: 'UTC' } }),
      'schedule.frequency.timezone',
      '',
    ],
    [
      schedule({ frequency: { trigger: 'daily' } }),
      'schedule.frequency.trigger',
      "must be 'manual'",
    ],
    // Unknown keys inside schedule.
    [schedule({ frequncy: { minutes: 5 } }), 'schedule.frequncy', 'unknown'],
    [schedule({ retries: 3 }), 'schedule.retries', 'unknown'],
    [schedule({ scope: 'local' }), 'schedule.scope', "must be 'global'"],
    [schedule({ scope: 'everywhere' }), 'schedule.scope', "must be 'global'"],
    [{ schedule: 'hourly' }, 'schedule', ''],
    // Repository reads.
    [
      { repository: { timeoutSeconds: 1e7 } },
      'repository.timeoutSeconds',
      'at most 3600',
    ],
    [{ repository: { timeoutSeconds: 0 } }, 'repository.timeoutSeconds', ''],
    [
      { repository: { timeoutSeconds: Infinity } },
      'repository.timeoutSeconds',
      '',
    ],
    [
      { repository: { allowedLocalRoots: ['/'] } },
      'repository.allowedLocalRoots.0',
      'root',
    ],
    [
      { repository: { allowedLocalRoots: ['/srv', '/srv/../'] } },
      'repository.allowedLocalRoots.1',
      'root',
    ],
    [
      { repository: { allowedLocalRoots: [''] } },
      'repository.allowedLocalRoots.0',
      'absolute',
    ],
    [
      { repository: { allowedLocalRoots: ['/srv/a\u0000b'] } },
      'repository.allowedLocalRoots.0',
      'NUL',
    ],
    [
      { repository: { allowedLocalRoots: ['repos'] } },
      'repository.allowedLocalRoots.0',
      'absolute',
    ],
    [{ repository: { colour: 'red' } }, 'repository.colour', 'unknown'],
    [{ repository: { budgetShare: 0 } }, 'repository.budgetShare', 'above 0'],
    [
      { repository: { budgetShare: 1.5 } },
      'repository.budgetShare',
      'at most 1',
    ],
    [
      { repository: { budgetShare: '30%' } },
      'repository.budgetShare',
      'number',
    ],
    // History.
    [{ history: { retentionDays: 1e9 } }, 'history.retentionDays', 'at most'],
    [{ history: { retentionDays: 0 } }, 'history.retentionDays', 'at least'],
    [{ history: { retentionDays: 1.5 } }, 'history.retentionDays', 'whole'],
  ])(
    'refuses %j naming platformMaturity.%s',
    (platformMaturity, key, problem) => {
      const error = errorOf(platformMaturity);
      expect(error).toBeInstanceOf(RulesetConfigError);
      expect(error?.key).toBe(`platformMaturity.${key}`);
      expect(error?.message).toContain(problem);
    },
  );
});
