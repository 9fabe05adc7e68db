import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import {
  metricsServiceMock,
  tracingServiceMock,
} from '@backstage/backend-test-utils/alpha';
import request from 'supertest';
import { OUTSIDER, permissionsDenyingOutsider } from '../__testUtils__/catalog';
import { startBackendAfterFirstRun } from '../__testUtils__/backend';

jest.setTimeout(60_000);

const permissionsFactory = permissionsDenyingOutsider(
  'platform-maturity.scorecard.read',
);

describe('platform maturity actions', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  it.each(databases.eachSupportedId())(
    'answers "what does my service miss?" under the API\'s visibility rules on %p',
    async databaseId => {
      const metrics = metricsServiceMock.mock();
      const tracing = tracingServiceMock.mock();
      const backend = await startBackendAfterFirstRun({
        knex: await databases.init(databaseId),
        features: [permissionsFactory, metrics.factory, tracing.factory],
      });
      try {
        const { server } = backend;
        const user = mockCredentials.user.header();
        const outsider = mockCredentials.user.header(OUTSIDER);
        const api = '/api/platform-maturity';
        const invoke = (action: string, input: object, auth = user) =>
          request(server)
            .post(
              `${api}/.backstage/actions/v1/actions/platform-maturity:${action}/invoke`,
            )
            .set('Authorization', auth)
            .send(input);

        const listed = await request(server)
          .get(`${api}/.backstage/actions/v1/actions`)
          .set('Authorization', user);
        expect(listed.status).toBe(200);
        expect(
          listed.body.actions.map((a: { id: string }) => a.id).sort(),
        ).toEqual([
          'platform-maturity:get-scorecard',
          'platform-maturity:get-summary',
          'platform-maturity:list-failing-checks',
        ]);
        for (const action of listed.body.actions) {
          expect(action.attributes).toEqual({
            readOnly: true,
            idempotent: true,
            destructive: false,
          });
        }

        const card = await invoke('get-scorecard', { entityRef: 'orders' });
        expect(card.status).toBe(200);
        expect(card.body.output).toMatchObject({
          entityRef: 'component:default/orders',
          inScope: true,
        });
        expect(card.body.output.capabilities).toHaveLength(6);
        expect(card.body.output.checkCounts.fail).toBeGreaterThan(0);
        // An assistant reports the score with how much of it could be checked.
        expect(card.body.output.coverage).toEqual({
          share: expect.any(Number),
          checkedCapabilities: expect.any(Number),
          applicableCapabilities: expect.any(Number),
        });

        const failing = await invoke('list-failing-checks', {
          entityRef: 'component:default/orders',
        });
        expect(failing.status).toBe(200);
        const { output } = failing.body;
        expect(output.entityRef).toBe('component:default/orders');
        expect(output.failing.length).toBe(card.body.output.checkCounts.fail);
        expect(output.unknown.length).toBe(
          card.body.output.checkCounts.unknown ?? 0,
        );
        const observe = output.failing.find(
          (c: { capability: string }) => c.capability === 'observe',
        );
        expect(observe).toMatchObject({
          title: expect.any(String),
          message: expect.any(String),
          remediation: {
            templateRef: 'template:default/add-capabilities',
            values: { capabilities: ['observe'] },
            docsUrl: expect.any(String),
          },
        });
        const path = new URL(
          observe.remediation.scaffolderPath,
          'http://app.example',
        );
        expect(path.pathname).toBe(
          '/create/templates/default/add-capabilities',
        );
        expect(JSON.parse(path.searchParams.get('formData')!)).toEqual({
          entity: 'component:default/orders',
          capabilities: ['observe'],
        });

        // Every action needs platform-maturity.scorecard.read, before any entity is looked up
        // (hidden entities are covered in authorization.reliability.test.ts).
        for (const action of ['get-scorecard', 'list-failing-checks']) {
          for (const entityRef of [
            'component:default/orders',
            'component:default/secret',
            'component:default/nope',
          ]) {
            expect((await invoke(action, { entityRef }, outsider)).status).toBe(
              403,
            );
          }
        }
        expect(
          (await invoke('get-scorecard', { entityRef: 'secret' })).status,
        ).toBe(200);

        const summary = await invoke('get-summary', { groupBy: 'owner' });
        expect(summary.status).toBe(200);
        expect(summary.body.output.groups[0]).toMatchObject({
          key: 'group:default/team-a',
          count: 2,
          meanCoverage: expect.any(Number),
          partlyChecked: expect.any(Number),
        });
        expect((await invoke('get-summary', {})).body.output.groupBy).toBe(
          'owner',
        );
        expect((await invoke('get-summary', {}, outsider)).status).toBe(403);

        expect((await invoke('get-summary', { groupBy: 'team' })).status).toBe(
          400,
        );
        expect(
          (await invoke('get-scorecard', { entityRef: 'a:b:c/d' })).status,
        ).toBe(400);

        // The run was measured through Backstage's metrics and tracing services.
        expect(tracing.spans.length).toBeGreaterThanOrEqual(1);
        expect(tracing.startActiveSpan).toHaveBeenCalledWith(
          'platform-maturity.evaluate-catalog',
          expect.any(Function),
        );
        expect(metrics.createHistogram).toHaveBeenCalledWith(
          'platform_maturity.run.duration',
          expect.anything(),
        );
        const histogram = metrics.createHistogram.mock.results[0].value;
        expect(histogram.record).toHaveBeenCalledWith(expect.any(Number), {
          status: 'succeeded',
        });
      } finally {
        await backend.stop();
      }
    },
  );
});
