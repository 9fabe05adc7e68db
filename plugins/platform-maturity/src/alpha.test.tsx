import {
  ApiBlueprint,
  coreExtensionData,
} from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  mockApis,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  EntityCardBlueprint,
  EntityIconLinkBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { screen } from '@testing-library/react';
import {
  apiEntity,
  mockApi,
  scorecardResponse,
  serviceEntity,
} from './__testUtils__/fixtures';
import plugin from './alpha';
import {
  platformMaturityApi,
  platformMaturityEntityCard,
  platformMaturityEntityContent,
  platformMaturityEntityLevelLink,
  platformMaturityPage,
} from './alpha/extensions';
import { platformMaturityApiRef } from './api/PlatformMaturityApi';
import {
  entityContentRouteRef,
  rootRouteRef,
  scaffolderRootRouteRef,
} from './routes';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';

describe('new frontend system', () => {
  it('declares the plugin with its routes and the scaffolder external route', () => {
    expect(plugin.pluginId).toBe('platform-maturity');
    expect(plugin.routes).toEqual({
      root: rootRouteRef,
      entityContent: entityContentRouteRef,
    });
    expect(plugin.externalRoutes).toEqual({
      scaffolderRoot: scaffolderRootRouteRef,
    });
  });

  it("provides the golden-path templates' form fields, loaded lazily", async () => {
    const names: string[] = [];
    for (const id of [
      'scaffolder-form-field:platform-maturity/service-name-picker',
      'scaffolder-form-field:platform-maturity/delivery-target-picker',
    ]) {
      const tester = createExtensionTester(plugin.getExtension(id as any));
      const load = tester.get(
        FormFieldBlueprint.dataRefs.formFieldLoader,
      ) as unknown as () => Promise<{ name: string }>;
      names.push((await load()).name);
    }
    expect(names).toEqual([
      'PavedServiceNamePicker',
      'PavedDeliveryTargetPicker',
    ]);
  });

  it('provides the API client', () => {
    const tester = createExtensionTester(platformMaturityApi);
    expect(tester.get(ApiBlueprint.dataRefs.factory).api).toBe(
      platformMaturityApiRef,
    );
  });

  it('mounts the overview page at /platform-maturity', () => {
    const tester = createExtensionTester(platformMaturityPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/platform-maturity');
    expect(tester.get(coreExtensionData.routeRef)).toBe(rootRouteRef);
  });

  it('renders the entity card lazily, for services only by default', async () => {
    const api = mockApi({ getScorecard: async () => scorecardResponse() });
    const tester = createExtensionTester(platformMaturityEntityCard);
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction);
    expect(filter?.(serviceEntity)).toBe(true);
    expect(filter?.(apiEntity)).toBe(false);

    renderInTestApp(
      <EntityProvider entity={serviceEntity}>
        {tester.reactElement()}
      </EntityProvider>,
      {
        apis: [
          [platformMaturityApiRef, api],
          [permissionApiRef, mockApis.permission()],
        ],
        // The card links the group that granted a waiver to its entity page.
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(
      await screen.findByRole('progressbar', {
        name: 'Platform maturity score',
      }),
    ).toBeInTheDocument();
    expect(api.getScorecard).toHaveBeenCalled();
  });

  it('adds the entity tab at platform-maturity', async () => {
    const api = mockApi({ getScorecard: async () => scorecardResponse() });
    const tester = createExtensionTester(platformMaturityEntityContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('platform-maturity');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Platform maturity',
    );

    renderInTestApp(
      <EntityProvider entity={serviceEntity}>
        {tester.reactElement()}
      </EntityProvider>,
      {
        apis: [
          [platformMaturityApiRef, api],
          [permissionApiRef, mockApis.permission()],
        ],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(
      await screen.findByLabelText('Checks of Build & test'),
    ).toBeInTheDocument();
  });

  it('shows the entity’s level among the About card’s links, leading to the maturity tab', async () => {
    const api = mockApi({ getScorecard: async () => scorecardResponse() });
    const tester = createExtensionTester(platformMaturityEntityLevelLink);
    const filter = tester.get(EntityIconLinkBlueprint.dataRefs.filterFunction);
    expect(filter?.(serviceEntity)).toBe(true);
    expect(filter?.(apiEntity)).toBe(false);
    const useProps = tester.get(EntityIconLinkBlueprint.dataRefs.useProps);

    function Probe() {
      const props = useProps();
      return (
        <a href={props.href} title={props.title}>
          {props.label}
        </a>
      );
    }
    renderInTestApp(
      <EntityProvider entity={serviceEntity}>
        <Probe />
      </EntityProvider>,
      {
        apis: [[platformMaturityApiRef, api]],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(
      await screen.findByRole('link', { name: 'L0 Unpaved' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/orders/platform-maturity',
    );
  });
});
