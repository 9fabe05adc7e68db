import {
  createExternalRouteRef,
  createRouteRef,
} from '@backstage/core-plugin-api';

/**
 * The organisation overview page, `PlatformMaturityPage`.
 *
 * @public
 */
export const rootRouteRef = createRouteRef({ id: 'platform-maturity' });

/**
 * The platform maturity tab of an entity page, `EntityPlatformMaturityContent`.
 *
 * @public
 */
export const entityContentRouteRef = createRouteRef({
  id: 'platform-maturity:entity-content',
});

/**
 * The root of the scaffolder (`/create` in a default app). The Fix links of failing checks open
 * the check's remediation template below it. Optional: unbound, the links use `/create`. In the
 * new frontend system it binds to the scaffolder plugin's root by default.
 *
 * @public
 */
export const scaffolderRootRouteRef = createExternalRouteRef({
  id: 'platform-maturity:scaffolder-root',
  optional: true,
  defaultTarget: 'scaffolder.root',
});
