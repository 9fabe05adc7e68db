import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { mockApis, renderTestApp } from '@backstage/frontend-test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { screen, within } from '@testing-library/react';
import {
  mockApi,
  scorecardResponse,
  serviceEntity,
} from '../__testUtils__/fixtures';
import { platformMaturityApiRef } from '../api/PlatformMaturityApi';
import { platformMaturityCatalogModule } from '../alpha';

describe('platformMaturityCatalogModule', () => {
  it("adds the maturity column to the catalog plugin's own index page, linking each level to the maturity tab", async () => {
    const api = mockApi({ getScorecard: async () => scorecardResponse() });
    renderTestApp({
      features: [catalogPlugin, platformMaturityCatalogModule],
      initialRouteEntries: [
        '/catalog?filters[kind]=component&filters[user]=all',
      ],
      apis: [
        [catalogApiRef, catalogApiMock({ entities: [serviceEntity] })],
        [platformMaturityApiRef, api],
        [permissionApiRef, mockApis.permission()],
      ],
    });

    const maturity = await screen.findByRole(
      'columnheader',
      { name: 'Maturity' },
      { timeout: 10_000 },
    );
    const headers = within(maturity.closest('tr')!)
      .getAllByRole('columnheader')
      .map(h => h.textContent);
    // The catalog's own columns, ours next to the name.
    expect(headers.slice(0, 4)).toEqual([
      'Name',
      'Maturity',
      'System',
      'Owner',
    ]);

    // The one entity's level; its cell's code loads lazily, with the first row that shows it.
    const level = await screen.findByRole(
      'link',
      { name: 'L0 Unpaved' },
      { timeout: 10_000 },
    );
    expect(level.closest('tr')).toHaveTextContent('orders');
    expect(level).toHaveAttribute(
      'href',
      '/catalog/default/component/orders/platform-maturity',
    );
    expect(api.getScorecard).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'orders' }),
    );
  });
});
