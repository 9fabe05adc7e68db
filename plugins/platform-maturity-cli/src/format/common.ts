import {
  CAPABILITIES,
  type CapabilityScore,
  type CheckResult,
  type Evidence,
} from '@paved/plugin-platform-maturity-common';
import type { ScorecardDiff } from '../lib/diff';

/**
 * The title of a capability.
 *
 * @internal
 */
export function capabilityTitle(id: string): string {
  return CAPABILITIES.find(c => c.id === id)?.title ?? id;
}

/**
 * One line for a piece of evidence: `path:line (detail)` for files, `<type> <ref> (detail)` else.
 *
 * @internal
 */
export function describeEvidence(evidence: Evidence): string {
  const where =
    evidence.type === 'file'
      ? `${evidence.ref}${evidence.line ? `:${evidence.line}` : ''}`
      : `${evidence.type} ${evidence.ref}`;
  return evidence.detail ? `${where} (${evidence.detail})` : where;
}

/**
 * `passed/applicable` counts of a capability's checks (waived counts as passed).
 *
 * @internal
 */
export function checkCounts(
  capability: CapabilityScore,
  results: readonly CheckResult[],
): { passed: number; applicable: number } {
  const own = results.filter(
    r =>
      r.capability === capability.capability && r.status !== 'not-applicable',
  );
  return {
    passed: own.filter(r => r.status === 'pass' || r.status === 'waived')
      .length,
    applicable: own.length,
  };
}

/**
 * A score as `72.5`, or `–` when there is none.
 *
 * @internal
 */
export function formatScore(score: number | null | undefined): string {
  return score === null || score === undefined ? '–' : String(score);
}

/**
 * A signed change, `+12.5` or `-3`, or `±0`.
 *
 * @internal
 */
export function formatChange(change: number): string {
  if (change === 0) {
    return '±0';
  }
  return change > 0 ? `+${change}` : String(change);
}

/**
 * One sentence on how the score and level moved since the baseline.
 *
 * @internal
 */
export function describeMovement(diff: ScorecardDiff): string {
  const { score, level } = diff;
  const parts: string[] = [];
  if (score.change !== null) {
    parts.push(
      `score ${formatScore(score.before)} → ${formatScore(
        score.after,
      )} (${formatChange(score.change)})`,
    );
  } else {
    parts.push(
      `score ${formatScore(score.before)} → ${formatScore(score.after)}`,
    );
  }
  const name = (l: typeof level.before) =>
    l ? `${l.level} ${l.name}` : 'none';
  parts.push(
    level.before?.level === level.after?.level
      ? `level unchanged (${name(level.after)})`
      : `level ${name(level.before)} → ${name(level.after)}`,
  );
  return parts.join(', ');
}
