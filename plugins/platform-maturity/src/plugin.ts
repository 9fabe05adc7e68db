import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import {
  createScaffolderFieldExtension,
  FieldExtensionComponent,
} from '@backstage/plugin-scaffolder-react';
import { platformMaturityApiRef } from './api/PlatformMaturityApi';
import { PlatformMaturityClient } from './api/PlatformMaturityClient';
import type { EntityPlatformMaturityCardProps } from './components/EntityPlatformMaturityCard';
import type { PlatformMaturityPageProps } from './components/PlatformMaturityPage';
import {
  DeliveryTargetPicker,
  DeliveryTargetPickerOptions,
  deliveryTargetValidation,
  ServiceNamePicker,
  serviceNameValidation,
} from './scaffolder';
import {
  entityContentRouteRef,
  rootRouteRef,
  scaffolderRootRouteRef,
} from './routes';

/**
 * The platform maturity plugin for the legacy frontend system. Bind `scaffolderRoot` to the
 * scaffolder's root route so that Fix links open the remediation templates.
 *
 * @public
 */
export const platformMaturityPlugin = createPlugin({
  id: 'platform-maturity',
  apis: [
    createApiFactory({
      api: platformMaturityApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new PlatformMaturityClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
    entityContent: entityContentRouteRef,
  },
  externalRoutes: {
    scaffolderRoot: scaffolderRootRouteRef,
  },
});

/**
 * The platform maturity card of the current entity, for an entity page's overview: score, level,
 * capabilities with their checks, Fix links and re-evaluation. Loaded lazily.
 *
 * @public
 */
export const EntityPlatformMaturityCard: (
  props: EntityPlatformMaturityCardProps,
) => JSX.Element = platformMaturityPlugin.provide(
  createComponentExtension({
    name: 'EntityPlatformMaturityCard',
    component: {
      lazy: () =>
        import('./components/EntityPlatformMaturityCard').then(
          m => m.EntityPlatformMaturityCard,
        ),
    },
  }),
);

/**
 * The platform maturity tab of an entity page: every check with full detail and the history of
 * score and level. Loaded lazily.
 *
 * @public
 */
export const EntityPlatformMaturityContent: () => JSX.Element =
  platformMaturityPlugin.provide(
    createRoutableExtension({
      name: 'EntityPlatformMaturityContent',
      component: () =>
        import('./components/EntityPlatformMaturityContent').then(
          m => m.EntityPlatformMaturityContent,
        ),
      mountPoint: entityContentRouteRef,
    }),
  );

/**
 * The current entity's platform maturity level (`L2 Ships`, in its level colour), linked to the
 * entity's maturity tab: a badge for an entity page's header or About card. Loaded lazily.
 *
 * @public
 */
export const EntityPlatformMaturityLevelBadge: () => JSX.Element =
  platformMaturityPlugin.provide(
    createComponentExtension({
      name: 'EntityPlatformMaturityLevelBadge',
      component: {
        lazy: () =>
          import('./components/EntityPlatformMaturityLevel').then(
            m => m.EntityPlatformMaturityLevelBadge,
          ),
      },
    }),
  );

/**
 * The organisation overview of platform maturity, mounted at a route of the app (for example
 * `/platform-maturity`). Loaded lazily.
 *
 * @public
 */
export const PlatformMaturityPage: (
  props: PlatformMaturityPageProps,
) => JSX.Element = platformMaturityPlugin.provide(
  createRoutableExtension({
    name: 'PlatformMaturityPage',
    component: () =>
      import('./components/PlatformMaturityPage').then(
        m => m.PlatformMaturityPage,
      ),
    mountPoint: rootRouteRef,
  }),
);

/**
 * `ui:field: PavedServiceNamePicker` of the golden-path templates (legacy frontend system; add
 * it inside `<ScaffolderFieldExtensions>`): a new service's name, checked as it is typed with the
 * naming rule the server applies, and checked to be free in the catalog before the next step.
 *
 * @public
 */
export const PavedServiceNamePickerFieldExtension: FieldExtensionComponent<
  string,
  {}
> = platformMaturityPlugin.provide(
  createScaffolderFieldExtension({
    name: 'PavedServiceNamePicker',
    component: ServiceNamePicker,
    validation: serviceNameValidation,
  }),
);

/**
 * `ui:field: PavedDeliveryTargetPicker` of the golden-path templates (legacy frontend system;
 * add it inside `<ScaffolderFieldExtensions>`): offers only the delivery targets that can work
 * for the entity (`ui:options.entityField`) or for a new service, and says why the others
 * cannot.
 *
 * @public
 */
export const PavedDeliveryTargetPickerFieldExtension: FieldExtensionComponent<
  string,
  DeliveryTargetPickerOptions
> = platformMaturityPlugin.provide(
  createScaffolderFieldExtension({
    name: 'PavedDeliveryTargetPicker',
    component: DeliveryTargetPicker,
    validation: deliveryTargetValidation,
  }),
);
