import type { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

/**
 * The backend's keys of Paved's platform maturity configuration. The ruleset keys (checks,
 * levels, waivers, allowEntityWaivers, remediation) are documented by
 * `@paved/plugin-platform-maturity-common`.
 */
export interface Config {
  platformMaturity?: {
    /**
     * When the catalog is evaluated. Default: every 30 minutes, timeout 25 minutes, first run 15
     * seconds after start; each key left out keeps its default. The task is always global (replicas sharing a database run each tick
     * once between them), so `scope: local` is refused, as are keys other than `frequency`,
     * `timeout`, `initialDelay` and `scope`. Durations are objects (`{ minutes: 30 }`), ISO 8601
     * (`PT30M`) or strings (`30 minutes`), with no negative part: `frequency` positive and at most
     * 365 days, or `{ cron: '...' }` (parsed by the scheduler's `cron` package; it must fire), or
     * `{ trigger: 'manual' }`; `timeout` positive and at most 24 days (a Node.js timer's limit);
     * `initialDelay` zero or more and at most 365 days. A run spreads its looks at unchanged
     * repositories on a Git host over nine tenths of the shorter of `frequency` (when it is a
     * duration) and `timeout`; entities never scored and pushed ones go first, unpaced.
     */
    schedule?: Partial<SchedulerServiceTaskScheduleDefinitionConfig>;
    /** Reading entities' repositories. */
    repository?: {
      /** Repositories read at the same time. Default 4, from 1 to 64. */
      concurrency?: number;
      /** Timeout of one repository read, in seconds. Default 60, at most 3600 (one hour). */
      timeoutSeconds?: number;
      /** Files larger than this many bytes are never read. Default 262144 (256 KiB). */
      maxFileSize?: number;
      /**
       * Files listed of one repository, from 1 to 1,000,000. Default 100000. A repository with more
       * is only partly read: checks that find nothing among the files listed are `unknown`, never
       * `fail`, and the scorecard says so.
       */
      maxFiles?: number;
      /**
       * Absolute directories from which entities registered from local files (`file:` locations)
       * may be read. Default: none; anything outside is refused and reported. The filesystem root
       * (`/`) is refused.
       */
      allowedLocalRoots?: string[];
      /**
       * Share of each GitHub host's remaining REST API budget that evaluation may use in one
       * rate-limit window, above 0 and at most 1. Default 0.25. The budget is read from the host's
       * `/rate_limit` (which costs no call); when the share is spent, reads wait for the window's
       * reset instead of failing, and a read the host refuses for its rate limit waits and tries
       * again. Per token, or per GitHub App installation (account).
       */
      budgetShare?: number;
    };
    /** Score history. */
    history?: {
      /** Days the history of an entity gone from the catalog is kept. Default 365, from 1 to 3650. */
      retentionDays?: number;
    };
  };
}
