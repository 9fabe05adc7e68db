import type { CheckImplementation } from '../engine/checkTypes';

export const buildChecks: CheckImplementation[] = [];
