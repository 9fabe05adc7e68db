import { appendFileSync } from 'node:fs';

/**
 * One family of hostile cases and how the system under test answered them: safely (a clear error,
 * `unknown`, a refusal) or unsafely (a leak, a hang, a crash, a wrong verdict).
 */
export interface ReliabilityFigures {
  area: string;
  tried: number;
  failedSafe: number;
  failedUnsafe: number;
}

/**
 * Records the figures of a reliability test for `npm run test:reliability`, which sets
 * `PAVED_RELIABILITY_REPORT` to a file and prints the table when every test has run.
 */
export function recordReliability(figures: ReliabilityFigures): void {
  const file = process.env.PAVED_RELIABILITY_REPORT;
  if (file) {
    appendFileSync(file, `${JSON.stringify(figures)}\n`);
  }
}
