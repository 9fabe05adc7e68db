import { DEFAULT_NAMESPACE, Entity } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  CAPABILITIES,
  CatalogLookup,
  checksWithStatus,
  chooseScoredEntity,
  entityDocumentProblem,
  entityRefKey,
  compileRuleset,
  evaluate,
  Remediation,
  Ruleset,
  Scorecard,
} from '@paved/plugin-platform-maturity-common';
import { readGoldenPathRelease } from '@paved/plugin-platform-maturity-node';
import path from 'node:path';
import yaml from 'yaml';
import { readWorkspaceSnapshot } from '../lib/evidence';
import { WorkspaceFiles } from '../lib/workspace';
import { examples } from './maturityVerify.examples';

/**
 * Options of {@link createMaturityVerifyAction}.
 *
 * @public
 */
export interface MaturityVerifyActionOptions {
  /** The catalog, to look up the owner, the system and the dependencies the workspace names. */
  catalog: CatalogService;
  /** The root config; the action reads the `platformMaturity` ruleset keys. */
  config: Config;
}

const CATALOG_INFO = 'catalog-info.yaml';

/** A JSON object, as the action outputs it. */
type JsonRecord = Record<string, unknown>;

/** A failing check as the action outputs it. */
type FailingCheck = {
  id: string;
  capability: string;
  title: string;
  message: string;
  remediation: Remediation;
};

/** Reads the entity documents of catalog-info.yaml; errors name the file and the document. */
async function readCatalogInfo(
  files: WorkspaceFiles,
  displayPath: string,
): Promise<Entity[]> {
  const text = await files.read(CATALOG_INFO);
  if (text === undefined) {
    throw new InputError(
      `Invalid input 'path': there is no ${displayPath} to score; run paved:catalog:write first`,
    );
  }
  const entities: Entity[] = [];
  yaml.parseAllDocuments(text).forEach((doc, index) => {
    if (doc.errors.length > 0) {
      throw new InputError(
        `${displayPath} is not valid YAML (document ${index + 1}): ${
          doc.errors[0].message
        }`,
      );
    }
    const value = doc.toJS();
    if (value === null || value === undefined) {
      return; // an empty document, e.g. after a trailing ---
    }
    const problem = entityDocumentProblem(value);
    if (problem) {
      throw new InputError(
        `${displayPath} document ${
          index + 1
        } is not a catalog entity: ${problem}`,
      );
    }
    entities.push(value as Entity);
  });
  return entities;
}

/** The entity to score: the one named by `entityRef`, else the only Component, else the only document. */
function selectEntity(
  entities: Entity[],
  entityRef: string | undefined,
  displayPath: string,
): Entity {
  const choice = chooseScoredEntity(entities, displayPath, entityRef);
  if ('entity' in choice) {
    return choice.entity;
  }
  if (choice.problem === 'ambiguous' || choice.problem === 'empty') {
    throw new InputError(
      `${choice.message}; set the 'entityRef' input to the entity to score`,
    );
  }
  throw new InputError(`Invalid input 'entityRef': ${choice.message}`);
}

/** The refs an entity points at that checks look up: owner, system and relations. */
function referencedRefs(entity: Entity): string[] {
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const namespace = entity.metadata.namespace ?? DEFAULT_NAMESPACE;
  const refs = new Set<string>();
  const add = (value: unknown, defaultKind?: string) => {
    // Not a valid ref: the checks report it; there is nothing to look up.
    const key =
      typeof value === 'string'
        ? entityRefKey(value, { defaultKind, defaultNamespace: namespace })
        : undefined;
    if (key !== undefined) {
      refs.add(key);
    }
  };
  add(spec.owner, 'group');
  add(spec.system, 'system');
  const list = (value: unknown) => (Array.isArray(value) ? value : []);
  list(spec.dependsOn).forEach(v => add(v));
  list(spec.providesApis).forEach(v => add(v, 'api'));
  list(spec.consumesApis).forEach(v => add(v, 'api'));
  return [...refs];
}

/** The failing checks of a scorecard, with each check's fix from the ruleset. */
/** The failing checks as the action outputs them: `id` rather than `checkId`. */
function failingChecks(ruleset: Ruleset, scorecard: Scorecard): FailingCheck[] {
  return checksWithStatus(ruleset, scorecard).map(({ checkId, ...check }) => ({
    id: checkId,
    ...check,
  }));
}

function summary(ruleset: Ruleset, scorecard: Scorecard): string {
  const lines = [
    `Scored ${scorecard.entityRef}: level ${scorecard.level?.level} (${scorecard.level?.name}), score ${scorecard.score}`,
  ];
  for (const capability of scorecard.capabilities) {
    const title =
      CAPABILITIES.find(c => c.id === capability.capability)?.title ??
      capability.capability;
    lines.push(
      `  ${capability.capability.padEnd(9)} ${capability.status.padEnd(14)} ${
        capability.score === null ? '   -' : `${capability.score}%`.padStart(4)
      }  ${title}`,
    );
  }
  const failing = failingChecks(ruleset, scorecard);
  if (failing.length > 0) {
    lines.push('Failing checks:');
    for (const check of failing) {
      lines.push(`  - ${check.id} (${check.title}): ${check.message}`);
    }
  }
  const unknown = scorecard.results.filter(r => r.status === 'unknown');
  if (unknown.length > 0) {
    lines.push('Checks whose evidence could not be read:');
    for (const result of unknown) {
      lines.push(`  - ${result.checkId}: ${result.message}`);
    }
  }
  if (scorecard.nextLevel) {
    lines.push(
      `Next level: ${scorecard.nextLevel.level} (${
        scorecard.nextLevel.name
      }) needs ${scorecard.nextLevel.missingCapabilities.join(', ')}`,
    );
  }
  return lines.join('\n');
}

/**
 * Creates the `paved:maturity:verify` action: it scores the workspace (its catalog-info.yaml and
 * its files) with the same engine and checks as the platform maturity backend, outputs the score,
 * the level and the failing checks, and fails the step when the level is below `minLevel`.
 *
 * Checks that adopters add in code through the platform maturity backend's extension point are
 * not visible here (they belong to another plugin); checks declared in configuration are.
 *
 * @public
 */
export function createMaturityVerifyAction(
  options: MaturityVerifyActionOptions,
) {
  const { catalog } = options;
  const ruleset = compileRuleset(
    options.config.getOptionalConfig('platformMaturity')?.get() ?? {},
    { goldenPath: readGoldenPathRelease(options.config) },
  );
  const top = ruleset.levels[ruleset.levels.length - 1];

  return createTemplateAction({
    id: 'paved:maturity:verify',
    description:
      "Scores the workspace (its catalog-info.yaml and files) with the platform maturity engine and the platform's ruleset (platformMaturity config), outputs the score, level and failing checks, and fails when the level is below minLevel.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        path: z =>
          z
            .string()
            .optional()
            .describe(
              'The service directory inside the workspace, holding catalog-info.yaml (default .)',
            ),
        entityRef: z =>
          z
            .string()
            .optional()
            .describe(
              'The entity of catalog-info.yaml to score (default: its only Component)',
            ),
        minLevel: z =>
          z
            .number()
            .int()
            .min(0)
            .optional()
            .describe(
              `Fail the step when the level reached is below this one (default: never fail). With the default ladder: 0 Unpaved, 1 Builds, 2 Ships, 3 Operable, 4 Self-serve`,
            ),
      },
      output: {
        score: z =>
          z
            .number()
            .nullable()
            .describe('The overall score, 0–100 (null when out of scope)'),
        level: z =>
          z
            .number()
            .nullable()
            .describe('The level reached (null when out of scope)'),
        levelName: z =>
          z
            .string()
            .nullable()
            .describe('The name of the level reached, for example Self-serve'),
        failingChecks: z =>
          z
            .array(
              z.object({
                id: z.string(),
                capability: z.string(),
                title: z.string(),
                message: z.string(),
                // The shape of Remediation: the output type must be JSON, and a
                // Record<string, unknown> is not a JsonObject (so `any` for the scorecard).
                remediation: z.object({
                  templateRef: z.string().optional(),
                  values: z.record(z.any()).optional(),
                  docsUrl: z.string().optional(),
                }),
              }),
            )
            .describe('The checks that fail, with their fix'),
        scorecard: z =>
          z
            .record(z.any())
            .describe('The full scorecard, as the backend stores it'),
      },
    },
    async handler(ctx) {
      const { entityRef, minLevel } = ctx.input;
      const files = WorkspaceFiles.forAction(ctx);
      const displayPath = path.posix.join(ctx.input.path ?? '.', CATALOG_INFO);
      if (minLevel !== undefined) {
        if (!Number.isInteger(minLevel) || minLevel < 0) {
          throw new InputError(
            `Invalid input 'minLevel': ${minLevel} is not a level; use a whole number from 0 to ${top.level}`,
          );
        }
        if (!ruleset.levels.some(l => l.level === minLevel)) {
          throw new InputError(
            `Invalid input 'minLevel': ${minLevel} is not a level of the ladder (${ruleset.levels
              .map(l => `${l.level} ${l.name}`)
              .join(', ')})`,
          );
        }
      }

      const entities = await readCatalogInfo(files, displayPath);
      const entity = selectEntity(entities, entityRef, displayPath);

      // Other entities of catalog-info.yaml (System, API, Resource written beside the
      // Component) first, then what the catalog knows of the rest.
      const known = new Map<string, Entity>();
      for (const other of entities) {
        if (other !== entity) {
          known.set(entityRefKey(other), other);
        }
      }
      const missing = referencedRefs(entity).filter(ref => !known.has(ref));
      if (missing.length > 0) {
        const credentials = await ctx.getInitiatorCredentials();
        const found = await Promise.all(
          missing.map(ref => catalog.getEntityByRef(ref, { credentials })),
        );
        found.forEach((e, i) => {
          if (e) {
            known.set(missing[i], e);
          }
        });
      }
      const lookup: CatalogLookup = {
        getEntity: ref => known.get(entityRefKey(ref) ?? ''),
      };

      const repository = await readWorkspaceSnapshot(files);
      if (repository.truncated) {
        ctx.logger.warn(
          `${displayPath} has more files than the evidence limit; checks saw only the first ${repository.paths.length}`,
        );
      }
      const scorecard = evaluate(ruleset, {
        entity,
        repository,
        catalog: lookup,
        now: new Date(),
      });

      if (!scorecard.inScope) {
        ctx.output('score', null);
        ctx.output('level', null);
        ctx.output('levelName', null);
        ctx.output('failingChecks', []);
        ctx.output('scorecard', scorecard as unknown as JsonRecord);
        const message = `${scorecard.entityRef} is not in scope of any check of the ruleset (the checks apply to Components of type service or website by default)`;
        if (minLevel !== undefined) {
          throw new InputError(
            `${message}, so it cannot reach minLevel ${minLevel}`,
          );
        }
        ctx.logger.warn(message);
        return;
      }

      const failing = failingChecks(ruleset, scorecard);
      ctx.logger.info(summary(ruleset, scorecard));
      ctx.output('score', scorecard.score);
      ctx.output('level', scorecard.level!.level);
      ctx.output('levelName', scorecard.level!.name);
      ctx.output('failingChecks', failing);
      ctx.output('scorecard', scorecard as unknown as JsonRecord);

      if (minLevel !== undefined && scorecard.level!.level < minLevel) {
        const wanted = ruleset.levels.find(l => l.level === minLevel)!;
        const unknown = scorecard.results.filter(r => r.status === 'unknown');
        throw new InputError(
          [
            `${scorecard.entityRef} reached level ${scorecard.level!.level} (${
              scorecard.level!.name
            }), below minLevel ${minLevel} (${wanted.name}).`,
            ...(failing.length > 0
              ? [
                  'Failing checks:',
                  ...failing.map(c => `- ${c.id} (${c.title}): ${c.message}`),
                ]
              : []),
            ...(unknown.length > 0
              ? [
                  'Checks whose evidence could not be read:',
                  ...unknown.map(r => `- ${r.checkId}: ${r.message}`),
                ]
              : []),
          ].join('\n'),
        );
      }
    },
  });
}
