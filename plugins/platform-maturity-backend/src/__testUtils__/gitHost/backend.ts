import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  BackendFeature,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { JsonObject } from '@backstage/types';
import request from 'supertest';
import { platformMaturityPlugin } from '../../plugin';
import { SimulatedGitHost } from '@paved/plugin-platform-maturity-node/testUtils';

/** A service Component whose source location is a tree on the simulated host. */
export function serviceOn(name: string, sourceLocation: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'backstage.io/source-location': `url:${sourceLocation}` },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/team-a',
    },
  };
}

/**
 * The plugin in a test backend whose URL readers are Backstage's real ones, configured with the
 * simulated host as a GitHub Enterprise integration, over a catalog of `entities`; its first run
 * starts at once.
 */
export async function startBackendOn(
  host: SimulatedGitHost,
  entities: Entity[],
  platformMaturity: JsonObject = {},
  features: BackendFeature[] = [],
) {
  return startTestBackend({
    features: [
      ...features,
      platformMaturityPlugin,
      createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        factory: () =>
          catalogServiceMock({
            entities: [
              {
                apiVersion: 'backstage.io/v1alpha1',
                kind: 'Group',
                metadata: { name: 'team-a', namespace: 'default' },
                spec: { type: 'team', children: [] },
              },
              ...entities,
            ],
          }),
      }),
      mockServices.rootConfig.factory({
        data: {
          integrations: { github: [host.integrationConfig()] },
          platformMaturity: {
            schedule: {
              frequency: { hours: 1 },
              timeout: { minutes: 5 },
              initialDelay: { seconds: 0 },
            },
            ...platformMaturity,
          },
        },
      }),
    ],
  });
}

/** The latest run once it has finished (or what it was when the wait ran out). */
export async function waitForRun(server: Parameters<typeof request>[0]) {
  let run: { status?: string; evaluated?: number; failed?: number } = {};
  for (
    let i = 0;
    i < 200 && !['succeeded', 'failed'].includes(run.status!);
    i++
  ) {
    await new Promise(resolve => setTimeout(resolve, 100));
    run = (
      await request(server)
        .get('/api/platform-maturity/v1/runs/latest')
        .set('Authorization', mockCredentials.user.header())
    ).body;
  }
  return run;
}
