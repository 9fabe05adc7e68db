import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';

/** The user that the test catalog and permissions treat as an outsider. */
export const OUTSIDER = 'user:default/outsider';

/** The user entity ref of the caller in a service's request options. */
export const principalOf = (options: unknown) =>
  (options as { credentials: { principal: { userEntityRef?: string } } })
    .credentials.principal.userEntityRef;

/** A team and two services it owns, `orders` and `secret`. */
export const testEntities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-a', namespace: 'default' },
    spec: { type: 'team', children: [] },
  },
  ...['orders', 'secret'].map(name => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/team-a',
    },
  })),
];

/** The in-memory catalog of {@link testEntities}, except that the outsider may not read `secret`. */
export const catalogFactory = createServiceFactory({
  service: catalogServiceRef,
  deps: {},
  factory: () => {
    const catalog = catalogServiceMock({ entities: testEntities });
    const getEntityByRef = catalog.getEntityByRef.bind(catalog);
    catalog.getEntityByRef = async (ref, options) => {
      const entity = await getEntityByRef(ref, options);
      return principalOf(options) === OUTSIDER &&
        entity?.metadata.name === 'secret'
        ? undefined
        : entity;
    };
    return catalog;
  },
});

/**
 * Permissions that allow everything, except the named permission to the outsider, in both
 * definitive and conditional queries.
 */
export const permissionsDenyingOutsider = (permissionName: string) => {
  const decide = async (
    requests: { permission: { name: string } }[],
    options: unknown,
  ) =>
    requests.map(r => ({
      result:
        r.permission.name === permissionName &&
        principalOf(options) === OUTSIDER
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    })) as any;
  return mockServices.permissions.mock({
    authorize: decide,
    authorizeConditional: decide,
  }).factory;
};
