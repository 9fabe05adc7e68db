/**
 * Node.js helpers for Paved's platform maturity scorecard: repository evidence from a directory
 * on disk, and the extension point through which backend modules add custom checks.
 *
 * @packageDocumentation
 */

export * from './directorySnapshot';
export * from './extensions';
export * from './regularFile';
export * from './goldenPathRelease';
