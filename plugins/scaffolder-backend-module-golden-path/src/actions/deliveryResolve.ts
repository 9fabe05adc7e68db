import type { Config } from '@backstage/config';
import { InputError, NotFoundError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { readGoldenPathConfig } from '../config';
import type { DeliveryTargetId } from '@paved/plugin-platform-maturity-common';
import { decideDeliveryTargets, DELIVERY_TARGET_TITLES } from '../lib/delivery';
import { examples } from './deliveryResolve.examples';

/**
 * Options of {@link createDeliveryResolveAction}.
 *
 * @public
 */
export interface DeliveryResolveActionOptions {
  /** The catalog, to read the entity with the credentials of the user who runs the template. */
  catalog: CatalogService;
  /** The root config; the action reads `integrations` and `goldenPath.localPublish.root`. */
  config: Config;
}

const TARGETS = Object.keys(DELIVERY_TARGET_TITLES) as DeliveryTargetId[];

/**
 * Creates the `paved:delivery:resolve` action: the first step of a day-2 template. It decides,
 * as the template form did, whether the chosen delivery target can work for the entity (from its
 * source location, the configured integrations and the local repository root), fails with a
 * sentence saying what to change when it cannot, and outputs what the fetch and publish steps
 * need.
 *
 * @public
 */
export function createDeliveryResolveAction(
  options: DeliveryResolveActionOptions,
) {
  const { catalog, config } = options;
  const { localPublish } = readGoldenPathConfig(config);
  const integrations = ScmIntegrations.fromConfig(config);

  return createTemplateAction({
    id: 'paved:delivery:resolve',
    description:
      "Checks that a change to an existing entity can be delivered to the chosen target (a pull request on the repository's Git host, or a commit in the local repository root) and outputs what the fetch and publish steps need.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z =>
          z
            .string()
            .describe(
              'The entity to change, for example component:default/orders',
            ),
        target: z =>
          z
            .string()
            .describe(
              'Where the change goes: scm (a pull request) or local (a commit in the local repository root)',
            ),
      },
      output: {
        fetchUrl: z =>
          z
            .string()
            .optional()
            .describe('scm: the source location to fetch (fetch:plain url)'),
        repoUrl: z =>
          z
            .string()
            .optional()
            .describe(
              'scm: the repository as publish:github:pull-request wants it (host?owner=…&repo=…)',
            ),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              "scm: the service's directory in the repository (empty at its root)",
            ),
        location: z =>
          z
            .string()
            .optional()
            .describe(
              "local: the entity's catalog file, the location input of paved:fetch:local",
            ),
      },
    },
    async handler(ctx) {
      const { entityRef, target } = ctx.input;
      if (!TARGETS.includes(target as DeliveryTargetId)) {
        throw new InputError(
          `Invalid input 'target': choose where the change goes, one of ${TARGETS.join(
            ', ',
          )}`,
        );
      }
      const entity = await catalog.getEntityByRef(entityRef, {
        credentials: await ctx.getInitiatorCredentials(),
      });
      if (!entity) {
        throw new NotFoundError(
          `Invalid input 'entityRef': ${entityRef} is not in the catalog`,
        );
      }
      const decisions = await decideDeliveryTargets({
        entity,
        integrations,
        localPublishRoot: localPublish.root,
      });
      const chosen = decisions.find(d => d.id === target)!;
      if (!chosen.plan) {
        const others = decisions.filter(d => d.available).map(d => d.title);
        throw new InputError(
          `"${chosen.title}" cannot work for ${entityRef}: ${chosen.reason}${
            others.length > 0
              ? ` Choose "${others.join('" or "')}" instead.`
              : ''
          }`,
        );
      }
      for (const [key, value] of Object.entries(chosen.plan)) {
        if (key !== 'id') {
          ctx.output(key as 'fetchUrl', value);
        }
      }
      ctx.logger.info(
        `Delivering the change to ${entityRef} as: ${chosen.title}`,
      );
    },
  });
}
