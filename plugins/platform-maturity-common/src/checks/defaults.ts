import type { FilterPredicate } from '@backstage/filter-predicates';

/**
 * The entities a check applies to unless it says otherwise: Components of type service or website.
 *
 * @public
 */
export const DEFAULT_APPLIES_TO: FilterPredicate = Object.freeze({
  kind: 'Component',
  'spec.type': { $in: ['service', 'website'] },
}) as FilterPredicate;

/**
 * The template that failing checks link to unless configured otherwise: the day-2 retrofit
 * template, prefilled with the entity and the capability.
 *
 * @public
 */
export const DEFAULT_REMEDIATION_TEMPLATE = 'template:default/add-capabilities';
