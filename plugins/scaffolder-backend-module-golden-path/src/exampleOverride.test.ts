import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ORGANISATION } from './__testUtils__/pavedRepository';
import { runAction } from './__testUtils__/runAction';
import {
  directoryContents,
  dryRun,
  startScaffolder,
  stepLog,
} from './__testUtils__/scaffolderBackend';
import { readTree, unparsableFiles } from './__testUtils__/scoreWorkspace';
import { GoldenPathContent } from './lib/content';
import { createGoldenPathActions } from './module';

/*
 * The example platform team's content that the local suite uses (examples/golden-path-content,
 * named by goldenPath.content.directory in the root app-config.yaml): the actions render its
 * chart and CI instead of ours, and the service they make still scores the top level. The guide
 * (docs/paving-your-own-road.md) shows this test as the pattern for a team's own content.
 */

jest.setTimeout(120_000);

const REPOSITORY_ROOT = path.resolve(__dirname, '../../..');
const EXAMPLE = path.join(REPOSITORY_ROOT, 'examples/golden-path-content');

/** The root app-config.yaml's `goldenPath`, with `${PAVED_ROOT}` as `npm start` sets it. */
function localSuiteGoldenPath() {
  const text = fs
    .readFileSync(path.join(REPOSITORY_ROOT, 'app-config.yaml'), 'utf8')
    .replaceAll('${PAVED_ROOT}', REPOSITORY_ROOT);
  return parseYaml(text).goldenPath;
}

function localSuiteConfig(): ConfigReader {
  return new ConfigReader({ goldenPath: localSuiteGoldenPath() });
}

describe('the example override of the local suite (examples/golden-path-content)', () => {
  const mockDir = createMockDirectory();
  beforeEach(() => mockDir.clear());

  it('is the content directory of the root app-config.yaml', () => {
    expect(localSuiteConfig().getString('goldenPath.content.directory')).toBe(
      EXAMPLE,
    );
  });

  it.each(['node', 'go', 'python'] as const)(
    "renders the team's chart and CI for a %s service, which scores the top level",
    async stack => {
      const config = localSuiteConfig();
      const catalog = catalogServiceMock({ entities: ORGANISATION });
      // As the module registers them, so the directory is checked as at start-up.
      const actions = new Map(
        createGoldenPathActions({ config, catalog }).map(a => [a.id, a]),
      );
      const workspacePath = mockDir.resolve('workspace');
      fs.mkdirSync(workspacePath, { recursive: true });
      const name = 'orders';
      const image = 'registry.acme.example/orders';
      const steps: Array<[string, Record<string, unknown>]> = [
        [
          'paved:build:add',
          { name, stack, ciProvider: 'github-actions', image },
        ],
        [
          'paved:deploy:add',
          {
            name,
            stack,
            ciProvider: 'github-actions',
            method: 'helm',
            versioning: 'release-please',
            image,
          },
        ],
        ['paved:observe:add', { name, stack, pagerDutyServiceId: 'PX1A2B3' }],
        [
          'paved:data:add',
          {
            name,
            stack,
            ciProvider: 'github-actions',
            owner: 'group:default/team-orders',
            system: 'commerce',
          },
        ],
        ['paved:capacity:add', { name }],
        [
          'paved:catalog:write',
          {
            name,
            description: 'Takes and tracks customer orders',
            owner: 'group:default/team-orders',
            system: 'commerce',
            lifecycle: 'production',
          },
        ],
      ];
      for (const [id, input] of steps) {
        await runAction(actions.get(id)!, { workspacePath, input });
      }
      // The checklist first: the team's content still makes a service of the top level.
      const { outputs } = await runAction(
        actions.get('paved:maturity:verify')!,
        {
          workspacePath,
          input: {},
        },
      );
      expect({
        level: outputs.level,
        levelName: outputs.levelName,
        failing: outputs.failingChecks,
        score: outputs.score,
      }).toEqual({
        level: 4,
        levelName: 'Self-serve',
        failing: [],
        score: 100,
      });

      const tree = readTree(workspacePath);
      const { 'catalog-info.yaml': _catalog, ...files } = tree;
      expect(unparsableFiles(files)).toEqual([]);

      // The team's chart, not ours: its files (a disruption budget, no .helmignore), labels and
      // values, with what capacity (and data's migration Job, for some stacks) added to them.
      const chart = Object.keys(tree)
        .filter(
          f =>
            f.startsWith('charts/orders/') && !f.endsWith('/migrate-job.yaml'),
        )
        .sort();
      expect(chart).toEqual([
        'charts/orders/Chart.yaml',
        'charts/orders/templates/_helpers.tpl',
        'charts/orders/templates/deployment.yaml',
        'charts/orders/templates/hpa.yaml',
        'charts/orders/templates/pdb.yaml',
        'charts/orders/templates/service.yaml',
        'charts/orders/values.yaml',
      ]);
      expect(tree['charts/orders/Chart.yaml']).toContain(
        'platform.acme.example/golden-path: acme-service-chart@2.1.0',
      );
      expect(tree['charts/orders/templates/_helpers.tpl']).toContain(
        'platform.acme.example/team:',
      );
      const values = parseYaml(tree['charts/orders/values.yaml']);
      expect(values).toMatchObject({
        platform: { tier: 'standard' },
        image: { repository: image },
        podDisruptionBudget: { maxUnavailable: 1 },
        autoscaling: { enabled: true },
      });
      expect(values.resources.limits).toBeDefined();

      // The team's CI: the tests through its reusable workflow, the image signed.
      const ci = tree['.github/workflows/ci.yaml'];
      expect(ci).toContain(
        'uses: acme-platform/workflows/.github/workflows/test.yaml@v3',
      );
      expect(ci).toContain(`language: ${stack}`);
      expect(ci).toContain('uses: acme-platform/actions/registry-login@v2');
      expect(ci).toContain('cosign sign --yes registry.acme.example/orders@');
      expect(ci).not.toContain('actions/setup-');
      // The runtime version the team's versions.yaml moved (Python), and ours (Node.js).
      expect(ci).toContain(
        {
          node: "node-version: '22'",
          go: 'language: go',
          python: "python-version: '3.13'",
        }[stack],
      );

      // What the team did not replace stays ours.
      expect(tree['.github/workflows/rollback.yaml']).toContain(
        'helm rollback orders',
      );
    },
  );

  it("gives typescript-service, dry-run on the real scaffolder, the top level with the team's chart and CI", async () => {
    // The backend starts the module with this configuration, which checks the directory.
    const { server } = await startScaffolder({
      config: {
        goldenPath: {
          ...localSuiteGoldenPath(),
          localPublish: { root: mockDir.resolve('repositories') },
        },
      },
    });
    const template = path.join(REPOSITORY_ROOT, 'templates/typescript-service');
    const result = await dryRun(
      server,
      parseYaml(fs.readFileSync(path.join(template, 'template.yaml'), 'utf8')),
      {
        name: 'orders',
        description: 'Takes and tracks customer orders',
        owner: 'group:default/team-orders',
        system: 'system:default/commerce',
        lifecycle: 'production',
        ciProvider: 'github-actions',
        onCallProvider: 'pagerduty',
        pagerDutyServiceId: 'PX1A2B3',
        publishTarget: 'local',
      },
      directoryContents(template),
    );
    expect(result.body.error).toBeUndefined();
    expect(stepLog(result, 'verify').join('\n')).toContain(
      'level 4 (Self-serve), score 100',
    );
    expect(result.files['charts/orders/templates/pdb.yaml']).toContain(
      'kind: PodDisruptionBudget',
    );
    expect(result.files['.github/workflows/ci.yaml']).toContain(
      'uses: acme-platform/workflows/.github/workflows/test.yaml@v3',
    );
  });

  it('replaces exactly the sets it holds', () => {
    expect(
      GoldenPathContent.builtIn()
        .withOverrides(EXAMPLE)
        .overriddenSetIds()
        .sort(),
    ).toEqual(['build/github-actions', 'deploy/helm']);
  });
});
