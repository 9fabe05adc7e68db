/*
 * A backend with the platform maturity plugin on PostgreSQL, run as a child process by
 * `crashRecovery.reliability.test.ts` so that it can be killed with SIGKILL in the middle of an
 * evaluation run: the real database and scheduler services, and a catalog of synthetic components
 * that answers each page of the evaluation slowly, so that a run lasts several seconds.
 *
 * Run with `node --require @backstage/cli/config/nodeTransform.cjs`; settings come from the
 * environment (`CRASH_TEST_*`). Prints `started` once the backend is up, and stops on SIGTERM.
 */
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { platformMaturityPlugin } from '../plugin';

async function main() {
  const count = Number(process.env.CRASH_TEST_ENTITIES);
  const pageDelayMs = Number(process.env.CRASH_TEST_PAGE_DELAY_MS);
  const entities = Array.from({ length: count }, (_, i) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: `service-${i}`, namespace: 'default' },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  }));

  // Only what the evaluation asks of the catalog: the list of components, the lookup of groups
  // and systems (with `fields`), of which there are none, and the components by ref in the run's
  // order, a page at a time, each page after a delay.
  const byRef = new Map(
    entities.map(e => [`component:default/${e.metadata.name}`, e]),
  );
  const catalogFactory = createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    factory: () =>
      ({
        async *streamEntities(request?: {
          fields?: string[];
          pageSize?: number;
        }) {
          if (request?.fields) {
            return;
          }
          const size = request?.pageSize ?? 100;
          for (let i = 0; i < entities.length; i += size) {
            yield entities.slice(i, i + size);
          }
        },
        async getEntitiesByRefs(request: { entityRefs: string[] }) {
          await new Promise(resolve => setTimeout(resolve, pageDelayMs));
          return { items: request.entityRefs.map(ref => byRef.get(ref)) };
        },
      } as any),
  });

  const backend = await startTestBackend({
    features: [
      platformMaturityPlugin,
      catalogFactory,
      databaseServiceFactory,
      schedulerServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          backend: {
            database: {
              client: 'pg',
              connection: process.env.CRASH_TEST_POSTGRES,
              prefix: process.env.CRASH_TEST_PREFIX,
            },
          },
          platformMaturity: {
            // Long enough that, without recovery, the run after a crash would wait ten minutes
            // for the scheduler's lock.
            schedule: {
              frequency: { minutes: 10 },
              timeout: { minutes: 10 },
              initialDelay: { seconds: 0 },
            },
          },
        },
      }),
    ],
  });
  process.on('SIGTERM', () => {
    backend.stop().finally(() => process.exit(0));
  });
  process.stdout.write('started\n');
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
