import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { z } from 'zod/v3';
import {
  CompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  checksWithStatus,
  remediationTemplatePath,
  Ruleset,
  Scorecard,
} from '@paved/plugin-platform-maturity-common';
import type { ScorecardStore } from '../database/ScorecardStore';
import { ENTITY_REF_PART, ScorecardAccess } from './access';

const GROUP_BY = ['owner', 'system', 'domain', 'lifecycle', 'kind'] as const;

/** The input of the per-entity actions: one entity ref. */
const entityRefInput = (zod: typeof z) =>
  zod.object({
    entityRef: zod
      .string()
      .min(1)
      .max(1000)
      .describe('The entity ref, for example component:default/orders'),
  });

/** What the actions need; the same store, ruleset and services as the REST API. */
export interface PlatformMaturityActionsOptions {
  actionsRegistry: ActionsRegistryService;
  access: ScorecardAccess;
  store: ScorecardStore;
  ruleset: Ruleset;
}

/**
 * Parses the entity ref an assistant passes. Kind and namespace default to `component` and
 * `default` because that is how people name services in a question ("what does orders miss?").
 */
function parseRef(entityRef: string): CompoundEntityRef {
  let ref: CompoundEntityRef;
  try {
    ref = parseEntityRef(entityRef, {
      defaultKind: 'component',
      defaultNamespace: 'default',
    });
  } catch (error) {
    throw new InputError(`Invalid entity ref '${entityRef}'`, error);
  }
  // The same rule as the REST API's path parameters.
  if (
    ![ref.kind, ref.namespace, ref.name].every(p => ENTITY_REF_PART.test(p))
  ) {
    throw new InputError(`Invalid entity ref '${entityRef}'`);
  }
  return ref;
}

/**
 * Registers the read-only actions of the plugin in Backstage's actions registry, so that MCP
 * clients and AI assistants can ask what a service misses. They apply the REST API's rules through
 * the same {@link ScorecardAccess}: each needs `platform-maturity.scorecard.read`, an entity the
 * caller may not see in the catalog is "not found" exactly like an unknown one, and the summary
 * counts only the entities the caller may see.
 */
export function registerPlatformMaturityActions(
  options: PlatformMaturityActionsOptions,
): void {
  const { actionsRegistry, access, store, ruleset } = options;

  /** The stored scorecard of an entity the caller can see. */
  async function visibleScorecard(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<{ entityRef: string; title?: string; scorecard: Scorecard }> {
    const entity = await access.visibleEntity(credentials, parseRef(entityRef));
    const ref = stringifyEntityRef(entity);
    const stored = await store.getScorecard(ref);
    if (!stored) {
      throw new NotFoundError(`No scorecard for ${ref} yet`);
    }
    return {
      entityRef: ref,
      title: stored.entity.title,
      scorecard: stored.scorecard,
    };
  }

  actionsRegistry.register({
    name: 'get-scorecard',
    title: 'Get the platform maturity scorecard of an entity',
    description:
      'Returns the latest platform maturity scorecard of a catalog entity: overall score (0-100) ' +
      'with its coverage (how much of the checklist could be checked; a score is only as good as ' +
      'its coverage), level, what the next level needs, and the score and status of each capability (build, ' +
      'deploy, observe, data, capacity, as-code). Entity refs look like ' +
      '"component:default/orders"; kind defaults to component and namespace to default.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: entityRefInput,
      output: z =>
        z.object({
          entityRef: z.string(),
          title: z.string().optional(),
          evaluatedAt: z.string(),
          inScope: z
            .boolean()
            .describe('False when no check applies to the entity'),
          score: z.number().nullable(),
          coverage: z
            .object({
              share: z.number(),
              checkedCapabilities: z.number(),
              applicableCapabilities: z.number(),
            })
            .optional()
            .describe(
              'Share (0-100) of the applicable checklist that could be checked, and the capabilities fully checked of those that apply',
            ),
          level: z.object({ level: z.number(), name: z.string() }).nullable(),
          nextLevel: z
            .object({
              level: z.number(),
              name: z.string(),
              missingCapabilities: z.array(z.string()),
              minScore: z.number().optional(),
            })
            .optional(),
          capabilities: z.array(
            z.object({
              capability: z.string(),
              status: z.string(),
              score: z.number().nullable(),
            }),
          ),
          checkCounts: z
            .record(z.number())
            .describe('Number of check results per status'),
        }),
    },
    action: async ({ input, credentials }) => {
      const { entityRef, title, scorecard } = await visibleScorecard(
        input.entityRef,
        credentials,
      );
      const checkCounts: Record<string, number> = {};
      for (const result of scorecard.results) {
        checkCounts[result.status] = (checkCounts[result.status] ?? 0) + 1;
      }
      return {
        output: {
          entityRef,
          title,
          evaluatedAt: scorecard.evaluatedAt,
          inScope: scorecard.inScope,
          score: scorecard.score,
          coverage: scorecard.coverage,
          level: scorecard.level,
          nextLevel: scorecard.nextLevel,
          capabilities: scorecard.capabilities.map(c => ({
            capability: c.capability,
            status: c.status,
            score: c.score,
          })),
          checkCounts,
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'list-failing-checks',
    title: 'List the failing platform maturity checks of an entity',
    description:
      'Answers "what does my service miss?": the checks the entity fails, each with why and how ' +
      'to fix it (a scaffolder template with prefilled values and/or a docs page), and separately ' +
      'the checks whose evidence could not be read (unknown, not failures). Entity refs look like ' +
      '"component:default/orders"; kind defaults to component and namespace to default.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: entityRefInput,
      output: z => {
        const check = z.object({
          checkId: z.string(),
          capability: z.string(),
          title: z.string(),
          message: z.string(),
        });
        return z.object({
          entityRef: z.string(),
          evaluatedAt: z.string(),
          failing: z.array(
            check.extend({
              remediation: z.object({
                templateRef: z.string().optional(),
                values: z.record(z.unknown()).optional(),
                docsUrl: z.string().optional(),
                scaffolderPath: z
                  .string()
                  .optional()
                  .describe(
                    'Path in the Backstage app that opens the template prefilled',
                  ),
              }),
            }),
          ),
          unknown: z
            .array(check)
            .describe(
              'Checks whose evidence could not be read; not counted as failures',
            ),
        });
      },
    },
    action: async ({ input, credentials }) => {
      const { entityRef, scorecard } = await visibleScorecard(
        input.entityRef,
        credentials,
      );
      return {
        output: {
          entityRef,
          evaluatedAt: scorecard.evaluatedAt,
          failing: checksWithStatus(ruleset, scorecard).map(
            ({ remediation, ...check }) => ({
              ...check,
              remediation: {
                templateRef: remediation.templateRef,
                values: remediation.values,
                docsUrl: remediation.docsUrl,
                scaffolderPath: remediationTemplatePath(remediation, entityRef),
              },
            }),
          ),
          unknown: checksWithStatus(ruleset, scorecard, 'unknown').map(
            ({ remediation: _remediation, ...check }) => check,
          ),
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'get-summary',
    title: 'Get the platform maturity summary',
    description:
      'Rollups over the latest scorecards grouped by owner, system, domain, lifecycle or kind: ' +
      'number of entities, mean score, entities per level and, per capability, the share of ' +
      'entities that have it complete, over the entities the caller may see in the catalog.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          groupBy: z
            .enum(GROUP_BY)
            .default('owner')
            .describe('The dimension to group by'),
        }),
      output: z =>
        z.object({
          groupBy: z.enum(GROUP_BY),
          groups: z.array(
            z.object({
              key: z.string().nullable(),
              count: z.number(),
              meanScore: z.number().nullable(),
              meanCoverage: z
                .number()
                .nullable()
                .describe(
                  'Mean share (0-100) of the checklist that could be checked',
                ),
              partlyChecked: z
                .number()
                .describe('Entities of which some check could not be checked'),
              levels: z.record(z.number()),
              capabilityCompletion: z.record(z.number().nullable()),
            }),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      const visibleEntityRefs = await access.visibleEntityRefs(credentials);
      return {
        output: {
          groupBy: input.groupBy,
          groups: await store.getSummary(input.groupBy, { visibleEntityRefs }),
        },
      };
    },
  });
}
