import { isError } from '@backstage/errors';
import type {
  CheckStatus,
  Scorecard,
} from '@paved/plugin-platform-maturity-common';
import fs from 'node:fs/promises';
import path from 'node:path';
import { readUserFile } from './entities';
import { usageError } from './errors';
import { checkoutRevision } from './git';
import { scoreDirectory, type ScoreDirectoryOptions } from './score';

/**
 * The scorecard a run is compared with.
 *
 * @internal
 */
export interface Baseline {
  /** Where it came from: `<file>` or `<revision> (<short commit>)`. */
  source: string;
  /** Absent when there is nothing to compare with (the directory did not exist at the revision). */
  scorecard?: Scorecard;
  /** Why there is no scorecard. */
  reason?: string;
}

const STATUSES: ReadonlySet<CheckStatus> = new Set<CheckStatus>([
  'pass',
  'fail',
  'waived',
  'not-applicable',
  'unknown',
]);

function scorecardProblem(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return 'expected an object';
  }
  const card = value as Record<string, unknown>;
  if (!Array.isArray(card.results)) {
    return "'results' is missing";
  }
  for (const [i, result] of card.results.entries()) {
    const r = result as Record<string, unknown> | null;
    if (
      !r ||
      typeof r.checkId !== 'string' ||
      typeof r.capability !== 'string'
    ) {
      return `results[${i}] has no checkId or capability`;
    }
    if (!STATUSES.has(r.status as CheckStatus)) {
      return `results[${i}].status '${String(r.status)}' is not a check status`;
    }
  }
  if (card.score !== null && typeof card.score !== 'number') {
    return "'score' must be a number or null";
  }
  const level = card.level as Record<string, unknown> | null | undefined;
  if (
    level !== null &&
    (typeof level !== 'object' ||
      typeof level.level !== 'number' ||
      typeof level.name !== 'string')
  ) {
    return "'level' must be { level, name } or null";
  }
  if (typeof card.inScope !== 'boolean') {
    return "'inScope' is missing";
  }
  return undefined;
}

/**
 * Reads a baseline scorecard from a JSON file: the output of `paved score --format json`, the
 * backend's `GET /v1/scorecards/:kind/:namespace/:name` answer, or a bare scorecard.
 *
 * @internal
 */
export async function readBaselineFile(file: string): Promise<Baseline> {
  const text = await readUserFile(file, '--baseline');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw usageError(
      '--baseline',
      `${file} is not valid JSON (${(error as Error).message})`,
    );
  }
  const candidate =
    json && typeof json === 'object' && 'scorecard' in json
      ? (json as { scorecard: unknown }).scorecard
      : json;
  const problem = scorecardProblem(candidate);
  if (problem) {
    throw usageError(
      '--baseline',
      `${file} is not a scorecard (${problem}); give the JSON output of an earlier 'paved score --format json'`,
    );
  }
  return { source: file, scorecard: candidate as Scorecard };
}

/**
 * Scores the same directory as it was at a git revision, with the same ruleset and catalog, so
 * that the comparison shows what the change did.
 *
 * @internal
 */
export async function scoreRevision(
  options: ScoreDirectoryOptions & { revision: string },
): Promise<Baseline> {
  const { revision, directory, entityFile } = options;
  const checkout = await checkoutRevision(directory, revision);
  const source = `${revision} (${checkout.commit.slice(0, 12)})`;
  try {
    if (!checkout.directory) {
      return {
        source,
        reason: `${directory} did not exist at ${revision}`,
      };
    }
    let baselineEntityFile: string | undefined;
    if (entityFile) {
      const content = await checkout.readFile(entityFile);
      if (content === null) {
        baselineEntityFile = entityFile; // outside the repository: the same file
      } else if (content === undefined) {
        return {
          source,
          reason: `${entityFile} did not exist at ${revision}`,
        };
      } else {
        baselineEntityFile = path.join(
          path.dirname(path.dirname(checkout.directory)),
          `entity-${path.basename(entityFile)}`,
        );
        await fs.writeFile(baselineEntityFile, content, 'utf8');
      }
    }
    const scored = await scoreDirectory({
      ...options,
      directory: checkout.directory,
      entityFile: baselineEntityFile,
    });
    return { source, scorecard: scored.scorecard };
  } catch (error) {
    if (isError(error) && error.name === 'InputError') {
      throw usageError('--baseline-ref', `at ${revision}, ${error.message}`);
    }
    throw error;
  } finally {
    await checkout.cleanup();
  }
}
