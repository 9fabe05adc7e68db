import type {
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  CAPABILITIES,
  CAPABILITY_IDS,
  ChecklistResponse,
  HistoryResponse,
  platformMaturityScorecardRefreshPermission,
  Ruleset,
  ScorecardResponse,
  SummaryResponse,
} from '@paved/plugin-platform-maturity-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import {
  columnText,
  columnTimestamp,
  MAX_INTEGER,
} from '../database/columnValues';
import type {
  ScorecardStore,
  StoredScorecard,
} from '../database/ScorecardStore';
import { ENTITY_REF_PART, ScorecardAccess } from './access';
import type { CatalogEvaluator } from './CatalogEvaluator';

const MAX_PAGE_SIZE = 100;
/** Values of one list filter, and the characters of each: far above any real filter. */
const MAX_LIST_VALUES = 100;
const MAX_LIST_VALUE_LENGTH = 1000;

/**
 * A comma-separated list of strings that both databases store as they are (no NUL characters);
 * see "Input before SQL" in docs/architecture.md.
 */
const list = z
  .string()
  .transform(value =>
    value
      .split(',')
      .map(v => v.trim())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(columnText(MAX_LIST_VALUE_LENGTH))
      .max(MAX_LIST_VALUES, `must list at most ${MAX_LIST_VALUES} values`),
  );

/**
 * The list's query parameters. Levels are whole numbers up to the ladder's highest, so that a
 * level filter is never out of the `level` column's range.
 */
function listQuerySchema(ruleset: Ruleset) {
  const maxLevel = Math.min(
    Math.max(0, ...ruleset.levels.map(l => l.level)),
    MAX_INTEGER,
  );
  const levelMessage = `must be whole level numbers from 0 to ${maxLevel}, comma-separated`;
  return z.strictObject({
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
            .regex(/^\d+$/, levelMessage)
            .transform(Number)
            .pipe(z.number().max(maxLevel, levelMessage)),
        ),
      )
      .optional(),
    capability: z
      .enum(CAPABILITY_IDS as [string, ...string[]], {
        error: `must be one of ${CAPABILITY_IDS.join(', ')}`,
      })
      .optional(),
    q: columnText(200).optional(),
    orderBy: z
      .enum(['entityRef', 'name', 'owner', 'score', 'level', 'evaluatedAt'], {
        error:
          'must be one of entityRef, name, owner, score, level, evaluatedAt',
      })
      .default('entityRef'),
    order: z
      .enum(['asc', 'desc'], { error: 'must be asc or desc' })
      .default('asc'),
    // Decoded and checked field by field by the store, which makes it (database/cursor.ts); the
    // length leaves room for two refs of the longest length the cursor accepts.
    cursor: z
      .string({ error: 'is not a valid cursor' })
      .max(4000, 'is not a valid cursor')
      .optional(),
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
}

const summaryQuerySchema = z.strictObject({
  groupBy: z
    .enum(['owner', 'system', 'domain', 'lifecycle', 'kind'], {
      error: 'must be one of owner, system, domain, lifecycle, kind',
    })
    .default('owner'),
});

const historyQuerySchema = z.strictObject({
  since: columnTimestamp.optional(),
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
    // The parameter, not the position of a value inside a list; an unknown one is named too.
    const name =
      issue.code === 'unrecognized_keys'
        ? issue.keys[0]
        : issue.path.map(String)[0];
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
 * call the store or the evaluator. Access is decided by {@link ScorecardAccess}, shared with the
 * actions: every route needs `platform-maturity.scorecard.read` (403) and answers only with
 * entities the caller may see in the catalog (hidden ones are an unknown entity's 404, and are
 * left out of lists, summaries and run counts in the query).
 */
export function createRouter(options: {
  httpAuth: HttpAuthService;
  access: ScorecardAccess;
  store: ScorecardStore;
  evaluator: CatalogEvaluator;
  ruleset: Ruleset;
}): express.Router {
  const { httpAuth, access, store, evaluator, ruleset } = options;
  const listQuery = listQuerySchema(ruleset);
  // No route reads a request body, so there is no body parser to run on every request.
  const router = Router();

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
    return access.visibleEntity(credentials, { kind, namespace, name });
  }

  router.get('/v1/checklist', async (req, res) => {
    await access.requireScorecardRead(await httpAuth.credentials(req));
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
    const query = parse(listQuery, req.query, 'query parameter');
    const visibleEntityRefs = await access.visibleEntityRefs(credentials);
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
      visibleEntityRefs,
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
      await access.authorize(credentials, {
        permission: platformMaturityScorecardRefreshPermission,
        resourceRef: entityRef,
      });
      res.json(toResponse(await evaluator.evaluateOne(entity)));
    },
  );

  router.get('/v1/summary', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { groupBy } = parse(summaryQuerySchema, req.query, 'query parameter');
    const visibleEntityRefs = await access.visibleEntityRefs(credentials);
    const body: SummaryResponse = {
      groupBy,
      groups: await store.getSummary(groupBy, { visibleEntityRefs }),
    };
    res.json(body);
  });

  router.get('/v1/runs/latest', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const visibleEntityRefs = await access.visibleEntityRefs(credentials);
    const run = await store.getLatestRun({ visibleEntityRefs });
    if (!run) {
      throw new NotFoundError('No evaluation run yet');
    }
    res.json(run);
  });

  return router;
}
