/*
 * The local Paved suite's frontend (`npm start` at the repository root): a Backstage app in the
 * new frontend system with guest sign-in, the catalog (whose table has the maturity column and
 * whose entity pages show the maturity card and tab), the scaffolder and the maturity overview page, talking to the backend that
 * `plugins/platform-maturity-backend/dev` starts.
 */
import '@backstage/ui/css/styles.css';
import ReactDOM from 'react-dom/client';
import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import platformMaturityPlugin, {
  platformMaturityCatalogModule,
} from '../src/alpha';

const app = createApp({
  features: [
    catalogPlugin,
    scaffolderPlugin,
    platformMaturityPlugin,
    platformMaturityCatalogModule,
  ],
  bindRoutes({ bind }) {
    bind(catalogPlugin.externalRoutes, {
      createComponent: scaffolderPlugin.routes.root,
      createFromTemplate: scaffolderPlugin.routes.selectedTemplate,
    });
    bind(platformMaturityPlugin.externalRoutes, {
      scaffolderRoot: scaffolderPlugin.routes.root,
    });
  },
});

ReactDOM.createRoot(document.getElementById('root')!).render(app.createRoot());
