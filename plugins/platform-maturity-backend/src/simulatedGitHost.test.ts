import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  serviceOn,
  startBackendOn,
  waitForRun,
} from './__testUtils__/gitHost/backend';
import {
  generatedRepositoryName,
  SimulatedGitHost,
} from '@paved/plugin-platform-maturity-node/testUtils';

jest.setTimeout(60_000);

describe('on a simulated GitHub Enterprise host', () => {
  let host: SimulatedGitHost;

  beforeEach(async () => {
    host = await SimulatedGitHost.start({ repositories: 10 });
  });

  afterEach(async () => {
    await host.stop();
  });

  it('scores an entity from its repository, read through the real GitHub URL reader', async () => {
    const repository = generatedRepositoryName(4);
    const backend = await startBackendOn(host, [
      serviceOn('orders', host.treeUrl(repository)),
    ]);
    try {
      const run = await waitForRun(backend.server);
      expect(run).toMatchObject({
        status: 'succeeded',
        evaluated: 1,
        failed: 0,
      });

      const card = await request(backend.server)
        .get('/api/platform-maturity/v1/scorecards/component/default/orders')
        .set('Authorization', mockCredentials.user.header());
      expect(card.status).toBe(200);
      const results: {
        checkId: string;
        status: string;
        evidence?: { path?: string }[];
      }[] = card.body.scorecard.results;
      // Files only the repository holds decided the checks: the pipeline, the Helm chart and its
      // autoscaler (service 4 has both), and the repository was fully read.
      const pipeline = results.find(r => r.checkId === 'build.pipeline');
      expect(pipeline?.status).toBe('pass');
      expect(JSON.stringify(pipeline?.evidence)).toContain(
        '.github/workflows/ci.yml',
      );
      expect(
        results.find(r => r.checkId === 'capacity.autoscaling')?.status,
      ).toBe('pass');
      expect(card.body.scorecard.notices).not.toContainEqual(
        expect.objectContaining({ type: 'repository-unreadable' }),
      );
      // The card says which commit it scored.
      expect(card.body.scorecard.sourceCommit).toBe(host.shaOf(repository));

      // One commit status call to learn the commit, one tarball download.
      expect(host.stats.calls).toEqual({
        repository: 0,
        status: 1,
        tarball: 1,
        contents: 0,
      });
      expect(host.stats.bytes).toBeGreaterThan(0);
    } finally {
      await backend.stop();
    }
  });

  it('gives unknown repository checks, with the reason, for a repository the host does not have', async () => {
    const backend = await startBackendOn(host, [
      serviceOn('ghost', host.treeUrl('org/no-such-repository')),
    ]);
    try {
      expect(await waitForRun(backend.server)).toMatchObject({
        status: 'succeeded',
        evaluated: 1,
      });
      const card = await request(backend.server)
        .get('/api/platform-maturity/v1/scorecards/component/default/ghost')
        .set('Authorization', mockCredentials.user.header());
      const pipeline = card.body.scorecard.results.find(
        (r: { checkId: string }) => r.checkId === 'build.pipeline',
      );
      expect(pipeline.status).toBe('unknown');
      expect(JSON.stringify(card.body.scorecard.notices)).toContain(
        'it was not found on',
      );
    } finally {
      await backend.stop();
    }
  });

  it('within a small API budget, waits for the resets and scores every entity from its repository', async () => {
    // 8 calls per 2-second window, half of them for evaluation: two reads per window.
    await host.stop();
    host = await SimulatedGitHost.start({
      repositories: 6,
      rateLimit: { limit: 8, windowMs: 2000 },
    });
    const names = [0, 1, 2, 3, 4, 5].map(i => `service-${i}`);
    const backend = await startBackendOn(
      host,
      names.map((name, i) =>
        serviceOn(name, host.treeUrl(generatedRepositoryName(i))),
      ),
      { repository: { budgetShare: 0.5 } },
    );
    try {
      expect(await waitForRun(backend.server)).toMatchObject({
        status: 'succeeded',
        evaluated: 6,
        failed: 0,
      });
      expect(host.stats.rateLimited).toBe(0);
      expect(
        Math.max(...host.stats.windows.map(w => w.calls)),
      ).toBeLessThanOrEqual(4);
      for (const name of names) {
        const card = await request(backend.server)
          .get(`/api/platform-maturity/v1/scorecards/component/default/${name}`)
          .set('Authorization', mockCredentials.user.header());
        // Waiting is not failing: every entity was scored from its files.
        expect(card.body.scorecard.coverage.share).toBe(100);
        expect(
          card.body.scorecard.results.filter(
            (r: { status: string }) => r.status === 'unknown',
          ),
        ).toEqual([]);
      }
    } finally {
      await backend.stop();
    }
  });
});
