import type { Entity } from '@backstage/catalog-model';
import type {
  CheckOutcome,
  FileMatch,
  RepositoryView,
} from '../engine/checkTypes';
import type { Evidence, NearMiss } from '../types';

/** A passing outcome. */
export function pass(message: string, evidence: Evidence[] = []): CheckOutcome {
  return { status: 'pass', message, evidence };
}

/** A failing outcome, with the near-misses the check rejected when it found any. */
export function fail(
  message: string,
  evidence: Evidence[] = [],
  nearMisses: NearMiss[] = [],
): CheckOutcome {
  return nearMisses.length > 0
    ? { status: 'fail', message, evidence, nearMisses }
    : { status: 'fail', message, evidence };
}

/** A near-miss at a matched line of a file. */
export function nearMissAt(match: FileMatch, reason: string): NearMiss {
  return {
    type: 'file',
    ref: match.path,
    line: match.line,
    detail: match.text,
    reason,
  };
}

/** A near-miss of a whole file. */
export function nearMissFile(ref: string, reason: string): NearMiss {
  return { type: 'file', ref, reason };
}

/**
 * The near-misses as one sentence for a message: `path:line (reason)`, the first few of them.
 */
export function describeNearMisses(nearMisses: readonly NearMiss[]): string {
  const shown = nearMisses
    .slice(0, 3)
    .map(n =>
      n.type === 'annotation'
        ? `the ${n.ref} annotation ${n.reason}`
        : `${n.ref}${n.line ? `:${n.line}` : ''} ${n.reason}`,
    );
  const more = nearMisses.length - shown.length;
  return `${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
}

/** A not-applicable outcome. */
export function notApplicable(
  message: string,
  evidence: Evidence[] = [],
): CheckOutcome {
  return { status: 'not-applicable', message, evidence };
}

/** The outcome when the repository is needed but could not be read. */
export function repositoryUnavailable(lookedFor: string): CheckOutcome {
  return {
    status: 'unknown',
    message: `Could not check: the repository could not be read, and the catalog entry does not show ${lookedFor}.`,
  };
}

/** Evidence for a file. */
export function fileEvidence(ref: string, detail?: string): Evidence {
  return detail ? { type: 'file', ref, detail } : { type: 'file', ref };
}

/** Evidence for a matched line of a file. */
export function matchEvidence(match: FileMatch): Evidence {
  return {
    type: 'file',
    ref: match.path,
    line: match.line,
    detail: match.text,
  };
}

/** The entity's annotations, tolerating a malformed entity. */
export function annotations(entity: Entity): Record<string, string> {
  const value = entity?.metadata?.annotations;
  return value && typeof value === 'object' ? value : {};
}

const propertyIsEnumerable = Object.prototype.propertyIsEnumerable;

/**
 * The first annotation present (non-empty) among the keys or key prefixes given. A key ending in
 * `/` or `.` is a prefix.
 */
export function findAnnotation(
  entity: Entity,
  keys: readonly string[],
): { key: string; value: string } | undefined {
  const all = annotations(entity);
  let names: string[] | undefined;
  for (const key of keys) {
    if (key.endsWith('/') || key.endsWith('.')) {
      names ??= Object.keys(all);
      for (const name of names) {
        const value = all[name];
        if (typeof value === 'string' && value.trim() && name.startsWith(key)) {
          return { key: name, value };
        }
      }
    } else if (propertyIsEnumerable.call(all, key)) {
      const value = all[key];
      if (typeof value === 'string' && value.trim()) {
        return { key, value };
      }
    }
  }
  return undefined;
}

/** Evidence for an annotation. */
export function annotationEvidence(key: string, value: string): Evidence {
  return { type: 'annotation', ref: key, detail: value.slice(0, 160) };
}

/** A spec field of the entity, tolerating a malformed entity. */
export function specField(entity: Entity, field: string): unknown {
  const spec = entity?.spec;
  return spec && typeof spec === 'object'
    ? (spec as Record<string, unknown>)[field]
    : undefined;
}

const combinedPatterns = new WeakMap<readonly RegExp[], RegExp[]>();

/**
 * The patterns joined into one alternation per set of flags, so that a file is scanned once
 * rather than once per pattern. Cached by the identity of the (constant) pattern list.
 */
function combine(patterns: readonly RegExp[]): RegExp[] {
  let combined = combinedPatterns.get(patterns);
  if (!combined) {
    const byFlags = new Map<string, string[]>();
    for (const pattern of patterns) {
      const flags = pattern.flags.replace(/[gy]/g, '');
      byFlags.set(flags, [
        ...(byFlags.get(flags) ?? []),
        `(?:${pattern.source})`,
      ]);
    }
    combined = [...byFlags].map(
      ([flags, sources]) => new RegExp(sources.join('|'), flags),
    );
    combinedPatterns.set(patterns, combined);
  }
  return combined;
}

/** The first match of any of the patterns in the files matching the globs. */
export function searchAny(
  repository: RepositoryView,
  globs: readonly string[],
  patterns: readonly RegExp[],
): FileMatch | undefined {
  for (const pattern of combine(patterns)) {
    const match = repository.search(globs, pattern);
    if (match) {
      return match;
    }
  }
  return undefined;
}

/** Lists up to `max` paths for a message. */
export function listPaths(paths: readonly string[], max = 3): string {
  const shown = paths.slice(0, max).join(', ');
  return paths.length > max ? `${shown} and ${paths.length - max} more` : shown;
}

/** The near-misses as a sentence to end a failing message with, or nothing when there are none. */
export function rejectedNote(nearMisses: readonly NearMiss[]): string {
  return nearMisses.length > 0
    ? ` Rejected: ${describeNearMisses(nearMisses)}.`
    : '';
}

/**
 * A commented-out line of the files that matches one of the patterns, as a near-miss: it is never
 * evidence, but the owner may think it is. Asked only on a failing path.
 */
export function commentedOut(
  repository: RepositoryView,
  globs: readonly string[],
  patterns: readonly RegExp[],
  reason: string,
): NearMiss[] {
  const match = repository.searchCommentedOut?.(globs, patterns);
  return match ? [nearMissAt(match, reason)] : [];
}
