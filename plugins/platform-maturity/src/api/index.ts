export { platformMaturityApiRef } from './PlatformMaturityApi';
export type {
  PlatformMaturityApi,
  ScorecardListRequest,
} from './PlatformMaturityApi';
export { PlatformMaturityClient } from './PlatformMaturityClient';
