import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import fs from 'node:fs';
import { ORGANISATION } from './__testUtils__/pavedRepository';
import { RunnableAction, runAction } from './__testUtils__/runAction';
import { unparsableFiles, readTree } from './__testUtils__/scoreWorkspace';
import { createBuildAddAction } from './actions/buildAdd';
import { createCapacityAddAction } from './actions/capacityAdd';
import { createCatalogWriteAction } from './actions/catalogWrite';
import { createDataAddAction } from './actions/dataAdd';
import { createDeployAddAction } from './actions/deployAdd';
import { createMaturityVerifyAction } from './actions/maturityVerify';
import { createObserveAddAction } from './actions/observeAdd';
import { GoldenPathContent } from './lib/content';

/*
 * Checks and content stay consistent: every content set of content/, rendered by the actions into
 * a new workspace, scores the top level of the default ruleset, so that a change to the
 * content that breaks a check fails here.
 */

type Variant = {
  stack: 'node' | 'go' | 'python';
  ciProvider: 'github-actions' | 'gitlab-ci';
  method: 'helm' | 'kustomize';
  versioning: 'release-please' | 'changesets' | 'git-tags';
  /** The service's own code, for variants chosen by what the repository holds. */
  service?: Record<string, string>;
};

/** Together, these render every content set (asserted below). */
const VARIANTS: Variant[] = [
  {
    stack: 'node',
    ciProvider: 'github-actions',
    method: 'helm',
    versioning: 'release-please',
  },
  {
    stack: 'go',
    ciProvider: 'gitlab-ci',
    method: 'kustomize',
    versioning: 'git-tags',
  },
  {
    stack: 'python',
    ciProvider: 'github-actions',
    method: 'kustomize',
    versioning: 'git-tags',
  },
  {
    stack: 'node',
    ciProvider: 'gitlab-ci',
    method: 'helm',
    versioning: 'changesets',
  },
  {
    stack: 'node',
    ciProvider: 'github-actions',
    method: 'kustomize',
    versioning: 'changesets',
  },
  {
    stack: 'go',
    ciProvider: 'github-actions',
    method: 'helm',
    versioning: 'release-please',
  },
  {
    stack: 'python',
    ciProvider: 'gitlab-ci',
    method: 'helm',
    versioning: 'git-tags',
  },
  {
    // A TypeScript service (tsconfig.json) gets observe/node-typescript; without one, the
    // node variants above get observe/node-javascript.
    stack: 'node',
    ciProvider: 'github-actions',
    method: 'helm',
    versioning: 'git-tags',
    service: {
      'package.json': '{\n  "name": "orders",\n  "main": "dist/index.js"\n}\n',
      'tsconfig.json': '{\n  "compilerOptions": { "outDir": "dist" }\n}\n',
      'src/index.ts':
        "import http from 'node:http';\n\nhttp.createServer().listen(8080);\n",
    },
  },
  {
    // A chart of the service's own without an autoscaler gets capacity/helm-hpa: here our chart,
    // in helm/ and without its hpa.yaml.
    stack: 'go',
    ciProvider: 'github-actions',
    method: 'helm',
    versioning: 'release-please',
    service: Object.fromEntries(
      GoldenPathContent.builtIn()
        .set('deploy/helm')
        .render({
          name: 'orders',
          image: 'ghcr.io/acme/orders',
          port: 8080,
          initialVersion: '0.1.0',
        })
        .filter(file => !file.path.endsWith('/hpa.yaml'))
        .map(file => [
          file.path.replace(/^charts\/orders\//, 'helm/'),
          file.content,
        ]),
    ),
  },
  {
    // A service deployed without Kubernetes manifests (Fly.io here) gets capacity/hpa in deploy/
    // and capacity/resources-patch.
    stack: 'go',
    ciProvider: 'gitlab-ci',
    method: 'helm',
    versioning: 'git-tags',
    service: {
      'fly.toml': 'app = "orders"\n\n[http_service]\n  internal_port = 8080\n',
    },
  },
];

describe('golden-path content', () => {
  const mockDir = createMockDirectory();
  const rendered = new Set<string>();
  const set = GoldenPathContent.prototype.set;

  beforeAll(() => {
    jest
      .spyOn(GoldenPathContent.prototype, 'set')
      .mockImplementation(function record(this: GoldenPathContent, id) {
        rendered.add(id);
        return set.call(this, id);
      });
  });

  afterAll(() => {
    jest.restoreAllMocks();
  });

  beforeEach(() => mockDir.clear());

  it.each(VARIANTS)(
    'renders $stack on $ciProvider with $method and $versioning into a new workspace that scores the top level',
    async variant => {
      const workspacePath = mockDir.resolve('workspace');
      fs.mkdirSync(workspacePath, { recursive: true });
      mockDir.addContent({ workspace: variant.service ?? {} });
      const config = new ConfigReader({});
      const name = 'orders';
      const steps: Array<[RunnableAction, Record<string, unknown>]> = [
        [
          createBuildAddAction(),
          {
            name,
            stack: variant.stack,
            ciProvider: variant.ciProvider,
            image: 'ghcr.io/acme/orders',
          },
        ],
        [
          createDeployAddAction(),
          {
            name,
            stack: variant.stack,
            ciProvider: variant.ciProvider,
            method: variant.method,
            versioning: variant.versioning,
            image: 'ghcr.io/acme/orders',
          },
        ],
        [
          createObserveAddAction(),
          { name, stack: variant.stack, pagerDutyServiceId: 'PX1A2B3' },
        ],
        [
          createDataAddAction(),
          {
            name,
            stack: variant.stack,
            ciProvider: variant.ciProvider,
            owner: 'group:default/team-orders',
            system: 'commerce',
          },
        ],
        [createCapacityAddAction(), { name }],
        [
          createCatalogWriteAction({ config }),
          {
            name,
            description: 'Takes and tracks customer orders',
            owner: 'group:default/team-orders',
            system: 'commerce',
            lifecycle: 'production',
          },
        ],
      ];
      for (const [action, input] of steps) {
        await runAction(action, { workspacePath, input });
      }
      // catalog-info.yaml holds several documents; the verify step below reads it.
      const { 'catalog-info.yaml': _catalog, ...files } =
        readTree(workspacePath);
      expect(unparsableFiles(files)).toEqual([]);

      const { outputs } = await runAction(
        createMaturityVerifyAction({
          config,
          catalog: catalogServiceMock({ entities: ORGANISATION }),
        }),
        { workspacePath, input: {} },
      );
      expect({
        level: outputs.levelName,
        failing: outputs.failingChecks,
      }).toEqual({ level: 'Self-serve', failing: [] });
      expect(outputs.score).toBe(100);
    },
  );

  it('renders every content set in the variants above', () => {
    expect([...rendered].sort()).toEqual(
      GoldenPathContent.builtIn().setIds().sort(),
    );
  });
});
