import {
  FilterPredicate,
  evaluateFilterPredicate,
} from '@backstage/filter-predicates';
import type { CheckImplementation } from '../engine/checkTypes';
import { stableStringify } from '../engine/hash';
import type { CapabilityId } from '../types';
import { RulesetConfigError } from './errors';

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
