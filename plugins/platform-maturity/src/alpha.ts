/**
 * The platform maturity plugin for Backstage's new frontend system.
 *
 * @packageDocumentation
 */

export { default } from './alpha/plugin';
export { platformMaturityCatalogModule } from './alpha/catalogModule';
