export { createPlatformMaturityLevelColumn } from './columns';
export {
  EntityPlatformMaturityLevelBadge,
  useLevelIconLinkProps,
} from './EntityPlatformMaturityLevel';
