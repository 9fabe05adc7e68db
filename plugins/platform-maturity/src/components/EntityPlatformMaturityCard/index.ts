export { EntityPlatformMaturityCard } from './EntityPlatformMaturityCard';
export type { EntityPlatformMaturityCardProps } from './EntityPlatformMaturityCard';
