import {
  createBackendModule,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  CatalogService,
  catalogLocationsExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import fs from 'node:fs';
import path from 'node:path';
import { PAVED_REPOSITORY, writeFiles } from '../__testUtils__/pavedRepository';
import { runAction } from '../__testUtils__/runAction';
import { createPublishLocalAction } from './publishLocal';

jest.setTimeout(60_000);

/** What an adopter adds to the backend so that the catalog accepts `file` locations. */
const catalogModuleFileLocations = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'file-locations',
  register(env) {
    env.registerInit({
      deps: { locations: catalogLocationsExtensionPoint },
      async init({ locations }) {
        locations.setAllowedLocationTypes(['url', 'file']);
      },
    });
  },
});

describe('paved:publish:local with the real catalog backend', () => {
  const mockDir = createMockDirectory();

  /** Starts the catalog and returns the catalog service as another plugin sees it. */
  async function start(allowFile: boolean) {
    let catalog: CatalogService | undefined;
    const probe = createBackendPlugin({
      pluginId: 'probe',
      register(env) {
        env.registerInit({
          deps: { catalogService: catalogServiceRef },
          async init({ catalogService }) {
            catalog = catalogService;
          },
        });
      },
    });
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        probe,
        ...(allowFile ? [catalogModuleFileLocations] : []),
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              // The default rules admit only Components, APIs and Locations; our templates add Resources.
              rules: [{ allow: ['Component', 'API', 'Resource', 'Location'] }],
              processingInterval: { seconds: 1 },
            },
          },
        }),
      ],
    });
    return { backend, catalog: catalog! };
  }

  it('registers the published catalog-info.yaml as a file location, and its entities appear', async () => {
    mockDir.clear();
    const workspacePath = mockDir.resolve('workspace');
    const root = mockDir.resolve('published');
    writeFiles(workspacePath, PAVED_REPOSITORY);
    const { backend, catalog } = await start(true);
    try {
      const action = createPublishLocalAction({
        catalog,
        config: new ConfigReader({ goldenPath: { localPublish: { root } } }),
      });
      const run = async () => {
        await runAction(action, {
          input: { repoName: 'orders', overwrite: true },
          workspacePath,
        });
      };
      await run();

      const credentials = mockCredentials.user();
      let entity;
      for (let i = 0; i < 120 && !entity; i++) {
        await new Promise(resolve => setTimeout(resolve, 250));
        entity = await catalog.getEntityByRef('component:default/orders', {
          credentials,
        });
      }
      expect(entity?.metadata.annotations).toMatchObject({
        'backstage.io/managed-by-location': `file:${path.join(
          root,
          'orders/catalog-info.yaml',
        )}`,
      });
      expect(
        await catalog.getEntityByRef('resource:default/orders-db', {
          credentials,
        }),
      ).toBeDefined();

      // Publishing again finds the location registered and refreshes instead.
      writeFiles(workspacePath, { 'docs/index.md': '# Orders\n' });
      await expect(run()).resolves.toBeUndefined();
    } finally {
      await backend.stop();
    }
  });

  it('publishes an API whose definition is a relative file as one the catalog ingests', async () => {
    mockDir.clear();
    const workspacePath = mockDir.resolve('workspace');
    const root = mockDir.resolve('published');
    const openapi =
      'openapi: 3.0.3\ninfo:\n  title: Orders\n  version: 1.0.0\npaths: {}\n';
    writeFiles(workspacePath, {
      ...PAVED_REPOSITORY,
      'catalog-info.yaml': `${PAVED_REPOSITORY['catalog-info.yaml']}---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: orders-api
spec:
  type: openapi
  lifecycle: production
  owner: group:default/team-orders
  # The service's own copy: the catalog reads it from here
  definition:
    $text: ./openapi.yaml
`,
      'openapi.yaml': openapi,
    });
    const { backend, catalog } = await start(true);
    try {
      const action = createPublishLocalAction({
        catalog,
        config: new ConfigReader({ goldenPath: { localPublish: { root } } }),
      });
      await runAction(action, {
        input: { repoName: 'orders', overwrite: true },
        workspacePath,
      });

      const credentials = mockCredentials.user();
      let api;
      for (let i = 0; i < 120 && !api; i++) {
        await new Promise(resolve => setTimeout(resolve, 250));
        api = await catalog.getEntityByRef('api:default/orders-api', {
          credentials,
        });
      }
      expect(api?.spec?.definition).toBe(openapi);
      // The repository keeps the file, and the comments of its catalog-info.yaml.
      const published = fs.readFileSync(
        path.join(root, 'orders/catalog-info.yaml'),
        'utf8',
      );
      expect(published).toContain("# The service's own copy");
      expect(
        fs.readFileSync(path.join(root, 'orders/openapi.yaml'), 'utf8'),
      ).toBe(openapi);
    } finally {
      await backend.stop();
    }
  });

  it('fails with guidance when the catalog does not accept file locations (its default)', async () => {
    mockDir.clear();
    const workspacePath = mockDir.resolve('workspace');
    writeFiles(workspacePath, PAVED_REPOSITORY);
    const { backend, catalog } = await start(false);
    try {
      const action = createPublishLocalAction({
        catalog,
        config: new ConfigReader({
          goldenPath: { localPublish: { root: mockDir.resolve('published') } },
        }),
      });
      await expect(
        runAction(action, { input: { repoName: 'orders' }, workspacePath }),
      ).rejects.toThrow(
        /Registered locations must be of an allowed type \["url"\]\. Allow 'file' locations in the catalog/,
      );
    } finally {
      await backend.stop();
    }
  });
});
