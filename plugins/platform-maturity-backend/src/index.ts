/**
 * Paved's platform maturity backend plugin: scheduled evaluation of the catalog, stored
 * scorecards and history, and the REST API at `/api/platform-maturity`.
 *
 * @packageDocumentation
 */

export { platformMaturityPlugin as default } from './plugin';
