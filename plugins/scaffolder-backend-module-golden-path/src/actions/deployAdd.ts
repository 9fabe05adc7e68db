import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { GoldenPathContent } from '../lib/content';
import {
  CATALOG_INFO_FILE,
  CatalogInfo,
  planCatalogInfo,
} from '../lib/catalogInfo';
import { planContentFiles } from '../lib/contentPlan';
import { checkWorkspace, passes } from '../lib/evidence';
import { goldenPathSetup, runGoldenPathStep } from '../lib/goldenPathStep';
import {
  commonInputSchema,
  filesOutputSchema,
  portInput,
  serviceNameInputSchema,
  validateImage,
  validateServiceName,
} from '../lib/inputs';
import {
  helmChartDir,
  KUSTOMIZE_OVERLAYS,
  kustomizeOverlayDir,
} from '../lib/layout';
import {
  GITLAB_CI_FILE,
  PipelineJob,
  planPipelineJobs,
} from '../lib/pipelines';
import {
  CI_PROVIDERS,
  CiProvider,
  detectStack,
  oneOf,
  Stack,
  STACKS,
} from '../lib/stacks';
import { WorkspaceFiles } from '../lib/workspace';
import { examples } from './deployAdd.examples';

/**
 * Options of {@link createDeployAddAction}.
 *
 * @public
 */
export interface DeployAddActionOptions {
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

const METHODS = ['helm', 'kustomize'] as const;
type Method = (typeof METHODS)[number];

const VERSIONING = [
  'release-please',
  'changesets',
  'git-tags',
  'none',
] as const;
type Versioning = (typeof VERSIONING)[number];

const RUNBOOK_FILE = 'RUNBOOK.md';
const GITHUB_ROLLBACK_WORKFLOW = '.github/workflows/rollback.yaml';
const RELEASE_PLEASE_CONFIG = 'release-please-config.json';
const RELEASE_PLEASE_MANIFEST = '.release-please-manifest.json';
const CHANGESET_CONFIG = '.changeset/config.json';
const INITIAL_VERSION = '0.1.0';

/** A rollback heading, as the deploy.rollback check reads a runbook. */
const ROLLBACK_HEADING =
  /^#{1,6}[ \t][^\n]*\b(?:roll(?:ing)?[ -]?back|revert(?:ing)?[ \t]+(?:a[ \t]+|the[ \t]+)?(?:release|deploy(?:ment)?))/im;

/**
 * Release tooling configured by files at the repository root: when one of
 * these exists (and is not the tool chosen), the action adds no other.
 */
const RELEASE_TOOL_FILES: Record<string, readonly string[]> = {
  'release-please': [RELEASE_PLEASE_CONFIG, RELEASE_PLEASE_MANIFEST],
  changesets: [CHANGESET_CONFIG],
  'semantic-release': [
    '.releaserc',
    '.releaserc.json',
    '.releaserc.yaml',
    '.releaserc.yml',
    '.releaserc.js',
    '.releaserc.cjs',
    '.releaserc.mjs',
    'release.config.js',
    'release.config.cjs',
    'release.config.mjs',
  ],
  GoReleaser: ['.goreleaser.yml', '.goreleaser.yaml'],
  'release-it': ['.release-it.json', '.release-it.yaml', '.release-it.yml'],
};

/** The release-please release type of each stack. */
const RELEASE_TYPE: Record<Stack, string> = {
  node: 'node',
  go: 'go',
  python: 'python',
};

type DeploySettings = {
  name: string;
  method: Method;
  provider: CiProvider;
  image: string;
  port: number;
  namespace: string;
};

/*
 * Where capacity plugs in: `paved:capacity:add` adds autoscaling and resources to what this
 * action writes without touching the templates. In the Helm chart it only merges values —
 * `resources:` (requests and limits) and `autoscaling.enabled: true` with `minReplicas`,
 * `maxReplicas` and `targetCPUUtilizationPercentage` — because `templates/deployment.yaml`
 * already renders `.Values.resources` and drops `replicas` when autoscaling is on, and
 * `templates/hpa.yaml` renders the HorizontalPodAutoscaler when `.Values.autoscaling.enabled`.
 * With Kustomize it adds `hpa.yaml` to `deploy/base`, lists it under `resources:` of the base
 * kustomization and sets `resources` on the container in `deploy/base/deployment.yaml`.
 * The paths are in `lib/layout.ts`.
 */

/** The values every deploy content set is rendered with. */
function contentValues(s: DeploySettings): Record<string, unknown> {
  return { ...s, initialVersion: INITIAL_VERSION };
}

/** The files that carry the version the release tooling bumps, with the YAML path of the version. */
function versionedFiles(
  s: DeploySettings,
): Array<{ path: string; jsonpath: string }> {
  if (s.method === 'helm') {
    const chart = `${helmChartDir(s.name)}/Chart.yaml`;
    return [
      { path: chart, jsonpath: '$.version' },
      { path: chart, jsonpath: '$.appVersion' },
    ];
  }
  return KUSTOMIZE_OVERLAYS.map(env => ({
    path: `${kustomizeOverlayDir(env)}/kustomization.yaml`,
    jsonpath: '$.images[0].newTag',
  }));
}

/** The content sets of the release tooling chosen, for the CI provider. */
function versioningSets(
  versioning: Versioning,
  provider: CiProvider,
): string[] {
  const github = provider === 'github-actions';
  switch (versioning) {
    case 'release-please':
      return ['deploy/release-please'];
    case 'changesets':
      return github
        ? ['deploy/changesets', 'deploy/changesets-github-actions']
        : ['deploy/changesets'];
    case 'git-tags':
      // On GitLab the release job goes into .gitlab-ci.yml, with the rollback job.
      return github ? ['deploy/git-tags-github-actions'] : [];
    default:
      return [];
  }
}
/**
 * Creates the `paved:deploy:add` action: deployment as code (a Helm chart or
 * Kustomize base and overlays) deploying the versioned image, release
 * versioning (release-please, Changesets or releases from version tags), a
 * rollback workflow or manual pipeline job with a runbook section on rolling
 * back, and an optional Argo CD annotation on the catalog entity.
 *
 * A deployment the repository already defines (any form the deploy checks
 * recognise) is kept, and no second one is added; the same goes for release
 * tooling and rollback paths.
 *
 * @public
 */
export function createDeployAddAction(options: DeployAddActionOptions = {}) {
  const setup = goldenPathSetup(options);

  return createTemplateAction({
    id: 'paved:deploy:add',
    description:
      'Adds the deploy capability: a Helm chart or Kustomize base and overlays deploying the versioned image, release versioning (release-please, Changesets or version tags), a rollback workflow or job with a runbook section on rolling back, and an optional Argo CD annotation. Keeps an existing deployment definition instead of adding a second one.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: serviceNameInputSchema(
          'The service name (release, Deployment and chart name); default the name in package.json, pyproject.toml or go.mod',
        ),
        method: z =>
          z
            .enum(METHODS)
            .optional()
            .describe(
              'helm (charts/<name>) or kustomize (deploy/base and deploy/overlays); default helm',
            ),
        image: z =>
          z
            .string()
            .optional()
            .describe(
              'The container image repository without a tag, such as ghcr.io/acme/orders; default from the github.com/project-slug or gitlab.com/project-slug annotation of catalog-info.yaml',
            ),
        port: z =>
          z
            .number()
            .int()
            .optional()
            .describe('The port the container listens on; default 8080'),
        namespace: z =>
          z
            .string()
            .optional()
            .describe('The Kubernetes namespace; default the service name'),
        versioning: z =>
          z
            .enum(VERSIONING)
            .optional()
            .describe(
              'release-please (GitHub), changesets (node), git-tags (a release per v1.2.3 tag) or none; default release-please on GitHub Actions, git-tags on GitLab CI',
            ),
        stack: z =>
          z
            .enum(STACKS)
            .optional()
            .describe(
              'node, go or python, for the release tooling; default detected from the manifests',
            ),
        ciProvider: z =>
          z
            .enum(CI_PROVIDERS)
            .optional()
            .describe(
              'github-actions or gitlab-ci, for the rollback and release workflows; default gitlab-ci when the repository has a .gitlab-ci.yml, else github-actions',
            ),
        argocdApp: z =>
          z
            .string()
            .optional()
            .describe(
              'The Argo CD application that deploys the service: sets the argocd/app-name annotation in catalog-info.yaml',
            ),
        ...commonInputSchema,
      },
      output: {
        method: z => z.string().describe('helm or kustomize'),
        deployment: z =>
          z
            .string()
            .describe(
              'Where the deployment is defined: the chart or Kustomize directory, or "existing" when the repository already defined one',
            ),
        versioning: z =>
          z
            .string()
            .describe('The release tooling added, or "existing" or "none"'),
        ...filesOutputSchema,
      },
    },
    async handler(ctx) {
      await runGoldenPathStep(ctx, setup, async step => {
        const { input, files, content, policy } = step;

        // Validate every input before planning anything.
        const method = oneOf('method', input.method ?? 'helm', METHODS);
        const provider = await step.ciProvider();
        const stack =
          input.stack !== undefined
            ? oneOf('stack', input.stack, policy?.allowedStacks ?? STACKS)
            : await detectStack(files);
        const name = await step.requiredName();
        const namespace = validateServiceName(input.namespace ?? name, {
          inputName: 'namespace',
        });
        const port = portInput(input.port);
        const versioning = oneOf(
          'versioning',
          input.versioning ??
            (provider === 'github-actions' ? 'release-please' : 'git-tags'),
          VERSIONING,
        );
        if (versioning === 'release-please' && provider !== 'github-actions') {
          throw new InputError(
            "Invalid input 'versioning': release-please runs on GitHub only; with gitlab-ci use git-tags or changesets",
          );
        }
        if (versioning === 'changesets' && stack !== 'node') {
          throw new InputError(
            `Invalid input 'versioning': changesets versions npm packages and needs the node stack, not ${
              stack ?? 'an undetected stack'
            }; use ${
              provider === 'github-actions' ? 'release-please or ' : ''
            }git-tags`,
          );
        }
        const argocdApp =
          input.argocdApp !== undefined
            ? validateServiceName(input.argocdApp, { inputName: 'argocdApp' })
            : undefined;
        const image =
          input.image !== undefined
            ? validateImage(input.image)
            : await imageFromCatalog(files);

        const s: DeploySettings = {
          name,
          method,
          provider,
          image,
          port,
          namespace,
        };

        // The deployment definition, unless the repository already has one of its own.
        const deployDirs =
          method === 'helm'
            ? [`${helmChartDir(name)}/`]
            : ['deploy/base/', 'deploy/overlays/'];
        const existingDeployment = await checkWorkspace(files, {
          without: deployDirs,
        });
        let deployment: string;
        if (passes(existingDeployment, 'deploy.manifests')) {
          deployment = 'existing';
          ctx.logger.info(
            `deploy.manifests already passes, no ${method} deployment added: ${
              existingDeployment.get('deploy.manifests')!.message
            }`,
          );
        } else {
          deployment = method === 'helm' ? helmChartDir(name) : 'deploy';
          planContentFiles(
            files,
            content.set(`deploy/${method}`).render(contentValues(s)),
          );
        }

        // Release versioning, unless other release tooling is configured.
        const other =
          versioning === 'none'
            ? undefined
            : await otherReleaseTool(files, versioning);
        const addVersioning = versioning !== 'none' && !other;
        if (other) {
          ctx.logger.info(
            `${other} already versions the releases; ${versioning} not added`,
          );
        }
        if (addVersioning) {
          const values = {
            ...contentValues(s),
            releaseType: stack ? RELEASE_TYPE[stack] : 'simple',
            versionedFiles: versionedFiles(s),
          };
          for (const id of versioningSets(versioning, provider)) {
            planContentFiles(files, content.set(id).render(values));
          }
        }

        // The rollback path: a workflow (GitHub) or a manual job (GitLab), unless the checks
        // find one. It rolls back the deployment this action writes, so a deployment of the
        // user's own gets the runbook section only.
        const gitlabJobs: PipelineJob[] = [];
        if (deployment !== 'existing') {
          if (provider === 'github-actions') {
            await planPipelineJobs(files, {
              target: GITHUB_ROLLBACK_WORKFLOW,
              provider,
              jobs: [{ id: 'rollback', check: 'deploy.rollback' }],
              render: () =>
                content
                  .set('deploy/rollback-github-actions')
                  .renderFile(GITHUB_ROLLBACK_WORKFLOW, contentValues(s))
                  .content,
              without: [RUNBOOK_FILE],
            });
          } else {
            gitlabJobs.push({ id: 'rollback', check: 'deploy.rollback' });
          }
        }
        if (
          provider === 'gitlab-ci' &&
          addVersioning &&
          versioning === 'git-tags'
        ) {
          gitlabJobs.unshift({ id: 'release' });
        }
        if (gitlabJobs.length > 0) {
          await planPipelineJobs(files, {
            target: GITLAB_CI_FILE,
            provider,
            jobs: gitlabJobs,
            render: jobs =>
              content
                .set('deploy/gitlab-ci')
                .renderFile(GITLAB_CI_FILE, { ...contentValues(s), jobs })
                .content,
            without: [RUNBOOK_FILE],
          });
        }
        planContentFiles(
          files,
          content.set('deploy/runbook').render({
            ...contentValues(s),
            existingDeployment: deployment === 'existing',
          }),
          { hasSection: existing => ROLLBACK_HEADING.test(existing) },
        );

        // The Argo CD application on the catalog entity.
        if (argocdApp) {
          await planCatalogInfo(files, (catalog: CatalogInfo) => {
            catalog
              .ensureComponent({ name })
              .setAnnotation('argocd/app-name', argocdApp);
          });
        }

        return {
          method,
          deployment,
          versioning: other ? 'existing' : versioning,
        };
      });
    },
  });
}

/** The image repository from the catalog entity's repository annotation. */
async function imageFromCatalog(files: WorkspaceFiles): Promise<string> {
  const text = await files.read(CATALOG_INFO_FILE);
  const annotations = text
    ? CatalogInfo.parse(text)
        .entities.filter(e => e.kind.toLowerCase() === 'component')
        .map(e => e.get(['metadata', 'annotations']) as Record<string, string>)
        .find(Boolean)
    : undefined;
  const github = annotations?.['github.com/project-slug'];
  if (github) {
    return validateImage(`ghcr.io/${github.toLowerCase()}`);
  }
  const gitlab = annotations?.['gitlab.com/project-slug'];
  if (gitlab) {
    return validateImage(`registry.gitlab.com/${gitlab.toLowerCase()}`);
  }
  throw new InputError(
    "Input 'image' is required: catalog-info.yaml has no github.com/project-slug or gitlab.com/project-slug annotation to derive it from",
  );
}

/** The release tool other than `chosen` whose configuration file exists, if any. */
async function otherReleaseTool(
  files: WorkspaceFiles,
  chosen: Versioning,
): Promise<string | undefined> {
  for (const [tool, paths] of Object.entries(RELEASE_TOOL_FILES)) {
    if (tool === chosen) {
      continue;
    }
    for (const path of paths) {
      if (await files.exists(path)) {
        return `${tool} (${path})`;
      }
    }
  }
  return undefined;
}
