import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { platformMaturityApiRef } from '../../../api/PlatformMaturityApi';
import type { FakePlatformMaturityApi } from './fakePlatformMaturityApi';
import { PlatformMaturityPage } from '../PlatformMaturityPage';

/** Renders the page in a test app over the fake API, at `/platform-maturity` plus `search`. */
export async function renderPage(api: FakePlatformMaturityApi, search = '') {
  return renderInTestApp(
    <TestApiProvider apis={[[platformMaturityApiRef, api]]}>
      <PlatformMaturityPage />
    </TestApiProvider>,
    {
      routeEntries: [`/platform-maturity${search}`],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

/** The entity table, once its first page has arrived. */
export async function findEntityTable() {
  return screen.findByRole('table', { name: 'Scorecards of the entities' });
}

/** The entity refs in the entity table's rows, from their links, top to bottom. */
export function entityRowRefs(table: HTMLElement): string[] {
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map(row => {
      const link = within(row).queryAllByRole('link')[0];
      const path = link?.getAttribute('href') ?? '';
      const [, namespace, kind, name] =
        /\/catalog\/([^/]+)\/([^/]+)\/([^/]+)\/platform-maturity$/.exec(path) ??
        [];
      return kind ? `${kind}:${namespace}/${name}` : '';
    });
}
