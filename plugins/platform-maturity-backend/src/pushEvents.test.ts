import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  DefaultEventsService,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import request from 'supertest';
import {
  serviceOn,
  startBackendOn,
  waitForRun,
} from './__testUtils__/gitHost/backend';
import {
  generatedFiles,
  generatedRepositoryName,
  SimulatedGitHost,
} from '@paved/plugin-platform-maturity-node/testUtils';

jest.setTimeout(60_000);

describe('push events', () => {
  let host: SimulatedGitHost;

  beforeEach(async () => {
    host = await SimulatedGitHost.start({ repositories: 10 });
  });

  afterEach(async () => {
    await host.stop();
  });

  it('score again, at once, the entities whose repository and branch a push changed', async () => {
    const orders = generatedRepositoryName(1);
    const billing = generatedRepositoryName(2);
    const monorepo = {
      '.github/workflows/ci.yml': generatedFiles(0, 0)[
        '.github/workflows/ci.yml'
      ],
      'services/a/package.json': '{"name":"a"}',
      'services/b/package.json': '{"name":"b"}',
    };
    host.setRepository('org/mono', monorepo);
    // One events service for the whole backend, as the events backend's in-process bus.
    const events = DefaultEventsService.create({
      logger: mockServices.logger.mock(),
    });
    const backend = await startBackendOn(
      host,
      [
        serviceOn('orders', host.treeUrl(orders)),
        serviceOn('billing', host.treeUrl(billing)),
        serviceOn('mono-a', host.treeUrl('org/mono', { path: 'services/a' })),
        serviceOn('mono-b', host.treeUrl('org/mono', { path: 'services/b' })),
      ],
      {},
      [
        createServiceFactory({
          service: eventsServiceRef,
          deps: {},
          factory: () => events,
        }),
      ],
    );
    const scorecardOf = async (name: string) =>
      (
        await request(backend.server)
          .get(`/api/platform-maturity/v1/scorecards/component/default/${name}`)
          .set('Authorization', mockCredentials.user.header())
      ).body.scorecard as { evaluatedAt: string; evidenceDigest: string };
    const evaluatedAt = async () =>
      Object.fromEntries(
        await Promise.all(
          ['orders', 'billing', 'mono-a', 'mono-b'].map(
            async name =>
              [name, (await scorecardOf(name)).evaluatedAt] as const,
          ),
        ),
      );
    /** Waits until `name` has a scorecard evaluated after `since`. */
    const rescored = async (name: string, since: string) => {
      for (let i = 0; i < 100; i++) {
        if ((await scorecardOf(name)).evaluatedAt !== since) {
          return true;
        }
        await new Promise(resolve => setTimeout(resolve, 100));
      }
      return false;
    };
    const push = (
      fullName: string,
      ref: string,
      changed: { added?: string[]; modified?: string[] },
    ) =>
      events.publish({
        topic: 'github.push',
        eventPayload: {
          ref,
          after: host.shaOf(fullName),
          repository: {
            html_url: `http://${host.host}/${fullName}`,
            full_name: fullName,
            default_branch: 'main',
          },
          commits: [
            {
              added: changed.added ?? [],
              modified: changed.modified ?? [],
              removed: [],
            },
          ],
        },
        metadata: { 'x-github-event': 'push' },
      });

    try {
      expect(await waitForRun(backend.server)).toMatchObject({
        status: 'succeeded',
        evaluated: 4,
      });
      const before = await evaluatedAt();
      const ordersDigest = (await scorecardOf('orders')).evidenceDigest;

      // A push to another branch changes nothing on main; the push to main that follows is
      // scored once the first has been handled.
      await push(orders, 'refs/heads/feature', { modified: ['README.md'] });
      host.push(billing);
      await push(billing, 'refs/heads/main', {
        added: ['.github/workflows/deploy.yml'],
        modified: ['README.md'],
      });
      expect(await rescored('billing', before.billing)).toBe(true);
      expect((await scorecardOf('orders')).evaluatedAt).toBe(before.orders);

      host.push(orders);
      const tarballs = host.stats.calls.tarball;
      const started = Date.now();
      await push(orders, 'refs/heads/main', {
        added: ['.github/workflows/deploy.yml'],
      });
      expect(await rescored('orders', before.orders)).toBe(true);
      // Within seconds, from the pushed commit's files: one tarball download.
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(host.stats.calls.tarball).toBe(tarballs + 1);
      expect((await scorecardOf('orders')).evidenceDigest).not.toBe(
        ordersDigest,
      );

      // In the monorepo, a push touching one service scores that service only.
      host.setRepository('org/mono', {
        ...monorepo,
        'services/a/package.json': '{"name":"a","version":"2.0.0"}',
      });
      await push('org/mono', 'refs/heads/main', {
        modified: ['services/a/package.json'],
      });
      expect(await rescored('mono-a', before['mono-a'])).toBe(true);
      expect((await scorecardOf('mono-b')).evaluatedAt).toBe(before['mono-b']);

      // A change to the root's pipelines concerns every service of the monorepo.
      host.setRepository('org/mono', {
        ...monorepo,
        '.github/workflows/ci.yml': `${monorepo['.github/workflows/ci.yml']}# changed\n`,
      });
      await push('org/mono', 'refs/heads/main', {
        modified: ['.github/workflows/ci.yml'],
      });
      expect(await rescored('mono-b', before['mono-b'])).toBe(true);
    } finally {
      await backend.stop();
    }
  });
});
