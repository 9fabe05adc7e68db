import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { CheckImplementation } from '@paved/plugin-platform-maturity-common';

/**
 * Lets backend modules add checks written in code to the platform maturity ruleset.
 *
 * @public
 */
export interface PlatformMaturityChecksExtensionPoint {
  /** Adds checks; their ids must be `<capability>.<name>` and must not clash with other checks. */
  addChecks(...checks: CheckImplementation[]): void;
}

/**
 * The extension point through which a backend module adds custom checks:
 *
 * ```ts
 * createBackendModule({
 *   pluginId: 'platform-maturity',
 *   moduleId: 'my-checks',
 *   register(env) {
 *     env.registerInit({
 *       deps: { checks: platformMaturityChecksExtensionPoint },
 *       async init({ checks }) {
 *         checks.addChecks(myCheck);
 *       },
 *     });
 *   },
 * });
 * ```
 *
 * @public
 */
export const platformMaturityChecksExtensionPoint =
  createExtensionPoint<PlatformMaturityChecksExtensionPoint>({
    id: 'platform-maturity.checks',
  });
