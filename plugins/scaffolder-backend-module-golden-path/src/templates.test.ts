import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import githubModule from '@backstage/plugin-scaffolder-backend-module-github';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import yaml from 'yaml';
import { ORGANISATION, writeFiles } from './__testUtils__/pavedRepository';
import { runAction } from './__testUtils__/runAction';
import {
  directoryContents,
  dryRun,
  DryRunResult,
  startScaffolder,
  stepLog,
} from './__testUtils__/scaffolderBackend';
import { createPublishLocalAction } from './actions/publishLocal';
import { validateEntities } from './lib/catalogInfo';

jest.setTimeout(180_000);

const TEMPLATES = path.resolve(__dirname, '../../../templates');

/** The golden path's runtime versions, read as the skeletons and actions get them. */
const RUNTIME_VERSIONS: Record<string, string> = yaml.parse(
  fs.readFileSync(path.resolve(__dirname, '../content/versions.yaml'), 'utf8'),
);

/**
 * Starts a backend with the real scaffolder (see `startScaffolder`) and dry-runs a template of
 * templates/ with the values of its form, the template and its skeleton uploaded as the template
 * editor does.
 */
async function dryRunTemplate(
  name: string,
  values: Record<string, unknown>,
  backend: Parameters<typeof startScaffolder>[0] = {},
): Promise<DryRunResult> {
  const { server } = await startScaffolder(backend);
  const dir = path.join(TEMPLATES, name);
  return dryRun(
    server,
    yaml.parse(fs.readFileSync(path.join(dir, 'template.yaml'), 'utf8')),
    values,
    directoryContents(dir),
  );
}

/** The entities of the produced catalog-info.yaml, validated as the catalog validates them. */
async function producedEntities(
  files: Record<string, string>,
  file = 'catalog-info.yaml',
): Promise<Entity[]> {
  expect(files[file]).toBeDefined();
  const entities = yaml
    .parseAllDocuments(files[file])
    .map(d => d.toJS() as Entity)
    .filter(Boolean);
  await expect(validateEntities(entities)).resolves.toBeUndefined();
  return entities;
}

/** Every YAML and JSON file of the workspace parses. */
function expectParsable(files: Record<string, string>) {
  for (const [file, content] of Object.entries(files)) {
    if (/\.ya?ml$/.test(file) && !file.includes('/templates/')) {
      expect(() => yaml.parseAllDocuments(content)).not.toThrow();
      for (const doc of yaml.parseAllDocuments(content)) {
        expect({ file, errors: doc.errors }).toEqual({ file, errors: [] });
      }
    }
    if (/\.json$/.test(file)) {
      expect(() => JSON.parse(content)).not.toThrow();
    }
  }
}

function expectTopLevel(result: DryRunResult) {
  expect(stepLog(result, 'verify').join('\n')).toContain(
    'level 4 (Self-serve), score 100',
  );
}

/** Writes the workspace to disk, for the compiler and the service's own tests. */
function materialise(files: Record<string, string>, dir: string) {
  writeFiles(dir, files);
}

describe('the root catalog-info.yaml', () => {
  it('registers every template of templates/', () => {
    const file = path.resolve(TEMPLATES, '../catalog-info.yaml');
    const location = yaml
      .parseAllDocuments(fs.readFileSync(file, 'utf8'))
      .map(d => d.toJS() as Entity)
      .find(
        e => e.kind === 'Location' && e.metadata.name === 'paved-templates',
      );
    const targets = (location?.spec?.targets as string[]) ?? [];
    const templates = fs
      .readdirSync(TEMPLATES, { withFileTypes: true })
      .filter(e => e.isDirectory())
      .map(e => `./templates/${e.name}/template.yaml`);
    expect([...targets].sort()).toEqual(templates.sort());
    for (const target of targets) {
      const entity = yaml.parse(
        fs.readFileSync(path.resolve(path.dirname(file), target), 'utf8'),
      );
      expect(entity).toMatchObject({
        kind: 'Template',
        metadata: { name: path.basename(path.dirname(target)) },
      });
    }
  });
});

describe('the template forms', () => {
  const templates = fs
    .readdirSync(TEMPLATES, { withFileTypes: true })
    .filter(e => e.isDirectory())
    .map(e => e.name);

  /** Every schema object in a template's parameters, however deeply nested. */
  function schemas(value: unknown, found: Record<string, any>[] = []) {
    if (value && typeof value === 'object') {
      found.push(value as Record<string, any>);
      Object.values(value).forEach(v => schemas(v, found));
    }
    return found;
  }

  it.each(templates)(
    '%s uses oneOf with const and title, not the deprecated enumNames',
    name => {
      const template = yaml.parse(
        fs.readFileSync(path.join(TEMPLATES, name, 'template.yaml'), 'utf8'),
      );
      const all = schemas(template.spec.parameters);
      expect(all.filter(s => 'enumNames' in s)).toEqual([]);
      const options = all
        .filter(s => Array.isArray(s.oneOf))
        .flatMap(s => s.oneOf)
        .filter(option => 'const' in option);
      expect(
        options.filter(option => typeof option.title !== 'string'),
      ).toEqual([]);
    },
  );

  it.each(templates)(
    '%s lets the delivery target picker choose, with no default target',
    name => {
      const template = yaml.parse(
        fs.readFileSync(path.join(TEMPLATES, name, 'template.yaml'), 'utf8'),
      );
      const target = schemas(template.spec.parameters).find(
        s => s.publishTarget?.title,
      )?.publishTarget;
      expect(target['ui:field']).toBe('PavedDeliveryTargetPicker');
      expect(target.default).toBeUndefined();
    },
  );
});

describe('golden-path templates (dry run on the real scaffolder)', () => {
  const mockDir = createMockDirectory();
  let root: string;

  beforeEach(() => {
    mockDir.clear();
    root = mockDir.resolve('repositories');
  });

  const localConfig = () => ({
    goldenPath: { localPublish: { root } },
  });

  const newService = {
    name: 'orders',
    description: 'Takes and tracks customer orders',
    owner: 'group:default/team-orders',
    system: 'system:default/commerce',
    lifecycle: 'production',
    ciProvider: 'github-actions',
    onCallProvider: 'pagerduty',
    pagerDutyServiceId: 'PX1A2B3',
  };

  describe('typescript-service', () => {
    it('creates a service that reaches the top level and publishes it locally (dry run: nothing written)', async () => {
      const result = await dryRunTemplate(
        'typescript-service',
        // The form keeps the RepoUrlPicker's partial value after the local target is chosen.
        { ...newService, publishTarget: 'local', repoUrl: 'github.com?' },
        { config: localConfig() },
      );
      expect(result.body.error).toBeUndefined();
      expect(result.status).toBe(200);
      expectTopLevel(result);

      const { files } = result;
      expect(JSON.parse(files['package.json'])).toMatchObject({
        name: 'orders',
        description: 'Takes and tracks customer orders',
      });
      expect(files['src/server.ts']).toContain("url.pathname === '/healthz'");
      expect(files['src/server.test.ts']).toContain("service: 'orders'");
      expect(Object.keys(files)).toEqual(
        expect.arrayContaining([
          'catalog-info.yaml',
          'Dockerfile',
          '.github/workflows/ci.yaml',
          'charts/orders/Chart.yaml',
        ]),
      );
      expectParsable(files);
      const entities = await producedEntities(files);
      expect(entities[0]).toMatchObject({
        kind: 'Component',
        metadata: { name: 'orders' },
        spec: {
          type: 'service',
          lifecycle: 'production',
          owner: 'group:default/team-orders',
          system: 'system:default/commerce',
        },
      });
      // Local target: publish:local ran in dry-run mode, the SCM steps were skipped.
      expect(stepLog(result, 'publish-local').join('\n')).toContain(
        `Dry run: would create the git repository ${path.join(root, 'orders')}`,
      );
      expect(fs.existsSync(root)).toBe(false);
      expect(stepLog(result, 'publish-scm').join('\n')).toContain(
        'its if condition was false',
      );
      // No file: URL, which the browser would block: the link is the new entity's page.
      expect(
        result.output.links.filter((l: { url?: string }) => l.url),
      ).toEqual([]);
      expect(result.output.links).toContainEqual({
        title: 'Open in catalog',
        icon: 'catalog',
        entityRef: 'component:default/orders',
      });
      expect(result.output.text[0].content).toBe(
        '**Level 4 (Self-serve)**, score 100.',
      );

      // The skeleton's Node.js version is the golden path's, as in the CI workflow and Dockerfile.
      const manifest = JSON.parse(files['package.json']);
      expect(manifest.engines.node).toBe(`>=${RUNTIME_VERSIONS.node}`);
      expect(manifest.devDependencies['@types/node']).toBe(
        `^${RUNTIME_VERSIONS.node}.0.0`,
      );
      expect(files.Dockerfile).toContain(`FROM node:${RUNTIME_VERSIONS.node}-`);

      // The skeleton is a real service: it type-checks, and its own tests pass.
      const dir = mockDir.resolve('service');
      materialise(files, dir);
      const sources = ['src/server.ts', 'src/server.test.ts'].map(f =>
        path.join(dir, f),
      );
      const program = ts.createProgram(sources, {
        strict: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.CommonJS,
        esModuleInterop: true,
        skipLibCheck: true,
        types: ['node'],
        typeRoots: [path.resolve(__dirname, '../../../node_modules/@types')],
        outDir: path.join(dir, 'dist'),
      });
      const diagnostics = ts
        .getPreEmitDiagnostics(program)
        .map(d => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      expect(diagnostics).toEqual([]);
      program.emit();
      const test = spawnSync(
        process.execPath,
        ['--test', path.join(dir, 'dist/server.test.js')],
        { encoding: 'utf8' },
      );
      expect(test.stdout).toContain('# pass 3');
      expect(test.status).toBe(0);
    });

    it('publishes to GitHub and registers the entity when the target is the SCM', async () => {
      const result = await dryRunTemplate(
        'typescript-service',
        {
          ...newService,
          publishTarget: 'scm',
          repoUrl: 'github.com?owner=acme&repo=orders',
        },
        { features: [githubModule] },
      );
      expect(result.body.error).toBeUndefined();
      expectTopLevel(result);
      const [component] = await producedEntities(result.files);
      expect(component.metadata.annotations).toMatchObject({
        'github.com/project-slug': 'acme/orders',
      });
      expect(result.files['.github/workflows/ci.yaml']).toContain(
        'ghcr.io/acme/orders',
      );
      // publish:github and catalog:register do not support dry runs; they are reached.
      expect(stepLog(result, 'publish-scm').join('\n')).toContain(
        'Skipping because publish:github does not support dry-run',
      );
      expect(stepLog(result, 'register').join('\n')).toContain(
        'Skipping because catalog:register does not support dry-run',
      );
      expect(stepLog(result, 'publish-local').join('\n')).toContain(
        'its if condition was false',
      );
    });

    it('stops at the policy check, listing every violation, before anything is written', async () => {
      const result = await dryRunTemplate(
        'typescript-service',
        {
          ...newService,
          owner: 'group:default/nobody',
          system: 'system:default/nowhere',
          publishTarget: 'local',
        },
        { config: localConfig() },
      );
      expect(result.status).toBe(400);
      expect(result.body.error.message).toBe(
        [
          "The template's inputs are off the paved road (2 problems):",
          '- owner: group:default/nobody does not exist in the catalog',
          '- system: system:default/nowhere does not exist in the catalog',
        ].join('\n'),
      );
    });
  });

  describe('go-service', () => {
    it('creates a Go service that reaches the top level', async () => {
      const result = await dryRunTemplate(
        'go-service',
        // The form keeps the RepoUrlPicker's partial value after the local target is chosen.
        { ...newService, publishTarget: 'local', repoUrl: 'github.com?' },
        { config: localConfig() },
      );
      expect(result.body.error).toBeUndefined();
      expectTopLevel(result);
      const { files } = result;
      expect(files['go.mod']).toMatch(/^module orders\n/);
      // The skeleton's Go version is the golden path's, as in the CI image and Dockerfile.
      const go = `go ${RUNTIME_VERSIONS.go}\n`;
      expect(files['go.mod']).toContain(`\n${go}`);
      expect(files.Dockerfile).toContain(`FROM golang:${RUNTIME_VERSIONS.go} `);
      expect(files['main.go']).toContain('newServer("orders", version)');
      expect(files['server.go']).toContain('mux.HandleFunc("GET /healthz"');
      expect(files['server_test.go']).toContain('func TestHealthz');
      expectParsable(files);
      const [component] = await producedEntities(files);
      expect(component.metadata.name).toBe('orders');
    });

    it('uses the repository as the Go module path when publishing to GitHub', async () => {
      const result = await dryRunTemplate(
        'go-service',
        {
          ...newService,
          publishTarget: 'scm',
          repoUrl: 'github.com?owner=acme&repo=orders',
        },
        { features: [githubModule] },
      );
      expect(result.body.error).toBeUndefined();
      expect(result.files['go.mod']).toMatch(
        /^module github\.com\/acme\/orders\n/,
      );
      expectTopLevel(result);
    });
  });

  describe('add-capabilities', () => {
    /** A service published earlier to the local root, missing every capability. */
    const LEGACY: Record<string, string> = {
      'catalog-info.yaml': [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata:',
        '  name: legacy',
        '  # Written by hand, years ago.',
        '  description: The old orders service',
        'spec:',
        '  type: service',
        '  lifecycle: production',
        '  owner: group:default/team-orders',
        '  system: system:default/commerce',
        '',
      ].join('\n'),
      'package.json': `${JSON.stringify(
        {
          name: 'legacy',
          version: '2.3.0',
          scripts: { start: 'node index.js' },
          dependencies: { pg: '^8.16.0' },
        },
        null,
        2,
      )}\n`,
      'index.js':
        "require('node:http').createServer((_, res) => res.end('ok')).listen(8080);\n",
    };

    async function publishLegacy(): Promise<Entity> {
      const workspacePath = mockDir.resolve('legacy-workspace');
      writeFiles(workspacePath, LEGACY);
      await runAction(
        createPublishLocalAction({
          catalog: catalogServiceMock.mock({
            addLocation: jest.fn(async () => ({} as any)),
          }),
          config: new ConfigReader(localConfig()),
        }),
        { input: { repoName: 'legacy' }, workspacePath },
      );
      const catalogFile = path.join(root, 'legacy/catalog-info.yaml');
      // The entity as the catalog serves it after reading the file location.
      const entity = yaml.parse(LEGACY['catalog-info.yaml']) as Entity;
      entity.metadata.namespace = 'default';
      entity.metadata.annotations = {
        'backstage.io/managed-by-location': `file:${catalogFile}`,
        'backstage.io/managed-by-origin-location': `file:${catalogFile}`,
      };
      return entity;
    }

    it('retrofits every capability into a locally published service and commits it (dry run)', async () => {
      const legacy = await publishLegacy();
      const result = await dryRunTemplate(
        'add-capabilities',
        {
          entity: 'component:default/legacy',
          capabilities: [
            'build',
            'deploy',
            'observe',
            'data',
            'capacity',
            'as-code',
          ],
          image: 'ghcr.io/acme/legacy',
          pagerDutyServiceId: 'PX9Z8Y7',
          publishTarget: 'local',
        },
        {
          config: localConfig(),
          entities: [...ORGANISATION, legacy],
        },
      );
      expect(result.body.error).toBeUndefined();
      expectTopLevel(result);
      const entities = await producedEntities(result.files);
      // The user's hand-written entry survives, comment included.
      expect(result.files['catalog-info.yaml']).toContain(
        '# Written by hand, years ago.',
      );
      expect(entities[0]).toMatchObject({
        metadata: {
          name: 'legacy',
          annotations: { 'pagerduty.com/service-id': 'PX9Z8Y7' },
        },
      });
      expect(result.files['index.js']).toBe(LEGACY['index.js']);
      expectParsable(result.files);
      expect(stepLog(result, 'publish-local').join('\n')).toContain(
        `Dry run: would publish a new commit to the git repository ${path.join(
          root,
          'legacy',
        )}`,
      );
      // The run links to the entity's page, not to a file: URL the browser would block.
      expect(
        result.output.links.filter((l: { url?: string }) => l.url),
      ).toEqual([]);
      expect(result.output.links).toContainEqual({
        title: 'Open in catalog',
        icon: 'catalog',
        entityRef: 'component:default/legacy',
      });
    });

    it('fails at its first step, in a sentence naming what to change, when the chosen target cannot work', async () => {
      const legacy = await publishLegacy();
      const result = await dryRunTemplate(
        'add-capabilities',
        {
          entity: 'component:default/legacy',
          capabilities: ['observe'],
          publishTarget: 'scm',
        },
        {
          config: localConfig(),
          entities: [...ORGANISATION, legacy],
        },
      );
      expect(result.status).toBe(400);
      expect(result.body.error.message).toBe(
        `"A pull request to the service's repository" cannot work for component:default/legacy: component:default/legacy's repository is a directory on the Backstage server (${path.join(
          root,
          'legacy/catalog-info.yaml',
        )}), not on a Git host, so a pull request cannot be opened. Choose "A new commit in the local repository root" instead.`,
      );
    });

    it('runs with the values a Fix link prefills (entity and one capability)', async () => {
      const legacy = await publishLegacy();
      const result = await dryRunTemplate(
        'add-capabilities',
        {
          entity: 'component:default/legacy',
          capabilities: ['observe'],
          pagerDutyServiceId: 'PX9Z8Y7',
          publishTarget: 'local',
        },
        {
          config: localConfig(),
          entities: [...ORGANISATION, legacy],
        },
      );
      expect(result.body.error).toBeUndefined();
      const verify = stepLog(result, 'verify').join('\n');
      expect(verify).toMatch(/observe\s+complete\s+100%/);
      for (const step of ['build', 'deploy', 'data', 'capacity', 'catalog']) {
        expect(stepLog(result, step).join('\n')).toContain(
          'its if condition was false',
        );
      }
    });

    it('opens a pull request for a service in GitHub, reading its repository through the URL reader', async () => {
      const legacy: Entity = {
        ...(yaml.parse(LEGACY['catalog-info.yaml']) as Entity),
      };
      legacy.metadata.namespace = 'default';
      legacy.metadata.annotations = {
        'backstage.io/source-location':
          'url:https://github.com/acme/legacy/tree/main/',
        'github.com/project-slug': 'acme/legacy',
      };
      const read: string[] = [];
      const urlReader = mockServices.urlReader.mock({
        readTree: async (url: string) => {
          read.push(url);
          return {
            etag: 'e1',
            files: async () => [],
            archive: async () => {
              throw new Error('not used');
            },
            dir: async (options?: { targetDir?: string }) => {
              writeFiles(options!.targetDir!, LEGACY);
              return options!.targetDir!;
            },
          };
        },
      });
      const result = await dryRunTemplate(
        'add-capabilities',
        {
          entity: 'component:default/legacy',
          capabilities: ['capacity', 'observe'],
          pagerDutyServiceId: 'PX9Z8Y7',
          publishTarget: 'scm',
        },
        {
          entities: [...ORGANISATION, legacy],
          features: [githubModule, urlReader.factory],
          config: {
            integrations: {
              github: [{ host: 'github.com', token: 'a-token' }],
            },
          },
        },
      );
      expect(result.body.error).toBeUndefined();
      expect(read).toEqual(['https://github.com/acme/legacy/tree/main/']);
      const pr = stepLog(result, 'pull-request').join('\n');
      expect(pr).toContain('"repoUrl": "github.com?owner=acme&repo=legacy"');
      expect(pr).toContain('"branchName": "paved/add-capacity-observe"');
      expect(pr).toContain('Performing dry run of creating pull request');
      expect(result.output.links[0]).toEqual({
        title: 'Pull request',
        url: 'github.com?owner=acme&repo=legacy',
      });
      await producedEntities(result.files);
    });
  });
});
