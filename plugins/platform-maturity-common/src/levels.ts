import type { LevelDefinition } from './types';

/**
 * The default level ladder, which follows the self-serve checklist: each level adds capabilities
 * that must be complete (or not applicable).
 *
 * @public
 */
export const DEFAULT_LEVELS: readonly LevelDefinition[] = Object.freeze([
  {
    level: 0,
    name: 'Unpaved',
    description: 'Not yet on the paved road: the build is not automated.',
    requires: [],
  },
  {
    level: 1,
    name: 'Builds',
    description: 'Every change is tested and builds a versioned artifact.',
    requires: ['build'],
  },
  {
    level: 2,
    name: 'Ships',
    description: 'Deployment, versioning and rollback are code.',
    requires: ['build', 'deploy'],
  },
  {
    level: 3,
    name: 'Operable',
    description: 'Instrumented, monitored and on call.',
    requires: ['build', 'deploy', 'observe'],
  },
  {
    level: 4,
    name: 'Self-serve',
    description: 'All six capabilities of the self-serve checklist.',
    requires: ['build', 'deploy', 'observe', 'data', 'capacity', 'as-code'],
  },
] as LevelDefinition[]);
