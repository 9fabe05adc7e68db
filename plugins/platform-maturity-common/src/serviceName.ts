import { KubernetesValidatorFunctions } from '@backstage/catalog-model';

/**
 * The default naming rule of new services (`goldenPath.policy.namePattern`): a DNS label, that
 * is lower-case letters, digits and dashes, starting and ending with a letter or digit.
 *
 * @public
 */
export const DEFAULT_SERVICE_NAME_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

/**
 * The longest service name: the catalog's limit for `metadata.name`, which is also the DNS label
 * limit.
 *
 * @public
 */
export const MAX_SERVICE_NAME_LENGTH = 63;

/**
 * The rule a new service's name follows. The scaffolder module serves it to the template form
 * (which checks names as they are typed) and `paved:policy:check` applies it at run time, so the
 * form and the server never disagree.
 *
 * @public
 */
export interface ServiceNameRule {
  /** The regular expression names must match (`goldenPath.policy.namePattern`). */
  pattern: string;
  /**
   * The rule in words, shown instead of the pattern (`goldenPath.policy.namePatternDescription`;
   * the default pattern has its own).
   */
  description?: string;
}

const DEFAULT_DESCRIPTION =
  'lower-case letters, digits and dashes, starting and ending with a letter or digit (like orders-api)';

/**
 * The naming rule in words, for help texts and error messages: its description, the default
 * pattern's wording, or the pattern itself in backticks (so that Markdown shows it unchanged).
 *
 * @public
 */
export function describeServiceNameRule(rule: ServiceNameRule): string {
  if (rule.description) {
    return rule.description;
  }
  return rule.pattern === DEFAULT_SERVICE_NAME_PATTERN
    ? DEFAULT_DESCRIPTION
    : `names matching \`${rule.pattern}\``;
}

/**
 * Checks a service name against the naming rule, the length limit and the catalog's rule for
 * entity names.
 *
 * @returns a sentence saying what is wrong with the name and how to fix it, or `undefined` when
 *   the name is valid. Whether the name is free is not checked here (that needs the catalog).
 * @public
 */
export function checkServiceName(
  name: string | undefined,
  rule: ServiceNameRule,
): string | undefined {
  if (typeof name !== 'string' || name.trim() === '') {
    return 'A name is required.';
  }
  if (name.length > MAX_SERVICE_NAME_LENGTH) {
    return `The name is ${name.length} characters long; use at most ${MAX_SERVICE_NAME_LENGTH}.`;
  }
  if (
    !new RegExp(rule.pattern).test(name) ||
    !KubernetesValidatorFunctions.isValidObjectName(name)
  ) {
    return `'${name}' is not a valid service name: use ${describeServiceNameRule(
      rule,
    )}.`;
  }
  return undefined;
}
