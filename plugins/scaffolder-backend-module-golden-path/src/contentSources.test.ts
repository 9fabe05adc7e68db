import { createBackendModule } from '@backstage/backend-plugin-api';
import { SimulatedGitHost } from '@paved/plugin-platform-maturity-node/testUtils';
import fs from 'node:fs';
import path from 'node:path';
import { goldenPathContentExtensionPoint } from './extensions';
import { dryRun, startScaffolder } from './__testUtils__/scaffolderBackend';

jest.setTimeout(120_000);

/** The example override's Helm chart set (examples/golden-path-content/deploy/helm). */
const EXAMPLE_HELM = path.resolve(
  __dirname,
  '../../../examples/golden-path-content/deploy/helm',
);

/** Every file of a directory by its path relative to it, with `/` separators. */
function filesOf(dir: string, prefix = ''): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, {
    recursive: true,
    withFileTypes: true,
  })) {
    if (entry.isFile()) {
      const full = path.join(entry.parentPath, entry.name);
      const rel = path.relative(dir, full).split(path.sep).join('/');
      files[`${prefix}${rel}`] = fs.readFileSync(full, 'utf8');
    }
  }
  return files;
}

/** A template that writes the catalog entry and the Helm deployment of `orders`. */
const DEPLOY_TEMPLATE = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'deploy-orders' },
  spec: {
    owner: 'group:default/platform',
    type: 'service',
    steps: [
      {
        id: 'catalog',
        action: 'paved:catalog:write',
        input: { name: 'orders', owner: 'group:default/team-orders' },
      },
      {
        id: 'deploy',
        action: 'paved:deploy:add',
        input: {
          name: 'orders',
          stack: 'node',
          method: 'helm',
          image: 'ghcr.io/acme/orders',
        },
      },
    ],
  },
};

describe('golden-path content from a URL and from a backend module', () => {
  let host: SimulatedGitHost;

  beforeAll(async () => {
    host = await SimulatedGitHost.start({ repositories: 0 });
  });

  afterAll(async () => {
    await host.stop();
  });

  it("renders a variant read at start-up from the platform team's Git repository", async () => {
    host.setRepository(
      'platform/golden-paths',
      filesOf(EXAMPLE_HELM, 'paved/deploy/helm/'),
    );
    const { server } = await startScaffolder({
      config: {
        integrations: { github: [host.integrationConfig()] },
        goldenPath: {
          content: {
            capabilities: {
              deploy: {
                variants: {
                  helm: {
                    url: host.treeUrl('platform/golden-paths', {
                      path: 'paved/deploy/helm',
                    }),
                  },
                },
              },
            },
          },
        },
      },
    });
    const result = await dryRun(server, DEPLOY_TEMPLATE, {});
    expect(result.status).toBe(200);
    expect(result.files['charts/orders/Chart.yaml']).toContain(
      'platform.acme.example/golden-path: acme-service-chart@2.1.0',
    );
    expect(Object.keys(result.files)).toContain(
      'charts/orders/templates/pdb.yaml',
    );
    // The other capabilities and variants keep the package's own content.
    expect(result.files['.github/workflows/rollback.yaml']).toBeDefined();
  });

  it('reads a whole capability from a URL and stops start-up naming the URL of a malformed manifest', async () => {
    host.setRepository('platform/broken', {
      'deploy/helm/manifest.yaml': 'version: one\nfiles: {}\n',
    });
    const url = host.treeUrl('platform/broken', { path: 'deploy' });
    await expect(
      startScaffolder({
        config: {
          integrations: { github: [host.integrationConfig()] },
          goldenPath: { content: { capabilities: { deploy: { url } } } },
        },
      }),
    ).rejects.toThrow(
      `${url}helm/manifest.yaml: 'version' must be a version like 1.0.0`,
    );
  });

  it('stops start-up naming the URL of a file that does not render', async () => {
    host.setRepository('platform/typo', {
      'runbook/manifest.yaml':
        'version: 1.0.0\nfiles:\n  RUNBOOK.md: { merge: runbook-section }\n',
      'runbook/RUNBOOK.md': '# ${{ values.name }\n\n## Rolling back\n',
    });
    const url = host.treeUrl('platform/typo', { path: 'runbook' });
    await expect(
      startScaffolder({
        config: {
          integrations: { github: [host.integrationConfig()] },
          goldenPath: {
            content: {
              capabilities: { deploy: { variants: { runbook: { url } } } },
            },
          },
        },
      }),
    ).rejects.toThrow(`${url}RUNBOOK.md does not render:`);
  });

  it('stops start-up naming the key and the URL when the URL cannot be read', async () => {
    const url = host.treeUrl('platform/missing');
    await expect(
      startScaffolder({
        config: {
          integrations: { github: [host.integrationConfig()] },
          goldenPath: { content: { url } },
        },
      }),
    ).rejects.toThrow(
      `Cannot read the golden-path content at ${url} (goldenPath.content.url)`,
    );
  });

  it('renders a variant a backend module contributes through the extension point', async () => {
    const acmeContent = createBackendModule({
      pluginId: 'scaffolder',
      moduleId: 'acme-golden-path-content',
      register(env) {
        env.registerInit({
          deps: { content: goldenPathContentExtensionPoint },
          async init({ content }) {
            content.addContent({
              capability: 'deploy',
              variant: 'helm',
              files: filesOf(EXAMPLE_HELM),
            });
          },
        });
      },
    });
    const { server } = await startScaffolder({ features: [acmeContent] });
    const result = await dryRun(server, DEPLOY_TEMPLATE, {});
    expect(result.status).toBe(200);
    expect(result.files['charts/orders/Chart.yaml']).toContain(
      'platform.acme.example/golden-path: acme-service-chart@2.1.0',
    );
  });

  it('checks contributed content at start-up like the rest, naming the contribution', async () => {
    const broken = createBackendModule({
      pluginId: 'scaffolder',
      moduleId: 'broken-content',
      register(env) {
        env.registerInit({
          deps: { content: goldenPathContentExtensionPoint },
          async init({ content }) {
            content.addContent({ variant: 'helm', files: {} });
          },
        });
      },
    });
    await expect(startScaffolder({ features: [broken] })).rejects.toThrow(
      "Invalid golden-path content contribution #1 (goldenPathContentExtensionPoint): 'variant' needs 'capability'",
    );
  });
});
