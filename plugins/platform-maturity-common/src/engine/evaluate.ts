import type { Entity } from '@backstage/catalog-model';
import type { Ruleset } from '../ruleset/compileRuleset';
import type {
  CheckResult,
  EvaluationContext,
  RepositorySnapshot,
  Scorecard,
  ScorecardNotice,
  Waiver,
} from '../types';
import type { CheckOutcome } from './checkTypes';
import { Hasher } from './hash';
import { RepositoryAccess } from './repository';
import { computeLevel, overallScore, scoreCapabilities } from './scoring';
import { collectWaivers } from './waivers';

const NO_READS: readonly string[] = [];
const OUTCOME_STATUSES = new Set(['pass', 'fail', 'not-applicable', 'unknown']);
/** Read only: results copy its fields. */
const NOT_APPLICABLE: CheckOutcome = {
  status: 'not-applicable',
  message: 'The check does not apply to this entity.',
};

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

function entityForDigest(entity: Entity): unknown {
  if (!entity || typeof entity !== 'object' || !entity.metadata) {
    return entity ?? null;
  }
  const {
    uid: _uid,
    etag: _etag,
    generation: _generation,
    ...metadata
  } = entity.metadata as Entity['metadata'] & { generation?: number };
  return { ...entity, metadata };
}

/**
 * Scores one entity against a ruleset. Pure and deterministic: the result depends only on the
 * ruleset and the context (entity, repository snapshot, catalog lookup, time). It never throws for
 * a malformed entity or a failing check; those give `unknown` or `fail` results with messages.
 *
 * @public
 */
export function evaluate(
  ruleset: Ruleset,
  context: EvaluationContext,
): Scorecard {
  const { entity, catalog, now } = context;
  const entityRef = safeEntityRef(entity);
  const repository = context.repository
    ? new RepositoryAccess(sortedSnapshot(context.repository))
    : undefined;
  const notices: ScorecardNotice[] = [];
  const checks = ruleset.checks;

  // Most checks share a predicate (the default one), so each distinct predicate is tested once.
  const predicates: unknown[] = [];
  const predicateResults: boolean[] = [];
  const applicable: boolean[] = [];
  let inScope = false;
  for (const check of checks) {
    const predicate = check.definition.appliesTo;
    const seen = predicates.indexOf(predicate);
    let result: boolean;
    if (seen === -1) {
      try {
        result = check.appliesTo(entity);
      } catch {
        result = false;
      }
      predicates.push(predicate);
      predicateResults.push(result);
    } else {
      result = predicateResults[seen];
    }
    applicable.push(result);
    inScope ||= result;
  }

  const waivers = inScope
    ? collectWaivers(ruleset, entity, entityRef, now, notices)
    : new Map<string, Waiver>();

  const results: CheckResult[] = [];
  for (let i = 0; inScope && i < checks.length; i++) {
    const { definition, implementation } = checks[i];
    let outcome: CheckOutcome;
    if (!applicable[i]) {
      outcome = NOT_APPLICABLE;
    } else {
      try {
        outcome = normaliseOutcome(
          implementation.evaluate({
            entity,
            repository: repository?.viewFor(implementation.reads ?? NO_READS),
            catalog,
            now,
          }),
        );
      } catch (error) {
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
    const result: CheckResult = {
      checkId: definition.id,
      capability: definition.capability,
      status: outcome.status,
      message: outcome.message,
      evidence: outcome.evidence ?? [],
    };
    const waiver = waivers.get(definition.id);
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

  // A scan rather than a map of the few checks; the last check with an id decides, as in a map.
  const capabilities = scoreCapabilities(results, id => {
    for (let i = checks.length - 1; i >= 0; i--) {
      if (checks[i].definition.id === id) {
        return checks[i].definition.weight ?? 1;
      }
    }
    return 1;
  });
  const score = inScope ? overallScore(capabilities) : null;
  const ladder = inScope
    ? computeLevel(ruleset.levels, capabilities, score)
    : undefined;

  const digest = new Hasher().updateValue(entityForDigest(entity));
  if (repository) {
    for (const pathHash of repository.index.pathHashes()) {
      digest.updateInt(pathHash);
    }
    for (const [path, content] of repository.readFiles()) {
      digest.update(path).update(content ?? '\u0000');
    }
  }

  return {
    entityRef,
    evaluatedAt: isoString(now),
    inScope,
    score,
    level: ladder?.level ?? null,
    ...(ladder?.nextLevel ? { nextLevel: ladder.nextLevel } : {}),
    capabilities,
    results,
    notices,
    rulesetHash: ruleset.rulesetHash,
    evidenceDigest: digest.digest(),
  };
}
