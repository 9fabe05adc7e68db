export { EntityPlatformMaturityContent } from './EntityPlatformMaturityContent';
