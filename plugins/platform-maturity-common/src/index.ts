/**
 * Capabilities, checks, the scoring engine and permissions of Paved's platform maturity
 * scorecard. Isomorphic: no backend or frontend APIs.
 *
 * @packageDocumentation
 */

export * from './types';
export * from './capabilities';
export * from './levels';
export * from './permissions';
export * from './api';
export {
  checksWithStatus,
  entityFactsOf,
  remediationTemplatePath,
} from './entityFacts';
export type { ActionableCheck } from './entityFacts';
export { chooseScoredEntity, entityDocumentProblem } from './entityFile';
export type { ScoredEntityChoice } from './entityFile';
export { entityRefKey } from './entityRef';
export type { EntityRefKeyDefaults } from './entityRef';
export { BUILTIN_CHECKS } from './checks';
export {
  compareGoldenPathVersions,
  GOLDEN_PATH_SOURCE_ANNOTATION,
  GOLDEN_PATH_VERSION_ANNOTATION,
  isGoldenPathVersion,
  parseGoldenPathChangelog,
  PAVED_GOLDEN_PATH_RELEASE,
  PAVED_GOLDEN_PATH_SOURCE,
  UPGRADE_GOLDEN_PATH_TEMPLATE,
} from './goldenPath';
export type { GoldenPathRelease, GoldenPathReleaseNote } from './goldenPath';
export { isPipelineFile } from './checks/ci';
export {
  isRootPipeline,
  subdirectorySnapshot,
  withRootPipelines,
} from './monorepo';
export {
  DEFAULT_APPLIES_TO,
  DEFAULT_REMEDIATION_TEMPLATE,
} from './checks/defaults';
export type {
  CheckContext,
  CheckImplementation,
  CheckOutcome,
  FileMatch,
  RepositoryView,
} from './engine/checkTypes';
export { MAX_NEAR_MISSES } from './engine/checkTypes';
export { DEFAULT_TIME_BUDGET_MS, evaluate } from './engine/evaluate';
export type { EvaluateOptions } from './engine/evaluate';
export { WAIVERS_ANNOTATION } from './engine/waivers';
export {
  computeLevel,
  overallScore,
  roundScore,
  scoreCapabilities,
  scoreCoverage,
} from './engine/scoring';
export {
  CHECK_ID_PATTERN,
  compileRuleset,
  DEFAULT_DOCS_BASE_URL,
} from './ruleset/compileRuleset';
export type {
  CompileRulesetOptions,
  ConfiguredWaiver,
  Ruleset,
  RulesetCheck,
} from './ruleset/compileRuleset';
export { RulesetConfigError } from './ruleset/errors';
export {
  checkServiceName,
  DEFAULT_SERVICE_NAME_PATTERN,
  describeServiceNameRule,
  MAX_SERVICE_NAME_LENGTH,
} from './serviceName';
export type { ServiceNameRule } from './serviceName';
export type {
  DeliveryTarget,
  DeliveryTargetId,
  DeliveryTargetsResponse,
  ServiceNameRuleResponse,
} from './goldenPathForm';
