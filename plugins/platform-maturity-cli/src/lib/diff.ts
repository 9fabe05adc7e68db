import type {
  CapabilityId,
  CheckStatus,
  LevelDefinition,
  LevelResult,
  Scorecard,
} from '@paved/plugin-platform-maturity-common';
import type { Baseline } from './baseline';

/**
 * How one check's status moved between the baseline and this run; `absent` when the check had no
 * result on one side (a different ruleset, or an entity out of scope).
 *
 * @internal
 */
export interface CheckChange {
  checkId: string;
  capability: CapabilityId;
  before: CheckStatus | 'absent';
  after: CheckStatus | 'absent';
  /** This run's message for the check, or the baseline's when the check has no result now. */
  message: string;
}

/**
 * What changed between a baseline scorecard and this run.
 *
 * @internal
 */
export interface ScorecardDiff {
  baseline: {
    source: string;
    /** False when there was nothing to compare with; `reason` says why. */
    found: boolean;
    reason?: string;
    evaluatedAt?: string;
    /** Whether the baseline was scored with the same ruleset (same `rulesetHash`). */
    sameRuleset?: boolean;
  };
  score: { before: number | null; after: number | null; change: number | null };
  level: { before: LevelResult | null; after: LevelResult | null };
  /** Checks that pass (or are waived) now and did not before. */
  newlyPassing: CheckChange[];
  /** Checks that fail now and passed, were waived or did not apply before: what got worse. */
  newlyFailing: CheckChange[];
  /** Every other status change, for example to or from `unknown`. */
  otherChanges: CheckChange[];
}

const PASSING: ReadonlySet<string> = new Set(['pass', 'waived']);
/** A check that fails now after one of these got worse; after `unknown` or `absent` nobody knows. */
const WORSENED_FROM: ReadonlySet<string> = new Set([
  'pass',
  'waived',
  'not-applicable',
]);

/**
 * Compares this run's scorecard with a baseline.
 *
 * @internal
 */
export function diffScorecards(
  baseline: Baseline,
  current: Scorecard,
): ScorecardDiff {
  const before = baseline.scorecard;
  const diff: ScorecardDiff = {
    baseline: {
      source: baseline.source,
      found: before !== undefined,
      reason: baseline.reason,
      evaluatedAt: before?.evaluatedAt,
      sameRuleset: before
        ? before.rulesetHash === current.rulesetHash
        : undefined,
    },
    score: {
      before: before?.score ?? null,
      after: current.score,
      change:
        before && before.score !== null && current.score !== null
          ? Math.round((current.score - before.score) * 10) / 10
          : null,
    },
    level: { before: before?.level ?? null, after: current.level },
    newlyPassing: [],
    newlyFailing: [],
    otherChanges: [],
  };
  if (!before) {
    return diff;
  }

  const previous = new Map(before.results.map(r => [r.checkId, r]));
  const seen = new Set<string>();
  for (const result of current.results) {
    seen.add(result.checkId);
    const was = previous.get(result.checkId)?.status ?? 'absent';
    if (was === result.status) {
      continue;
    }
    const change: CheckChange = {
      checkId: result.checkId,
      capability: result.capability,
      before: was,
      after: result.status,
      message: result.message,
    };
    if (PASSING.has(result.status) && !PASSING.has(was) && was !== 'absent') {
      diff.newlyPassing.push(change);
    } else if (result.status === 'fail' && WORSENED_FROM.has(was)) {
      diff.newlyFailing.push(change);
    } else {
      diff.otherChanges.push(change);
    }
  }
  for (const result of before.results) {
    if (!seen.has(result.checkId)) {
      diff.otherChanges.push({
        checkId: result.checkId,
        capability: result.capability,
        before: result.status,
        after: 'absent',
        message: result.message,
      });
    }
  }
  return diff;
}

/**
 * The gates of a run and whether they passed.
 *
 * @internal
 */
export interface GateResult {
  /** `--min-level`, when given. */
  minLevel?: number;
  /** `--fail-on-regression`. */
  failOnRegression: boolean;
  passed: boolean;
  /** Why the gate failed, one sentence per failed gate. */
  failures: string[];
  /**
   * Present when no check applies to the entity (its kind or type is out of scope): it has no
   * score or level, so no gate judged it. `paved` then exits with code 3 unless
   * `--allow-out-of-scope`.
   */
  outOfScope?: string;
}

/**
 * Applies the gates: the level must reach `minLevel`, and with `failOnRegression` no check may
 * have got worse since the baseline.
 *
 * @internal
 */
export function evaluateGates(options: {
  scorecard: Scorecard;
  levels: readonly LevelDefinition[];
  minLevel?: number;
  failOnRegression: boolean;
  diff?: ScorecardDiff;
}): GateResult {
  const { scorecard, levels, minLevel, failOnRegression, diff } = options;
  const failures: string[] = [];
  if (minLevel !== undefined) {
    const required = levels.find(l => l.level === minLevel);
    const wanted = `level ${minLevel}${required ? ` (${required.name})` : ''}`;
    if (!scorecard.level) {
      failures.push(
        `${scorecard.entityRef} is out of scope (no check applies to it), so it has no level; --min-level asks for ${wanted}.`,
      );
    } else if (scorecard.level.level < minLevel) {
      failures.push(
        `Level ${scorecard.level.level} (${scorecard.level.name}) is below the required ${wanted}.`,
      );
    }
  }
  if (failOnRegression && diff && diff.newlyFailing.length > 0) {
    const n = diff.newlyFailing.length;
    failures.push(
      `${n} check${n === 1 ? '' : 's'} got worse since ${
        diff.baseline.source
      }: ${diff.newlyFailing.map(c => c.checkId).join(', ')}.`,
    );
  }
  return {
    minLevel,
    failOnRegression,
    passed: failures.length === 0,
    failures,
    ...(scorecard.inScope
      ? {}
      : {
          outOfScope: `${scorecard.entityRef} is out of scope: no check of the ruleset applies to it (its kind or spec.type), so it has no score or level and was not judged. Check its catalog entry, or pass --allow-out-of-scope if that is intended.`,
        }),
  };
}
