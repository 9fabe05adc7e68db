import type { LoggerService } from '@backstage/backend-plugin-api';
import { stringifyError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  GithubIntegration,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { metrics } from '@opentelemetry/api';
import gitUrlParse from 'git-url-parse';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunMetrics } from './instrumentation';

/** The default share of a GitHub host's remaining API budget that evaluation may use. */
export const DEFAULT_BUDGET_SHARE = 0.25;

/** Margin after a window's reset time before reading again: the host's clock may be behind. */
const RESET_MARGIN_MS = 1000;
/** Wait after a rate-limited call when the host's budget shows calls left (a secondary limit). */
const SECONDARY_LIMIT_WAIT_MS = 60_000;
/** How long a host without rate limiting, or whose budget could not be read, goes unchecked. */
const RECHECK_MS = 10 * 60_000;
/** Rate-limited attempts of one read before it fails. */
const MAX_ATTEMPTS = 3;
/** Timeout of a `/rate_limit` request. */
const RATE_LIMIT_TIMEOUT_MS = 10_000;

/** What a read through the budget reports back: its value and the API calls it made. */
export interface BudgetedRead<T> {
  value: T;
  calls: number;
}

/** The rate limit of one set of credentials on one host, and what evaluation spent of it. */
interface Bucket {
  host: string;
  integration: GithubIntegration;
  /** A URL the credentials are asked for (an App installation is chosen by the URL's owner). */
  url: string;
  /** `limited` once `/rate_limit` answered; `unlimited` when the host has no rate limit. */
  state: 'unobserved' | 'limited' | 'unlimited';
  /** When the budget was last read; an `unlimited` host is read again after {@link RECHECK_MS}. */
  observedAt: number;
  /** The window's reset (ms since the epoch) and the remaining calls when last read. */
  reset: number;
  remaining: number;
  /** The calls of a whole window. */
  limit: number;
  /** Calls evaluation may make in this window: the share of what remained when it was first read. */
  allowance: number;
  /** Calls evaluation made in this window, and since the budget was last read. */
  used: number;
  sinceObserved: number;
  /** Calls reserved by reads under way, which may land in the next window. */
  inFlight: number;
  /** Calls of reads that ended after the window's reset, before the budget was read again. */
  carried: number;
  /** Set after the host refused a call: the budget is read again before the next one. */
  stale: boolean;
  observing?: Promise<void>;
}

/**
 * Keeps repository reads on GitHub hosts within a share of each host's REST API budget (see
 * docs/architecture.md, "Reading within the API budget"). A read asks for the calls it may make
 * at most; when the share of the current window is spent it waits for the window's reset instead
 * of failing, and a read refused by the host for its rate limit waits and tries again. URLs of
 * other hosts are read as they come.
 */
export class GithubApiBudget {
  private readonly integrations: ScmIntegrationRegistry;
  private readonly credentials: GithubCredentialsProvider;
  private readonly share: number;
  private readonly logger: LoggerService;
  private readonly buckets = new Map<string, Bucket>();
  /** The waits under way, for a run's progress. */
  private readonly waits = new Set<{ host: string; until: number }>();
  private readonly instruments: ReturnType<typeof createBudgetMetrics>;

  constructor(options: {
    integrations: ScmIntegrationRegistry;
    /** Share of each host's remaining budget per rate-limit window, above 0 and at most 1. */
    share: number;
    logger: LoggerService;
    /** Defaults to the OpenTelemetry API. */
    metrics?: RunMetrics;
    /** Defaults to the integrations' own (tokens and GitHub Apps). */
    credentials?: GithubCredentialsProvider;
  }) {
    this.integrations = options.integrations;
    this.share = options.share;
    this.logger = options.logger;
    this.credentials =
      options.credentials ??
      DefaultGithubCredentialsProvider.fromIntegrations(options.integrations);
    this.instruments = createBudgetMetrics(
      options.metrics ?? metrics.getMeter('backstage-plugin-platform-maturity'),
      this,
    );
  }

  /** The configured share, and the share of each host's window budget evaluation used so far. */
  usage(): { share: number; hosts: { host: string; used: number }[] } {
    return {
      share: this.share,
      hosts: [...this.buckets.values()]
        .filter(b => b.state === 'limited')
        .map(b => ({
          host: b.host,
          used: b.allowance > 0 ? (b.used / b.allowance) * this.share : 0,
        })),
    };
  }

  /**
   * The wait under way that ends last, if reads are waiting for a host's budget: the host and
   * when the wait ends.
   */
  waiting(): { host: string; until: Date } | undefined {
    let last: { host: string; until: number } | undefined;
    for (const wait of this.waits) {
      if (!last || wait.until > last.until) {
        last = wait;
      }
    }
    return last && { host: last.host, until: new Date(last.until) };
  }

  /**
   * Runs `read` of `url` once the budget allows `maxCalls` calls (at once for a URL that is not
   * on a GitHub host, and for an `interactive` read, which a person waits for: it is counted but
   * never waits, and fails when the host refuses it), and counts the calls it reports. A read
   * that the host refuses for its rate limit (the reader's error says "rate limit exceeded") waits
   * for the reset and runs again, at most three times. Waits end early, with the signal's
   * reason, when `signal` aborts.
   */
  async read<T>(
    url: string,
    options: { maxCalls: number; signal?: AbortSignal; interactive?: boolean },
    read: () => Promise<BudgetedRead<T>>,
  ): Promise<T> {
    const bucket = this.bucketOf(url);
    if (!bucket) {
      return (await read()).value;
    }
    for (let attempt = 1; ; attempt++) {
      if (!options.interactive) {
        await this.acquire(bucket, options.maxCalls, options.signal);
      }
      let result: BudgetedRead<T>;
      try {
        result = await read();
      } catch (error) {
        // The refused call did not count; the ones before it did: counting the most over-counts.
        this.spend(
          bucket,
          options.maxCalls,
          options.maxCalls,
          options.interactive,
        );
        if (
          !isRateLimited(error) ||
          options.interactive ||
          attempt >= MAX_ATTEMPTS
        ) {
          throw error;
        }
        this.logger.info(
          `Rate limited by ${bucket.host} while reading ${url}; waiting for its API budget`,
        );
        await this.waitAfterRateLimit(bucket, options.signal);
        continue;
      }
      this.spend(bucket, result.calls, options.maxCalls, options.interactive);
      return result.value;
    }
  }

  private bucketOf(url: string): Bucket | undefined {
    const integration = this.integrations.github.byUrl(url);
    if (!integration) {
      return undefined;
    }
    const { host } = integration.config;
    // An App installation has a budget per account; a token has one for the whole host.
    let owner = '';
    if (integration.config.apps?.length) {
      try {
        owner = gitUrlParse(url).owner;
      } catch {
        owner = '';
      }
    }
    const key = `${host}/${owner}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = {
        host,
        integration,
        url,
        state: 'unobserved',
        observedAt: 0,
        reset: 0,
        remaining: 0,
        limit: 0,
        allowance: 0,
        used: 0,
        sinceObserved: 0,
        inFlight: 0,
        carried: 0,
        stale: false,
      };
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  /** Waits until `calls` fit within the bucket's share, then reserves them. */
  private async acquire(
    bucket: Bucket,
    calls: number,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      if (this.needsObservation(bucket)) {
        await this.observe(bucket);
        continue;
      }
      if (bucket.state === 'unlimited') {
        return;
      }
      const remaining = bucket.remaining - bucket.sinceObserved;
      const fits =
        remaining >= calls &&
        // Within the window's allowance and the share of what remains now (others spend too) ...
        ((bucket.used + calls <= bucket.allowance &&
          calls <= this.share * remaining) ||
          // ... or, when the share of a whole window cannot hold one read, its first read.
          (bucket.used === 0 && Math.floor(this.share * bucket.limit) < calls));
      if (fits) {
        // Reserved now, so that concurrent reads do not all take the last calls.
        bucket.used += calls;
        bucket.sinceObserved += calls;
        bucket.inFlight += calls;
        return;
      }
      await this.wait(bucket, bucket.reset + RESET_MARGIN_MS, signal);
    }
  }

  /**
   * Counts a read's calls: `acquire` reserved `maxCalls`, and a read that made fewer gives the
   * rest back (across a window change it gives nothing back, which only over-counts); an
   * interactive read reserved nothing.
   */
  private spend(
    bucket: Bucket,
    calls: number,
    maxCalls: number,
    interactive?: boolean,
  ) {
    this.instruments.calls.add(calls, { host: bucket.host });
    if (!interactive) {
      bucket.inFlight = Math.max(0, bucket.inFlight - maxCalls);
    }
    if (bucket.state !== 'limited') {
      return;
    }
    if (Date.now() >= bucket.reset) {
      // Some of these calls may have landed in the window that has begun.
      bucket.carried += calls;
    }
    const change = interactive ? calls : calls - maxCalls;
    bucket.used = Math.max(0, bucket.used + change);
    bucket.sinceObserved = Math.max(0, bucket.sinceObserved + change);
  }

  private needsObservation(bucket: Bucket): boolean {
    const now = Date.now();
    if (bucket.stale) {
      return true;
    }
    switch (bucket.state) {
      case 'unobserved':
        return true;
      case 'unlimited':
        return now - bucket.observedAt > RECHECK_MS;
      default:
        // A new window, or a tenth of the allowance spent since the last look (others spend too).
        return (
          now >= bucket.reset ||
          bucket.sinceObserved >= Math.max(1, Math.floor(bucket.allowance / 10))
        );
    }
  }

  /** Reads the bucket's budget from the host's `/rate_limit`, which costs no call of it. */
  private observe(bucket: Bucket): Promise<void> {
    bucket.observing ??= this.fetchRateLimit(bucket).finally(() => {
      bucket.observing = undefined;
    });
    return bucket.observing;
  }

  private async fetchRateLimit(bucket: Bucket): Promise<void> {
    const apiBaseUrl = bucket.integration.config.apiBaseUrl;
    const now = Date.now();
    try {
      const { headers } = await this.credentials.getCredentials({
        url: bucket.url,
      });
      const response = await fetch(`${apiBaseUrl}/rate_limit`, {
        headers: { ...headers, Accept: 'application/vnd.github+json' },
        signal: AbortSignal.timeout(RATE_LIMIT_TIMEOUT_MS),
      });
      if (response.status === 404) {
        // GitHub Enterprise Server with rate limiting turned off.
        bucket.state = 'unlimited';
        bucket.observedAt = now;
        bucket.stale = false;
        return;
      }
      if (!response.ok) {
        throw new Error(`${response.status} ${response.statusText}`);
      }
      const body = (await response.json()) as {
        resources?: {
          core?: { limit?: number; remaining?: number; reset?: number };
        };
      };
      const core = body.resources?.core ?? {};
      const header = (name: string, fallback?: number) => {
        const value = Number(response.headers.get(`x-ratelimit-${name}`));
        return response.headers.has(`x-ratelimit-${name}`) &&
          Number.isFinite(value)
          ? value
          : fallback;
      };
      // `/rate_limit` answers with the core budget in its body; its headers say the same.
      const remaining = core.remaining ?? header('remaining');
      const reset = core.reset ?? header('reset');
      const limit = core.limit ?? header('limit') ?? remaining;
      if (remaining === undefined || reset === undefined) {
        throw new Error('the answer has no core rate limit');
      }
      const resetMs = reset * 1000;
      // Reads under way when the budget is read may make their calls after it: counted as ours
      // since this look, and in a new window as spent in it, as are the calls of reads that
      // ended after the reset (the remaining calls already lack them).
      if (bucket.state !== 'limited' || resetMs !== bucket.reset) {
        // A new window: the share of what remains now is this window's allowance.
        bucket.allowance = Math.floor(this.share * remaining);
        bucket.used = bucket.inFlight + bucket.carried;
      }
      bucket.carried = 0;
      bucket.state = 'limited';
      bucket.reset = resetMs;
      bucket.remaining = remaining;
      bucket.limit = limit ?? 0;
      bucket.sinceObserved = bucket.inFlight;
      bucket.observedAt = now;
      bucket.stale = false;
    } catch (error) {
      // Reads go on unchecked; if the host refuses them for its rate limit, they wait then.
      this.logger.warn(
        `Could not read the API rate limit of ${
          bucket.host
        } (${apiBaseUrl}/rate_limit); reading without a budget for ${
          RECHECK_MS / 60_000
        } minutes: ${stringifyError(error)}`,
      );
      bucket.state = 'unlimited';
      bucket.observedAt = now;
      bucket.stale = false;
    }
  }

  /** After the host refused a call for its rate limit: waits for the reset it reports. */
  private async waitAfterRateLimit(
    bucket: Bucket,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    await this.observe(bucket);
    const now = Date.now();
    if (
      bucket.state === 'limited' &&
      bucket.remaining - bucket.sinceObserved <= 0
    ) {
      await this.wait(bucket, bucket.reset + RESET_MARGIN_MS, signal);
    } else {
      // Calls are left (or the budget is unreadable): a secondary limit, whose reset is not told.
      await this.wait(bucket, now + SECONDARY_LIMIT_WAIT_MS, signal);
    }
    // Read the budget again before the next call.
    bucket.stale = true;
  }

  private async wait(
    bucket: Bucket,
    until: number,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const ms = Math.max(0, until - Date.now());
    this.instruments.waits.add(1, { host: bucket.host });
    this.logger.info(
      `Waiting ${Math.ceil(ms / 1000)} s for the API budget of ${
        bucket.host
      } (until ${new Date(until).toISOString()})`,
    );
    const started = performance.now();
    const wait = { host: bucket.host, until };
    this.waits.add(wait);
    try {
      await sleep(ms, undefined, { signal });
    } finally {
      this.waits.delete(wait);
      this.instruments.waitDuration.record(
        (performance.now() - started) / 1000,
        { host: bucket.host },
      );
    }
  }
}

/** Whether a read failed because the host refused it for its rate limit. */
function isRateLimited(error: unknown): boolean {
  // GithubUrlReader adds "(rate limit exceeded)" when the integration's `parseRateLimitInfo` says
  // so: a 429, or a 403 with `x-ratelimit-remaining: 0`.
  return /rate limit exceeded/i.test(stringifyError(error));
}

/**
 * The budget's metrics: the counter `platform_maturity.repository.calls` (API calls of repository
 * reads, by `host`), the counter `platform_maturity.repository.budget.waits` and the histogram
 * `platform_maturity.repository.budget.wait_duration` (seconds), and the gauges
 * `platform_maturity.repository.budget.share` (the configured share) and
 * `platform_maturity.repository.budget.used_share` (the share of the host's window budget used so
 * far, by `host`).
 */
function createBudgetMetrics(meter: RunMetrics, budget: GithubApiBudget) {
  const share = meter.createObservableGauge(
    'platform_maturity.repository.budget.share',
    {
      description:
        "Configured share of each GitHub host's remaining API budget that evaluation may use",
    },
  );
  share.addCallback(result => result.observe(budget.usage().share));
  const used = meter.createObservableGauge(
    'platform_maturity.repository.budget.used_share',
    {
      description:
        "Share of the GitHub host's API budget of the current window that evaluation used",
    },
  );
  used.addCallback(result => {
    for (const host of budget.usage().hosts) {
      result.observe(host.used, { host: host.host });
    }
  });
  return {
    calls: meter.createCounter('platform_maturity.repository.calls', {
      description: 'API calls made by repository reads on GitHub hosts',
      unit: '{call}',
    }),
    waits: meter.createCounter('platform_maturity.repository.budget.waits', {
      description: 'Repository reads that waited for the API budget',
      unit: '{wait}',
    }),
    waitDuration: meter.createHistogram(
      'platform_maturity.repository.budget.wait_duration',
      {
        description: 'Time repository reads waited for the API budget',
        unit: 's',
        advice: {
          explicitBucketBoundaries: [1, 5, 15, 60, 300, 900, 1800, 3600],
        },
      },
    ),
  };
}
