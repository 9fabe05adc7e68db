import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
// The test compares the backend's verdict with this module's: it needs both plugins.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import platformMaturityPlugin from '@paved/plugin-platform-maturity-backend';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import yaml from 'yaml';
import { PAVED_REPOSITORY, writeFiles } from './__testUtils__/pavedRepository';
import { runAction } from './__testUtils__/runAction';
import { createMaturityVerifyAction } from './actions/maturityVerify';

jest.setTimeout(120_000);

/** The command-line scorer of this repository, run as a user runs it. */
const CLI = path.resolve(__dirname, '../../platform-maturity-cli/bin/paved');

/** What the catalog knows besides the service: its owner and its system. */
const CATALOG: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-orders', namespace: 'default' },
    spec: { type: 'team', children: [] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'commerce', namespace: 'default' },
    spec: { owner: 'group:default/team-orders' },
  },
];

/** A scorecard without the time it was computed at: the rest must be the same everywhere. */
function comparable(scorecard: Record<string, unknown>) {
  const { evaluatedAt: _evaluatedAt, ...rest } = scorecard;
  return JSON.stringify(rest, null, 2);
}

/**
 * Scores the files through the CLI, the backend API and paved:maturity:verify, with the same
 * configuration (written to an app-config file for the CLI).
 */
async function scoreEverywhere(
  mockDir: ReturnType<typeof createMockDirectory>,
  files: Record<string, string>,
  appConfig: Record<string, any> = {},
) {
  const repository = mockDir.resolve('repositories/orders');
  writeFiles(repository, files);
  const catalogFile = mockDir.resolve('catalog.yaml');
  fs.writeFileSync(
    catalogFile,
    CATALOG.map(e => yaml.stringify(e)).join('---\n'),
  );
  const configFile = mockDir.resolve('app-config.yaml');
  fs.writeFileSync(configFile, yaml.stringify(appConfig));

  // 1. The command-line scorer.
  const cli = spawnSync(
    process.execPath,
    [
      CLI,
      'score',
      repository,
      '--format',
      'json',
      '--catalog',
      catalogFile,
      '--config',
      configFile,
    ],
    { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
  );
  expect(cli.stderr).toBe('');
  const fromCli = JSON.parse(cli.stdout).scorecard;

  // 2. The backend, reading the repository from its catalog entry's directory.
  const documents = yaml
    .parseAllDocuments(files['catalog-info.yaml'])
    .map(d => d.toJS() as Entity);
  const located = documents.map(entity => ({
    ...entity,
    metadata: {
      ...entity.metadata,
      namespace: 'default',
      annotations: {
        ...entity.metadata.annotations,
        'backstage.io/managed-by-location': `file:${repository}/catalog-info.yaml`,
        'backstage.io/managed-by-origin-location': `file:${repository}/catalog-info.yaml`,
      },
    },
  }));
  const backend = await startTestBackend({
    features: [
      platformMaturityPlugin,
      createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        factory: () =>
          catalogServiceMock({ entities: [...CATALOG, ...located] }),
      }),
      mockServices.rootConfig.factory({
        data: {
          ...appConfig,
          platformMaturity: {
            ...appConfig.platformMaturity,
            schedule: {
              frequency: { hours: 1 },
              timeout: { minutes: 5 },
              initialDelay: { seconds: 0 },
            },
            repository: { allowedLocalRoots: [mockDir.path] },
          },
        },
      }),
    ],
  });
  let fromBackend: Record<string, unknown>;
  try {
    const response = await request(backend.server)
      .get('/api/platform-maturity/v1/scorecards/component/default/orders')
      .set('Authorization', mockCredentials.user.header());
    expect(response.status).toBe(200);
    fromBackend = response.body.scorecard;
  } finally {
    await backend.stop();
  }

  // 3. The template step, on a workspace with the same files.
  const workspacePath = mockDir.resolve('workspace');
  writeFiles(workspacePath, files);
  const { outputs } = await runAction(
    createMaturityVerifyAction({
      catalog: catalogServiceMock({ entities: CATALOG }),
      config: new ConfigReader(appConfig),
    }),
    { workspacePath, input: {} },
  );
  const fromVerify = outputs.scorecard as Record<string, unknown>;
  return { fromCli, fromBackend, fromVerify };
}

describe('one verdict on every surface', () => {
  const mockDir = createMockDirectory();

  it('scores the same files alike through the CLI, the backend API and paved:maturity:verify', async () => {
    // A service with some checks failing: no rollback workflow, no autoscaler.
    const files: Record<string, string> = { ...PAVED_REPOSITORY };
    delete files['.github/workflows/rollback.yml'];
    delete files['charts/orders/templates/hpa.yaml'];
    const { fromCli, fromBackend, fromVerify } = await scoreEverywhere(
      mockDir,
      files,
    );

    // The same verdict, message, evidence and level, byte for byte.
    expect(fromCli.results.some((r: any) => r.status === 'fail')).toBe(true);
    expect(comparable(fromBackend)).toBe(comparable(fromCli));
    expect(comparable(fromVerify)).toBe(comparable(fromCli));
  });

  it("tells a service behind the platform team's golden path alike everywhere", async () => {
    // The platform team's content is at 1.1.0; the service was made with 1.0.0.
    const content = mockDir.resolve('golden-path');
    writeFiles(content, {
      'CHANGELOG.yaml': yaml.stringify({
        source: 'acme-platform',
        releases: [
          { version: '1.1.0', changes: ['CI caches dependencies.'] },
          { version: '1.0.0', changes: ['First release.'] },
        ],
      }),
    });
    const catalogInfo = yaml
      .parseAllDocuments(PAVED_REPOSITORY['catalog-info.yaml'])
      .map(d => {
        const entity = d.toJS() as Entity;
        if (entity.kind === 'Component') {
          entity.metadata.annotations = {
            ...entity.metadata.annotations,
            'paved.dev/golden-path-version': '1.0.0',
            'paved.dev/golden-path-source': 'acme-platform',
          };
        }
        return yaml.stringify(entity);
      })
      .join('---\n');
    const { fromCli, fromBackend, fromVerify } = await scoreEverywhere(
      mockDir,
      { ...PAVED_REPOSITORY, 'catalog-info.yaml': catalogInfo },
      { goldenPath: { content: { directory: content } } },
    );

    const drift = fromCli.results.find(
      (r: any) => r.checkId === 'as-code.golden-path-current',
    );
    expect(drift).toMatchObject({
      status: 'fail',
      message:
        'Behind the golden path: on 1.0.0, the current is 1.1.0. Changed since: 1.1.0: CI caches dependencies.',
    });
    expect(comparable(fromBackend)).toBe(comparable(fromCli));
    expect(comparable(fromVerify)).toBe(comparable(fromCli));
  });
});
