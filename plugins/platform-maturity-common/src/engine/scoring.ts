import { CAPABILITY_IDS } from '../capabilities';
import type {
  CapabilityId,
  CapabilityScore,
  CheckResult,
  LevelDefinition,
  LevelResult,
  NextLevel,
  ScorecardCoverage,
} from '../types';

/**
 * The one rounding rule for scores and shares of 0–100 wherever they are shown or stored (card,
 * table, CSV, rollups): one decimal, halves rounded up.
 *
 * @public
 */
export function roundScore(value: number): number {
  return Math.round(value * 10) / 10;
}

/**
 * Scores each capability from its check results: passed weight / applicable weight, where waived
 * counts as passed and not-applicable and unknown results are left out.
 *
 * @public
 */
export function scoreCapabilities(
  results: readonly CheckResult[],
  weightOf: (checkId: string) => number,
): CapabilityScore[] {
  return CAPABILITY_IDS.map(capability => {
    let passed = 0;
    let failed = 0;
    let unknown = 0;
    let seen = false;
    for (const result of results) {
      if (result.capability !== capability) {
        continue;
      }
      seen = true;
      const weight = weightOf(result.checkId);
      if (result.status === 'pass' || result.status === 'waived') {
        passed += weight;
      } else if (result.status === 'fail') {
        failed += weight;
      } else if (result.status === 'unknown') {
        unknown += weight;
      }
    }
    const applicable = passed + failed;
    let status: CapabilityScore['status'];
    if (!seen || (applicable === 0 && unknown === 0)) {
      status = 'not-applicable';
    } else if (applicable === 0 || (failed === 0 && unknown > 0)) {
      // Nothing failed but not everything could be read: neither complete nor partly met.
      status = 'unknown';
    } else if (failed === 0) {
      status = 'complete';
    } else if (passed > 0) {
      status = 'partial';
    } else {
      status = 'missing';
    }
    return {
      capability,
      status,
      score: applicable > 0 ? roundScore((passed / applicable) * 100) : null,
      passedWeight: passed,
      applicableWeight: applicable,
      unknownWeight: unknown,
    };
  });
}

/**
 * The overall score: the mean of the scored capabilities, 0–100, or null when none is scored.
 *
 * @public
 */
export function overallScore(
  capabilities: readonly CapabilityScore[],
): number | null {
  let sum = 0;
  let count = 0;
  for (const c of capabilities) {
    if (c.applicableWeight > 0) {
      sum += c.passedWeight / c.applicableWeight;
      count++;
    }
  }
  return count === 0 ? null : roundScore((sum / count) * 100);
}

/**
 * How much of the applicable checklist could be decided: per capability that applies, the share
 * of its weight whose evidence could be read, and their mean (as the overall score is the mean
 * of the capability scores). `null` when no capability applies.
 *
 * @public
 */
export function scoreCoverage(
  capabilities: readonly CapabilityScore[],
): ScorecardCoverage | null {
  let sum = 0;
  let applicable = 0;
  let checked = 0;
  for (const c of capabilities) {
    const total = c.applicableWeight + c.unknownWeight;
    if (total > 0) {
      applicable++;
      sum += c.applicableWeight / total;
      if (c.unknownWeight === 0) {
        checked++;
      }
    }
  }
  return applicable === 0
    ? null
    : {
        share: roundScore((sum / applicable) * 100),
        checkedCapabilities: checked,
        applicableCapabilities: applicable,
      };
}

/**
 * Walks up the level ladder: a level is reached when every capability it requires is complete or
 * not applicable, the overall score meets its minimum, and every level below it is reached. The
 * bottom rung is always reached.
 *
 * @public
 */
export function computeLevel(
  levels: readonly LevelDefinition[],
  capabilities: readonly CapabilityScore[],
  score: number | null,
): { level: LevelResult; nextLevel?: NextLevel } {
  let reached = levels[0];
  for (let r = 1; r < levels.length; r++) {
    const rung = levels[r];
    const missingCapabilities: CapabilityId[] = [];
    for (const capability of rung.requires) {
      if (!isSatisfied(capabilities, capability)) {
        missingCapabilities.push(capability);
      }
    }
    const scoreShort =
      rung.minScore !== undefined && (score ?? 0) < rung.minScore;
    if (missingCapabilities.length > 0 || scoreShort) {
      // Two literals rather than a conditional spread; the keys are in the same order either way.
      const nextLevel: NextLevel = scoreShort
        ? {
            level: rung.level,
            name: rung.name,
            missingCapabilities,
            minScore: rung.minScore,
          }
        : { level: rung.level, name: rung.name, missingCapabilities };
      return {
        level: { level: reached.level, name: reached.name },
        nextLevel,
      };
    }
    reached = rung;
  }
  return { level: { level: reached.level, name: reached.name } };
}

/** Whether a capability counts towards a level: complete, or not applicable. */
function isSatisfied(
  capabilities: readonly CapabilityScore[],
  capability: CapabilityId,
): boolean {
  for (const c of capabilities) {
    if (
      c.capability === capability &&
      (c.status === 'complete' || c.status === 'not-applicable')
    ) {
      return true;
    }
  }
  return false;
}
