import type {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CAPABILITIES,
  CAPABILITY_IDS,
  ChecklistResponse,
  HistoryResponse,
  platformMaturityScorecardReadPermission,
  platformMaturityScorecardRefreshPermission,
  Ruleset,
  ScorecardResponse,
  SummaryResponse,
} from '@paved/plugin-platform-maturity-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import type {
  ScorecardStore,
  StoredScorecard,
} from '../database/ScorecardStore';
import {
  authorizeOrThrow,
  ENTITY_REF_PART,
  visibleEntityOrThrow,
} from './access';
import type { CatalogEvaluator } from './CatalogEvaluator';

const MAX_PAGE_SIZE = 100;

const list = z.string().transform(value =>
  value
    .split(',')
    .map(v => v.trim())
    .filter(Boolean),
);

const listQuerySchema = z.strictObject({
  owner: list.optional(),
  kind: list.optional(),
  lifecycle: list.optional(),
  system: list.optional(),
  domain: list.optional(),
  level: list
    .pipe(
      z.array(
        z
          .string()
          .regex(/^\d+$/, 'must be whole level numbers, comma-separated')
          .transform(Number),
      ),
    )
    .optional(),
  capability: z
    .enum(CAPABILITY_IDS as [string, ...string[]], {
      error: `must be one of ${CAPABILITY_IDS.join(', ')}`,
    })
    .optional(),
  q: z.string().max(200, 'must be at most 200 characters').optional(),
  orderBy: z
    .enum(['entityRef', 'name', 'score', 'level', 'evaluatedAt'], {
      error: 'must be one of entityRef, name, score, level, evaluatedAt',
    })
    .default('entityRef'),
  order: z
    .enum(['asc', 'desc'], { error: 'must be asc or desc' })
    .default('asc'),
  cursor: z.string().max(1000, 'is not a valid cursor').optional(),
  limit: z
    .string()
    .regex(/^\d+$/, `must be a whole number from 1 to ${MAX_PAGE_SIZE}`)
    .transform(Number)
    .pipe(
      z
        .number()
        .min(1, `must be a whole number from 1 to ${MAX_PAGE_SIZE}`)
        .max(
          MAX_PAGE_SIZE,
          `must be a whole number from 1 to ${MAX_PAGE_SIZE}`,
        ),
    )
    .default(25),
});

const summaryQuerySchema = z.strictObject({
  groupBy: z
    .enum(['owner', 'system', 'domain', 'lifecycle', 'kind'], {
      error: 'must be one of owner, system, domain, lifecycle, kind',
    })
    .default('owner'),
});

const historyQuerySchema = z.strictObject({
  since: z
    .string()
    .refine(v => !Number.isNaN(Date.parse(v)), 'must be an ISO 8601 date')
    .transform(v => new Date(v))
    .optional(),
});

const refPart = z
  .string()
  .regex(ENTITY_REF_PART, 'must be a valid entity ref part');

function parse<T extends z.ZodType>(
  schema: T,
  value: unknown,
  what: string,
): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = issue.path.map(String).join('.');
    throw new InputError(
      `Invalid ${what}${name ? ` '${name}'` : ''}: ${issue.message}`,
    );
  }
  return result.data;
}

function toResponse(stored: StoredScorecard): ScorecardResponse {
  return { entity: stored.entity, scorecard: stored.scorecard };
}

/**
 * The REST API of the platform maturity plugin: thin handlers that validate input, check access and
 * call the store or the evaluator.
 */
export function createRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  store: ScorecardStore;
  evaluator: CatalogEvaluator;
  ruleset: Ruleset;
}): express.Router {
  const { httpAuth, permissions, catalog, store, evaluator, ruleset } = options;
  // No route reads a request body, so there is no body parser to run on every request.
  const router = Router();

  /** Permission checks are shared with the actions (see access.ts); a denial answers 403. */
  const authorize = (
    credentials: BackstageCredentials,
    request: Parameters<typeof authorizeOrThrow>[2],
  ) => authorizeOrThrow(permissions, credentials, request);

  /**
   * The entity named by the path, read from the catalog with the caller's credentials, so that an
   * entity the caller may not see answers 404 exactly like an unknown one.
   */
  async function visibleEntity(
    req: Request,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const kind = parse(refPart, req.params.kind, "path parameter 'kind'");
    const namespace = parse(
      refPart,
      req.params.namespace,
      "path parameter 'namespace'",
    );
    const name = parse(refPart, req.params.name, "path parameter 'name'");
    return visibleEntityOrThrow(
      catalog,
      { kind, namespace, name },
      credentials,
    );
  }

  router.get('/v1/checklist', async (req, res) => {
    await httpAuth.credentials(req);
    const body: ChecklistResponse = {
      capabilities: [...CAPABILITIES],
      checks: ruleset.checks.map(c => c.definition),
      levels: [...ruleset.levels],
      rulesetHash: ruleset.rulesetHash,
    };
    res.json(body);
  });

  router.get('/v1/scorecards', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const query = parse(listQuerySchema, req.query, 'query parameter');
    await authorize(credentials, {
      permission: platformMaturityScorecardReadPermission,
    });
    const page = await store.listScorecards({
      owner: query.owner?.map(o => o.toLowerCase()),
      kind: query.kind,
      lifecycle: query.lifecycle,
      system: query.system?.map(s => s.toLowerCase()),
      domain: query.domain?.map(d => d.toLowerCase()),
      level: query.level,
      failingCapability: query.capability,
      q: query.q,
      orderBy: query.orderBy,
      order: query.order,
      cursor: query.cursor,
      limit: query.limit,
    });
    res.json(page);
  });

  router.get('/v1/scorecards/:kind/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const entity = await visibleEntity(req, credentials);
    const entityRef = stringifyEntityRef(entity);
    const body = await store.getScorecardResponseJson(entityRef);
    if (!body) {
      throw new NotFoundError(`No scorecard for ${entityRef} yet`);
    }
    res.type('json').send(body);
  });

  router.get(
    '/v1/scorecards/:kind/:namespace/:name/history',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req);
      const { since } = parse(historyQuerySchema, req.query, 'query parameter');
      const entity = await visibleEntity(req, credentials);
      const entityRef = stringifyEntityRef(entity);
      const body: HistoryResponse = {
        entityRef,
        entries: await store.getHistory(entityRef, since),
      };
      res.json(body);
    },
  );

  router.post(
    '/v1/scorecards/:kind/:namespace/:name/refresh',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req);
      const entity = await visibleEntity(req, credentials);
      const entityRef = stringifyEntityRef(entity);
      await authorize(credentials, {
        permission: platformMaturityScorecardRefreshPermission,
        resourceRef: entityRef,
      });
      res.json(toResponse(await evaluator.evaluateOne(entity)));
    },
  );

  router.get('/v1/summary', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { groupBy } = parse(summaryQuerySchema, req.query, 'query parameter');
    await authorize(credentials, {
      permission: platformMaturityScorecardReadPermission,
    });
    const body: SummaryResponse = {
      groupBy,
      groups: await store.getSummary(groupBy),
    };
    res.json(body);
  });

  router.get('/v1/runs/latest', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    await authorize(credentials, {
      permission: platformMaturityScorecardReadPermission,
    });
    const run = await store.getLatestRun();
    if (!run) {
      throw new NotFoundError('No evaluation run yet');
    }
    res.json(run);
  });

  return router;
}
