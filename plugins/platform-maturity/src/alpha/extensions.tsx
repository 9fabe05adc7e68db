import {
  ApiBlueprint,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
  EntityIconLinkBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import TrendingUpIcon from '@material-ui/icons/TrendingUp';
import { DEFAULT_APPLIES_TO } from '@paved/plugin-platform-maturity-common';
import { platformMaturityApiRef } from '../api/PlatformMaturityApi';
import { PlatformMaturityClient } from '../api/PlatformMaturityClient';
import { useLevelIconLinkProps } from '../components/EntityPlatformMaturityLevel';
import { entityContentRouteRef, rootRouteRef } from '../routes';

/**
 * The `PlatformMaturityApi` client over the backend (`api:platform-maturity`).
 *
 * @alpha
 */
export const platformMaturityApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: platformMaturityApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new PlatformMaturityClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * The organisation overview page at `/platform-maturity` (`page:platform-maturity`).
 *
 * @alpha
 */
export const platformMaturityPage = PageBlueprint.make({
  params: {
    path: '/platform-maturity',
    title: 'Platform maturity',
    icon: <TrendingUpIcon fontSize="inherit" />,
    routeRef: rootRouteRef,
    // The page renders its own header.
    noHeader: true,
    loader: () =>
      import('../components/PlatformMaturityPage').then(m => (
        <m.PlatformMaturityPage />
      )),
  },
});

/**
 * The entity card (`entity-card:platform-maturity/scorecard`). Shown by default for the entities
 * the built-in checks apply to; override with the extension's `filter` config.
 *
 * @alpha
 */
export const platformMaturityEntityCard = EntityCardBlueprint.make({
  name: 'scorecard',
  params: {
    filter: DEFAULT_APPLIES_TO,
    loader: () =>
      import('../components/EntityPlatformMaturityCard').then(m => (
        <m.EntityPlatformMaturityCard />
      )),
  },
});

/**
 * The entity tab at `platform-maturity` (`entity-content:platform-maturity/scorecard`): every
 * check with full detail, and the history. Same default filter as the card.
 *
 * @alpha
 */
export const platformMaturityEntityContent = EntityContentBlueprint.make({
  name: 'scorecard',
  params: {
    path: 'platform-maturity',
    title: 'Platform maturity',
    routeRef: entityContentRouteRef,
    filter: DEFAULT_APPLIES_TO,
    loader: () =>
      import('../components/EntityPlatformMaturityContent').then(m => (
        <m.EntityPlatformMaturityContent />
      )),
  },
});

/**
 * The entity's level in the About card's links (`entity-icon-link:platform-maturity/level`),
 * for example `L2 Ships`, leading to the maturity tab. Same default filter as the card.
 *
 * @alpha
 */
export const platformMaturityEntityLevelLink = EntityIconLinkBlueprint.make({
  name: 'level',
  params: {
    filter: DEFAULT_APPLIES_TO,
    useProps: () => ({
      ...useLevelIconLinkProps(),
      icon: <TrendingUpIcon />,
      title: 'Platform maturity level',
    }),
  },
});
