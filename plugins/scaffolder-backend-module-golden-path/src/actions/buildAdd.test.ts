import { ConfigReader } from '@backstage/config';
import fs from 'node:fs';
import yaml from 'yaml';
import { actionWorkspace, fileChanges } from '../__testUtils__/runAction';
import {
  capabilityStatuses,
  readTree,
  scoreWorkspace,
  unparsableFiles,
} from '../__testUtils__/scoreWorkspace';
import { createBuildAddAction } from './buildAdd';
import { examples } from './buildAdd.examples';

const ALL_BUILD_CHECKS_PASS = {
  'build.pipeline': 'pass',
  'build.tests': 'pass',
  'build.artifact': 'pass',
  'build.dependency-updates': 'pass',
};

describe('paved:build:add', () => {
  const action = createBuildAddAction();
  const { mockDir, run, read, expectSecondRunChangesNothing } =
    actionWorkspace(action);

  describe.each([
    ['node', 'github-actions'],
    ['go', 'github-actions'],
    ['python', 'github-actions'],
    ['node', 'gitlab-ci'],
    ['go', 'gitlab-ci'],
    ['python', 'gitlab-ci'],
  ])('%s on %s', (stack, ciProvider) => {
    it('makes every build check pass on an empty workspace, and a second run changes nothing', async () => {
      const input = {
        name: 'orders',
        stack,
        ciProvider,
        image: 'ghcr.io/acme/orders',
      };
      const first = await run(input);
      expect(
        capabilityStatuses(await scoreWorkspace(mockDir.path), 'build'),
      ).toEqual(ALL_BUILD_CHECKS_PASS);
      expect(first.ctx.output).toHaveBeenCalledWith('addedJobs', [
        'test',
        'build-image',
      ]);
      expect(
        first.outputs.files.every((f: any) => f.change === 'created'),
      ).toBe(true);

      const tree = readTree(mockDir.path);
      expect(unparsableFiles(tree)).toEqual([]);
      // The image is versioned, never only latest, and the Dockerfile runs as non-root.
      const pipeline =
        ciProvider === 'github-actions'
          ? tree['.github/workflows/ci.yaml']
          : tree['.gitlab-ci.yml'];
      expect(pipeline).not.toContain(':latest');
      expect(pipeline).toMatch(/type=sha|\$IMAGE:\$CI_COMMIT_SHA/);
      expect(tree.Dockerfile).toMatch(
        /AS build[\s\S]*\nFROM [\s\S]*\nUSER (?!0|root)\S+/,
      );

      await expectSecondRunChangesNothing(input);
    });
  });

  it('writes a GitHub workflow that tests, then pushes the image tagged with the SHA and the version', async () => {
    await run({ name: 'orders', stack: 'node', image: 'ghcr.io/acme/orders' });
    const workflow = yaml.parse(read('.github/workflows/ci.yaml'));
    expect(workflow.on.push.tags).toEqual(['v*']);
    expect(workflow.jobs.test.steps.map((s: any) => s.run ?? s.uses)).toContain(
      'npm test',
    );
    const image = workflow.jobs['build-image'];
    expect(image.needs).toEqual(['test']);
    const meta = image.steps.find((s: any) => s.id === 'meta');
    expect(meta.with.images).toBe('ghcr.io/acme/orders');
    expect(meta.with.tags).toContain('type=sha,format=long');
    expect(meta.with.tags).toContain('type=semver,pattern={{version}}');
    expect(
      image.steps.find((s: any) => s.uses === 'docker/login-action@v3').with
        .registry,
    ).toBe('ghcr.io');
    expect(JSON.parse(read('package.json')).scripts.test).toBe('node --test');
    expect(
      yaml
        .parse(read('.github/dependabot.yml'))
        .updates.map((u: any) => u['package-ecosystem']),
    ).toEqual(['npm', 'docker', 'github-actions']);
  });

  it('logs in to another registry with secrets, and defaults to the provider registry', async () => {
    await run({
      name: 'orders',
      stack: 'go',
      image: 'registry.example.com:5000/team/orders',
    });
    const login = yaml
      .parse(read('.github/workflows/ci.yaml'))
      .jobs['build-image'].steps.find(
        (s: any) => s.uses === 'docker/login-action@v3',
      );
    expect(login.with).toEqual({
      registry: 'registry.example.com:5000',
      username: '${{ secrets.REGISTRY_USERNAME }}',
      password: '${{ secrets.REGISTRY_PASSWORD }}',
    });

    mockDir.clear();
    const { ctx } = await run({
      name: 'orders',
      stack: 'python',
      ciProvider: 'gitlab-ci',
    });
    expect(ctx.output).toHaveBeenCalledWith('image', '$CI_REGISTRY_IMAGE');
    const job = yaml.parse(read('.gitlab-ci.yml'))['build-image'];
    expect(job.variables.IMAGE).toBe('$CI_REGISTRY_IMAGE');
    expect(job.script[0]).toContain('"$CI_REGISTRY"');
    expect(JSON.parse(read('renovate.json')).extends).toEqual([
      'config:recommended',
    ]);
  });

  it("keeps an existing repository's files and adds only what the checks miss", async () => {
    const userWorkflow = `# Our own pipeline.
name: build
on: [push]
jobs:
  unit:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm ci
      - run: npm test # keep
`;
    const userDockerfile = 'FROM node:20\nCOPY . .\nCMD ["node", "index.js"]\n';
    mockDir.setContent({
      'package.json':
        '{\n    "name": "@acme/orders",\n    "scripts": { "test": "jest" }\n}\n',
      'src/orders.test.ts': 'test("x", () => {});\n',
      '.github/workflows/build.yml': userWorkflow,
      Dockerfile: userDockerfile,
      '.dockerignore': 'node_modules',
      'renovate.json': '{}\n',
    });
    const first = await run({});
    expect(first.ctx.output).toHaveBeenCalledWith('stack', 'node');
    expect(first.ctx.output).toHaveBeenCalledWith('addedJobs', ['build-image']);
    expect(fileChanges(first.outputs.files)).toEqual({
      Dockerfile: 'skipped',
      '.dockerignore': 'updated',
      '.github/workflows/ci.yaml': 'created',
    });
    expect(read('.github/workflows/build.yml')).toBe(userWorkflow);
    expect(read('Dockerfile')).toBe(userDockerfile);
    expect(read('.dockerignore')).toBe(
      'node_modules\n.git\ndist\ncoverage\nnpm-debug.log\n',
    );
    // No starter test and no change to package.json: the repository has tests and a script.
    expect(fs.existsSync(mockDir.resolve('test/smoke.test.mjs'))).toBe(false);
    const workflow = yaml.parse(read('.github/workflows/ci.yaml'));
    expect(Object.keys(workflow.jobs)).toEqual(['build-image']);
    expect(workflow.jobs['build-image'].needs).toBeUndefined();
    expect(
      workflow.jobs['build-image'].steps.find((s: any) => s.id === 'meta').with
        .images,
    ).toBe('ghcr.io/${{ github.repository }}');
    expect(
      capabilityStatuses(await scoreWorkspace(mockDir.path), 'build'),
    ).toEqual(ALL_BUILD_CHECKS_PASS);

    const tree = readTree(mockDir.path);
    const second = await run({});
    expect(fileChanges(second.outputs.files)).toEqual({
      Dockerfile: 'skipped',
      '.dockerignore': 'unchanged',
      '.github/workflows/ci.yaml': 'unchanged',
    });
    expect(readTree(mockDir.path)).toEqual(tree);
  });

  it("merges the missing jobs into the user's own ci.yaml and .gitlab-ci.yml", async () => {
    mockDir.setContent({
      'go.mod': 'module example.com/orders\n',
      'main_test.go': 'package main\n',
      '.gitlab-ci.yml': `# Lint first.
lint:
  stage: test
  image: golangci/golangci-lint
  script: [golangci-lint run]
`,
    });
    const { ctx, outputs } = await run({ name: 'orders' });
    expect(ctx.output).toHaveBeenCalledWith('ciProvider', 'gitlab-ci');
    expect(fileChanges(outputs.files)['.gitlab-ci.yml']).toBe('updated');
    const text = read('.gitlab-ci.yml');
    expect(text).toContain('# Lint first.');
    const pipeline = yaml.parse(text);
    expect(pipeline.stages).toEqual(['build', 'test', 'publish', 'deploy']);
    expect(Object.keys(pipeline)).toEqual([
      'stages',
      'lint',
      'test',
      'build-image',
    ]);
    expect(pipeline.lint.script).toEqual(['golangci-lint run']);
    expect(
      capabilityStatuses(await scoreWorkspace(mockDir.path), 'build'),
    ).toEqual(ALL_BUILD_CHECKS_PASS);
    const tree = readTree(mockDir.path);
    await run({ name: 'orders' });
    expect(readTree(mockDir.path)).toEqual(tree);
  });

  it("adds the missing Dependabot entries to the user's config", async () => {
    mockDir.setContent({
      'requirements.txt': 'flask\n',
      'tests/test_app.py': 'def test_x():\n    pass\n',
      '.github/dependabot.yml':
        'version: 2\nupdates:\n  - package-ecosystem: pip # ours\n    directory: "/"\n    schedule:\n      interval: daily\n',
    });
    await run({ name: 'billing' });
    const text = read('.github/dependabot.yml');
    expect(text).toContain('# ours');
    expect(
      yaml
        .parse(text)
        .updates.map((u: any) => [u['package-ecosystem'], u.schedule.interval]),
    ).toEqual([
      ['pip', 'daily'],
      ['docker', 'weekly'],
      ['github-actions', 'weekly'],
    ]);
  });

  it('replaces the npm placeholder test script, keeps a real one, and skips the bot on request', async () => {
    mockDir.setContent({
      'package.json':
        '{\n  "name": "orders",\n  "scripts": {\n    "test": "echo \\"Error: no test specified\\" && exit 1"\n  }\n}\n',
    });
    const { outputs } = await run({ dependencyUpdates: false });
    expect(JSON.parse(read('package.json')).scripts.test).toBe('node --test');
    expect(read('test/smoke.test.mjs')).toContain(
      "import test from 'node:test'",
    );
    expect(fs.existsSync(mockDir.resolve('.github/dependabot.yml'))).toBe(
      false,
    );
    expect(fileChanges(outputs.files)['package.json']).toBe('updated');
  });

  it('overwrites an unmergeable file only with overwrite: true', async () => {
    mockDir.setContent({
      'package.json': '{"name": "orders"}',
      Dockerfile: 'FROM scratch\n',
    });
    await run({ overwrite: true });
    expect(read('Dockerfile')).toContain('FROM node:22-alpine AS build');
  });

  it.each([
    [
      { stack: 'rust', name: 'x' },
      "Invalid input 'stack': 'rust' is not one of node, go, python",
    ],
    [
      { stack: 'node', name: 'x', ciProvider: 'jenkins' },
      "Invalid input 'ciProvider': 'jenkins' is not one of github-actions, gitlab-ci",
    ],
    [{ stack: 'node', name: 'Bad_Name' }, "Invalid input 'name'"],
    [
      { stack: 'node', name: 'x', image: 'ghcr.io/acme/x:latest' },
      "Invalid input 'image': 'ghcr.io/acme/x:latest' must be an image repository without a tag",
    ],
    [{ stack: 'node', name: 'x', port: 70000 }, "Invalid input 'port'"],
    [{ stack: 'node', name: 'x', path: '../x' }, "Invalid input 'path'"],
    [{ name: 'x' }, "Input 'stack' is required"],
    [{ stack: 'go' }, "Input 'name' is required"],
  ])('rejects %j before writing anything', async (input, message) => {
    await expect(run(input)).rejects.toThrow(message);
    expect(fs.readdirSync(mockDir.path)).toEqual([]);
  });

  it('applies the configured policy', async () => {
    const restricted = createBuildAddAction({
      config: new ConfigReader({
        goldenPath: {
          policy: { allowedStacks: ['go'], allowedCiProviders: ['gitlab-ci'] },
        },
      }),
    });
    await expect(run({ name: 'x', stack: 'node' }, restricted)).rejects.toThrow(
      "Invalid input 'stack': 'node' is not one of go",
    );
    await expect(run({ name: 'x', stack: 'go' }, restricted)).rejects.toThrow(
      "Invalid input 'ciProvider': 'github-actions' is not one of gitlab-ci",
    );
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_description, example) => {
      const step = yaml.parse(example).steps[0];
      expect(step.action).toBe(action.id);
      await run(step.input);
      const root = step.input.path
        ? `${mockDir.path}/${step.input.path}`
        : mockDir.path;
      expect(capabilityStatuses(await scoreWorkspace(root), 'build')).toEqual(
        ALL_BUILD_CHECKS_PASS,
      );
    },
  );
});
