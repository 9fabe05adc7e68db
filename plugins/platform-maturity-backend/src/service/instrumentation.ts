import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  MetricsService,
  TracingService,
  TracingServiceSpan,
} from '@backstage/backend-plugin-api/alpha';
import { stringifyError } from '@backstage/errors';
import { metrics, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ScorecardStore } from '../database/ScorecardStore';

/**
 * The scope name Backstage's default metrics and tracing services use for this plugin, so that
 * the OpenTelemetry fallback reports under the same name.
 */
const SCOPE = 'backstage-plugin-platform-maturity';

/** Counts of one evaluation run, filled in while the run goes. */
export interface RunCounts {
  evaluated: number;
  skipped: number;
  failed: number;
  removed: number;
}

/** The parts of the metrics service the instrumentation uses. */
export type RunMetrics = Pick<
  MetricsService,
  'createHistogram' | 'createCounter' | 'createObservableGauge'
>;

/** The part of the tracing service the instrumentation uses. */
export type RunTracing = Pick<TracingService, 'startActiveSpan'>;

/** Metrics and a span for each whole-catalog evaluation run. */
export interface RunInstrumentation {
  /**
   * Runs `fn` inside a span; `fn` fills in `counts` as it goes. When it settles (also when it
   * throws), records the run duration and the entity counts, so that a failed run is measured too.
   */
  measureRun<T>(
    fn: (counts: RunCounts, span: TracingServiceSpan) => Promise<T>,
  ): Promise<T>;
}

/**
 * The tracing service on top of the OpenTelemetry API, for when Backstage's tracing service is
 * not given. Mirrors what the default tracing service does: exceptions are recorded and the span
 * always ends.
 */
function openTelemetryTracing(): RunTracing {
  const tracer = trace.getTracer(SCOPE);
  const codes = {
    unset: SpanStatusCode.UNSET,
    ok: SpanStatusCode.OK,
    error: SpanStatusCode.ERROR,
  };
  return {
    startActiveSpan: (<T>(
      name: string,
      fn: (span: TracingServiceSpan) => T | Promise<T>,
    ) =>
      tracer.startActiveSpan(name, async span => {
        try {
          return await fn({
            setAttribute: (key, value) => span.setAttribute(key, value),
            setStatus: status =>
              span.setStatus({
                code: codes[status.code],
                message: status.message,
              }),
          });
        } catch (error) {
          span.recordException(error as Error);
          span.setStatus({
            code: SpanStatusCode.ERROR,
            message: stringifyError(error),
          });
          throw error;
        } finally {
          span.end();
        }
      })) as RunTracing['startActiveSpan'],
  };
}

/**
 * Creates the run instrumentation: a span `platform-maturity.evaluate-catalog` per run, the
 * histogram `platform_maturity.run.duration` (seconds, by `status`), the counters
 * `platform_maturity.entities.evaluated`, `.skipped` and `.failed`, and the observable gauge
 * `platform_maturity.scorecards` (by `level`).
 *
 * Backstage's metrics and tracing services are used when given; otherwise the OpenTelemetry API
 * directly (what the default services wrap), which is a no-op until an SDK is registered.
 */
export function createRunInstrumentation(options: {
  metrics?: RunMetrics;
  tracing?: RunTracing;
  /** Source of the scorecards-per-level gauge; without it the gauge is not created. */
  store?: Pick<ScorecardStore, 'getSummary'>;
  logger?: LoggerService;
}): RunInstrumentation {
  const meter: RunMetrics = options.metrics ?? metrics.getMeter(SCOPE);
  const tracing = options.tracing ?? openTelemetryTracing();
  const { store, logger } = options;

  const duration = meter.createHistogram('platform_maturity.run.duration', {
    description: 'Duration of a whole-catalog evaluation run',
    unit: 's',
    // Runs take seconds to many minutes; the SDK's default buckets are tuned for milliseconds.
    advice: {
      explicitBucketBoundaries: [1, 5, 15, 30, 60, 120, 300, 600, 1200, 3600],
    },
  });
  const counters = {
    evaluated: meter.createCounter('platform_maturity.entities.evaluated', {
      description: 'Entities evaluated and stored by evaluation runs',
      unit: '{entity}',
    }),
    skipped: meter.createCounter('platform_maturity.entities.skipped', {
      description:
        'Entities skipped because entity, repository and ruleset were unchanged',
      unit: '{entity}',
    }),
    failed: meter.createCounter('platform_maturity.entities.failed', {
      description: 'Entities whose evaluation failed',
      unit: '{entity}',
    }),
  };

  if (store) {
    const gauge = meter.createObservableGauge('platform_maturity.scorecards', {
      description: 'Latest in-scope scorecards per level',
      unit: '{scorecard}',
    });
    // Read at collection time rather than cached from the last run: with `scope: 'global'` only
    // one replica runs, but every replica should report the same numbers from the shared database.
    gauge.addCallback(async result => {
      try {
        const perLevel = new Map<string, number>();
        for (const group of await store.getSummary('kind')) {
          for (const [level, count] of Object.entries(group.levels)) {
            perLevel.set(level, (perLevel.get(level) ?? 0) + count);
          }
        }
        for (const [level, count] of perLevel) {
          result.observe(count, { level });
        }
      } catch (error) {
        // A failed collection must not break the metrics endpoint for every other metric.
        logger?.warn(
          `Could not collect platform maturity scorecard levels: ${stringifyError(
            error,
          )}`,
        );
      }
    });
  }

  return {
    measureRun(fn) {
      return tracing.startActiveSpan(
        'platform-maturity.evaluate-catalog',
        async span => {
          const counts: RunCounts = {
            evaluated: 0,
            skipped: 0,
            failed: 0,
            removed: 0,
          };
          const started = performance.now();
          let status: 'succeeded' | 'failed' = 'failed';
          try {
            const value = await fn(counts, span);
            status = 'succeeded';
            return value;
          } finally {
            duration.record((performance.now() - started) / 1000, { status });
            for (const key of ['evaluated', 'skipped', 'failed'] as const) {
              counters[key].add(counts[key]);
              span.setAttribute(
                `platform_maturity.entities.${key}`,
                counts[key],
              );
            }
            span.setAttribute(
              'platform_maturity.entities.removed',
              counts.removed,
            );
          }
        },
      );
    },
  };
}
