import type { HttpAuthService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { InputError, NotFoundError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DeliveryTargetsResponse,
  MAX_SERVICE_NAME_LENGTH,
  ServiceNameRuleResponse,
} from '@paved/plugin-platform-maturity-common';
import express from 'express';
import Router from 'express-promise-router';
import { readGoldenPathConfig } from './config';
import { decideDeliveryTargets, decidePublishTargets } from './lib/delivery';

/**
 * The routes the template forms call while the user fills them in, so that they check what the
 * run will check: the naming rule of `paved:policy:check`, and the delivery targets
 * `paved:delivery:resolve` accepts for an entity.
 */
export function createFormRouter(options: {
  config: Config;
  catalog: CatalogService;
  httpAuth: HttpAuthService;
}): express.Router {
  const { config, catalog, httpAuth } = options;
  const { policy, localPublish } = readGoldenPathConfig(config);
  const integrations = ScmIntegrations.fromConfig(config);
  const router = Router();

  router.get('/paved/v1/service-name-rule', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const body: ServiceNameRuleResponse = {
      ...policy.nameRule,
      maxLength: MAX_SERVICE_NAME_LENGTH,
    };
    res.json(body);
  });

  router.get('/paved/v1/delivery-targets', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = req.query.entityRef;
    if (entityRef === undefined) {
      const body: DeliveryTargetsResponse = {
        targets: decidePublishTargets({
          integrations,
          localPublishRoot: localPublish.root,
        }),
      };
      res.json(body);
      return;
    }
    if (typeof entityRef !== 'string' || entityRef === '') {
      throw new InputError(
        "Invalid query parameter 'entityRef': name the entity, for example component:default/orders",
      );
    }
    const entity = await catalog
      .getEntityByRef(entityRef, { credentials })
      .catch(error => {
        if (error.name === 'TypeError' || error.name === 'InputError') {
          throw new InputError(
            `Invalid query parameter 'entityRef': ${error.message}`,
          );
        }
        throw error;
      });
    if (!entity) {
      throw new NotFoundError(`${entityRef} is not in the catalog`);
    }
    const decisions = await decideDeliveryTargets({
      entity,
      integrations,
      localPublishRoot: localPublish.root,
    });
    const body: DeliveryTargetsResponse = {
      entityRef,
      targets: decisions.map(({ plan: _plan, ...target }) => target),
    };
    res.json(body);
  });

  return router;
}
