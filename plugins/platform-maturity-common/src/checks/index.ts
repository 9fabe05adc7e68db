import type { CheckImplementation } from '../engine/checkTypes';
import { asCodeChecks } from './asCode';
import { buildChecks } from './build';
import { capacityChecks } from './capacity';
import { dataChecks } from './data';
import { deployChecks } from './deploy';
import { goldenPathChecks } from './goldenPath';
import { observeChecks } from './observe';

/**
 * The built-in check catalogue, in checklist order.
 *
 * @public
 */
export const BUILTIN_CHECKS: readonly CheckImplementation[] = Object.freeze([
  ...buildChecks,
  ...deployChecks,
  ...observeChecks,
  ...dataChecks,
  ...capacityChecks,
  ...asCodeChecks,
  ...goldenPathChecks,
]);
