import type { CheckImplementation } from '../engine/checkTypes';

export const capacityChecks: CheckImplementation[] = [];
