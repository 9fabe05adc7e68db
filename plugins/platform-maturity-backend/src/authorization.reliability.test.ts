import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { permissionsRegistryServiceFactory } from '@backstage/backend-defaults/permissionsRegistry';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import permissionPlugin from '@backstage/plugin-permission-backend';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import type { JsonObject } from '@backstage/types';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { platformMaturityPlugin } from './plugin';
import {
  closeDatabasesOnStop,
  dropPrefixedDatabases,
} from './__testUtils__/databases';
import { recordReliability } from './__testUtils__/reliability';

jest.setTimeout(300_000);

const POSTGRES =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;

/** The backend's real database service: each plugin gets its own database, as in production. */
const databaseConfigs: Array<[string, JsonObject]> = [
  ['SQLite', { client: 'better-sqlite3', connection: ':memory:' }],
  ...(POSTGRES
    ? [
        [
          'PostgreSQL',
          {
            client: 'pg',
            connection: POSTGRES,
            prefix: `paved_authz_${process.pid}_`,
          },
        ] as [string, JsonObject],
      ]
    : []),
];

/** Sees the catalog except what the policy hides by label, owner and namespace. */
const PARTIAL = 'user:default/partial';
/** May read nothing in the catalog. */
const NOTHING = 'user:default/nothing';
/** May read the catalog but not `platform-maturity.scorecard.read`. */
const NO_SCORECARDS = 'user:default/no-scorecards';
/** Sees everything (the mock credentials' default user). */
const EVERYONE = mockCredentials.user().principal.userEntityRef;

/**
 * Every name, ref, owner, system, domain, lifecycle and title of a hidden entity contains this
 * marker, so that a leak of any of them is found by searching a response body for it.
 */
const MARK = 'zz-';

/** A policy that hides entities from the partial user by label, by owner and by namespace. */
class HidingPolicy implements PermissionPolicy {
  async handle(
    query: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const ref = user?.info.userEntityRef;
    if (
      query.permission.name === 'platform-maturity.scorecard.read' &&
      ref === NO_SCORECARDS
    ) {
      return { result: AuthorizeResult.DENY };
    }
    if (isPermission(query.permission, catalogEntityReadPermission)) {
      if (ref === NOTHING) {
        return { result: AuthorizeResult.DENY };
      }
      if (ref === PARTIAL) {
        return createCatalogConditionalDecision(query.permission, {
          not: {
            anyOf: [
              catalogConditions.hasLabel({ label: 'paved.test/hidden' }),
              catalogConditions.isEntityOwner({
                claims: ['group:default/zz-team-hidden'],
              }),
              catalogConditions.hasMetadata({
                key: 'namespace',
                value: 'zz-hidden-ns',
              }),
            ],
          },
        });
      }
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

const policyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'test-hiding-policy',
  register(env) {
    env.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new HidingPolicy());
      },
    });
  },
});

/**
 * The mock auth service, except that a plugin's request on behalf of a user carries the plugin as
 * the actor, as the real service's tokens do: the permission backend refuses a conditional query
 * from a user without one ("Direct user requests without a resourceRef are not allowed").
 */
const authWithActors = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const auth = mockServices.auth({ pluginId: plugin.getId() });
    const getPluginRequestToken = auth.getPluginRequestToken.bind(auth);
    auth.getPluginRequestToken = async options => {
      const { onBehalfOf } = options;
      if (!auth.isPrincipal(onBehalfOf, 'user')) {
        return getPluginRequestToken(options);
      }
      return {
        token: mockCredentials.user.token(onBehalfOf.principal.userEntityRef, {
          actor: { subject: `plugin:${plugin.getId()}` },
        }),
      };
    };
    return auth;
  },
});

/** Two components anyone may see, and three hidden ones, each with a system in a domain. */
const CATALOG = `
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: team-a }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata: { name: open-system }
spec: { owner: team-a, domain: open-domain }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: open-orders, title: Open Orders }
spec: { type: service, lifecycle: production, owner: team-a, system: open-system }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: open-payments }
spec: { type: service, lifecycle: experimental, owner: team-a }
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata: { name: zz-label-system, labels: { paved.test/hidden: 'yes' } }
spec: { owner: zz-label-owner, domain: zz-label-domain }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: zz-label-svc
  title: ZZ-Label Title
  labels: { paved.test/hidden: 'yes' }
spec: { type: service, lifecycle: zz-label-lifecycle, owner: zz-label-owner, system: zz-label-system }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: zz-team-hidden, labels: { paved.test/hidden: 'yes' } }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata: { name: zz-owner-system }
spec: { owner: zz-team-hidden, domain: zz-owner-domain }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: zz-owner-svc, title: ZZ-Owner Title }
spec: { type: service, lifecycle: zz-owner-lifecycle, owner: zz-team-hidden, system: zz-owner-system }
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata: { name: zz-ns-system, namespace: zz-hidden-ns }
spec: { owner: zz-ns-owner, domain: zz-ns-domain }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: zz-ns-svc, namespace: zz-hidden-ns, title: ZZ-Ns Title }
spec: { type: service, lifecycle: zz-ns-lifecycle, owner: zz-ns-owner, system: zz-ns-system }
`;

const VISIBLE = [
  'component/default/open-orders',
  'component/default/open-payments',
];
const HIDDEN = [
  'component/default/zz-label-svc',
  'component/default/zz-owner-svc',
  'component/zz-hidden-ns/zz-ns-svc',
];
const UNKNOWN = 'component/default/no-such-entity';
const GROUP_BY = ['owner', 'system', 'domain', 'lifecycle', 'kind'];

/** Query strings of the list that would enumerate hidden entities if the filter missed them. */
const LIST_QUERIES = [
  '',
  '?owner=group:default/zz-label-owner,group:default/zz-team-hidden,group:zz-hidden-ns/zz-ns-owner',
  '?lifecycle=zz-label-lifecycle,zz-owner-lifecycle,zz-ns-lifecycle',
  '?q=zz',
  '?q=ZZ-Label',
  '?system=system:default/zz-label-system,system:default/zz-owner-system,system:zz-hidden-ns/zz-ns-system',
  '?domain=domain:default/zz-label-domain,domain:default/zz-owner-domain,domain:zz-hidden-ns/zz-ns-domain',
  '?kind=component',
  '?orderBy=score&order=desc',
  '?orderBy=name',
  '?capability=build',
  '?level=0,1,2',
];

type Caller = {
  name: string;
  header?: string;
  /** Whether the caller may see the hidden entities. */
  seesHidden: boolean;
  /** Whether the caller sees any entity at all. */
  seesVisible: boolean;
  /** The status every route answers regardless of the entity, when the caller is refused. */
  refused?: 401 | 403;
};

const CALLERS: Caller[] = [
  {
    name: 'a user who sees part of the catalog',
    header: mockCredentials.user.header(PARTIAL),
    seesHidden: false,
    seesVisible: true,
  },
  {
    name: 'a user who may read nothing in the catalog',
    header: mockCredentials.user.header(NOTHING),
    seesHidden: false,
    seesVisible: false,
  },
  {
    name: 'a user without platform-maturity.scorecard.read',
    header: mockCredentials.user.header(NO_SCORECARDS),
    seesHidden: false,
    seesVisible: false,
    refused: 403,
  },
  {
    name: 'a user who sees the whole catalog',
    header: mockCredentials.user.header(EVERYONE),
    seesHidden: true,
    seesVisible: true,
  },
  {
    name: 'a service',
    header: mockCredentials.service.header(),
    seesHidden: true,
    seesVisible: true,
  },
  {
    name: 'a caller without credentials',
    seesHidden: false,
    seesVisible: false,
    refused: 401,
  },
];

describe('authorization', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-authz-'));
    fs.writeFileSync(path.join(dir, 'catalog-info.yaml'), CATALOG);
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each(databaseConfigs)(
    'answers every route and action only with what the caller may see, on %s',
    async (_name, database) => {
      const backend = await startTestBackend({
        features: [
          catalogPlugin,
          permissionPlugin,
          policyModule,
          platformMaturityPlugin,
          permissionsServiceFactory,
          permissionsRegistryServiceFactory,
          authWithActors,
          // Without this, the mock treats a request without credentials as the default user's.
          mockServices.httpAuth.factory({
            defaultCredentials: mockCredentials.none(),
          }),
          databaseServiceFactory,
          schedulerServiceFactory,
          ...closeDatabasesOnStop('catalog', 'platform-maturity'),
          mockServices.rootConfig.factory({
            data: {
              backend: { database },
              permission: { enabled: true },
              catalog: {
                rules: [
                  { allow: ['Component', 'Group', 'System', 'Location'] },
                ],
                locations: [
                  {
                    type: 'file',
                    target: path.join(dir, 'catalog-info.yaml'),
                  },
                ],
              },
              platformMaturity: {
                schedule: {
                  frequency: { seconds: 1 },
                  timeout: { seconds: 60 },
                  initialDelay: { seconds: 0 },
                },
                repository: { allowedLocalRoots: [dir] },
              },
            },
          }),
        ],
      });
      const api = '/api/platform-maturity';
      try {
        const { server } = backend;
        const everyone = mockCredentials.user.header(EVERYONE);

        // The catalog processes its location in the background; a later scheduled run scores
        // all five components.
        let all: request.Response | undefined;
        for (let i = 0; i < 120 && all?.body?.totalCount !== 5; i++) {
          await new Promise(resolve => setTimeout(resolve, 250));
          all = await request(server)
            .get(`${api}/v1/scorecards?limit=100`)
            .set('Authorization', everyone);
        }
        expect(all?.body).toMatchObject({ totalCount: 5 });
        const inScopeVisible = all!.body.items.filter(
          (item: { name: string }) => !item.name.startsWith(MARK),
        ).length;
        expect(inScopeVisible).toBe(VISIBLE.length);

        const figures = { tried: 0, failedSafe: 0 };
        const leaks: string[] = [];

        for (const caller of CALLERS) {
          const send = async (
            method: 'get' | 'post',
            url: string,
            expected: number,
            body?: Record<string, string>,
            echo: string[] = [],
          ): Promise<request.Response> => {
            const req = request(server)[method](`${api}${url}`);
            if (caller.header) {
              req.set('Authorization', caller.header);
            }
            const res = await (body ? req.send(body) : req);
            figures.tried += 1;
            const status = caller.refused ?? expected;
            // What the caller sent may come back in an error (the request URL, the ref asked
            // for); only what the backend adds counts as a leak.
            let text = (JSON.stringify(res.body) + res.text).toLowerCase();
            for (const sent of [
              `${api}${url}`,
              decodeURIComponent(`${api}${url}`),
              url,
              decodeURIComponent(url),
              ...echo,
            ]) {
              text = text.split(sent.toLowerCase()).join('');
            }
            if (!caller.seesHidden && text.includes(MARK)) {
              leaks.push(
                `${caller.name}: ${method} ${url}: ${text.slice(0, 300)}`,
              );
            }
            if (res.status !== status) {
              leaks.push(
                `${caller.name}: ${method} ${url}: status ${res.status}, expected ${status}: ${res.text}`,
              );
            } else if ([401, 403, 404].includes(status)) {
              figures.failedSafe += 1;
            }
            return res;
          };
          /** The number of entities the caller may see that match, or none when refused. */
          const expectCount = (
            what: string,
            count: number,
            expected: number,
          ) => {
            if (count !== expected) {
              leaks.push(
                `${caller.name}: ${what}: ${count}, expected ${expected}`,
              );
            }
          };
          let visibleCount = 0;
          if (caller.seesVisible) {
            visibleCount = caller.seesHidden ? 5 : VISIBLE.length;
          }
          const ok = (res: request.Response) =>
            caller.refused === undefined && res.status === 200;

          await send('get', '/v1/checklist', 200);

          for (const query of LIST_QUERIES) {
            const res = await send('get', `/v1/scorecards${query}`, 200);
            if (ok(res) && query === '') {
              expectCount('list total', res.body.totalCount, visibleCount);
            }
            if (ok(res) && !caller.seesHidden && /zz/i.test(query)) {
              expectCount(`list total of ${query}`, res.body.totalCount, 0);
            }
          }
          // Paging one at a time: every page, and its total, only over what the caller sees.
          let cursor: string | undefined;
          let pages = 0;
          do {
            const res = await send(
              'get',
              `/v1/scorecards?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
              200,
            );
            cursor = ok(res) ? res.body.nextCursor : undefined;
            pages += ok(res) ? res.body.items.length : 0;
          } while (cursor && pages < 10);
          if (caller.refused === undefined) {
            expectCount('paged items', pages, visibleCount);
          }

          for (const groupBy of GROUP_BY) {
            const res = await send(
              'get',
              `/v1/summary?groupBy=${groupBy}`,
              200,
            );
            if (ok(res)) {
              expectCount(
                `summary by ${groupBy}`,
                res.body.groups.reduce(
                  (sum: number, g: { count: number }) => sum + g.count,
                  0,
                ),
                visibleCount,
              );
            }
            const action = await send(
              'post',
              '/.backstage/actions/v1/actions/platform-maturity:get-summary/invoke',
              200,
              { groupBy },
            );
            if (ok(action)) {
              expectCount(
                `get-summary by ${groupBy}`,
                action.body.output.groups.reduce(
                  (sum: number, g: { count: number }) => sum + g.count,
                  0,
                ),
                visibleCount,
              );
            }
          }

          const run = await send('get', '/v1/runs/latest', 200);
          if (ok(run) && !caller.seesHidden) {
            // A finished run saw every entity; a run in progress has seen part of them.
            const seen =
              run.body.evaluated + run.body.skipped + run.body.failed;
            if (seen > visibleCount || run.body.removed !== 0) {
              leaks.push(
                `${caller.name}: run counts ${JSON.stringify(run.body)}`,
              );
            }
          }

          for (const ref of [...VISIBLE, ...HIDDEN, UNKNOWN]) {
            const sees =
              ref !== UNKNOWN &&
              (HIDDEN.includes(ref) ? caller.seesHidden : caller.seesVisible);
            const status = sees ? 200 : 404;
            const [kind, namespace, name] = ref.split('/');
            const entityRef = `${kind}:${namespace}/${name}`;
            const one = await send(
              'get',
              `/v1/scorecards/${ref}`,
              status,
              undefined,
              [entityRef],
            );
            await send(
              'get',
              `/v1/scorecards/${ref}/history`,
              status,
              undefined,
              [entityRef],
            );
            const actions: request.Response[] = [];
            for (const action of ['get-scorecard', 'list-failing-checks']) {
              const answer = await send(
                'post',
                `/.backstage/actions/v1/actions/platform-maturity:${action}/invoke`,
                status,
                { entityRef },
                [entityRef],
              );
              actions.push(answer);
            }
            if (ref === VISIBLE[0] || ref === HIDDEN[0] || ref === UNKNOWN) {
              await send(
                'post',
                `/v1/scorecards/${ref}/refresh`,
                status,
                undefined,
                [entityRef],
              );
            }
            // A hidden entity answers exactly like an unknown one, in the API and the actions.
            if (!sees && ref !== UNKNOWN && caller.refused === undefined) {
              const unknownRef = UNKNOWN.replace('/', ':');
              const unknown = [
                await request(server)
                  .get(`${api}/v1/scorecards/${UNKNOWN}`)
                  .set('Authorization', caller.header!),
                ...(await Promise.all(
                  ['get-scorecard', 'list-failing-checks'].map(action =>
                    request(server)
                      .post(
                        `${api}/.backstage/actions/v1/actions/platform-maturity:${action}/invoke`,
                      )
                      .set('Authorization', caller.header!)
                      .send({ entityRef: unknownRef }),
                  ),
                )),
              ];
              [one, ...actions].forEach((hidden, i) => {
                const error = (res: request.Response, asked: string) =>
                  JSON.stringify([
                    res.status,
                    res.body.error?.name,
                    res.body.error?.message.split(asked).join('<ref>'),
                  ]);
                if (
                  error(hidden, entityRef) !== error(unknown[i], unknownRef)
                ) {
                  leaks.push(
                    `${caller.name}: ${ref} answers ${error(
                      hidden,
                      entityRef,
                    )}, an unknown entity ${error(unknown[i], unknownRef)}`,
                  );
                }
              });
            }
          }
        }

        recordReliability({
          area: 'authorization',
          ...figures,
          failedUnsafe: leaks.length,
        });
        expect(leaks).toEqual([]);
        expect(figures.failedSafe).toBeGreaterThan(0);
      } finally {
        await backend.stop();
        if (database.prefix) {
          await dropPrefixedDatabases(POSTGRES!, database.prefix as string);
        }
      }
    },
  );
});
