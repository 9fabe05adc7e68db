import type { Entity } from '@backstage/catalog-model';
import {
  FilterPredicate,
  evaluateFilterPredicate,
  parseFilterPredicate,
} from '@backstage/filter-predicates';
import type { JsonObject } from '@backstage/types';
import { CAPABILITY_IDS, isCapabilityId } from '../capabilities';
import { BUILTIN_CHECKS } from '../checks';
import {
  GOLDEN_PATH_CURRENT_CHECK,
  goldenPathCurrentCheck,
} from '../checks/goldenPath';
import {
  DEFAULT_APPLIES_TO,
  DEFAULT_REMEDIATION_TEMPLATE,
} from '../checks/defaults';
import type { CheckImplementation } from '../engine/checkTypes';
import { globProblem, pathMatcher } from '../engine/globs';
import { Hasher, stableStringify } from '../engine/hash';
import { GoldenPathRelease, PAVED_GOLDEN_PATH_RELEASE } from '../goldenPath';
import { DEFAULT_LEVELS } from '../levels';
import type { CheckDefinition, LevelDefinition, Waiver } from '../types';
import {
  CHECK_NAME_PATTERN,
  CheckConfig,
  MAX_CHECK_NAME_LENGTH,
  rulesetConfigSchema,
} from './configSchema';
import { configuredCheck } from './configuredCheck';
import { RulesetConfigError } from './errors';

/**
 * Default base of the per-check documentation links; adopters point
 * `platformMaturity.remediation.docsBaseUrl` at their own docs.
 *
 * @public
 */
export const DEFAULT_DOCS_BASE_URL =
  'https://github.com/paved-dev/paved/blob/main/docs/checks.md';

/**
 * The form of every check id, built-in, from code or from configuration: a capability id, a dot
 * and a name of lower-case letters and digits joined by `-` or `_` (not `constructor` or
 * `prototype`), at most 64 characters long, such as `build.pipeline` or `observe.slo_targets`.
 *
 * @public
 */
export const CHECK_ID_PATTERN = new RegExp(
  `^(?:${CAPABILITY_IDS.join('|')})\\.${CHECK_NAME_PATTERN.source.slice(1)}`,
);

/**
 * The problem with the name of a check, or undefined. Checked on the raw configuration, where
 * every own key is still there: schema parsing drops a `__proto__` key.
 */
function checkNameProblem(name: string): string | undefined {
  if (name.length > MAX_CHECK_NAME_LENGTH) {
    return `a check name must be at most ${MAX_CHECK_NAME_LENGTH} characters`;
  }
  if (!CHECK_NAME_PATTERN.test(name)) {
    return 'a check name must be lower-case letters and digits joined by - or _ (and not constructor or prototype)';
  }
  return undefined;
}

/** Refuses the capability and check names of `checks` that are unsafe as object keys. */
function assertSafeCheckNames(config: unknown, root: string): void {
  const checks = (config as { checks?: unknown } | null)?.checks;
  if (!checks || typeof checks !== 'object') {
    return;
  }
  for (const capability of Object.keys(checks)) {
    if (!isCapabilityId(capability)) {
      throw new RulesetConfigError(
        `${root}.checks.${capability}`,
        `unknown capability; expected one of ${CAPABILITY_IDS.join(', ')}`,
      );
    }
    const byName = (checks as Record<string, unknown>)[capability];
    if (!byName || typeof byName !== 'object') {
      continue;
    }
    for (const name of Object.keys(byName)) {
      const problem = checkNameProblem(name);
      if (problem) {
        throw new RulesetConfigError(
          `${root}.checks.${capability}.${name}`,
          problem,
        );
      }
    }
  }
}

/**
 * A check of a compiled ruleset: its effective definition and its implementation.
 *
 * @public
 */
export interface RulesetCheck {
  definition: CheckDefinition;
  implementation: CheckImplementation;
  /** Whether the check applies to the entity (its `appliesTo` predicate). */
  appliesTo(entity: Entity): boolean;
}

/**
 * A waiver from configuration, for one entity.
 *
 * @public
 */
export interface ConfiguredWaiver extends Waiver {
  /** The entity ref, lower-case. */
  entityRef: string;
}

/**
 * The effective, validated check configuration that {@link evaluate} scores against.
 *
 * @public
 */
export interface Ruleset {
  /** Hash of everything in the ruleset that can change a result. */
  readonly rulesetHash: string;
  /** The enabled checks, in checklist order. */
  readonly checks: readonly RulesetCheck[];
  readonly levels: readonly LevelDefinition[];
  readonly waivers: readonly ConfiguredWaiver[];
  /** Whether waivers declared in an entity's annotation count. */
  readonly allowEntityWaivers: boolean;
  /** Globs of the repository files whose content some check reads. */
  readonly contentGlobs: readonly string[];
  /**
   * The entity kinds that some check can apply to, lower-case; undefined when a predicate does
   * not restrict the kind, so every kind must be considered.
   */
  readonly kinds?: readonly string[];
  /** Whether some check reads the content of this path; use it to filter repository reads. */
  needsContent(path: string): boolean;
  /** Whether any check applies to the entity. */
  isInScope(entity: Entity): boolean;
}

/**
 * Options for {@link compileRuleset}.
 *
 * @public
 */
export interface CompileRulesetOptions {
  /** Checks written in code by adopters, added to the built-in catalogue. */
  extraChecks?: readonly CheckImplementation[];
  /** The key the configuration was read from, used in error messages. Default `platformMaturity`. */
  configKey?: string;
  /**
   * The golden-path content in force, which `as-code.golden-path-current` compares entities
   * with: its release as the platform team's `CHANGELOG.yaml` declares it (read by
   * `readGoldenPathRelease` of the node package). Default: the content Paved ships. Part of the
   * ruleset hash, so that a new content version re-scores every service.
   */
  goldenPath?: GoldenPathRelease;
}

/** The check configured with the settings under its `options` key, validated by its schema. */
function withOptions(
  implementation: CheckImplementation,
  options: unknown,
  key: string,
): CheckImplementation {
  if (options === undefined) {
    return implementation;
  }
  if (!implementation.options) {
    throw new RulesetConfigError(
      `${key}.options`,
      `check '${implementation.id}' takes no options`,
    );
  }
  const parsed = implementation.options.schema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RulesetConfigError(
      keyPath(`${key}.options`, issue.path),
      issue.message,
    );
  }
  return implementation.options.configure(parsed.data);
}

function keyPath(root: string, path: ReadonlyArray<PropertyKey>): string {
  return [root, ...path.map(String)].join('.');
}

function parsePredicate(value: unknown, key: string): FilterPredicate {
  try {
    return parseFilterPredicate(value);
  } catch (error) {
    throw new RulesetConfigError(
      key,
      `not a valid filter predicate: ${(error as Error).message}`,
    );
  }
}

function validateLevels(
  levels: LevelDefinition[],
  key: string,
): LevelDefinition[] {
  const sorted = [...levels].sort((a, b) => a.level - b.level);
  sorted.forEach((level, i) => {
    if (i > 0 && sorted[i - 1].level === level.level) {
      throw new RulesetConfigError(
        key,
        `level ${level.level} is declared twice`,
      );
    }
  });
  if (sorted[0].requires.length > 0 || sorted[0].minScore !== undefined) {
    throw new RulesetConfigError(
      key,
      `the bottom level (${sorted[0].level}) must not require anything; every entity starts there`,
    );
  }
  return sorted;
}

function kindsOf(predicate: FilterPredicate): string[] | undefined {
  const p = predicate as Record<string, unknown>;
  if (Array.isArray(p.$all)) {
    const restricted = (p.$all as FilterPredicate[])
      .map(kindsOf)
      .filter((k): k is string[] => k !== undefined);
    return restricted.length > 0
      ? restricted.reduce((a, b) => a.filter(k => b.includes(k)))
      : undefined;
  }
  if (Array.isArray(p.$any)) {
    const each = (p.$any as FilterPredicate[]).map(kindsOf);
    return each.every(k => k !== undefined)
      ? [...new Set(each.flat() as string[])]
      : undefined;
  }
  const kind = p.kind;
  if (typeof kind === 'string') {
    return [kind.toLocaleLowerCase('en-US')];
  }
  if (
    kind &&
    typeof kind === 'object' &&
    Array.isArray((kind as { $in?: unknown }).$in)
  ) {
    return ((kind as { $in: unknown[] }).$in as unknown[]).map(k =>
      String(k).toLocaleLowerCase('en-US'),
    );
  }
  return undefined;
}

/**
 * Validates the `platformMaturity` configuration (a plain object, as read from app-config) and
 * compiles the effective ruleset: the built-in checks and adopters' code checks with their
 * configured overrides, the checks declared in configuration, the level ladder and the waivers.
 *
 * @throws {@link RulesetConfigError} naming the key and the problem when the configuration is invalid.
 * @public
 */
export function compileRuleset(
  config: unknown,
  options: CompileRulesetOptions = {},
): Ruleset {
  const root = options.configKey ?? 'platformMaturity';
  assertSafeCheckNames(config, root);
  const parsed = rulesetConfigSchema.safeParse(config ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RulesetConfigError(keyPath(root, issue.path), issue.message);
  }
  const cfg = parsed.data;
  const docsBaseUrl = cfg.remediation?.docsBaseUrl ?? DEFAULT_DOCS_BASE_URL;
  const defaultTemplateRef =
    cfg.remediation?.templateRef ?? DEFAULT_REMEDIATION_TEMPLATE;

  const implementations = new Map<string, CheckImplementation>();
  for (const check of [...BUILTIN_CHECKS, ...(options.extraChecks ?? [])]) {
    if (implementations.has(check.id)) {
      throw new RulesetConfigError(
        `${root}.checks`,
        `check '${check.id}' is defined twice`,
      );
    }
    if (
      !isCapabilityId(check.capability) ||
      !check.id.startsWith(`${check.capability}.`) ||
      !CHECK_ID_PATTERN.test(check.id) ||
      check.id.length > check.capability.length + 1 + MAX_CHECK_NAME_LENGTH
    ) {
      throw new RulesetConfigError(
        `${root}.checks`,
        `check '${check.id}' must have an id of the form <capability>.<name> with a known capability and a name of lower-case letters and digits joined by - or _`,
      );
    }
    implementations.set(check.id, check);
  }
  const goldenPath = options.goldenPath ?? PAVED_GOLDEN_PATH_RELEASE;
  if (options.goldenPath) {
    implementations.set(
      GOLDEN_PATH_CURRENT_CHECK,
      goldenPathCurrentCheck(options.goldenPath),
    );
  }
  for (const check of options.extraChecks ?? []) {
    for (const glob of check.reads ?? []) {
      const problem = globProblem(glob);
      if (problem) {
        throw new RulesetConfigError(
          `${root}.checks`,
          `check '${check.id}' reads ${problem}`,
        );
      }
    }
  }

  const overrides = new Map<string, { key: string; config: CheckConfig }>();
  for (const [capability, checks] of Object.entries(cfg.checks ?? {})) {
    if (!isCapabilityId(capability)) {
      throw new RulesetConfigError(
        `${root}.checks.${capability}`,
        `unknown capability; expected one of build, deploy, observe, data, capacity, as-code`,
      );
    }
    for (const [name, checkConfig] of Object.entries(checks)) {
      const id = `${capability}.${name}`;
      const key = `${root}.checks.${id}`;
      if (!implementations.has(id)) {
        const hasRule =
          checkConfig.entity !== undefined || checkConfig.files !== undefined;
        if (!checkConfig.title || !hasRule) {
          throw new RulesetConfigError(
            key,
            `no such check; known checks are ${[...implementations.keys()].join(
              ', ',
            )}. To declare a new check, give it a title and an 'entity' predicate and/or 'files' globs`,
          );
        }
        implementations.set(
          id,
          configuredCheck({
            id,
            capability,
            title: checkConfig.title,
            description: checkConfig.description ?? '',
            entity:
              checkConfig.entity &&
              parsePredicate(checkConfig.entity, `${key}.entity`),
            files: checkConfig.files,
            content: checkConfig.content,
            key,
          }),
        );
      } else if (
        checkConfig.entity !== undefined ||
        checkConfig.files !== undefined ||
        checkConfig.content !== undefined
      ) {
        throw new RulesetConfigError(
          key,
          `'entity', 'files' and 'content' declare new checks; '${id}' is a built-in check and cannot take them`,
        );
      }
      overrides.set(id, { key, config: checkConfig });
    }
  }

  const checks: RulesetCheck[] = [];
  const optionsById = new Map<string, unknown>();
  for (const configured of implementations.values()) {
    const override = overrides.get(configured.id)?.config ?? {};
    const key = `${root}.checks.${configured.id}`;
    if (override.enabled === false) {
      continue;
    }
    const implementation = withOptions(configured, override.options, key);
    if (override.options !== undefined) {
      optionsById.set(configured.id, override.options);
    }
    const appliesTo = override.appliesTo
      ? parsePredicate(override.appliesTo, `${key}.appliesTo`)
      : implementation.appliesTo ?? DEFAULT_APPLIES_TO;
    const weight = override.weight ?? implementation.weight ?? 1;
    const definition: CheckDefinition = {
      id: implementation.id,
      capability: implementation.capability,
      title: override.title ?? implementation.title,
      description: override.description ?? implementation.description,
      appliesTo,
      weight,
      evidence: implementation.evidence,
      remediation: {
        templateRef: defaultTemplateRef,
        values: { capabilities: [implementation.capability] },
        docsUrl: `${docsBaseUrl}#${implementation.id.replace(/\./g, '')}`,
        ...implementation.remediation,
        ...(override.remediation as JsonObject | undefined),
      },
    };
    checks.push({
      definition,
      implementation,
      appliesTo: entity => evaluateFilterPredicate(appliesTo, entity),
    });
  }

  const levels = validateLevels(
    (cfg.levels as LevelDefinition[] | undefined) ?? [...DEFAULT_LEVELS],
    `${root}.levels`,
  );

  const waivers: ConfiguredWaiver[] = (cfg.waivers ?? []).map((w, i) => {
    if (!implementations.has(w.check)) {
      throw new RulesetConfigError(
        `${root}.waivers.${i}.check`,
        `no such check '${w.check}'`,
      );
    }
    return {
      entityRef: w.entity.toLocaleLowerCase('en-US'),
      checkId: w.check,
      reason: w.reason,
      waivedBy: w.waivedBy,
      until: w.until,
      source: 'config',
    };
  });

  const allowEntityWaivers = cfg.allowEntityWaivers ?? true;
  const contentGlobs = [
    ...new Set(checks.flatMap(c => c.implementation.reads ?? [])),
  ];
  const kindLists = checks.map(c => kindsOf(c.definition.appliesTo));
  const kinds = kindLists.every(k => k !== undefined)
    ? [...new Set(kindLists.flat() as string[])].sort()
    : undefined;

  const rulesetHash = new Hasher()
    .update(
      stableStringify({
        checks: checks.map(c => ({
          id: c.definition.id,
          capability: c.definition.capability,
          weight: c.definition.weight,
          appliesTo: c.definition.appliesTo,
          evidence: c.definition.evidence,
          reads: c.implementation.reads ?? [],
          version: c.implementation.version ?? '1',
          ...(optionsById.has(c.definition.id)
            ? { options: optionsById.get(c.definition.id) }
            : {}),
        })),
        levels,
        waivers,
        allowEntityWaivers,
        goldenPath,
      }),
    )
    .digest();

  return {
    rulesetHash,
    checks,
    levels,
    waivers,
    allowEntityWaivers,
    contentGlobs,
    kinds,
    // Called for every path of every repository tree read: a lookup by the path's keys rather
    // than a test of every glob.
    needsContent: pathMatcher(contentGlobs),
    isInScope: entity => checks.some(c => c.appliesTo(entity)),
  };
}
