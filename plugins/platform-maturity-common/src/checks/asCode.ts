import type { CheckImplementation } from '../engine/checkTypes';

export const asCodeChecks: CheckImplementation[] = [];
