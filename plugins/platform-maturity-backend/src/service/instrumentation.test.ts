import { mockServices } from '@backstage/backend-test-utils';
import {
  metricsServiceMock,
  tracingServiceMock,
} from '@backstage/backend-test-utils/alpha';
import type { SummaryGroup } from '@paved/plugin-platform-maturity-common';
import { createRunInstrumentation } from './instrumentation';

function setup(getSummary?: () => Promise<SummaryGroup[]>) {
  const metrics = metricsServiceMock.mock();
  const tracing = tracingServiceMock.mock();
  const logger = mockServices.logger.mock();
  const instrumentation = createRunInstrumentation({
    metrics,
    tracing,
    logger,
    store: getSummary ? { getSummary } : undefined,
  });
  const instrument = (name: string) => {
    const index = [
      ...metrics.createHistogram.mock.calls,
      ...metrics.createCounter.mock.calls,
      ...metrics.createObservableGauge.mock.calls,
    ].findIndex(([n]) => n === name);
    const results = [
      ...metrics.createHistogram.mock.results,
      ...metrics.createCounter.mock.results,
      ...metrics.createObservableGauge.mock.results,
    ];
    return results[index].value;
  };
  return { metrics, tracing, logger, instrumentation, instrument };
}

const group = (levels: Record<string, number>) =>
  ({ levels } as unknown as SummaryGroup);

describe('createRunInstrumentation', () => {
  it('measures a run in a span', async () => {
    const { tracing, instrumentation, instrument } = setup();
    const value = await instrumentation.measureRun(async counts => {
      counts.evaluated = 3;
      counts.skipped = 2;
      counts.failed = 1;
      return 'done';
    });
    expect(value).toBe('done');
    expect(tracing.startActiveSpan).toHaveBeenCalledWith(
      'platform-maturity.evaluate-catalog',
      expect.any(Function),
    );
    expect(
      instrument('platform_maturity.run.duration').record,
    ).toHaveBeenCalledWith(expect.any(Number), { status: 'succeeded' });
    expect(
      instrument('platform_maturity.entities.evaluated').add,
    ).toHaveBeenCalledWith(3);
    expect(
      instrument('platform_maturity.entities.skipped').add,
    ).toHaveBeenCalledWith(2);
    expect(
      instrument('platform_maturity.entities.failed').add,
    ).toHaveBeenCalledWith(1);
    expect(tracing.spans[0].setAttribute).toHaveBeenCalledWith(
      'platform_maturity.entities.evaluated',
      3,
    );
  });

  it('measures a failed run too, with what it counted so far', async () => {
    const { instrumentation, instrument } = setup();
    await expect(
      instrumentation.measureRun(async counts => {
        counts.evaluated = 1;
        throw new Error('database gone');
      }),
    ).rejects.toThrow('database gone');
    expect(
      instrument('platform_maturity.run.duration').record,
    ).toHaveBeenCalledWith(expect.any(Number), { status: 'failed' });
    expect(
      instrument('platform_maturity.entities.evaluated').add,
    ).toHaveBeenCalledWith(1);
  });

  it('reports scorecards per level from the summary, summed over kinds', async () => {
    const { instrument } = setup(async () => [
      group({ '0': 1, '2': 4 }),
      group({ '2': 1 }),
    ]);
    const gauge = instrument('platform_maturity.scorecards');
    const [callback] = gauge.addCallback.mock.calls[0];
    const result = { observe: jest.fn() };
    await callback(result);
    expect(result.observe.mock.calls).toEqual([
      [1, { level: '0' }],
      [5, { level: '2' }],
    ]);
  });

  it('logs rather than throws when the levels cannot be read', async () => {
    const { instrument, logger } = setup(async () => {
      throw new Error('no database');
    });
    const [callback] = instrument('platform_maturity.scorecards').addCallback
      .mock.calls[0];
    const result = { observe: jest.fn() };
    await expect(callback(result)).resolves.toBeUndefined();
    expect(result.observe).not.toHaveBeenCalled();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('no database'),
    );
  });

  it('falls back to the OpenTelemetry API without Backstage services', async () => {
    const instrumentation = createRunInstrumentation({});
    await expect(
      instrumentation.measureRun(async (counts, span) => {
        span.setAttribute('x', 1);
        span.setStatus({ code: 'ok' });
        return counts;
      }),
    ).resolves.toEqual({ evaluated: 0, skipped: 0, failed: 0, removed: 0 });
    await expect(
      instrumentation.measureRun(async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
  });
});
