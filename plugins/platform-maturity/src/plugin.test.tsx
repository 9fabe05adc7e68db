import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import {
  mockApi,
  scorecardResponse,
  serviceEntity,
} from './__testUtils__/fixtures';
import { platformMaturityApiRef } from './api/PlatformMaturityApi';
import { PlatformMaturityClient } from './api/PlatformMaturityClient';
import {
  EntityPlatformMaturityCard,
  EntityPlatformMaturityContent,
  EntityPlatformMaturityLevelBadge,
  platformMaturityPlugin,
} from './plugin';
import { scaffolderRootRouteRef } from './routes';

describe('legacy frontend system', () => {
  it('declares the plugin with its API client and the scaffolder external route', () => {
    expect(platformMaturityPlugin.getId()).toBe('platform-maturity');
    const factories = Array.from(platformMaturityPlugin.getApis());
    expect(factories.map(f => f.api)).toEqual([platformMaturityApiRef]);
    const client = factories[0].factory({
      discoveryApi: { getBaseUrl: async () => 'http://backstage/api/x' },
      fetchApi: { fetch: async () => new Response('{}') },
    });
    expect(client).toBeInstanceOf(PlatformMaturityClient);
    expect(platformMaturityPlugin.externalRoutes).toEqual({
      scaffolderRoot: scaffolderRootRouteRef,
    });
  });

  it('loads the card lazily through the component extension', async () => {
    const api = mockApi({ getScorecard: async () => scorecardResponse() });
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [platformMaturityApiRef, api],
          [permissionApiRef, mockApis.permission()],
        ]}
      >
        <EntityProvider entity={serviceEntity}>
          <EntityPlatformMaturityCard />
        </EntityProvider>
      </TestApiProvider>,
      // The card links the group that granted a waiver to its entity page.
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(
      await screen.findByRole('progressbar', {
        name: 'Platform maturity score',
      }),
    ).toBeInTheDocument();
  });

  it('loads the tab lazily through the routable extension', async () => {
    const api = mockApi({ getScorecard: async () => scorecardResponse() });
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [platformMaturityApiRef, api],
          [permissionApiRef, mockApis.permission()],
        ]}
      >
        <EntityProvider entity={serviceEntity}>
          {/* As in an entity page, where EntityLayout.Route gives the tab its path. */}
          <Routes>
            <Route path="/*" element={<EntityPlatformMaturityContent />} />
          </Routes>
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(
      await screen.findByLabelText('Checks of Everything as code'),
    ).toBeInTheDocument();
  });

  it('loads the level badge lazily through the component extension', async () => {
    const api = mockApi({ getScorecard: async () => scorecardResponse() });
    await renderInTestApp(
      <TestApiProvider apis={[[platformMaturityApiRef, api]]}>
        <EntityProvider entity={serviceEntity}>
          <EntityPlatformMaturityLevelBadge />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(
      await screen.findByRole('link', { name: 'L0 Unpaved' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/orders/platform-maturity',
    );
  });
});
