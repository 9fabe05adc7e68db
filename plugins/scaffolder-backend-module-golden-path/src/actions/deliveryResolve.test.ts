import {
  createMockDirectory,
  mockCredentials,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import git from 'isomorphic-git';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import yaml from 'yaml';
import { ORGANISATION } from '../__testUtils__/pavedRepository';
import { runAction } from '../__testUtils__/runAction';
import { startScaffolder } from '../__testUtils__/scaffolderBackend';
import { createDeliveryResolveAction } from './deliveryResolve';
import { examples } from './deliveryResolve.examples';

jest.setTimeout(60_000);

const component = (
  name: string,
  annotations: Record<string, string>,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-orders' },
});

describe('delivery targets (paved:delivery:resolve and the form route)', () => {
  const mockDir = createMockDirectory();
  const root = mockDir.resolve('repositories');
  const github = {
    integrations: { github: [{ host: 'github.com', token: 'secret' }] },
  };
  let entities: Entity[];

  beforeEach(async () => {
    mockDir.clear();
    const repository = path.join(root, 'orders');
    fs.mkdirSync(repository, { recursive: true });
    fs.writeFileSync(path.join(repository, 'catalog-info.yaml'), 'kind: x\n');
    await git.init({ fs, dir: repository });
    await git.setConfig({
      fs,
      dir: repository,
      path: 'paved.publishedBy',
      value: 'paved:publish:local',
    });
    fs.mkdirSync(path.join(root, 'plain'), { recursive: true });
    entities = [
      ...ORGANISATION,
      // Published locally: the local commit works, a pull request cannot.
      component('orders', {
        'backstage.io/managed-by-location': `file:${repository}/catalog-info.yaml`,
      }),
      // On GitHub, in a monorepo directory.
      component('payments', {
        'backstage.io/managed-by-location':
          'url:https://github.com/acme/mono/blob/main/payments/catalog-info.yaml',
        'backstage.io/source-location':
          'url:https://github.com/acme/mono/tree/main/payments/',
      }),
      // A local catalog file whose repository is elsewhere (as the warehouse-sync example).
      component('warehouse', {
        'backstage.io/managed-by-location': `file:${repository}/catalog-info.yaml`,
        'backstage.io/source-location': 'file:/var/lib/elsewhere/warehouse/',
      }),
      // Under the root, but not a repository published there.
      component('plain', {
        'backstage.io/managed-by-location': `file:${root}/plain/catalog-info.yaml`,
      }),
      component('gitlab', {
        'backstage.io/source-location':
          'url:https://gitlab.com/acme/gitlab/-/tree/main/',
      }),
    ];
  });

  function action(config: object) {
    return createDeliveryResolveAction({
      config: new ConfigReader(config),
      catalog: catalogServiceMock({ entities }),
    });
  }

  async function resolve(config: object, entityRef: string, target: string) {
    return (await runAction(action(config), { input: { entityRef, target } }))
      .outputs;
  }

  it('outputs what the fetch and publish steps need for an available target', async () => {
    const config = { ...github, goldenPath: { localPublish: { root } } };
    expect(await resolve(config, 'component:default/orders', 'local')).toEqual({
      location: `file:${root}/orders/catalog-info.yaml`,
    });
    expect(await resolve(config, 'component:default/payments', 'scm')).toEqual({
      fetchUrl: 'https://github.com/acme/mono/tree/main/payments/',
      repoUrl: 'github.com?owner=acme&repo=mono',
      targetPath: 'payments',
    });
  });

  it('fails before anything is fetched with a sentence saying what to change', async () => {
    const config = { goldenPath: { localPublish: { root } } };
    await expect(
      resolve(config, 'component:default/orders', 'scm'),
    ).rejects.toThrow(
      `"A pull request to the service's repository" cannot work for component:default/orders: component:default/orders's repository is a directory on the Backstage server (${root}/orders/catalog-info.yaml), not on a Git host, so a pull request cannot be opened. Choose "A new commit in the local repository root" instead.`,
    );
    await expect(
      resolve(config, 'component:default/payments', 'scm'),
    ).rejects.toThrow(
      'The GitHub integration for github.com has no credentials, so no pull request can be opened. Ask your Backstage admins to give integrations.github a token or a GitHub App.',
    );
    await expect(
      resolve({}, 'component:default/orders', 'local'),
    ).rejects.toThrow(
      'Local delivery is off on this Backstage: goldenPath.localPublish.root is not set.',
    );
    await expect(
      resolve(config, 'component:default/warehouse', 'local'),
    ).rejects.toThrow(
      "component:default/warehouse's source location /var/lib/elsewhere/warehouse/ is not its local repository",
    );
    await expect(
      resolve(config, 'component:default/plain', 'local'),
    ).rejects.toThrow(
      `${root}/plain is not a git repository published by paved:publish:local, so it is left alone.`,
    );
    await expect(
      resolve(config, 'component:default/orders', 'github'),
    ).rejects.toThrow(
      "Invalid input 'target': choose where the change goes, one of scm, local",
    );
    await expect(
      resolve(config, 'component:default/nobody', 'local'),
    ).rejects.toThrow(
      "Invalid input 'entityRef': component:default/nobody is not in the catalog",
    );
  });

  it('explains hosts without a pull-request action', async () => {
    const config = {
      integrations: { gitlab: [{ host: 'gitlab.com', token: 'secret' }] },
    };
    await expect(
      resolve(config, 'component:default/gitlab', 'scm'),
    ).rejects.toThrow(
      "component:default/gitlab's repository is on gitlab.com (gitlab); this template opens pull requests on GitHub hosts only.",
    );
  });

  it('runs the examples', async () => {
    const config = { ...github, goldenPath: { localPublish: { root } } };
    const onGitHub = component('orders', {
      'backstage.io/source-location': 'url:https://github.com/acme/orders/',
    });
    for (const example of examples) {
      const step = yaml
        .parse(example.example)
        .steps.find((s: any) => s.action === 'paved:delivery:resolve');
      if (step.input.target === 'scm') {
        entities = [
          ...entities.filter(e => e.metadata.name !== 'orders'),
          onGitHub,
        ];
      }
      const outputs = await resolve(
        config,
        step.input.entityRef,
        step.input.target,
      );
      expect(Object.keys(outputs).sort()).toEqual(
        step.input.target === 'scm'
          ? ['fetchUrl', 'repoUrl', 'targetPath']
          : ['location'],
      );
    }
  });

  it('answers the form with the same decision, and with the naming rule', async () => {
    const { server } = await startScaffolder({
      entities,
      config: {
        goldenPath: {
          localPublish: { root },
          policy: {
            namePattern: '^svc-[a-z]+$',
            namePatternDescription: 'svc- and lower-case letters',
          },
        },
      },
    });
    const targets = await request(server)
      .get('/api/scaffolder/paved/v1/delivery-targets')
      .query({ entityRef: 'component:default/orders' })
      .set('Authorization', mockCredentials.user.header());
    expect(targets.status).toBe(200);
    expect(targets.body).toEqual({
      entityRef: 'component:default/orders',
      targets: [
        {
          id: 'scm',
          title: "A pull request to the service's repository",
          available: false,
          reason: expect.stringContaining('not on a Git host'),
        },
        {
          id: 'local',
          title: 'A new commit in the local repository root',
          available: true,
        },
      ],
    });

    const missing = await request(server)
      .get('/api/scaffolder/paved/v1/delivery-targets')
      .query({ entityRef: 'component:default/nobody' })
      .set('Authorization', mockCredentials.user.header());
    expect(missing.status).toBe(404);
    const bad = await request(server)
      .get('/api/scaffolder/paved/v1/delivery-targets')
      .query({ entityRef: '' })
      .set('Authorization', mockCredentials.user.header());
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/entityRef/);

    // Without an entity: where a new service can be published.
    const publish = await request(server)
      .get('/api/scaffolder/paved/v1/delivery-targets')
      .set('Authorization', mockCredentials.user.header());
    expect(publish.body.targets).toEqual([
      {
        id: 'scm',
        title: 'A new GitHub repository',
        available: false,
        reason: expect.stringContaining(
          'No GitHub integration with credentials',
        ),
      },
      { id: 'local', title: 'The local repository root', available: true },
    ]);

    const rule = await request(server)
      .get('/api/scaffolder/paved/v1/service-name-rule')
      .set('Authorization', mockCredentials.user.header());
    expect(rule.body).toEqual({
      pattern: '^svc-[a-z]+$',
      description: 'svc- and lower-case letters',
      maxLength: 63,
    });
    const invalid = await request(server)
      .get('/api/scaffolder/paved/v1/service-name-rule')
      .set('Authorization', mockCredentials.user.invalidHeader());
    expect(invalid.status).toBe(401);
  });
});
