/*
 * The local Paved suite's backend (`npm start` at the repository root): a real Backstage backend
 * with the catalog, the scaffolder with the golden-path actions, the permission framework, guest
 * sign-in and the platform maturity plugin, configured by the root `app-config.yaml` on an
 * embedded SQLite database.
 */
import { createBackend } from '@backstage/backend-defaults';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogLocationsExtensionPoint } from '@backstage/plugin-catalog-node';
import { exampleRepositoriesModule } from './exampleRepositories';

const backend = createBackend();

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
// paved:publish:local registers the repositories it publishes as `file` locations, which the
// catalog accepts through its API only when a module allows them (local trials only).
backend.add(
  createBackendModule({
    pluginId: 'catalog',
    moduleId: 'file-locations',
    register(env) {
      env.registerInit({
        deps: { locations: catalogLocationsExtensionPoint },
        async init({ locations }) {
          locations.setAllowedLocationTypes(['url', 'file']);
        },
      });
    },
  }),
);
// The example services' repositories, re-created at every start under the local repository root.
backend.add(exampleRepositoriesModule);
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(import('@paved/plugin-scaffolder-backend-module-golden-path'));
backend.add(import('../src'));

backend.start();
