import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import path from 'node:path';
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
import {
  GoldenPathContentContribution,
  goldenPathContentExtensionPoint,
} from './extensions';
import {
  ContributedContent,
  GoldenPathContent,
  loadGoldenPathContent,
} from './lib/content';
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
  return goldenPathActions(options);
}

/** Every golden-path action, rendering `content` when given (as the module loads it). */
function goldenPathActions(options: {
  config: Config;
  catalog: CatalogService;
  content?: GoldenPathContent;
}): TemplateAction<any, any, any>[] {
  const { config, catalog, content } = options;
  readGoldenPathConfig(config);
  return [
    createCatalogWriteAction({ config, content }),
    createBuildAddAction({ config, content }),
    createDeployAddAction({ config, content }),
    createObserveAddAction({ config, content }),
    createDataAddAction({ config, content }),
    createCapacityAddAction({ config, content }),
    createPolicyCheckAction({ config, catalog, content }),
    createMaturityVerifyAction({ config, catalog }),
    createPublishLocalAction({ config, catalog }),
    createFetchLocalAction({ config }),
    createDeliveryResolveAction({ config, catalog }),
    createGoldenPathInspectAction({ config }),
    createGoldenPathStampAction({ config }),
  ];
}

/** A contribution of the extension point as the loader takes it, checked; errors name it. */
function contributedContent(
  contribution: GoldenPathContentContribution,
  index: number,
): ContributedContent {
  const key = `golden-path content contribution #${
    index + 1
  } (goldenPathContentExtensionPoint)`;
  const { capability, variant, directory, files } = contribution;
  const name = /^[a-z0-9][-a-z0-9]*$/;
  for (const [field, value] of Object.entries({ capability, variant })) {
    if (value !== undefined && !name.test(value)) {
      throw new InputError(
        `Invalid ${key}: '${field}' must be a name such as deploy or helm, not '${value}'`,
      );
    }
  }
  if (variant !== undefined && capability === undefined) {
    throw new InputError(
      `Invalid ${key}: 'variant' needs 'capability', the capability it belongs to`,
    );
  }
  if ((directory === undefined) === (files === undefined)) {
    throw new InputError(
      `Invalid ${key}: give either 'directory' (an absolute path) or 'files'`,
    );
  }
  if (directory !== undefined && !path.isAbsolute(directory)) {
    throw new InputError(
      `Invalid ${key}: 'directory' must be an absolute path, not '${directory}'`,
    );
  }
  return {
    scope: [capability, variant].filter(Boolean).join('/'),
    key,
    directory,
    files,
  };
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
    const contributions: GoldenPathContentContribution[] = [];
    env.registerExtensionPoint(goldenPathContentExtensionPoint, {
      addContent(content) {
        contributions.push(content);
      },
    });
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        urlReader: coreServices.urlReader,
      },
      async init({
        scaffolder,
        config,
        catalog,
        logger,
        httpRouter,
        httpAuth,
        urlReader,
      }) {
        const content = await loadGoldenPathContent({
          config,
          urlReader,
          contributed: contributions.map(contributedContent),
        });
        const actions = goldenPathActions({ config, catalog, content });
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
