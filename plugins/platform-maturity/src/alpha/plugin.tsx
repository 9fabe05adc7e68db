import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import TrendingUpIcon from '@material-ui/icons/TrendingUp';
import {
  entityContentRouteRef,
  rootRouteRef,
  scaffolderRootRouteRef,
} from '../routes';
import {
  platformMaturityApi,
  platformMaturityEntityCard,
  platformMaturityEntityContent,
  platformMaturityPage,
} from './extensions';

/**
 * The platform maturity plugin for the new frontend system: the API, the entity card, the entity
 * tab and the overview page. Its `scaffolderRoot` external route binds to the scaffolder's root
 * by default.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'platform-maturity',
  title: 'Platform maturity',
  icon: <TrendingUpIcon fontSize="inherit" />,
  info: { packageJson: () => import('../../package.json') },
  routes: {
    root: rootRouteRef,
    entityContent: entityContentRouteRef,
  },
  externalRoutes: {
    scaffolderRoot: scaffolderRootRouteRef,
  },
  extensions: [
    platformMaturityApi,
    platformMaturityPage,
    platformMaturityEntityCard,
    platformMaturityEntityContent,
  ],
});
