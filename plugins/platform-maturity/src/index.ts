/**
 * Paved's platform maturity scorecard in Backstage: the entity card, the entity tab with history
 * and the organisation overview page (legacy frontend system; the new frontend system is at
 * `@paved/plugin-platform-maturity/alpha`).
 *
 * @packageDocumentation
 */

export {
  platformMaturityPlugin,
  EntityPlatformMaturityCard,
  EntityPlatformMaturityContent,
  EntityPlatformMaturityLevelBadge,
  PlatformMaturityPage,
  PavedDeliveryTargetPickerFieldExtension,
  PavedServiceNamePickerFieldExtension,
} from './plugin';
export type { DeliveryTargetPickerOptions } from './scaffolder';
export type { PlatformMaturityPageProps } from './components/PlatformMaturityPage';
export type { EntityPlatformMaturityCardProps } from './components/EntityPlatformMaturityCard';
export { isPlatformMaturityAvailable } from './conditions';
export { createPlatformMaturityLevelColumn } from './components/EntityPlatformMaturityLevel/columns';
export {
  entityContentRouteRef,
  rootRouteRef,
  scaffolderRootRouteRef,
} from './routes';
export * from './api';
