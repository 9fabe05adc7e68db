import type { CheckImplementation } from '../engine/checkTypes';

export const dataChecks: CheckImplementation[] = [];
