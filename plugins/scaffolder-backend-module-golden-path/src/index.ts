/**
 * Paved's golden-path scaffolder actions: each adds one capability of the self-serve checklist to
 * a workspace, plus a policy guard for template inputs, a verify action that scores the workspace
 * with the platform maturity engine, and local publishing for trials and air-gapped demos.
 *
 * @packageDocumentation
 */

export { scaffolderModuleGoldenPath as default } from './module';
export { createGoldenPathActions } from './module';
export * from './actions';
export type { FileChange, FileResult } from './lib/workspace';
export * from './extensions';
