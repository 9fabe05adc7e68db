import type { Entity } from '@backstage/catalog-model';
import type { TableColumn } from '@backstage/core-components';
import { lazy, Suspense } from 'react';

// The cell's code loads with the first row that shows it, not with the app.
const EntityLevel = lazy(() =>
  import('./EntityPlatformMaturityLevel').then(m => ({
    default: m.EntityLevel,
  })),
);

/**
 * A column for the catalog table (`CatalogIndexPage`'s `columns`, or any table whose rows have an
 * `entity`): each entity's platform maturity level, linked to its maturity tab. Each row asks the
 * backend for its entity's scorecard once per page load.
 *
 * @public
 */
export function createPlatformMaturityLevelColumn<T extends { entity: Entity }>(
  options: { title?: string } = {},
): TableColumn<T> {
  return {
    title: options.title ?? 'Maturity',
    sorting: false,
    render: row => (
      <Suspense fallback="…">
        <EntityLevel entity={row.entity} />
      </Suspense>
    ),
  };
}
