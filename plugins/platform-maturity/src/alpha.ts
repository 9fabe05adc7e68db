/**
 * The platform maturity plugin for Backstage's new frontend system.
 *
 * @packageDocumentation
 */

export { default } from './alpha/plugin';
export {
  platformMaturityApi,
  platformMaturityEntityCard,
  platformMaturityEntityContent,
  platformMaturityPage,
} from './alpha/extensions';
