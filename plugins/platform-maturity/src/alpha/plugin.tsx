import type { ExternalRouteRef, RouteRef } from '@backstage/core-plugin-api';
import {
  createFrontendPlugin,
  OverridableFrontendPlugin,
} from '@backstage/frontend-plugin-api';
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
  platformMaturityEntityLevelLink,
  platformMaturityPage,
} from './extensions';
import {
  deliveryTargetPickerFormField,
  serviceNamePickerFormField,
} from './formFields';

// The explicit type keeps the extension map out of the public API: its inferred parameter types
// print differently from one build to the next, which would make the API report unstable. Get an
// extension to override with `getExtension('<extension id>')`.
/**
 * The platform maturity plugin for the new frontend system: the API, the entity card, the entity
 * tab, the overview page and the golden-path templates' form fields. Its `scaffolderRoot` external route binds to the scaffolder's root
 * by default.
 *
 * @alpha
 */
const platformMaturityPlugin: OverridableFrontendPlugin<
  { root: RouteRef<undefined>; entityContent: RouteRef<undefined> },
  { scaffolderRoot: ExternalRouteRef<undefined, true> }
> = createFrontendPlugin({
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
    platformMaturityEntityLevelLink,
    serviceNamePickerFormField,
    deliveryTargetPickerFormField,
  ],
});

export default platformMaturityPlugin;
