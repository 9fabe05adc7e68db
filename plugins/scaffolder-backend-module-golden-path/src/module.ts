import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import {
  createBuildAddAction,
  createCapacityAddAction,
  createCatalogWriteAction,
  createDataAddAction,
  createDeliveryResolveAction,
  createDeployAddAction,
  createFetchLocalAction,
  createGoldenPathInspectAction,
  createGoldenPathStampAction,
  createMaturityVerifyAction,
  createObserveAddAction,
  createPolicyCheckAction,
  createPublishLocalAction,
} from './actions';
import { LOCAL_PUBLISH_ROOT_KEY, readGoldenPathConfig } from './config';
import { createFormRouter } from './router';

/**
 * Creates every golden-path action, for backends that register actions without the module.
 *
 * @param options - the root config (`goldenPath`, `platformMaturity`, `scaffolder.defaultAuthor`)
 *   and the catalog service
 * @throws InputError naming the key when the configuration is invalid
 * @public
 */
export function createGoldenPathActions(options: {
  config: Config;
  catalog: CatalogService;
}): TemplateAction<any, any, any>[] {
  const { config, catalog } = options;
  readGoldenPathConfig(config);
  return [
    createCatalogWriteAction({ config }),
    createBuildAddAction({ config }),
    createDeployAddAction({ config }),
    createObserveAddAction({ config }),
    createDataAddAction({ config }),
    createCapacityAddAction({ config }),
    createPolicyCheckAction({ config, catalog }),
    createMaturityVerifyAction({ config, catalog }),
    createPublishLocalAction({ config, catalog }),
    createFetchLocalAction({ config }),
    createDeliveryResolveAction({ config, catalog }),
    createGoldenPathInspectAction({ config }),
    createGoldenPathStampAction({ config }),
  ];
}

/**
 * The scaffolder module that registers Paved's golden-path actions (`paved:*`). It validates the
 * `goldenPath` and `platformMaturity` configuration at start, so a bad key stops the backend with
 * the key named.
 *
 * @public
 */
export const scaffolderModuleGoldenPath = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'golden-path',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
      },
      async init({
        scaffolder,
        config,
        catalog,
        logger,
        httpRouter,
        httpAuth,
      }) {
        const actions = createGoldenPathActions({ config, catalog });
        scaffolder.addActions(...actions);
        httpRouter.use(createFormRouter({ config, catalog, httpAuth }));
        const { localPublish } = readGoldenPathConfig(config);
        logger.info(
          `Registered ${actions.length} golden-path actions; ${
            localPublish.root
              ? `local publishing to ${localPublish.root}`
              : `local publishing is off (${LOCAL_PUBLISH_ROOT_KEY} is not set)`
          }`,
        );
      },
    });
  },
});
