import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { platformMaturityPlugin } from './plugin';

jest.setTimeout(60_000);

const OUTSIDER = 'user:default/outsider';

const isOutsider = (credentials: unknown) =>
  (credentials as { principal: { userEntityRef?: string } })?.principal
    ?.userEntityRef === OUTSIDER;

/** The outsider may read nothing in the catalog; everyone else everything. */
const permissions = mockServices.permissions.mock({
  authorize: async (requests, options) =>
    requests.map(() => ({
      result: isOutsider(options?.credentials)
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
    })) as any,
  authorizeConditional: async (requests, options) =>
    requests.map(() => ({
      result: isOutsider(options?.credentials)
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
    })) as any,
});

describe('with the real catalog backend', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-catalog-'));
    fs.mkdirSync(path.join(dir, '.github/workflows'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, '.github/workflows/ci.yml'),
      'jobs:\n  test:\n    steps:\n      - run: npm test\n',
    );
    fs.writeFileSync(
      path.join(dir, 'catalog-info.yaml'),
      [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Group',
        'metadata: { name: team-a }',
        'spec: { type: team, children: [] }',
        '---',
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata:',
        '  name: orders',
        '  annotations:',
        "    paved.dev/waivers: 'not json'",
        'spec: { type: service, lifecycle: production, owner: team-a }',
      ].join('\n'),
    );
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('scores an entity registered from a local file, and hides it from a caller the catalog hides it from', async () => {
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        platformMaturityPlugin,
        permissions.factory,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              // The default rules admit only Components, APIs and Locations.
              rules: [{ allow: ['Component', 'Group', 'Location'] }],
              locations: [
                {
                  type: 'file',
                  target: path.join(dir, 'catalog-info.yaml'),
                },
              ],
            },
            platformMaturity: {
              repository: { allowedLocalRoots: [dir] },
            },
          },
        }),
      ],
    });
    try {
      const { server } = backend;
      const user = mockCredentials.user.header();
      const api =
        '/api/platform-maturity/v1/scorecards/component/default/orders';

      // The catalog processes its locations in the background.
      let refreshed: request.Response | undefined;
      for (let i = 0; i < 100 && refreshed?.status !== 200; i++) {
        await new Promise(resolve => setTimeout(resolve, 250));
        refreshed = await request(server)
          .post(`${api}/refresh`)
          .set('Authorization', user);
      }
      expect(refreshed?.status).toBe(200);
      const card = refreshed!.body.scorecard;
      // Repository evidence came from disk, through the allowed root.
      expect(
        card.results.find((r: any) => r.checkId === 'build.tests'),
      ).toMatchObject({ status: 'fail' });
      expect(
        card.results.find((r: any) => r.checkId === 'build.pipeline'),
      ).toMatchObject({ status: 'pass' });
      // The owner resolved through the real catalog.
      expect(
        card.results.find((r: any) => r.checkId === 'as-code.ownership')
          .message,
      ).not.toMatch(/does not exist/);
      // The malformed waiver annotation is reported, not fatal.
      expect(card.notices[0].type).toBe('waiver-invalid');

      const visible = await request(server).get(api).set('Authorization', user);
      expect(visible.status).toBe(200);
      const hidden = await request(server)
        .get(api)
        .set('Authorization', mockCredentials.user.header(OUTSIDER));
      expect(hidden.status).toBe(404);
    } finally {
      await backend.stop();
    }
  });
});
