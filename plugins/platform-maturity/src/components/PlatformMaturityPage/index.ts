export { PlatformMaturityPage } from './PlatformMaturityPage';
export type { PlatformMaturityPageProps } from './PlatformMaturityPage';
