/**
 * Test utilities of Paved's Node.js packages: a simulated GitHub Enterprise host that
 * Backstage's real URL readers read repositories from.
 *
 * @packageDocumentation
 */

export * from './SimulatedGitHost';
