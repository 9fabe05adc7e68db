import {
  FilterPredicate,
  evaluateFilterPredicate,
} from '@backstage/filter-predicates';
import { checkSync, Diagnostics } from 'recheck';
import type { CheckImplementation } from '../engine/checkTypes';
import { stableStringify } from '../engine/hash';
import type { CapabilityId } from '../types';
import { RulesetConfigError } from './errors';

/** How long the analysis of one pattern may take before the pattern is refused. */
const PATTERN_ANALYSIS_TIMEOUT_MS = 10_000;
/**
 * The smallest polynomial degree refused. Every unanchored search is quadratic in theory, and
 * refusing that would refuse ordinary patterns such as `image:\s*\S+`; cubic and worse take
 * minutes on one long line.
 */
const REFUSED_POLYNOMIAL_DEGREE = 3;
const analyses = new Map<string, Diagnostics>();

/**
 * Why a content pattern could make a search take minutes on one file, or undefined. The analysis
 * (recheck, over the `m` flag the search uses) is static: the pattern never runs here. See
 * docs/architecture.md, "Configured checks".
 */
function backtrackingProblem(source: string): string | undefined {
  let diagnostics = analyses.get(source);
  if (!diagnostics) {
    diagnostics = checkSync(source, 'm', {
      timeout: PATTERN_ANALYSIS_TIMEOUT_MS,
    });
    analyses.set(source, diagnostics);
  }
  if (diagnostics.status === 'safe') {
    return undefined;
  }
  if (diagnostics.status === 'unknown') {
    const { error } = diagnostics;
    return `could not be shown safe from catastrophic backtracking (${
      'message' in error ? error.message : error.kind
    }); simplify it`;
  }
  const { complexity, attack } = diagnostics;
  if (
    complexity.type === 'polynomial' &&
    complexity.degree < REFUSED_POLYNOMIAL_DEGREE
  ) {
    return undefined;
  }
  return `backtracks catastrophically (${
    complexity.summary
  } time on input such as ${attack.pattern.slice(
    0,
    80,
  )}); rewrite it without nested or overlapping repetition such as (a+)+ or (a|a)*`;
}

/**
 * A check declared in configuration, without code: the entity must match a predicate and/or a
 * repository file must match globs (and, optionally, its content a regular expression).
 */
export function configuredCheck(options: {
  id: string;
  capability: CapabilityId;
  title: string;
  description: string;
  entity?: FilterPredicate;
  files?: string[];
  content?: string;
  key: string;
}): CheckImplementation {
  const { entity, files, content, key } = options;
  let pattern: RegExp | undefined;
  if (content !== undefined) {
    if (!files) {
      throw new RulesetConfigError(
        `${key}.content`,
        `needs 'files': the globs of the files whose content must match`,
      );
    }
    try {
      pattern = new RegExp(content, 'm');
    } catch (error) {
      throw new RulesetConfigError(
        `${key}.content`,
        `not a valid regular expression: ${(error as Error).message}`,
      );
    }
    const problem = backtrackingProblem(content);
    if (problem) {
      throw new RulesetConfigError(`${key}.content`, problem);
    }
  }
  return {
    id: options.id,
    capability: options.capability,
    title: options.title,
    description: options.description,
    evidence: files ? 'entity+repository' : 'entity',
    reads: pattern && files ? files : [],
    version: stableStringify({ entity, files, content }),
    evaluate({ entity: subject, repository }) {
      if (entity && !evaluateFilterPredicate(entity, subject)) {
        return {
          status: 'fail',
          message: `The entity does not match ${JSON.stringify(entity)}.`,
        };
      }
      const evidence = entity
        ? [
            {
              type: 'field' as const,
              ref: 'entity',
              detail: 'matches the predicate',
            },
          ]
        : [];
      if (!files) {
        return { status: 'pass', message: 'The entity matches.', evidence };
      }
      if (!repository) {
        return {
          status: 'unknown',
          message: 'The repository could not be read.',
        };
      }
      const found = repository.find(files);
      if (found.length === 0) {
        return {
          status: 'fail',
          message: `No file matches ${files.join(', ')}.`,
        };
      }
      if (!pattern) {
        return {
          status: 'pass',
          message: `Found ${found[0]}.`,
          evidence: [
            ...evidence,
            ...found.slice(0, 5).map(ref => ({ type: 'file' as const, ref })),
          ],
        };
      }
      const match = repository.search(files, pattern);
      if (!match) {
        return {
          status: 'fail',
          message: `No file matching ${files.join(
            ', ',
          )} contains /${content}/.`,
        };
      }
      return {
        status: 'pass',
        message: `${match.path} matches.`,
        evidence: [
          ...evidence,
          {
            type: 'file',
            ref: match.path,
            line: match.line,
            detail: match.text,
          },
        ],
      };
    },
  };
}
