import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import fs from 'node:fs';
import path from 'node:path';
import { runAction } from '../__testUtils__/runAction';
import { readTree } from '../__testUtils__/scoreWorkspace';
import { createBuildAddAction } from '../actions/buildAdd';
import { createDeployAddAction } from '../actions/deployAdd';
import {
  GoldenPathContent,
  goldenPathContent,
  renderTemplate,
} from './content';
import { planContentFiles } from './contentPlan';
import { WorkspaceFiles } from './workspace';

describe('GoldenPathContent', () => {
  const mockDir = createMockDirectory();
  const logger = mockServices.logger.mock();

  beforeEach(() => {
    mockDir.clear();
    jest.clearAllMocks();
  });

  /** A content directory with versions.yaml and the given files. */
  function contentDir(files: Record<string, string>): GoldenPathContent {
    mockDir.setContent({
      'content/versions.yaml': "go: '1.25'\nnode: 22\n",
      ...Object.fromEntries(
        Object.entries(files).map(([p, c]) => [`content/${p}`, c]),
      ),
    });
    return GoldenPathContent.fromDirectory(mockDir.resolve('content'));
  }

  it('reads every content set this package ships, each manifest listing exactly its files', () => {
    const content = GoldenPathContent.builtIn();
    const ids = content.setIds();
    expect(ids).toEqual(
      expect.arrayContaining(['deploy/helm', 'build/go-container']),
    );
    for (const id of ids) {
      const set = content.set(id);
      expect(set.manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(Object.keys(set.manifest.files).length).toBeGreaterThan(0);
    }
    expect(Object.keys(content.versions).sort()).toEqual([
      'go',
      'node',
      'python',
    ]);
  });

  it('renders names and contents like fetch:template, with the runtime versions and GitHub expressions left alone', () => {
    const content = contentDir({
      'svc/go/manifest.yaml':
        "version: 1.0.0\nfiles:\n  '${{ values.name }}/go.mod': { merge: create-only }\n  ci.yaml: { merge: keep-if-present }\n",
      'svc/go/${{ values.name }}/go.mod':
        'module ${{ values.name }}\n\ngo ${{ values.versions.go }}\n',
      'svc/go/ci.yaml':
        'token: {% raw %}${{ secrets.TOKEN }}{% endraw %}\n{%- if values.helm %}\nhelm: {{ .Values.x }}\n{%- endif %}\n',
    });
    expect(
      content.set('svc/go').render({ name: 'orders', helm: true }),
    ).toEqual([
      {
        set: 'svc/go',
        values: { name: 'orders', helm: true },
        source: '${{ values.name }}/go.mod',
        path: 'orders/go.mod',
        content: 'module orders\n\ngo 1.25\n',
        merge: 'create-only',
        reason: undefined,
      },
      {
        set: 'svc/go',
        values: { name: 'orders', helm: true },
        source: 'ci.yaml',
        path: 'ci.yaml',
        content: 'token: ${{ secrets.TOKEN }}\nhelm: {{ .Values.x }}\n',
        merge: 'keep-if-present',
        reason: undefined,
      },
    ]);
    expect(content.versions).toEqual({ go: '1.25', node: '22' });
  });

  it('leaves out a file whose name renders empty, as fetch:template does', () => {
    const content = contentDir({
      'a/b/manifest.yaml':
        "version: 1.0.0\nfiles:\n  '{% if values.docs %}docs{% endif %}/README.md': { merge: create-only }\n",
      'a/b/{% if values.docs %}docs{% endif %}/README.md': '# Docs\n',
    });
    expect(content.set('a/b').render({ docs: false })).toEqual([]);
    expect(content.set('a/b').render({ docs: true })[0].path).toBe(
      'docs/README.md',
    );
  });

  it.each([
    [
      'a missing manifest',
      { 'x/y/file.txt': 'hi\n' },
      /Golden-path content 'x\/y' has no manifest\.yaml/,
    ],
    [
      'a file the manifest does not list',
      {
        'x/y/manifest.yaml':
          'version: 1.0.0\nfiles:\n  a.txt: { merge: create-only }\n',
        'x/y/a.txt': 'a\n',
        'x/y/stray.txt': 'b\n',
      },
      /x\/y\/stray\.txt is not listed in .*x\/y\/manifest\.yaml/,
    ],
    [
      'a listed file that is missing',
      {
        'x/y/manifest.yaml':
          'version: 1.0.0\nfiles:\n  a.txt: { merge: create-only }\n',
      },
      /x\/y\/manifest\.yaml lists 'a\.txt', which is not a file of/,
    ],
    [
      'an unknown merge mode',
      {
        'x/y/manifest.yaml':
          'version: 1.0.0\nfiles:\n  a.txt: { merge: replace }\n',
        'x/y/a.txt': 'a\n',
      },
      /x\/y\/manifest\.yaml: 'files\.a\.txt\.merge' /,
    ],
    [
      'a version that is not semver',
      {
        'x/y/manifest.yaml':
          'version: one\nfiles:\n  a.txt: { merge: create-only }\n',
        'x/y/a.txt': 'a\n',
      },
      /x\/y\/manifest\.yaml: 'version' must be a version like 1\.0\.0/,
    ],
  ])('refuses %s, naming the file', (_, files, message) => {
    const content = contentDir(files);
    expect(() => content.set('x/y')).toThrow(message);
  });

  it('refuses a content directory without versions.yaml, naming it', () => {
    mockDir.setContent({ 'content/x/manifest.yaml': 'version: 1.0.0\n' });
    expect(() =>
      GoldenPathContent.fromDirectory(mockDir.resolve('content')),
    ).toThrow(/content has no versions\.yaml/);
  });

  it('names the file that does not render', () => {
    const content = contentDir({
      'x/y/manifest.yaml':
        'version: 1.0.0\nfiles:\n  a.txt: { merge: create-only }\n',
      'x/y/a.txt': '{% if values.x %}never closed\n',
    });
    expect(() => content.set('x/y').render({})).toThrow(
      new RegExp(
        `${path.join('x', 'y', 'a.txt').replace(/\./g, '\\.')} does not render`,
      ),
    );
  });

  describe('merge modes', () => {
    async function plan(
      merge: string,
      ours: string,
      existing: string,
    ): Promise<string> {
      mockDir.setContent({ 'workspace/file': existing });
      const files = new WorkspaceFiles({
        workspacePath: mockDir.resolve('workspace'),
        logger,
      });
      planContentFiles(files, [
        {
          set: 'test/set',
          values: {},
          source: 'file',
          path: 'file',
          content: ours,
          merge: merge as any,
        },
      ]);
      await files.apply();
      return fs.readFileSync(mockDir.resolve('workspace/file'), 'utf8');
    }

    it.each([
      ['create-only', 'ours\n', 'theirs\n', 'theirs\n'],
      ['keep-if-present', 'ours\n', 'theirs\n', 'theirs\n'],
      ['yaml-merge', 'a: 1\nb: 2\n', '# mine\na: 0\n', '# mine\na: 0\nb: 2\n'],
      [
        'json-merge',
        '{"a":1,"p":{".":{"x":1},"y":2}}',
        '{\n\t"p": {\n\t\t".": { "z": 3 },\n\t\t"q": true\n\t}\n}\n',
        '{\n\t"p": {\n\t\t".": { "z": 3 },\n\t\t"q": true,\n\t\t"y": 2\n\t},\n\t"a": 1\n}\n',
      ],
      [
        'npm-dependencies',
        '{"devDependencies":{"x":"^1.0.0"}}',
        '{\n\t"name": "s"\n}\n',
        '{\n\t"name": "s",\n\t"devDependencies": {\n\t\t"x": "^1.0.0"\n\t}\n}\n',
      ],
      [
        'npm-test-script',
        '{"scripts":{"test":"node --test","start":"node ."}}',
        '{\n  "scripts": {\n    "test": "echo \\"Error: no test specified\\" && exit 1"\n  }\n}\n',
        '{\n  "scripts": {\n    "test": "node --test"\n  }\n}\n',
      ],
      ['lines', '.git\nnode_modules\n', 'node_modules', 'node_modules\n.git\n'],
      [
        'dependabot-updates',
        'version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n  - package-ecosystem: docker\n    directory: /\n',
        'version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n',
        'version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n  - package-ecosystem: docker\n    directory: /\n',
      ],
      [
        'runbook-section',
        '# Runbook: s\n\n## Rolling back\n\nRun it.\n',
        '# Ours\n\nIntro.\n',
        '# Ours\n\nIntro.\n\n## Rolling back\n\nRun it.\n',
      ],
      [
        'runbook-section',
        '# Runbook: s\n\n## Rolling back\n\nRun it.\n',
        '# Ours\n\n### Rolling back\n\nCall Ann.\n',
        '# Ours\n\n### Rolling back\n\nCall Ann.\n',
      ],
    ])(
      '%s merges into an existing file',
      async (merge, ours, existing, expected) => {
        await expect(plan(merge, ours, existing)).resolves.toBe(expected);
      },
    );

    it('leaves pipeline-jobs files to planPipelineJobs', () => {
      const files = new WorkspaceFiles({ workspacePath: mockDir.path, logger });
      expect(() =>
        planContentFiles(files, [
          {
            set: 'build/github-actions',
            values: {},
            source: 'ci.yaml',
            path: 'ci.yaml',
            content: '',
            merge: 'pipeline-jobs',
          },
        ]),
      ).toThrow(
        /ci\.yaml: pipeline-jobs files are planned by the action itself/,
      );
    });
  });

  it('renders a template text with values only', () => {
    expect(renderTemplate('${{ values.a }}-{{ b }}', { a: 'x' })).toBe(
      'x-{{ b }}',
    );
  });
});

describe("the platform team's content (goldenPath.content.directory)", () => {
  const mockDir = createMockDirectory();

  beforeEach(() => mockDir.clear());

  /** A config pointing at a content directory with the given files. */
  function teamConfig(files: Record<string, string>) {
    mockDir.setContent({ team: files });
    return new ConfigReader({
      goldenPath: { content: { directory: mockDir.resolve('team') } },
    });
  }

  const TEAM_HELM = {
    'deploy/helm/manifest.yaml':
      "version: 2.0.0\nfiles:\n  'charts/${{ values.name }}/Chart.yaml': { merge: keep-if-present }\n  'charts/${{ values.name }}/values.yaml': { merge: yaml-merge }\n",
    'deploy/helm/charts/${{ values.name }}/Chart.yaml':
      'apiVersion: v2\nname: ${{ values.name }}\nversion: ${{ values.initialVersion }}\ndependencies:\n  - name: acme-service\n    version: 4.2.0\n    repository: oci://charts.acme.example\n',
    'deploy/helm/charts/${{ values.name }}/values.yaml':
      'acme-service:\n  image: ${{ values.image }}\n',
  };

  it("renders the team's set instead of ours, and ours where the team has none", async () => {
    const config = teamConfig(TEAM_HELM);
    const workspacePath = mockDir.resolve('workspace');
    fs.mkdirSync(workspacePath);
    await runAction(createDeployAddAction({ config }), {
      workspacePath,
      input: {
        name: 'orders',
        image: 'ghcr.io/acme/orders',
        ciProvider: 'github-actions',
        stack: 'go',
      },
    });
    const tree = readTree(workspacePath);
    expect(Object.keys(tree).filter(f => f.startsWith('charts/'))).toEqual([
      'charts/orders/Chart.yaml',
      'charts/orders/values.yaml',
    ]);
    expect(tree['charts/orders/Chart.yaml']).toContain(
      'repository: oci://charts.acme.example',
    );
    expect(tree['charts/orders/values.yaml']).toBe(
      'acme-service:\n  image: ghcr.io/acme/orders\n',
    );
    // Our rollback workflow and runbook, which the team did not replace.
    expect(tree['.github/workflows/rollback.yaml']).toContain(
      'helm rollback orders',
    );
    expect(tree['RUNBOOK.md']).toContain('## Rolling back a release');
  });

  it("takes the runtime versions the team's versions.yaml names, and ours for the others", async () => {
    const config = teamConfig({ 'versions.yaml': "go: '1.26'\n" });
    const content = goldenPathContent(config);
    expect(content.versions).toEqual({
      ...GoldenPathContent.builtIn().versions,
      go: '1.26',
    });
    const workspacePath = mockDir.resolve('workspace');
    fs.mkdirSync(workspacePath);
    await runAction(createBuildAddAction({ config }), {
      workspacePath,
      input: { name: 'orders', stack: 'go', ciProvider: 'gitlab-ci' },
    });
    const tree = readTree(workspacePath);
    expect(tree.Dockerfile).toContain('FROM golang:1.26 AS build');
    expect(tree['.gitlab-ci.yml']).toContain('image: golang:1.26');
    expect(tree['go.mod']).toContain('\ngo 1.26\n');
  });

  it.each([
    [
      'a set the actions do not render',
      {
        'deploy/helmfile/manifest.yaml':
          'version: 1.0.0\nfiles:\n  a.yaml: { merge: create-only }\n',
        'deploy/helmfile/a.yaml': 'a: 1\n',
      },
      /team\/deploy\/helmfile\/manifest\.yaml: 'deploy\/helmfile' is not a golden-path content set the actions render; they render .*deploy\/helm,/,
    ],
    [
      'a set without a file the action renders by name',
      {
        'deploy/gitlab-ci/manifest.yaml':
          'version: 1.0.0\nfiles:\n  gitlab-ci.yml: { merge: pipeline-jobs }\n',
        'deploy/gitlab-ci/gitlab-ci.yml': 'stages: []\n',
      },
      /team\/deploy\/gitlab-ci\/manifest\.yaml must list '\.gitlab-ci\.yml' with merge pipeline-jobs: the action renders it by name/,
    ],
    [
      'a file that does not render',
      {
        ...TEAM_HELM,
        'deploy/helm/charts/${{ values.name }}/values.yaml':
          '{% if values.x %}\nunclosed: true\n',
      },
      /team\/deploy\/helm\/charts\/\$\{\{ values\.name \}\}\/values\.yaml does not render/,
    ],
    [
      'a malformed manifest',
      {
        'deploy/helm/manifest.yaml': 'version: 2.0.0\nfiles: [Chart.yaml]\n',
      },
      /team\/deploy\/helm\/manifest\.yaml: 'files' /,
    ],
    [
      'a versions.yaml that is not a mapping of versions',
      { 'versions.yaml': 'go: [1.26]\n' },
      /team\/versions\.yaml: 'go' /,
    ],
  ])(
    'stops the actions at creation on %s, naming the file',
    (_, files, message) => {
      const config = teamConfig(files);
      expect(() => createDeployAddAction({ config })).toThrow(message);
    },
  );

  it('accepts a copy of our own content, whose files need the values to render', () => {
    // Our CI workflow tests `"test" in values.jobs`, which only the run's values decide.
    const ours = GoldenPathContent.builtIn();
    expect(ours.withOverrides(ours.root).overriddenSetIds().sort()).toEqual(
      ours.setIds().sort(),
    );
  });

  it('names the key when the directory does not exist', () => {
    const config = new ConfigReader({
      goldenPath: { content: { directory: mockDir.resolve('nowhere') } },
    });
    expect(() => createBuildAddAction({ config })).toThrow(
      /Golden-path content directory .*nowhere \(goldenPath\.content\.directory\) does not exist/,
    );
  });

  it('lays a capability directory and a variant directory over the content', () => {
    const helm = Object.fromEntries(
      Object.entries(TEAM_HELM).map(([file, text]) => [
        file.slice('deploy/helm/'.length),
        text,
      ]),
    );
    mockDir.setContent({ capability: { helm }, variant: helm });
    const byCapability = goldenPathContent(
      new ConfigReader({
        goldenPath: {
          content: {
            capabilities: {
              deploy: { directory: mockDir.resolve('capability') },
            },
          },
        },
      }),
    );
    expect(byCapability.overriddenSetIds()).toEqual(['deploy/helm']);
    const byVariant = goldenPathContent(
      new ConfigReader({
        goldenPath: {
          content: {
            capabilities: {
              deploy: {
                variants: { helm: { directory: mockDir.resolve('variant') } },
              },
            },
          },
        },
      }),
    );
    expect(byVariant.overriddenSetIds()).toEqual(['deploy/helm']);
    expect(byVariant.set('deploy/helm').manifest.version).toBe('2.0.0');
  });

  it.each([
    [
      { directory: '/srv/content', url: 'https://github.com/acme/paved' },
      "Invalid configuration at 'goldenPath.content.url': cannot be set together with directory; choose one",
    ],
    [
      { url: 'github.com/acme/paved' },
      "Invalid configuration at 'goldenPath.content.url': must be an http(s) URL",
    ],
    [
      { capabilities: { deploy: { variants: { helm: { path: '/x' } } } } },
      "Invalid configuration at 'goldenPath.content.capabilities.deploy.variants.helm': unknown key 'path'",
    ],
  ])(
    'refuses the content configuration %j, naming the key',
    (content, message) => {
      expect(() =>
        goldenPathContent(new ConfigReader({ goldenPath: { content } })),
      ).toThrow(message);
    },
  );

  it('refuses a capability or a variant the actions do not render, naming the key', () => {
    mockDir.setContent({ team: {} });
    const dir = mockDir.resolve('team');
    expect(() =>
      goldenPathContent(
        new ConfigReader({
          goldenPath: {
            content: { capabilities: { deplo: { directory: dir } } },
          },
        }),
      ),
    ).toThrow(
      `Golden-path content ${dir} (goldenPath.content.capabilities.deplo.directory): 'deplo' is not a capability with golden-path content; use one of`,
    );
    expect(() =>
      goldenPathContent(
        new ConfigReader({
          goldenPath: {
            content: {
              capabilities: {
                deploy: { variants: { helmfile: { directory: dir } } },
              },
            },
          },
        }),
      ),
    ).toThrow(
      `(goldenPath.content.capabilities.deploy.variants.helmfile.directory): 'deploy/helmfile' is not a golden-path content set the actions render`,
    );
  });

  it('leaves content at a URL to the module, naming the key', () => {
    expect(() =>
      goldenPathContent(
        new ConfigReader({
          goldenPath: { content: { url: 'https://github.com/acme/paved' } },
        }),
      ),
    ).toThrow(
      "Invalid configuration at 'goldenPath.content.url': content at a URL is read when the golden-path module starts",
    );
  });
});
