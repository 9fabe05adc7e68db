import type { Entity } from '@backstage/catalog-model';
import type { ZodType } from 'zod';
import type { FilterPredicate } from '@backstage/filter-predicates';
import type {
  CapabilityId,
  CatalogLookup,
  CheckStatus,
  Evidence,
  EvidenceSource,
  NearMiss,
  Remediation,
} from '../types';

/**
 * A line of a file that matched a search.
 *
 * @public
 */
export interface FileMatch {
  path: string;
  /** 1-based line number. */
  line: number;
  /** The matched line, trimmed and shortened. */
  text: string;
}

/**
 * The repository as one check sees it. Listing paths is free; reading content is limited to the
 * files the check declares in {@link CheckImplementation.reads}.
 *
 * @public
 */
export interface RepositoryView {
  /** Every file path of the repository. */
  readonly paths: readonly string[];
  /** The paths matching any of the globs, in repository order. */
  find(globs: string | readonly string[]): string[];
  /** Whether any path matches any of the globs. */
  has(globs: string | readonly string[]): boolean;
  /** The content of a file the check declared it reads; undefined when unreadable. */
  read(path: string): string | undefined;
  /** The first line, in the files matching the globs, that matches the pattern. */
  search(
    globs: string | readonly string[],
    pattern: RegExp,
  ): FileMatch | undefined;
  /**
   * The first line, in the files matching the globs, that matches the pattern only as written,
   * comments included: a commented-out line, which is never evidence, for a failing check to name
   * as a near-miss. Optional, for views that are not the engine's.
   */
  searchCommentedOut?(
    globs: string | readonly string[],
    patterns: readonly RegExp[],
  ): FileMatch | undefined;
}

/**
 * What a check implementation sees.
 *
 * @public
 */
export interface CheckContext {
  entity: Entity;
  /** Absent when the repository could not be read. */
  repository?: RepositoryView;
  /** Absent when no catalog lookup is available. */
  catalog?: CatalogLookup;
  now: Date;
}

/**
 * What a check implementation returns. `waived` is decided by the engine, not by checks.
 *
 * @public
 */
export interface CheckOutcome {
  status: Exclude<CheckStatus, 'waived'>;
  message: string;
  evidence?: Evidence[];
  /**
   * What the check found and rejected, and why; given on a `fail` (or `not-applicable`) so that
   * the owner sees what almost counted. The engine keeps at most {@link MAX_NEAR_MISSES}.
   */
  nearMisses?: NearMiss[];
}

/**
 * The most near-misses a result keeps; the message says how many there were.
 *
 * @public
 */
export const MAX_NEAR_MISSES = 10;

/**
 * A check written in code: its definition plus the function that decides it. Built-in checks and
 * adopters' custom checks (through the node package's extension point) both have this shape.
 *
 * @public
 */
export interface CheckImplementation {
  /** Stable id, `<capability>.<name>`. */
  id: string;
  capability: CapabilityId;
  title: string;
  description: string;
  /** Default 1. */
  weight?: number;
  /** Default: Components of type `service` or `website`. */
  appliesTo?: FilterPredicate;
  evidence: EvidenceSource;
  remediation?: Remediation;
  /**
   * Changes whenever the check's logic changes, so that the ruleset hash, and with it the history,
   * tells a changed standard from a changed service. Default `1`.
   */
  version?: string;
  /** Globs of the files whose content the check reads. */
  reads?: readonly string[];
  /**
   * Settings that the ruleset configuration may give the check under
   * `platformMaturity.checks.<capability>.<name>.options`: their schema, whose errors name the key,
   * and the check as configured with the parsed settings.
   */
  options?: {
    schema: ZodType;
    configure(options: unknown): CheckImplementation;
  };
  /** Decides the check. Must be deterministic; may throw, which gives an `unknown` result. */
  evaluate(context: CheckContext): CheckOutcome;
}
