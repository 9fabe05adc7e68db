import type { Config } from '@backstage/config';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { GoldenPathContent } from '../lib/content';
import { planContentFiles } from '../lib/contentPlan';
import { checkWorkspace, passes } from '../lib/evidence';
import { goldenPathSetup, runGoldenPathStep } from '../lib/goldenPathStep';
import {
  commonInputSchema,
  filesOutputSchema,
  portInput,
  serviceNameInputSchema,
  validateImage,
} from '../lib/inputs';
import { GITLAB_CI_FILE, planPipelineJobs } from '../lib/pipelines';
import { CI_PROVIDERS, CiProvider, Stack, STACKS } from '../lib/stacks';
import { examples } from './buildAdd.examples';

/**
 * Options of {@link createBuildAddAction}.
 *
 * @public
 */
export interface BuildAddActionOptions {
  /**
   * The root config; the action reads `goldenPath.policy` (allowed stacks
   * and CI providers, the naming rule). Without it, everything is allowed.
   */
  config?: Config;
  /**
   * The content the action renders, as the module loads it at start-up (with the URLs and the
   * contributed content); default the content of `config`.
   *
   * @internal
   */
  content?: GoldenPathContent;
}

/** The GitHub Actions workflow the action writes. */
const GITHUB_CI_WORKFLOW = '.github/workflows/ci.yaml';

const DEPENDABOT_FILE = '.github/dependabot.yml';
const RENOVATE_FILE = 'renovate.json';

/** Where the starter test of each stack goes. */
const STARTER_TESTS: Record<Stack, string> = {
  node: 'test/smoke.test.mjs',
  go: 'internal/smoke/smoke_test.go',
  python: 'tests/test_smoke.py',
};

/** The Dependabot ecosystem of each stack's dependency manifest. */
const DEPENDABOT_ECOSYSTEM: Record<Stack, string> = {
  node: 'npm',
  go: 'gomod',
  python: 'pip',
};

/** The inputs the files are rendered from. */
type BuildSettings = {
  name: string;
  stack: Stack;
  provider: CiProvider;
  /** The image repository, or a CI expression for the provider's registry. */
  image: string;
  /** The registry host to log in to, when it is not Docker Hub. */
  registry?: string;
  dockerfile: string;
  port: number;
};

function registryOf(image: string): string | undefined {
  const first = image.split('/')[0];
  return image.includes('/') && /[.:]|^localhost$/.test(first)
    ? first
    : undefined;
}

/**
 * Creates the `paved:build:add` action: a CI pipeline (GitHub Actions or
 * GitLab CI) for a Node.js, Go or Python service that runs the tests and
 * builds and pushes a container image tagged with the commit SHA and the
 * release version; a multi-stage, non-root Dockerfile when there is none; a
 * starter test when the repository has no tests; and a dependency update
 * bot (Dependabot on GitHub, Renovate on GitLab).
 *
 * Only what the build checks find missing is added: an existing pipeline
 * that already runs the tests, or another bot already configured, is
 * recognised the way the scorecard recognises it, and left alone.
 *
 * @public
 */
export function createBuildAddAction(options: BuildAddActionOptions = {}) {
  const setup = goldenPathSetup(options);

  return createTemplateAction({
    id: 'paved:build:add',
    description:
      'Adds the build capability: a CI pipeline (GitHub Actions or GitLab CI) for a node, go or python service that runs the tests and builds and pushes a container image tagged with the commit SHA and the release version; a multi-stage non-root Dockerfile when there is none; a starter test when there are no tests; and Dependabot (GitHub) or Renovate (GitLab). Adds only what the build checks find missing.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: serviceNameInputSchema(
          'The service name; default the name in package.json, pyproject.toml or go.mod',
        ),
        stack: z =>
          z
            .enum(STACKS)
            .optional()
            .describe(
              'The stack: node, go or python; default detected from package.json, go.mod, pyproject.toml or requirements.txt',
            ),
        ciProvider: z =>
          z
            .enum(CI_PROVIDERS)
            .optional()
            .describe(
              'github-actions or gitlab-ci; default gitlab-ci when the repository has a .gitlab-ci.yml, else github-actions',
            ),
        image: z =>
          z
            .string()
            .optional()
            .describe(
              "The container image repository without a tag, such as ghcr.io/acme/orders; default the CI provider's registry (ghcr.io/<owner>/<repo> or $CI_REGISTRY_IMAGE)",
            ),
        port: z =>
          z
            .number()
            .int()
            .optional()
            .describe(
              'The port the service listens on, for the Dockerfile; default 8080',
            ),
        dependencyUpdates: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Configure a dependency update bot (Dependabot on GitHub, Renovate on GitLab) unless one is configured; default true',
            ),
        starterTest: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Add a first test when the repository has none, so that the pipeline has tests to run; default true',
            ),
        ...commonInputSchema,
      },
      output: {
        stack: z => z.string().describe('The stack used'),
        ciProvider: z => z.string().describe('The CI provider used'),
        image: z =>
          z.string().describe('The image repository the pipeline pushes to'),
        addedJobs: z =>
          z
            .array(z.string())
            .describe(
              'The pipeline jobs added (test, build-image); empty when the pipeline already met the checks',
            ),
        ...filesOutputSchema,
      },
    },
    async handler(ctx) {
      await runGoldenPathStep(ctx, setup, async step => {
        const { input, files, content } = step;
        const stack = await step.stack();
        const provider = await step.ciProvider();
        const name = await step.requiredName();
        const port = portInput(input.port);
        let image: string;
        if (input.image !== undefined) {
          image = validateImage(input.image);
        } else {
          image =
            provider === 'github-actions'
              ? 'ghcr.io/${{ github.repository }}'
              : '$CI_REGISTRY_IMAGE';
        }
        const containerfile = (await files.exists('Containerfile'))
          ? 'Containerfile'
          : undefined;
        const settings: BuildSettings = {
          name,
          stack,
          provider,
          image,
          registry:
            input.image === undefined && provider === 'github-actions'
              ? 'ghcr.io'
              : registryOf(image),
          dockerfile: containerfile ?? 'Dockerfile',
          port,
        };

        // A starter test, when the repository has no tests at all. The build.tests check is
        // asked with a probe pipeline that runs tests, so that it answers "are there tests?"
        // exactly as the scorecard would.
        const starterPath = STARTER_TESTS[stack];
        const probe = await checkWorkspace(files, {
          without: [starterPath],
          add: { '.github/workflows/paved-probe.yaml': 'run: npm test\n' },
        });
        const addStarter =
          (input.starterTest ?? true) && !passes(probe, 'build.tests');
        const starter: Record<string, string> = {};
        if (addStarter) {
          const rendered = content
            .set(`build/${stack}-starter-test`)
            .render({ ...settings });
          for (const file of rendered.filter(f => f.path === starterPath)) {
            starter[file.path] = file.content;
          }
          planContentFiles(files, rendered);
        }

        // The Dockerfile, unless the repository builds from a Containerfile.
        if (!containerfile) {
          planContentFiles(
            files,
            content.set(`build/${stack}-container`).render({ ...settings }),
          );
        }

        // The pipeline: only the jobs whose checks do not pass yet.
        const target =
          provider === 'github-actions' ? GITHUB_CI_WORKFLOW : GITLAB_CI_FILE;
        const botFile =
          provider === 'github-actions' ? DEPENDABOT_FILE : RENOVATE_FILE;
        const pipeline = await planPipelineJobs(files, {
          target,
          provider,
          jobs: [
            { id: 'test', check: 'build.tests' },
            { id: 'build-image', check: 'build.artifact' },
          ],
          render: jobs =>
            content
              .set(`build/${provider}`)
              .renderFile(target, { ...settings, jobs }).content,
          add: starter,
        });
        for (const [check, message] of Object.entries(pipeline.alreadyMet)) {
          step.logger.info(
            `${check} already passes, nothing to add: ${message}`,
          );
        }

        // The dependency update bot, unless one is configured.
        if (input.dependencyUpdates ?? true) {
          const bots = await checkWorkspace(files, { without: [botFile] });
          if (passes(bots, 'build.dependency-updates')) {
            step.logger.info(
              `build.dependency-updates already passes: ${
                bots.get('build.dependency-updates')!.message
              }`,
            );
          } else {
            planContentFiles(
              files,
              content
                .set(
                  provider === 'github-actions'
                    ? 'build/dependabot'
                    : 'build/renovate',
                )
                .render({ ecosystem: DEPENDABOT_ECOSYSTEM[stack] }),
            );
          }
        }

        return {
          stack,
          ciProvider: provider,
          image,
          addedJobs: pipeline.jobs,
        };
      });
    },
  });
}
