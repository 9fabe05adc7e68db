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
} from './__testUtils__/gitHost/SimulatedGitHost';

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
});
