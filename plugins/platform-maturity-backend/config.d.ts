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
     * seconds after start. The task is always global (replicas sharing a database run each tick
     * once between them), so `scope: local` is refused.
     */
    schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    /** Reading entities' repositories. */
    repository?: {
      /** Repositories read at the same time. Default 4, at most 64. */
      concurrency?: number;
      /** Timeout of one repository read, in seconds. Default 60. */
      timeoutSeconds?: number;
      /** Files larger than this many bytes are never read. Default 262144 (256 KiB). */
      maxFileSize?: number;
      /**
       * Absolute directories from which entities registered from local files (`file:` locations)
       * may be read. Default: none; anything outside is refused and reported.
       */
      allowedLocalRoots?: string[];
    };
    /** Score history. */
    history?: {
      /** Days the history of an entity gone from the catalog is kept. Default 365. */
      retentionDays?: number;
    };
  };
}
