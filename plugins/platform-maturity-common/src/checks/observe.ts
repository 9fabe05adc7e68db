import type { CheckImplementation } from '../engine/checkTypes';

export const observeChecks: CheckImplementation[] = [];
