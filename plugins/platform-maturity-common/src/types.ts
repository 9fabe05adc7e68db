import type { Entity } from '@backstage/catalog-model';
import type { FilterPredicate } from '@backstage/filter-predicates';
import type { JsonObject } from '@backstage/types';

/**
 * The stable ids of the six capabilities of the self-serve checklist.
 *
 * @public
 */
export type CapabilityId =
  | 'build'
  | 'deploy'
  | 'observe'
  | 'data'
  | 'capacity'
  | 'as-code';

/**
 * One capability of the self-serve checklist.
 *
 * @public
 */
export interface Capability {
  id: CapabilityId;
  title: string;
  /** One paragraph a developer reading the card understands. */
  description: string;
}

/**
 * The outcome of one check for one entity.
 *
 * `unknown` means the evidence could not be read; it is never shown as a failure.
 *
 * @public
 */
export type CheckStatus =
  | 'pass'
  | 'fail'
  | 'waived'
  | 'not-applicable'
  | 'unknown';

/**
 * Which evidence a check needs: the catalog entity only, or the entity and the files of its
 * repository.
 *
 * @public
 */
export type EvidenceSource = 'entity' | 'entity+repository';

/**
 * One piece of evidence that decided a check result.
 *
 * @public
 */
export interface Evidence {
  /** What kind of thing the evidence is. */
  type: 'file' | 'annotation' | 'field' | 'relation' | 'catalog';
  /** A file path (relative to the repository root), an annotation key, a field path or an entity ref. */
  ref: string;
  /** What was found there, for example the matched line. */
  detail?: string;
  /** 1-based line number in a file, when known. */
  line?: number;
}

/**
 * A candidate that a check found and rejected: a near-miss, cited like evidence, with why it does
 * not meet the check ("sets no memory limit", "uploads test output, not a build artifact").
 *
 * @public
 */
export interface NearMiss extends Evidence {
  /** Why the candidate does not count, in words the service owner can act on. */
  reason: string;
}

/**
 * How to fix a failing check: a scaffolder template with form values and/or a docs page.
 *
 * @public
 */
export interface Remediation {
  /** Template entity ref, for example `template:default/add-capabilities`. */
  templateRef?: string;
  /** Form values passed to the template (the scaffolder's `formData`). */
  values?: JsonObject;
  /** A page that explains how to meet the check by hand. */
  docsUrl?: string;
}

/**
 * The definition of a check, as configured: what it is, what it applies to and how to fix it.
 *
 * @public
 */
export interface CheckDefinition {
  /** Stable id, `<capability>.<name>`, for example `build.pipeline`. */
  id: string;
  capability: CapabilityId;
  title: string;
  description: string;
  /** Which entities the check applies to. */
  appliesTo: FilterPredicate;
  /** Relative weight within its capability; a positive number. */
  weight: number;
  /** Which evidence the check needs. */
  evidence: EvidenceSource;
  remediation: Remediation;
}

/**
 * An exemption of one check for one entity, with a reason, who granted it and until when.
 *
 * @public
 */
export interface Waiver {
  checkId: string;
  reason: string;
  /** Who granted the waiver: a user or group ref, or a name. */
  waivedBy: string;
  /** ISO 8601 date or date-time after which the waiver no longer counts. */
  until: string;
  /** Where the waiver was declared. */
  source: 'config' | 'entity';
}

/**
 * The result of one check for one entity.
 *
 * @public
 */
export interface CheckResult {
  checkId: string;
  capability: CapabilityId;
  status: CheckStatus;
  /** Human-readable explanation of the status. */
  message: string;
  /** The evidence that decided the status. */
  evidence: Evidence[];
  /**
   * What the check found and rejected, and why, when it did not pass. Absent when there is none
   * (and on scorecards stored before checks reported them).
   */
  nearMisses?: NearMiss[];
  /** Set when the status is `waived`. */
  waiver?: Waiver;
}

/**
 * How far a capability is met.
 *
 * @public
 */
export type CapabilityStatus =
  | 'complete'
  | 'partial'
  | 'missing'
  | 'not-applicable'
  | 'unknown';

/**
 * The score of one capability for one entity.
 *
 * @public
 */
export interface CapabilityScore {
  capability: CapabilityId;
  status: CapabilityStatus;
  /**
   * Passed weight / applicable weight, 0–100 (waived counts as passed; not-applicable and unknown
   * results are left out). `null` when no result with known evidence applies.
   */
  score: number | null;
  passedWeight: number;
  applicableWeight: number;
  /** Weight of the checks whose evidence could not be read. */
  unknownWeight: number;
}

/**
 * One rung of the level ladder.
 *
 * @public
 */
export interface LevelDefinition {
  /** 0 for the bottom rung, counting up. */
  level: number;
  name: string;
  description?: string;
  /** Capabilities that must be complete (or not applicable) to reach this level. */
  requires: CapabilityId[];
  /** Optional minimum overall score to reach this level. */
  minScore?: number;
}

/**
 * The level an entity reached.
 *
 * @public
 */
export interface LevelResult {
  level: number;
  name: string;
}

/**
 * What stands between an entity and the next level.
 *
 * @public
 */
export interface NextLevel extends LevelResult {
  /** Capabilities that are not yet complete. */
  missingCapabilities: CapabilityId[];
  /** Set when the level needs a higher overall score. */
  minScore?: number;
}

/**
 * Something the evaluation wants the reader to know that is not a check result, for example an
 * expired or malformed waiver.
 *
 * @public
 */
export interface ScorecardNotice {
  type:
    | 'waiver-expired'
    | 'waiver-invalid'
    | 'waiver-unused'
    | 'check-error'
    | 'value-truncated'
    | 'repository-truncated'
    | 'repository-unreadable'
    | 'time-budget';
  message: string;
  checkId?: string;
  /** The waiver that expired, for a `waiver-expired` notice. */
  waiver?: Waiver;
}

/**
 * How much of the applicable checklist could be decided (its evidence read).
 *
 * @public
 */
export interface ScorecardCoverage {
  /**
   * Per applicable capability, the share of its weight that could be decided, and their mean,
   * 0–100: 100 when every applicable check could be read.
   */
  share: number;
  /** Applicable capabilities whose every check could be decided ("4 of 6 capabilities checked"). */
  checkedCapabilities: number;
  /** Capabilities that apply to the entity (not `not-applicable`). */
  applicableCapabilities: number;
}

/**
 * The scorecard of one entity against a ruleset.
 *
 * @public
 */
export interface Scorecard {
  entityRef: string;
  /** When it was evaluated (the evaluation context's time), ISO 8601. */
  evaluatedAt: string;
  /** False when no check of the ruleset applies to the entity. */
  inScope: boolean;
  /** Mean of the applicable capability scores, 0–100; `null` when out of scope. */
  score: number | null;
  /**
   * How much of the checklist could be checked; the score is only as good as this. Absent when
   * out of scope.
   */
  coverage?: ScorecardCoverage;
  /** The level reached; `null` when out of scope. */
  level: LevelResult | null;
  /** The next rung of the ladder and what it needs; absent at the top or out of scope. */
  nextLevel?: NextLevel;
  capabilities: CapabilityScore[];
  results: CheckResult[];
  notices: ScorecardNotice[];
  /** Hash of the effective check configuration. */
  rulesetHash: string;
  /** Hash of the evidence the checks looked at (entity and repository files). */
  evidenceDigest: string;
  /**
   * Set when the repository was only partly read (more files than the reader's cap): checks that
   * found nothing among the files read are `unknown`, not `fail`.
   */
  partialRepository?: { filesRead: number };
  /**
   * The commit of the repository the evidence was read at, when the reader tells it (a Git
   * host's tree read names its commit); set by the backend, not by the engine.
   */
  sourceCommit?: string;
}

/**
 * The files of a repository as the engine sees them.
 *
 * @public
 */
export interface RepositorySnapshot {
  /** Every file path, relative to the repository root, with `/` separators. */
  paths: readonly string[];
  /**
   * The text content of a file, or `undefined` when it cannot be read (absent, too large, binary).
   * The engine calls it only for files that a check declares it reads.
   */
  read(path: string): string | undefined;
  /**
   * True when the reader stopped at its cap on the number of files: `paths` lists only the first
   * files, and a file the checks look for may be among the others.
   */
  truncated?: boolean;
}

/**
 * Synchronous access to other catalog entities, for checks such as "the owner exists".
 *
 * @public
 */
export interface CatalogLookup {
  /** The entity with this ref (`kind:namespace/name`, lower-case or not), or undefined if none. */
  getEntity(entityRef: string): Entity | undefined;
}

/**
 * Everything one evaluation looks at.
 *
 * @public
 */
export interface EvaluationContext {
  entity: Entity;
  /** The entity's repository files; absent when they could not be read. */
  repository?: RepositorySnapshot;
  /**
   * Why the repository could not be read and who can fix it, when it could not; becomes a
   * `repository-unreadable` notice.
   */
  repositoryProblem?: string;
  /** Absent when no catalog lookup is available. */
  catalog?: CatalogLookup;
  /** The evaluation time, which makes evaluation deterministic. */
  now: Date;
}
