import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Read scorecards across the catalog: the list and summary routes. Reading one entity's
 * scorecard also requires that the caller may read the entity in the catalog.
 *
 * @public
 */
export const platformMaturityScorecardReadPermission = createPermission({
  name: 'platform-maturity.scorecard.read',
  attributes: { action: 'read' },
});

/**
 * Re-evaluate one entity's scorecard now. A resource permission on the catalog entity, so a
 * policy can allow it, for example, to the entity's owners only.
 *
 * @public
 */
export const platformMaturityScorecardRefreshPermission = createPermission({
  name: 'platform-maturity.scorecard.refresh',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/**
 * Every permission of the platform maturity plugin, for registration with the permissions
 * registry.
 *
 * @public
 */
export const platformMaturityPermissions = [
  platformMaturityScorecardReadPermission,
  platformMaturityScorecardRefreshPermission,
];
