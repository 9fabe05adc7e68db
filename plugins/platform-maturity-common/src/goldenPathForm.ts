import type { ServiceNameRule } from './serviceName';

/**
 * How a golden path delivers its result: through the repository's Git host (a pull request, or
 * a new GitHub repository) as `scm`, or into `goldenPath.localPublish.root` as `local`.
 *
 * @public
 */
export type DeliveryTargetId = 'scm' | 'local';

/**
 * Whether a delivery target can work, and why not when it cannot.
 *
 * @public
 */
export interface DeliveryTarget {
  id: DeliveryTargetId;
  /** What the target does. */
  title: string;
  available: boolean;
  /** When not available: why, and what to change, as a sentence. */
  reason?: string;
}

/**
 * The answer of `GET /api/scaffolder/paved/v1/delivery-targets?entityRef=` (served by the
 * golden-path scaffolder module): where a change to the entity can be delivered; without
 * `entityRef`, where a new service can be published.
 *
 * @public
 */
export interface DeliveryTargetsResponse {
  entityRef?: string;
  targets: DeliveryTarget[];
}

/**
 * The answer of `GET /api/scaffolder/paved/v1/service-name-rule`: the naming rule
 * `paved:policy:check` applies, for the template form.
 *
 * @public
 */
export interface ServiceNameRuleResponse extends ServiceNameRule {
  maxLength: number;
}
