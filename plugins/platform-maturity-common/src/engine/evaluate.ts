import type { Entity } from '@backstage/catalog-model';
import type { Ruleset, RulesetCheck } from '../ruleset/compileRuleset';
import type {
  CheckResult,
  EvaluationContext,
  RepositorySnapshot,
  Scorecard,
  ScorecardNotice,
} from '../types';
import {
  MAX_NEAR_MISSES,
  type CheckContext,
  type CheckOutcome,
} from './checkTypes';
import { GlobList, globList } from './globs';
import { Hasher, sortStrings } from './hash';
import { OverBudgetError, RepositoryAccess } from './repository';
import {
  computeLevel,
  overallScore,
  scoreCapabilities,
  scoreCoverage,
} from './scoring';
import { collectWaivers } from './waivers';

const NO_READS: readonly string[] = [];

/** What evaluation needs of a ruleset beyond its checks, worked out once per ruleset. */
interface RulesetPlan {
  checks: readonly RulesetCheck[];
  /** By check: the first check with the same `appliesTo` predicate, whose test decides both. */
  predicateOwner: number[];
  /** Weights by check id; the last check with an id decides, as in a map. */
  weights: Map<string, number>;
  /** By check: the globs of the files it reads, compiled. */
  reads: GlobList[];
}

const plans = new WeakMap<Ruleset, RulesetPlan>();

function planOf(ruleset: Ruleset): RulesetPlan {
  let plan = plans.get(ruleset);
  if (!plan || plan.checks !== ruleset.checks) {
    const checks = ruleset.checks;
    const predicates = checks.map(c => c.definition.appliesTo);
    plan = {
      checks,
      predicateOwner: predicates.map(p => predicates.indexOf(p)),
      weights: new Map(
        checks.map(c => [c.definition.id, c.definition.weight ?? 1]),
      ),
      reads: checks.map(c => globList(c.implementation.reads ?? NO_READS)),
    };
    plans.set(ruleset, plan);
  }
  return plan;
}

const OUTCOME_STATUSES = new Set(['pass', 'fail', 'not-applicable', 'unknown']);
/** Read only: results copy its fields. */
const NOT_APPLICABLE: CheckOutcome = {
  status: 'not-applicable',
  message: 'The check does not apply to this entity.',
};

/**
 * The default time budget of one entity's checks, in milliseconds. An entity takes tens of
 * microseconds, and one with a repository of 100,000 files (the directory reader's cap) tens of
 * milliseconds once warm, many times that on a loaded machine; the budget is a backstop that
 * bounds how long a check that never ends, such as an adopter's code check that loops, holds the
 * run, without calling a large repository unknown.
 *
 * @public
 */
export const DEFAULT_TIME_BUDGET_MS = 5_000;

/**
 * Options of {@link evaluate}.
 *
 * @public
 */
export interface EvaluateOptions {
  /**
   * How long the entity's checks may take, in milliseconds (default
   * {@link DEFAULT_TIME_BUDGET_MS}). Past it, the checks not yet run, and a repository search
   * under way, are `unknown` with a message saying so.
   */
  timeBudgetMs?: number;
}

/** `now.toISOString()`, remembered for the last time seen: a batch evaluates at one time. */
let lastTime: number | undefined;
let lastIso = '';

function isoString(now: Date): string {
  const time = now.getTime();
  if (time !== lastTime) {
    // Throws for an invalid date before anything is remembered, as toISOString does.
    lastIso = now.toISOString();
    lastTime = time;
  }
  return lastIso;
}

/** The entity's ref, tolerating a malformed entity. */
export function safeEntityRef(entity: Entity): string {
  const kind = typeof entity?.kind === 'string' ? entity.kind : 'unknown';
  const metadata = (entity?.metadata ?? {}) as Partial<Entity['metadata']>;
  const namespace =
    typeof metadata.namespace === 'string' ? metadata.namespace : 'default';
  const name = typeof metadata.name === 'string' ? metadata.name : '<unnamed>';
  // toLowerCase is locale-independent, as entity refs need.
  return `${kind}:${namespace}/${name}`.toLowerCase();
}

function sortedSnapshot(snapshot: RepositorySnapshot): RepositorySnapshot {
  const paths = Array.isArray(snapshot.paths) ? snapshot.paths : [];
  for (let i = 1; i < paths.length; i++) {
    if (paths[i - 1] > paths[i]) {
      return {
        paths: paths.filter(p => typeof p === 'string').sort(),
        read: p => snapshot.read(p),
      };
    }
  }
  return snapshot;
}

function normaliseOutcome(outcome: CheckOutcome): CheckOutcome {
  if (
    !outcome ||
    !OUTCOME_STATUSES.has(outcome.status) ||
    typeof outcome.message !== 'string'
  ) {
    return {
      status: 'unknown',
      message: 'The check returned an invalid outcome.',
    };
  }
  return outcome;
}

/** Metadata that the catalog changes without the entity changing. */
const VOLATILE_METADATA: ReadonlySet<string> = new Set([
  'uid',
  'etag',
  'generation',
]);

/**
 * What the catalog adds to an entity it ingests: top-level keys, and annotations naming where it
 * was read from. The digest is of the entity as declared in its file, so that the backend (which
 * scores the catalog's copy), the command-line scorer and the verify step (which read the file)
 * give the same digest for the same entity and files.
 */
const CATALOG_ADDED_KEYS: ReadonlySet<string> = new Set([
  'relations',
  'status',
]);
const CATALOG_ADDED_ANNOTATIONS: ReadonlySet<string> = new Set([
  'backstage.io/managed-by-location',
  'backstage.io/managed-by-origin-location',
]);

/**
 * Mixes the entity into the digest as declared: without its volatile metadata and what the
 * catalog adds, with the namespace the catalog would give it (`default`).
 */
function hashEntity(hasher: Hasher, entity: Entity): void {
  const metadata: unknown = entity?.metadata;
  if (!entity || typeof entity !== 'object' || !metadata) {
    hasher.updateValue(entity ?? null);
    return;
  }
  const record = entity as unknown as Record<string, unknown>;
  hasher.update('\u0001{');
  for (const key of sortStrings(Object.keys(record))) {
    if (record[key] === undefined || CATALOG_ADDED_KEYS.has(key)) {
      continue;
    }
    hasher.update(key);
    if (key === 'metadata' && typeof metadata === 'object') {
      hashMetadata(hasher, metadata as Record<string, unknown>);
    } else {
      hasher.updateValue(record[key]);
    }
  }
  hasher.update('\u0001}');
}

function hashMetadata(hasher: Hasher, metadata: Record<string, unknown>): void {
  const keys = Object.keys(metadata);
  if (!keys.includes('namespace')) {
    keys.push('namespace');
  }
  hasher.update('\u0001{');
  for (const key of sortStrings(keys)) {
    const value =
      key === 'namespace' ? metadata.namespace ?? 'default' : metadata[key];
    if (value === undefined || VOLATILE_METADATA.has(key)) {
      continue;
    }
    if (key === 'annotations' && value !== null && typeof value === 'object') {
      const annotations = value as Record<string, unknown>;
      const declared = Object.keys(annotations).some(
        k => annotations[k] !== undefined && !CATALOG_ADDED_ANNOTATIONS.has(k),
      );
      if (declared) {
        hasher.update(key).updateObject(annotations, CATALOG_ADDED_ANNOTATIONS);
      }
      continue;
    }
    hasher.update(key).updateValue(value);
  }
  hasher.update('\u0001}');
}

/** A fail among the files read, of a repository read only in part: what the rest could change. */
function partlyRead(outcome: CheckOutcome, filesRead: number): CheckOutcome {
  return {
    status: 'unknown',
    message: `The repository was only partly read: first ${filesRead} of more files. Among those: ${outcome.message}`,
    evidence: outcome.evidence,
    nearMisses: outcome.nearMisses,
  };
}

/**
 * Scores one entity against a ruleset. Deterministic within its time budget: the result depends
 * only on the ruleset and the context (entity, repository snapshot, catalog lookup, time). It
 * never throws for a malformed entity or a failing check; those give `unknown` or `fail` results
 * with messages. A repository snapshot marked `truncated` never gives a `fail` that its other
 * files could change: such results are `unknown`.
 *
 * @public
 */
export function evaluate(
  ruleset: Ruleset,
  context: EvaluationContext,
  options?: EvaluateOptions,
): Scorecard {
  const { entity, catalog, now } = context;
  const budgetMs = options?.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS;
  const entityRef = safeEntityRef(entity);
  const repository = context.repository
    ? new RepositoryAccess(sortedSnapshot(context.repository))
    : undefined;
  const notices: ScorecardNotice[] = [];
  const plan = planOf(ruleset);
  const checks = plan.checks;

  // Most checks share a predicate (the default one), so each distinct predicate is tested once.
  const applicable: boolean[] = [];
  let inScope = false;
  for (let i = 0; i < checks.length; i++) {
    const owner = plan.predicateOwner[i];
    let result: boolean;
    if (owner === i) {
      try {
        result = checks[i].appliesTo(entity);
      } catch {
        result = false;
      }
    } else {
      result = applicable[owner];
    }
    applicable.push(result);
    inScope ||= result;
  }

  const waivers = inScope
    ? collectWaivers(ruleset, entity, entityRef, now, notices)
    : undefined;

  const results: CheckResult[] = [];
  // One context for every check, its fields set again before each one, which a check cannot
  // keep past its synchronous call.
  const checkContext: CheckContext = {
    entity,
    repository: undefined,
    catalog,
    now,
  };
  const truncated = context.repository?.truncated === true;
  const filesRead = repository?.index.paths.length ?? 0;
  const started = performance.now();
  if (repository) {
    repository.deadline = started + budgetMs;
  }
  let overBudget: CheckOutcome | undefined;
  for (let i = 0; inScope && i < checks.length; i++) {
    const { definition, implementation } = checks[i];
    let outcome: CheckOutcome;
    if (!applicable[i]) {
      outcome = NOT_APPLICABLE;
    } else if (overBudget) {
      outcome = overBudget;
    } else {
      try {
        checkContext.entity = entity;
        checkContext.repository = repository?.viewFor(plan.reads[i]);
        checkContext.catalog = catalog;
        checkContext.now = now;
        outcome = normaliseOutcome(implementation.evaluate(checkContext));
      } catch (error) {
        if (error instanceof OverBudgetError) {
          outcome = { status: 'unknown', message: error.message };
        } else {
          const message = `The check could not run: ${
            (error as Error)?.message ?? String(error)
          }`;
          notices.push({
            type: 'check-error',
            checkId: definition.id,
            message,
          });
          outcome = { status: 'unknown', message };
        }
      }
      if (
        truncated &&
        outcome.status === 'fail' &&
        definition.evidence === 'entity+repository'
      ) {
        outcome = partlyRead(outcome, filesRead);
      }
      if (performance.now() - started > budgetMs) {
        const message = `Not evaluated: this entity's checks took longer than their time budget of ${budgetMs} ms.`;
        overBudget = { status: 'unknown', message };
        notices.push({ type: 'time-budget', checkId: definition.id, message });
      }
    }
    const result: CheckResult = {
      checkId: definition.id,
      capability: definition.capability,
      status: outcome.status,
      message: outcome.message,
      evidence: outcome.evidence ?? [],
    };
    if (outcome.nearMisses?.length && outcome.status !== 'pass') {
      result.nearMisses = outcome.nearMisses.slice(0, MAX_NEAR_MISSES);
    }
    const waiver = waivers?.get(definition.id);
    if (waiver) {
      if (result.status === 'fail' || result.status === 'unknown') {
        result.status = 'waived';
        result.message = `Waived until ${waiver.until}: ${waiver.reason} (${outcome.message})`;
        result.waiver = waiver;
      } else if (result.status === 'pass') {
        notices.push({
          type: 'waiver-unused',
          checkId: definition.id,
          message: `The waiver for ${definition.id} is no longer needed: the check passes.`,
        });
      }
    }
    results.push(result);
  }

  const capabilities = scoreCapabilities(
    results,
    id => plan.weights.get(id) ?? 1,
  );
  const score = inScope ? overallScore(capabilities) : null;
  const ladder = inScope
    ? computeLevel(ruleset.levels, capabilities, score)
    : undefined;

  const digest = new Hasher();
  hashEntity(digest, entity);
  if (repository) {
    repository.index.hashPaths(digest);
    repository.hashReads(digest);
  }

  const evaluatedAt = isoString(now);
  const level = ladder?.level ?? null;
  const evidenceDigest = digest.digest();
  if (inScope && !context.repository && context.repositoryProblem) {
    notices.push({
      type: 'repository-unreadable',
      message: context.repositoryProblem,
    });
  }
  if (truncated) {
    notices.push({
      type: 'repository-truncated',
      message: `The repository was only partly read: first ${filesRead} of more files. Checks that found nothing among them are unknown.`,
    });
  }
  // Two literals rather than a conditional spread, which V8 builds slowly; the keys are in the
  // same order either way.
  const card: Scorecard = ladder?.nextLevel
    ? {
        entityRef,
        evaluatedAt,
        inScope,
        score,
        level,
        nextLevel: ladder.nextLevel,
        capabilities,
        results,
        notices,
        rulesetHash: ruleset.rulesetHash,
        evidenceDigest,
      }
    : {
        entityRef,
        evaluatedAt,
        inScope,
        score,
        level,
        capabilities,
        results,
        notices,
        rulesetHash: ruleset.rulesetHash,
        evidenceDigest,
      };
  if (truncated) {
    card.partialRepository = { filesRead };
  }
  const coverage = inScope ? scoreCoverage(capabilities) : null;
  if (coverage) {
    card.coverage = coverage;
  }
  return card;
}
