import type { Entity } from '@backstage/catalog-model';
import { evaluateFilterPredicate } from '@backstage/filter-predicates';
import { DEFAULT_APPLIES_TO } from '@paved/plugin-platform-maturity-common';

/**
 * Whether the platform maturity card and tab are worth showing for an entity, for use with
 * `EntitySwitch.Case if={isPlatformMaturityAvailable}`: true for the entities the built-in
 * checks apply to by default (`DEFAULT_APPLIES_TO`, Components of type service or website).
 *
 * @remarks
 * The decision is synchronous and does not know the backend's configured ruleset. Adopters whose
 * ruleset covers more kinds show the card unconditionally (it reports "out of scope" itself for
 * entities no check applies to) or pass their own condition.
 *
 * @public
 */
export function isPlatformMaturityAvailable(entity: Entity): boolean {
  return evaluateFilterPredicate(DEFAULT_APPLIES_TO, entity);
}
