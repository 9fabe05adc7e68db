import type { CheckImplementation } from '../engine/checkTypes';

export const deployChecks: CheckImplementation[] = [];
