import type { BackendFeature } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import request from 'supertest';
import { platformMaturityPlugin } from '../plugin';
import { catalogFactory } from './catalog';

/**
 * The plugin in a test backend over the test catalog and the given database, once its start-up
 * run (its initial delay is zero) has stored the scorecards of `orders` and `secret`. `features`
 * add to or override the defaults.
 */
export async function startBackendAfterFirstRun(options: {
  knex: Knex;
  features: BackendFeature[];
}) {
  const backend = await startTestBackend({
    features: [
      platformMaturityPlugin,
      catalogFactory,
      mockServices.database.factory({ knex: options.knex }),
      mockServices.rootConfig.factory({
        data: {
          platformMaturity: {
            schedule: {
              frequency: { hours: 1 },
              timeout: { minutes: 5 },
              initialDelay: { seconds: 0 },
            },
          },
        },
      }),
      ...options.features,
    ],
  });
  try {
    let run: { status?: string; evaluated?: number } | undefined;
    for (let i = 0; i < 100 && run?.status !== 'succeeded'; i++) {
      await new Promise(resolve => setTimeout(resolve, 200));
      run = (
        await request(backend.server)
          .get('/api/platform-maturity/v1/runs/latest')
          .set('Authorization', mockCredentials.user.header())
      ).body;
    }
    if (run?.status !== 'succeeded' || run.evaluated !== 2) {
      throw new Error(
        `The start-up run did not succeed: ${JSON.stringify(run)}`,
      );
    }
    return backend;
  } catch (error) {
    await backend.stop();
    throw error;
  }
}
