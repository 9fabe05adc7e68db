import {
  coreExtensionData,
  createExtensionDataRef,
  createFrontendModule,
  FrontendModule,
} from '@backstage/frontend-plugin-api';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { Fragment } from 'react';
import { createPlatformMaturityLevelColumn } from '../components/EntityPlatformMaturityLevel/columns';

type CatalogExportSettings = NonNullable<
  import('@backstage/plugin-catalog/alpha').CatalogIndexPageProps['exportSettings']
>;

// What the catalog page receives from `catalog-export-config` extensions, merged as the catalog
// plugin's own page merges it: exporters add up, the first extension's columns and callbacks win
// over later ones, and the page's own config comes first.
function mergeExportSettings(
  configured: { enabled?: boolean; disableBuiltinExporters?: boolean } = {},
  contributed: Array<Partial<CatalogExportSettings> | undefined>,
): CatalogExportSettings | undefined {
  const merged: CatalogExportSettings = { ...configured };
  for (const data of contributed) {
    if (!data) continue;
    if (data.exporters) {
      merged.exporters = { ...merged.exporters, ...data.exporters };
    }
    merged.columns ??= data.columns;
    merged.onSuccess ??= data.onSuccess;
    merged.onError ??= data.onError;
  }
  return merged.enabled ? merged : undefined;
}

// The catalog plugin keeps this data ref to itself; the id is what its page input matches on.
const catalogExportCustomizationDataRef = createExtensionDataRef<
  Partial<CatalogExportSettings>
>().with({ id: 'catalog.export-customization' });

// The field of the catalog table's name column (`columnFactories.createNameColumn`).
const NAME_FIELD = 'resolved.entityRef';

/**
 * The catalog's own index page (`page:catalog`) with a platform maturity column added after the
 * name column. Everything else is the catalog plugin's page: its filters (including filters
 * other plugins contribute), its `pagination` and `exportSettings` configuration and its export
 * extensions.
 */
const catalogPageWithMaturityColumn = catalogPlugin
  .getExtension('page:catalog')
  .override({
    factory(originalFactory, { inputs, config }) {
      return originalFactory({
        params: {
          loader: async () => {
            const [{ CatalogIndexPage }, { CatalogTable }] = await Promise.all([
              import('@backstage/plugin-catalog/alpha'),
              import('@backstage/plugin-catalog'),
            ]);
            const filters = inputs.filters.map(filter => (
              <Fragment key={filter.node.spec.id}>
                {filter.get(coreExtensionData.reactElement)}
              </Fragment>
            ));
            const exportSettings = mergeExportSettings(
              config.exportSettings,
              inputs.exportConfig.map(input =>
                input.get(catalogExportCustomizationDataRef),
              ),
            );
            return (
              <CatalogIndexPage
                filters={<>{filters}</>}
                pagination={config.pagination}
                exportSettings={exportSettings}
                columns={context => {
                  const columns = CatalogTable.defaultColumnsFunc(context);
                  // Next to the name, where it shows without scrolling a wide table sideways;
                  // last when the kind's columns have no name.
                  const name = columns.findIndex(
                    column => column.field === NAME_FIELD,
                  );
                  const at = name < 0 ? columns.length : name + 1;
                  return [
                    ...columns.slice(0, at),
                    createPlatformMaturityLevelColumn(),
                    ...columns.slice(at),
                  ];
                }}
              />
            );
          },
        },
      });
    },
  });

/**
 * A frontend module for the catalog plugin that adds a platform maturity column (each entity's
 * level, linked to its maturity tab), after the name, to the catalog's index page in the new frontend system, whose
 * catalog page takes no table columns of its own. Install it next to the catalog plugin:
 * `createApp({ features: [catalogPlugin, platformMaturityPlugin, platformMaturityCatalogModule] })`.
 * It replaces `page:catalog` with the same page plus the column, so leave it out if your app
 * overrides `page:catalog` itself (use `createPlatformMaturityLevelColumn` in your override).
 *
 * @alpha
 */
export const platformMaturityCatalogModule: FrontendModule =
  createFrontendModule({
    pluginId: 'catalog',
    extensions: [catalogPageWithMaturityColumn],
  });
