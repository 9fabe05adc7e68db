import type { Evidence } from '@paved/plugin-platform-maturity-common';
import type { CorpusLabel } from './corpus';

/**
 * One label set against what the scorer said.
 *
 * @internal
 */
export interface Comparison {
  entryId: string;
  checkId: string;
  label: CorpusLabel;
  /** The scorer's status, or `missing` when it gave no result for the check. */
  scored: string;
  message: string;
  evidence: readonly Evidence[];
}

/**
 * Agreement, precision and recall of one check. Precision and recall treat `pass` as the
 * positive verdict: precision is the share of the scorer's passes that the labels call passes
 * (a wrong pass hides a gap), recall the share of labelled passes that the scorer finds (a wrong
 * fail teaches owners to ignore the card). Null when there is nothing to divide by.
 *
 * @internal
 */
export interface CheckMetrics {
  checkId: string;
  total: number;
  agreed: number;
  agreement: number | null;
  /** Scored pass, labelled pass. */
  truePasses: number;
  /** Scored pass, labelled otherwise. */
  falsePasses: number;
  /** Labelled pass, scored otherwise. */
  missedPasses: number;
  precision: number | null;
  recall: number | null;
  disagreements: Comparison[];
}

/** @internal */
export interface AccuracyReport {
  checks: CheckMetrics[];
  total: number;
  agreed: number;
  agreement: number | null;
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/**
 * The metrics of every check, in the order of `checkIds`, and overall.
 *
 * @internal
 */
export function computeMetrics(
  checkIds: readonly string[],
  comparisons: readonly Comparison[],
): AccuracyReport {
  const checks = checkIds.map(checkId => {
    const mine = comparisons.filter(c => c.checkId === checkId);
    const disagreements = mine.filter(c => c.scored !== c.label.status);
    const truePasses = mine.filter(
      c => c.scored === 'pass' && c.label.status === 'pass',
    ).length;
    const falsePasses = mine.filter(
      c => c.scored === 'pass' && c.label.status !== 'pass',
    ).length;
    const missedPasses = mine.filter(
      c => c.label.status === 'pass' && c.scored !== 'pass',
    ).length;
    const agreed = mine.length - disagreements.length;
    return {
      checkId,
      total: mine.length,
      agreed,
      agreement: ratio(agreed, mine.length),
      truePasses,
      falsePasses,
      missedPasses,
      precision: ratio(truePasses, truePasses + falsePasses),
      recall: ratio(truePasses, truePasses + missedPasses),
      disagreements,
    };
  });
  const total = checks.reduce((sum, c) => sum + c.total, 0);
  const agreed = checks.reduce((sum, c) => sum + c.agreed, 0);
  return { checks, total, agreed, agreement: ratio(agreed, total) };
}

/**
 * A ratio as a percentage with one decimal, or `n/a`.
 *
 * @internal
 */
export function percent(value: number | null): string {
  return value === null
    ? 'n/a'
    : `${(Math.round(value * 1000) / 10).toFixed(1)}%`;
}
