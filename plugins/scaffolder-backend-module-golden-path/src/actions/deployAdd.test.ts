import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import yaml from 'yaml';
import { actionWorkspace, fileChanges } from '../__testUtils__/runAction';
import {
  capabilityStatuses,
  readTree,
  scoreWorkspace,
  unparsableFiles,
} from '../__testUtils__/scoreWorkspace';
import { validateEntities } from '../lib/catalogInfo';
import { createBuildAddAction } from './buildAdd';
import { createCatalogWriteAction } from './catalogWrite';
import { createDeployAddAction } from './deployAdd';
import { examples } from './deployAdd.examples';

const ALL_DEPLOY_CHECKS_PASS = {
  'deploy.manifests': 'pass',
  'deploy.versioning': 'pass',
  'deploy.rollback': 'pass',
};

/** The status of the deploy checks judged from the repository alone (no Argo CD annotation). */
async function repositoryDeployStatuses(dir: string) {
  return capabilityStatuses(
    await scoreWorkspace(dir, {
      entity: {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'orders' },
        spec: {
          type: 'service',
          lifecycle: 'production',
          owner: 'group:default/team-orders',
        },
      },
    }),
    'deploy',
  );
}

function hasKubectl() {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('paved:deploy:add', () => {
  const action = createDeployAddAction();
  const { mockDir, run, read, expectSecondRunChangesNothing } =
    actionWorkspace(action);

  describe.each([
    ['helm', 'github-actions', 'release-please'],
    ['kustomize', 'github-actions', 'release-please'],
    ['helm', 'gitlab-ci', 'git-tags'],
    ['kustomize', 'gitlab-ci', 'git-tags'],
    ['helm', 'github-actions', 'changesets'],
    ['helm', 'github-actions', 'git-tags'],
  ])('%s on %s with %s', (method, ciProvider, versioning) => {
    it('makes every deploy check pass on an empty workspace, and a second run changes nothing', async () => {
      const input = {
        name: 'orders',
        method,
        ciProvider,
        versioning,
        stack: 'node',
        image: 'ghcr.io/acme/orders',
      };
      const first = await run(input);
      expect(await repositoryDeployStatuses(mockDir.path)).toEqual(
        ALL_DEPLOY_CHECKS_PASS,
      );
      expect(first.ctx.output).toHaveBeenCalledWith('versioning', versioning);
      expect(
        first.outputs.files.every((f: any) => f.change === 'created'),
      ).toBe(true);

      const tree = readTree(mockDir.path);
      expect(unparsableFiles(tree)).toEqual([]);
      expect(tree['RUNBOOK.md']).toMatch(/^## Rolling back a release$/m);

      await expectSecondRunChangesNothing(input);
    });
  });

  it('writes a Helm chart whose values capacity can fill without touching the templates', async () => {
    await run({ name: 'orders', image: 'ghcr.io/acme/orders', port: 3000 });
    const chart = yaml.parse(read('charts/orders/Chart.yaml'));
    expect(chart).toMatchObject({
      apiVersion: 'v2',
      name: 'orders',
      version: '0.1.0',
      appVersion: '0.1.0',
    });
    const values = yaml.parse(read('charts/orders/values.yaml'));
    expect(values).toMatchObject({
      image: { repository: 'ghcr.io/acme/orders', tag: '' },
      containerPort: 3000,
      resources: {},
      autoscaling: {
        enabled: false,
        minReplicas: 2,
        maxReplicas: 5,
        targetCPUUtilizationPercentage: 80,
      },
      env: [],
      initContainers: [],
    });
    const deployment = read('charts/orders/templates/deployment.yaml');
    expect(deployment).toContain(
      '{{- toYaml .Values.resources | nindent 12 }}',
    );
    expect(deployment).toContain('{{- if not .Values.autoscaling.enabled }}');
    expect(deployment).toContain(
      ':{{ .Values.image.tag | default .Chart.AppVersion }}"',
    );
    expect(read('charts/orders/templates/hpa.yaml')).toMatch(
      /^\{\{- if \.Values\.autoscaling\.enabled \}\}/,
    );

    // Capacity: switching autoscaling on and setting resources in values is enough.
    fs.writeFileSync(
      mockDir.resolve('charts/orders/values.yaml'),
      read('charts/orders/values.yaml')
        .replace('enabled: false', 'enabled: true')
        .replace(
          'resources: {}',
          'resources:\n  requests:\n    cpu: 100m\n    memory: 128Mi\n  limits:\n    cpu: 500m\n    memory: 256Mi',
        ),
    );
    expect(
      capabilityStatuses(await scoreWorkspace(mockDir.path), 'capacity'),
    ).toEqual({
      'capacity.autoscaling': 'pass',
      'capacity.resources': 'pass',
    });

    // Release-please bumps the chart and tags the release that builds the versioned image.
    const config = JSON.parse(read('release-please-config.json'));
    expect(config.packages['.']).toEqual({
      'release-type': 'simple',
      'package-name': 'orders',
      'extra-files': [
        {
          type: 'yaml',
          path: 'charts/orders/Chart.yaml',
          jsonpath: '$.version',
        },
        {
          type: 'yaml',
          path: 'charts/orders/Chart.yaml',
          jsonpath: '$.appVersion',
        },
      ],
    });
    expect(JSON.parse(read('.release-please-manifest.json'))).toEqual({
      '.': '0.1.0',
    });
    const rollback = yaml.parse(read('.github/workflows/rollback.yaml'));
    expect(rollback.on.workflow_dispatch.inputs.revision.required).toBe(false);
    expect(rollback.jobs.rollback.steps.at(-1).run).toContain(
      'helm rollback orders $REVISION --namespace orders --wait',
    );
    // The revision reaches the shell through the environment, not by expression expansion.
    expect(rollback.jobs.rollback.steps.at(-1).env.REVISION).toBe(
      '${{ inputs.revision }}',
    );
  });

  // kubectl builds Kustomize offline; where it is not installed, the rendering is not checked.
  (hasKubectl() ? describe : describe.skip)('with kubectl', () => {
    it('writes Kustomize overlays that kubectl builds', async () => {
      await run({
        name: 'orders',
        method: 'kustomize',
        image: 'ghcr.io/acme/orders',
        namespace: 'shop',
      });
      for (const [env, namespace] of [
        ['staging', 'shop-staging'],
        ['production', 'shop'],
      ]) {
        const out = execFileSync(
          'kubectl',
          ['kustomize', mockDir.resolve(`deploy/overlays/${env}`)],
          {
            encoding: 'utf8',
          },
        );
        const objects = yaml.parseAllDocuments(out).map(d => d.toJS());
        expect(
          objects.map(
            o => `${o.kind}/${o.metadata.name}/${o.metadata.namespace}`,
          ),
        ).toEqual([
          `Service/orders/${namespace}`,
          `Deployment/orders/${namespace}`,
        ]);
        const deployment = objects.find(o => o.kind === 'Deployment');
        expect(deployment.spec.template.spec.containers[0].image).toBe(
          'ghcr.io/acme/orders:0.1.0',
        );
        expect(deployment.metadata.labels['backstage.io/kubernetes-id']).toBe(
          'orders',
        );
      }
      expect(read('.github/workflows/rollback.yaml')).toContain(
        'kubectl rollout undo deployment/orders --namespace shop',
      );
    });
  });

  it('adds the Argo CD annotation to the catalog entity written by paved:catalog:write', async () => {
    await run(
      {
        name: 'orders',
        owner: 'team-orders',
        system: 'commerce',
        repoUrl: 'github.com?owner=Acme&repo=Orders',
      },
      createCatalogWriteAction(),
    );
    const { outputs } = await run({ name: 'orders', argocdApp: 'orders-prod' });
    expect(fileChanges(outputs.files)['catalog-info.yaml']).toBe('updated');
    const entities = yaml
      .parseAllDocuments(read('catalog-info.yaml'))
      .map(d => d.toJS());
    expect(entities[0].metadata.annotations['argocd/app-name']).toBe(
      'orders-prod',
    );
    await expect(validateEntities(entities)).resolves.toBeUndefined();
    // The image comes from the project slug, lower-cased.
    expect(yaml.parse(read('charts/orders/values.yaml')).image.repository).toBe(
      'ghcr.io/acme/orders',
    );
    expect(
      capabilityStatuses(await scoreWorkspace(mockDir.path), 'deploy'),
    ).toEqual(ALL_DEPLOY_CHECKS_PASS);
  });

  it('joins the build pipeline in .gitlab-ci.yml, in either order', async () => {
    await run(
      { name: 'orders', stack: 'go', ciProvider: 'gitlab-ci' },
      createBuildAddAction(),
    );
    await run({
      name: 'orders',
      ciProvider: 'gitlab-ci',
      image: 'registry.gitlab.com/acme/orders',
    });
    const afterBoth = read('.gitlab-ci.yml');
    const pipeline = yaml.parse(afterBoth);
    expect(pipeline.stages).toEqual(['test', 'publish', 'release', 'rollback']);
    expect(Object.keys(pipeline)).toEqual([
      'stages',
      'test',
      'build-image',
      'release',
      'rollback',
    ]);
    expect(pipeline.rollback.rules).toEqual([
      { if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH', when: 'manual' },
    ]);
    expect(await repositoryDeployStatuses(mockDir.path)).toEqual(
      ALL_DEPLOY_CHECKS_PASS,
    );

    mockDir.clear();
    await run({
      name: 'orders',
      ciProvider: 'gitlab-ci',
      image: 'registry.gitlab.com/acme/orders',
    });
    await run(
      { name: 'orders', stack: 'go', ciProvider: 'gitlab-ci' },
      createBuildAddAction(),
    );
    expect(yaml.parse(read('.gitlab-ci.yml')).stages).toEqual([
      'test',
      'publish',
      'release',
      'rollback',
    ]);
  });

  it("keeps the user's deployment, release tooling and runbook, adding only the rollback section", async () => {
    const manifests =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders\nspec: {}\n';
    const runbook = '# Orders runbook\n\nPage the orders team.\n';
    mockDir.setContent({
      'package.json': '{"name": "orders"}\n',
      'k8s/deployment.yaml': manifests,
      '.releaserc.json': '{"branches": ["main"]}\n',
      'RUNBOOK.md': runbook,
    });
    const { ctx, outputs } = await run({ image: 'ghcr.io/acme/orders' });
    expect(ctx.output).toHaveBeenCalledWith('deployment', 'existing');
    expect(ctx.output).toHaveBeenCalledWith('versioning', 'existing');
    expect(fileChanges(outputs.files)).toEqual({ 'RUNBOOK.md': 'updated' });
    expect(read('k8s/deployment.yaml')).toBe(manifests);
    const updated = read('RUNBOOK.md');
    expect(updated.startsWith(runbook)).toBe(true);
    expect(updated).toContain('## Rolling back a release');
    expect(await repositoryDeployStatuses(mockDir.path)).toEqual(
      ALL_DEPLOY_CHECKS_PASS,
    );

    const tree = readTree(mockDir.path);
    const second = await run({ image: 'ghcr.io/acme/orders' });
    expect(fileChanges(second.outputs.files)).toEqual({
      'RUNBOOK.md': 'unchanged',
    });
    expect(readTree(mockDir.path)).toEqual(tree);
  });

  it("merges into the user's chart values and release-please config", async () => {
    mockDir.setContent({
      'charts/orders/values.yaml':
        '# ours\nreplicaCount: 3\nimage:\n  repository: ghcr.io/acme/orders\n',
      'release-please-config.json': '{"packages": {"libs/x": {}}}\n',
      '.release-please-manifest.json': '{"libs/x": "1.2.0"}\n',
    });
    const { outputs } = await run({
      name: 'orders',
      image: 'ghcr.io/acme/orders',
    });
    expect(fileChanges(outputs.files)).toMatchObject({
      'charts/orders/values.yaml': 'updated',
      'release-please-config.json': 'updated',
      '.release-please-manifest.json': 'unchanged',
    });
    const values = read('charts/orders/values.yaml');
    expect(values.startsWith('# ours\nreplicaCount: 3\n')).toBe(true);
    expect(yaml.parse(values)).toMatchObject({
      replicaCount: 3,
      image: { repository: 'ghcr.io/acme/orders' },
      resources: {},
      autoscaling: { enabled: false },
    });
    expect(
      Object.keys(JSON.parse(read('release-please-config.json')).packages),
    ).toEqual(['libs/x', '.']);
  });

  it('adds the Changesets CLI to package.json', async () => {
    mockDir.setContent({
      'package.json': '{\n  "name": "web",\n  "version": "1.0.0"\n}\n',
    });
    await run({ versioning: 'changesets', image: 'ghcr.io/acme/web' });
    expect(JSON.parse(read('package.json'))).toEqual({
      name: 'web',
      version: '1.0.0',
      devDependencies: { '@changesets/cli': '^2.29.0' },
    });
    expect(JSON.parse(read('.changeset/config.json')).baseBranch).toBe('main');
    expect(
      yaml
        .parse(read('.github/workflows/release.yaml'))
        .jobs.release.steps.at(-1).uses,
    ).toBe('changesets/action@v1');
  });

  it.each([
    [
      { name: 'x', image: 'ghcr.io/a/x', method: 'ansible' },
      "Invalid input 'method': 'ansible' is not one of helm, kustomize",
    ],
    [
      { name: 'x', image: 'ghcr.io/a/x', versioning: 'semver' },
      "Invalid input 'versioning': 'semver' is not one of release-please, changesets, git-tags, none",
    ],
    [
      {
        name: 'x',
        image: 'ghcr.io/a/x',
        versioning: 'release-please',
        ciProvider: 'gitlab-ci',
      },
      "Invalid input 'versioning': release-please runs on GitHub only",
    ],
    [
      {
        name: 'x',
        image: 'ghcr.io/a/x',
        versioning: 'changesets',
        stack: 'go',
      },
      "Invalid input 'versioning': changesets versions npm packages and needs the node stack, not go",
    ],
    [{ name: 'x' }, "Input 'image' is required"],
    [{ name: 'x', image: 'ghcr.io/a/x:1.0' }, "Invalid input 'image'"],
    [
      { name: 'x', image: 'ghcr.io/a/x', namespace: 'Prod' },
      "Invalid input 'namespace'",
    ],
    [
      { name: 'x', image: 'ghcr.io/a/x', argocdApp: 'Orders App' },
      "Invalid input 'argocdApp'",
    ],
    [{ name: 'x', image: 'ghcr.io/a/x', port: 0 }, "Invalid input 'port'"],
    [{ image: 'ghcr.io/a/x' }, "Input 'name' is required"],
    [{ name: 'x', image: 'ghcr.io/a/x', path: '/etc' }, "Invalid input 'path'"],
  ])('rejects %j before writing anything', async (input, message) => {
    await expect(run(input)).rejects.toThrow(message);
    expect(fs.readdirSync(mockDir.path)).toEqual([]);
  });

  it('runs the examples', async () => {
    const actions: Record<string, any> = {
      [action.id]: action,
      'paved:catalog:write': createCatalogWriteAction(),
    };
    for (const { example } of examples) {
      mockDir.clear();
      for (const step of yaml.parse(example).steps) {
        await run(step.input, actions[step.action]);
      }
      expect(await repositoryDeployStatuses(mockDir.path)).toEqual(
        ALL_DEPLOY_CHECKS_PASS,
      );
    }
  });
});
