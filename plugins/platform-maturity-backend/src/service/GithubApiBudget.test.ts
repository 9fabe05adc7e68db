import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import { mockServices } from '@backstage/backend-test-utils';
import { metricsServiceMock } from '@backstage/backend-test-utils/alpha';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { compileRuleset } from '@paved/plugin-platform-maturity-common';
import {
  generatedRepositoryName,
  SimulatedGitHost,
} from '@paved/plugin-platform-maturity-node/testUtils';
import { GithubApiBudget } from './GithubApiBudget';
import { RepositoryEvidence } from './RepositoryEvidence';

jest.setTimeout(30_000);

const ruleset = compileRuleset({});

/**
 * Repository evidence read by Backstage's real URL readers from the simulated host, within a
 * budget of `share`, and the metrics the budget records.
 */
function evidenceOn(host: SimulatedGitHost, share: number) {
  const config = new ConfigReader({
    integrations: { github: [host.integrationConfig()] },
  });
  const logger = mockServices.logger.mock();
  const metrics = metricsServiceMock.mock();
  const integrations = ScmIntegrations.fromConfig(config);
  const evidence = new RepositoryEvidence({
    urlReader: UrlReaders.default({ config, logger }),
    logger,
    timeoutMs: 10_000,
    maxFileSize: 256 * 1024,
    allowedLocalRoots: [],
    integrations,
    budget: new GithubApiBudget({ integrations, share, logger, metrics }),
  });
  /** What the counter or histogram named `name` recorded, summed. */
  const recorded = (name: string) => {
    const index = [
      ...metrics.createCounter.mock.calls,
      ...metrics.createHistogram.mock.calls,
    ].findIndex(([n]) => n === name);
    const instrument = [
      ...metrics.createCounter.mock.results,
      ...metrics.createHistogram.mock.results,
    ][index].value;
    const calls: [number][] = (instrument.add ?? instrument.record).mock.calls;
    return calls.reduce((sum, [value]) => sum + value, 0);
  };
  const gauge = (name: string) => {
    const index = metrics.createObservableGauge.mock.calls.findIndex(
      ([n]) => n === name,
    );
    const observed: [number, unknown][] = [];
    const callback =
      metrics.createObservableGauge.mock.results[index].value.addCallback.mock
        .calls[0][0];
    callback({
      observe: (value: number, attributes: unknown) =>
        observed.push([value, attributes]),
    });
    return observed;
  };
  return { evidence, recorded, gauge };
}

const location = (host: SimulatedGitHost, index: number) => ({
  type: 'url' as const,
  target: host.treeUrl(generatedRepositoryName(index)),
});

describe('GithubApiBudget with the real GitHub URL reader', () => {
  let host: SimulatedGitHost;

  afterEach(async () => {
    await host?.stop();
  });

  it('spends at most its share of each window, waits for the reset instead of failing, and resumes', async () => {
    // 8 calls per 2-second window, half for evaluation: two reads (commit status and tarball)
    // per window.
    host = await SimulatedGitHost.start({
      repositories: 6,
      rateLimit: { limit: 8, windowMs: 2000 },
    });
    const { evidence, recorded, gauge } = evidenceOn(host, 0.5);
    const results = await Promise.all(
      [0, 1, 2, 3, 4, 5].map(i => evidence.read(location(host, i), ruleset)),
    );

    expect(results.map(r => r.type)).toEqual(Array(6).fill('snapshot'));
    expect(host.stats.rateLimited).toBe(0);
    expect(host.stats.totalCalls).toBe(12);
    const busy = host.stats.windows.filter(w => w.calls > 0);
    expect(Math.max(...busy.map(w => w.calls))).toBeLessThanOrEqual(4);
    expect(busy.length).toBeGreaterThanOrEqual(3);

    expect(recorded('platform_maturity.repository.calls')).toBe(12);
    expect(
      recorded('platform_maturity.repository.budget.waits'),
    ).toBeGreaterThan(0);
    expect(
      recorded('platform_maturity.repository.budget.wait_duration'),
    ).toBeGreaterThan(1);
    expect(gauge('platform_maturity.repository.budget.share')).toEqual([
      [0.5, undefined],
    ]);
    const [[usedShare, attributes]] = gauge(
      'platform_maturity.repository.budget.used_share',
    );
    expect(usedShare).toBeGreaterThan(0);
    expect(usedShare).toBeLessThanOrEqual(0.5);
    expect(attributes).toEqual({ host: host.host });
  });

  it('counts the calls of reads under way at a reset in the window that follows', async () => {
    // Slow answers, and reads started just before a reset: their tarball calls land in the next
    // window, which must hold them within its share.
    host = await SimulatedGitHost.start({
      repositories: 13,
      rateLimit: { limit: 20, windowMs: 1000 },
      latencyMs: 300,
    });
    const { evidence } = evidenceOn(host, 0.5);
    expect((await evidence.read(location(host, 0), ruleset)).type).toBe(
      'snapshot',
    );
    const untilReset = host.rateLimit().reset * 1000 - Date.now();
    await new Promise(resolve => setTimeout(resolve, untilReset - 150));
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        evidence.read(location(host, i + 1), ruleset),
      ),
    );
    expect(results.every(r => r.type === 'snapshot')).toBe(true);
    expect(host.stats.totalCalls).toBe(26);
    expect(
      Math.max(...host.stats.windows.map(w => w.calls)),
    ).toBeLessThanOrEqual(10);
    expect(host.stats.rateLimited).toBe(0);
  });

  it('counts one call for an unchanged repository and gives the unused reservation back', async () => {
    host = await SimulatedGitHost.start({
      repositories: 3,
      rateLimit: { limit: 100, windowMs: 60_000 },
    });
    const { evidence, recorded } = evidenceOn(host, 0.25);
    const first = await evidence.read(location(host, 0), ruleset);
    expect(first.type).toBe('snapshot');
    const etag = first.type === 'snapshot' ? first.etag : undefined;
    expect(etag).toBe(host.shaOf(generatedRepositoryName(0)));

    // A quarter of the window is 25 calls: 2 for the first read, then unchanged reads of one
    // call each, each reserving the 2 it could make.
    const again = [];
    for (let i = 0; i < 22; i++) {
      again.push(await evidence.read(location(host, 0), ruleset, etag));
    }
    expect(again.every(r => r.type === 'not-modified')).toBe(true);
    expect(host.stats.calls).toMatchObject({ status: 23, tarball: 1 });
    expect(recorded('platform_maturity.repository.calls')).toBe(24);
    expect(recorded('platform_maturity.repository.budget.waits')).toBe(0);

    // The share cannot hold another read: it waits for the reset, which is a minute away.
    const waiting = evidence.read(location(host, 1), ruleset, undefined, {
      signal: AbortSignal.timeout(1500),
    });
    await expect(waiting).rejects.toThrow(/timeout|abort/i);
    expect(host.stats.totalCalls).toBe(24);
    expect(recorded('platform_maturity.repository.budget.waits')).toBe(1);
  });

  it.each([403, 429] as const)(
    'waits for the reset when the host refuses a read with %p because others spent the budget',
    async exceededStatus => {
      host = await SimulatedGitHost.start({
        repositories: 3,
        rateLimit: { limit: 100, windowMs: 2000, exceededStatus },
      });
      const { evidence, recorded } = evidenceOn(host, 0.5);
      expect((await evidence.read(location(host, 0), ruleset)).type).toBe(
        'snapshot',
      );
      // The catalog, with the same credentials, takes the rest of the window.
      host.consume(100);

      const result = await evidence.read(location(host, 1), ruleset);

      expect(result.type).toBe('snapshot');
      expect(host.stats.rateLimited).toBe(1);
      expect(recorded('platform_maturity.repository.budget.waits')).toBe(1);
      expect(host.stats.windows.length).toBeGreaterThanOrEqual(2);
    },
  );

  it('reads one repository per window when the share of a whole window is smaller than a read', async () => {
    host = await SimulatedGitHost.start({
      repositories: 2,
      rateLimit: { limit: 4, windowMs: 1000 },
    });
    const { evidence } = evidenceOn(host, 0.25);
    const results = await Promise.all(
      [0, 1].map(i => evidence.read(location(host, i), ruleset)),
    );
    expect(results.map(r => r.type)).toEqual(['snapshot', 'snapshot']);
    expect(
      host.stats.windows.filter(w => w.calls > 0).map(w => w.calls),
    ).toEqual([2, 2]);
    expect(host.stats.rateLimited).toBe(0);
  });

  it('never waits in an interactive read: a refused read fails with the reason', async () => {
    host = await SimulatedGitHost.start({
      repositories: 3,
      rateLimit: { limit: 10, windowMs: 60_000 },
    });
    const { evidence, recorded } = evidenceOn(host, 0.1);
    host.consume(10);
    const started = Date.now();
    const result = await evidence.read(location(host, 0), ruleset, undefined, {
      interactive: true,
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.type).toBe('failed');
    expect(result.type === 'failed' && result.reason).toMatch(
      /rate limit exceeded/,
    );
    expect(recorded('platform_maturity.repository.budget.waits')).toBe(0);
  });

  it('reads other hosts without a budget', async () => {
    host = await SimulatedGitHost.start({ repositories: 1 });
    const { evidence } = evidenceOn(host, 0.25);
    const result = await evidence.read(
      { type: 'url', target: 'http://127.0.0.1:1/other/repo/tree/main/' },
      ruleset,
    );
    expect(result.type).toBe('failed');
    expect(host.stats.rateLimitChecks).toBe(0);
  });
});
