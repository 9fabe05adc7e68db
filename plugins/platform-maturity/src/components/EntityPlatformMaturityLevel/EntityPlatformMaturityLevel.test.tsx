import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import type { CatalogTableRow } from '@backstage/plugin-catalog';
import type { TableColumn } from '@backstage/core-components';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import {
  mockApi,
  scorecardResponse,
  serviceEntity,
  serviceNamed,
} from '../../__testUtils__/fixtures';
import {
  type PlatformMaturityApi,
  platformMaturityApiRef,
} from '../../api/PlatformMaturityApi';
import { createPlatformMaturityLevelColumn } from './columns';
import { EntityPlatformMaturityLevelBadge } from './EntityPlatformMaturityLevel';

function render(api: PlatformMaturityApi, children: ReactNode) {
  return renderInTestApp(
    <TestApiProvider apis={[[platformMaturityApiRef, api]]}>
      {children}
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('the catalog table column', () => {
  it('shows each entity’s level linked to its maturity tab, asking once per entity', async () => {
    const unscored = serviceNamed('payments');
    const api = mockApi({
      getScorecard: async ref =>
        ref.name === 'orders' ? scorecardResponse() : undefined,
    });
    // The type the legacy CatalogIndexPage's `columns` takes.
    const column: TableColumn<CatalogTableRow> =
      createPlatformMaturityLevelColumn();
    expect(column.title).toBe('Maturity');
    const row = (entity: typeof serviceEntity) =>
      ({ entity, resolved: {} } as unknown as CatalogTableRow);
    const rows = [
      row(serviceEntity),
      row(unscored),
      // The table re-renders rows as it sorts and pages: the same entity asks only once.
      row(serviceEntity),
    ];
    await render(
      api,
      <table>
        <tbody>
          {rows.map((item, index) => (
            <tr key={index}>
              <td>{column.render!(item, 'row')}</td>
            </tr>
          ))}
        </tbody>
      </table>,
    );

    const links = await screen.findAllByRole('link', { name: 'L0 Unpaved' });
    expect(links).toHaveLength(2);
    expect(links[0]).toHaveAttribute(
      'href',
      '/catalog/default/component/orders/platform-maturity',
    );
    expect(
      await screen.findByTitle('Not evaluated, or no check applies'),
    ).toHaveTextContent('—');
    expect(api.getScorecard).toHaveBeenCalledTimes(2);
  });
});

describe('EntityPlatformMaturityLevelBadge', () => {
  it('shows the current entity’s level, linked to its maturity tab', async () => {
    const api = mockApi({ getScorecard: async () => scorecardResponse() });
    await render(
      api,
      <EntityProvider entity={serviceEntity}>
        <EntityPlatformMaturityLevelBadge />
      </EntityProvider>,
    );
    expect(
      await screen.findByRole('link', { name: 'L0 Unpaved' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/orders/platform-maturity',
    );
  });
});
