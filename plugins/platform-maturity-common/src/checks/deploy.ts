import type {
  CheckImplementation,
  FileMatch,
  RepositoryView,
} from '../engine/checkTypes';
import { matchIn } from '../engine/repository';
import { CI_GLOBS } from './ci';
import { CALLED_GLOBS, describeVia, searchPipelines } from './pipelineCalls';
import {
  annotationEvidence,
  commentedOut,
  fail,
  fileEvidence,
  findAnnotation,
  matchEvidence,
  nearMissAt,
  nearMissFile,
  pass,
  rejectedNote,
  repositoryUnavailable,
} from './helpers';
import type { NearMiss } from '../types';
import {
  APP_ENGINE_GLOBS,
  ARGO_CD_APPLICATION,
  CLOUDFORMATION_GLOBS,
  COMPOSE_GLOBS,
  COPILOT_GLOBS,
  DeploymentForm,
  ECS_TASK_DEFINITION_GLOBS,
  FLUX_RESOURCE,
  FLY_GLOBS,
  HELM_CHART_GLOBS,
  HEROKU_APP_GLOBS,
  HEROKU_APP_MANIFEST,
  HEROKU_PROCFILE_GLOBS,
  KNATIVE_SERVICE,
  KUBERNETES_GLOBS,
  KUSTOMIZE_GLOBS,
  NOMAD_GLOBS,
  PROGRESSIVE_DELIVERY,
  RELEASE_MANIFEST_GLOBS,
  RENDER_GLOBS,
  SERVERLESS_GLOBS,
  TERRAFORM_DEPLOYMENT,
  TERRAFORM_GLOBS,
  WORKLOAD_KIND,
  contentGlobsOf,
  describeFound,
  findForm,
  focusLine,
} from './kubernetes';

/**
 * Annotations of the Argo CD plugin: the application that deploys the entity. They decide
 * `deploy.manifests` and `deploy.rollback` without the repository. `backstage.io/kubernetes-id`
 * does not: it only links the entity to workloads in a cluster, however they got there.
 */
const ARGO_CD_ANNOTATIONS = ['argocd/app-name', 'argocd/app-selector'];
const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';

/** Deploy commands and actions whose pipeline step describes the whole deployment. */
const PIPELINE_DEPLOY =
  /\bgcloud\s+(?:beta\s+)?(?:run|app)\s+deploy\b|google-github-actions\/deploy-(?:cloudrun|appengine)|aws-actions\/amazon-ecs-deploy-task-definition|\baws\s+ecs\s+update-service\b|azure\/(?:webapps-deploy|container-apps-deploy-action|k8s-deploy)|\baz\s+(?:containerapp\s+(?:up|update|create)|webapp\s+deploy)\b|\bhelm\s+upgrade\b[^\n]{0,400}?\s--install\b|\bhelm\s+install\b|\bhelmfile\s+(?:apply|sync)\b|\bkubectl\s+apply\b|\b(?:flyctl|fly)\s+deploy\b|\b(?:serverless|sls)\s+deploy\b|\bsam\s+deploy\b|\bcdk\s+deploy\b/;

/** A `netlify.toml` whose site is built from, or published out of, the documentation. */
const NETLIFY_DOCS_SITE =
  /^[ \t]*(?:publish|base)[ \t]*=[ \t]*["']?(?:\.\/)?(?:docs?|documentation|website)\b/m;

/** The ways of defining the deployment as code, path-only ones first. */
const DEPLOYMENT_FORMS: DeploymentForm[] = [
  { name: 'Helm chart', globs: HELM_CHART_GLOBS },
  { name: 'Kustomize', globs: KUSTOMIZE_GLOBS },
  { name: 'Helmfile', globs: ['**/helmfile.{yaml,yml}'] },
  { name: 'Serverless Framework', globs: SERVERLESS_GLOBS },
  { name: 'Skaffold', globs: ['**/skaffold.{yaml,yml}'] },
  { name: 'AWS Copilot', globs: COPILOT_GLOBS },
  { name: 'Amazon ECS task definition', globs: ECS_TASK_DEFINITION_GLOBS },
  { name: 'Fly.io', globs: FLY_GLOBS },
  { name: 'Heroku Procfile', globs: HEROKU_PROCFILE_GLOBS },
  { name: 'fortrabbit', globs: ['fortrabbit.{yml,yaml}'] },
  { name: 'Platform.sh', globs: ['**/.platform.app.yaml'] },
  { name: 'Railway', globs: ['**/railway.{json,toml}'] },
  {
    name: 'DigitalOcean App Platform',
    globs: ['.do/{app,deploy.template}.{yaml,yml}'],
  },
  {
    name: 'AWS Elastic Beanstalk',
    globs: ['**/.elasticbeanstalk/config.yml', '**/.ebextensions/*.config'],
  },
  { name: 'Render Blueprint', globs: RENDER_GLOBS },
  { name: 'Heroku manifest', globs: ['heroku.yml'] },
  { name: 'Nomad job', globs: NOMAD_GLOBS },
  { name: 'AWS CDK app', globs: ['**/cdk.json'] },
  { name: 'Pulumi program', globs: ['**/Pulumi.{yaml,yml}'] },
  { name: 'Azure Developer CLI', globs: ['azure.{yaml,yml}'] },
  { name: 'Vercel', globs: ['vercel.json'] },
  {
    name: 'Netlify',
    globs: ['netlify.toml'],
    // A Netlify site that publishes the documentation does not deploy the service.
    unless: NETLIFY_DOCS_SITE,
  },
  {
    name: 'Heroku app manifest',
    globs: HEROKU_APP_GLOBS,
    pattern: HEROKU_APP_MANIFEST,
  },
  {
    name: 'Cloud Foundry manifest',
    globs: ['**/manifest.{yml,yaml}'],
    pattern: /^applications:[ \t]*\r?\n[ \t]*-[ \t]+name:/m,
  },
  {
    name: 'Argo CD Application',
    globs: KUBERNETES_GLOBS,
    pattern: ARGO_CD_APPLICATION,
  },
  { name: 'Flux', globs: KUBERNETES_GLOBS, pattern: FLUX_RESOURCE },
  {
    name: 'Cloud Run (Knative) service',
    globs: KUBERNETES_GLOBS,
    pattern: KNATIVE_SERVICE,
  },
  {
    name: 'Kubernetes manifests',
    globs: KUBERNETES_GLOBS,
    pattern: WORKLOAD_KIND,
    line: /^kind:/,
  },
  {
    name: 'AWS SAM template',
    globs: CLOUDFORMATION_GLOBS,
    pattern: /\bAWS::Serverless\b/,
  },
  {
    name: 'CloudFormation stack',
    globs: CLOUDFORMATION_GLOBS,
    pattern:
      /\bAWS::(?:ECS::Service|Lambda::Function|AppRunner::Service|ElasticBeanstalk::Environment)\b/,
  },
  {
    name: 'App Engine',
    globs: APP_ENGINE_GLOBS,
    pattern: /^runtime:[ \t]*\S/m,
  },
  { name: 'Terraform', globs: TERRAFORM_GLOBS, pattern: TERRAFORM_DEPLOYMENT },
  {
    name: 'deploy step in the pipeline',
    globs: CI_GLOBS,
    pattern: PIPELINE_DEPLOY,
  },
];

/** Tools that version releases, found by their configuration file. */
const RELEASE_TOOL_FORMS: DeploymentForm[] = [
  {
    name: 'release-please',
    globs: ['release-please-config.json', '.release-please-manifest.json'],
  },
  {
    name: 'semantic-release',
    globs: [
      '.releaserc',
      '.releaserc.{json,yaml,yml,js,cjs,mjs}',
      'release.config.{js,cjs,mjs,ts}',
    ],
  },
  { name: 'Changesets', globs: ['.changeset/config.json'] },
  { name: 'GoReleaser', globs: ['**/{.goreleaser,goreleaser}.{yml,yaml}'] },
  { name: 'release-it', globs: ['.release-it.{json,js,cjs,yaml,yml,toml}'] },
  {
    name: 'standard-version',
    globs: ['.versionrc', '.versionrc.{json,js,cjs}'],
  },
  { name: 'GitVersion', globs: ['GitVersion.{yml,yaml}'] },
  { name: 'Commitizen', globs: ['{.cz,cz}.{toml,json,yaml}'] },
  { name: 'bump-my-version', globs: ['.bumpversion.{cfg,toml}'] },
  { name: 'JReleaser', globs: ['jreleaser.{yml,yaml,json,toml}'] },
  { name: 'git-cliff', globs: ['cliff.toml'] },
];

const ROOT_MANIFEST = ['package.json'];

/** Release tooling configured in package.json (semantic-release's `release` key and the like). */
const MANIFEST_RELEASE_TOOL =
  /"release"\s*:\s*\{|"(?:semantic-release|release-it|standard-version|commit-and-tag-version|@changesets\/cli)"\s*:/;

/** Release tooling run by a pipeline. */
const PIPELINE_RELEASE_TOOL =
  /\brelease-please\b|\bsemantic-release\b|changesets\/action|\bgoreleaser\b|\brelease-it\b|\b(?:standard-version|commit-and-tag-version)\b|(?:mathieudutour|anothrNick)\/github-tag-action|PaulHatch\/semantic-version|gittools\/actions\/gitversion|\bcz\s+bump\b|\bbump-my-version\s+bump\b|\bnpm\s+version\s+(?:patch|minor|major|prerelease|from-git)\b|\bmvn\b[^\n]{0,400}?\brelease:prepare\b|\bgh\s+release\s+create\b|softprops\/action-gh-release|actions\/create-release|ncipollo\/release-action|marvinpinto\/action-automatic-releases|release-drafter\/release-drafter|\bhub\s+release\s+create\b|\bdeploy["']?[\s,-]{1,12}["']?releases["']?[\s,-]{1,12}["']?create\b/m;

/**
 * A pattern's source with each letter matching either case: `[vV][eE]…`. Only the words that need
 * it are written so; a whole pattern with the `i` flag scans many times slower.
 */
function anyCase(source: string): string {
  return source.replace(
    /[a-z]/gi,
    c => `[${c.toLowerCase()}${c.toUpperCase()}]`,
  );
}

/**
 * Variables that hold a version, a tag or a commit, across the common CI systems and in any case
 * (`$VERSION`, `$tag`, `$SHORT_SHA`, `$CI_COMMIT_TAG`, `$BUILD_NUMBER`), by the words their names
 * contain.
 */
const VERSION_VARIABLE = String.raw`[\w]{0,40}?(?:${anyCase(
  'version|tag|sha1?|commit|build_?(?:number|id)|pipeline_iid|rev(?:ision)?',
)})\w{0,20}`;

/**
 * An image tagged with a version, tag or commit: `orders:$CI_COMMIT_TAG`, `orders:${VERSION}-${SHA}`,
 * `orders:${{ github.sha }}`, `orders:${{ inputs.version }}`, `:$(git rev-parse --short HEAD)`,
 * `$(Build.BuildId)` in an Azure tag list, or docker/metadata-action's `type=semver` / `type=sha`.
 */
const VERSIONED_IMAGE_TAG = new RegExp(
  [
    String.raw`[\w})\]]:[\w.-]*(?:`,
    String.raw`\$\{\{[ \t]*(?:github\.(?:sha|ref_name)|(?:env|inputs|vars|matrix|github\.event\.inputs|(?:steps|needs|jobs)\.[\w-]+\.outputs)\.${VERSION_VARIABLE})[ \t]*\}\}`,
    String.raw`|\$[{(]?${VERSION_VARIABLE}\b`,
    String.raw`|\$\((?:git[ \t]+(?:rev-parse|describe)|cat[ \t]+[\w./-]*${anyCase(
      'version',
    )})\b`,
    String.raw`|\$\(Build\.(?:BuildId|BuildNumber|SourceVersion|SourceBranchName)\)`,
    String.raw`|\$\{env\.${VERSION_VARIABLE}\})`,
    String.raw`|^[ \t]+\$\(Build\.(?:BuildId|BuildNumber|SourceVersion)\)[ \t]*\r?$`,
    String.raw`|\btype=(?:semver|pep440|sha|match|ref,event=tag)\b`,
    // A tag list of docker/build-push-action with a commit or version tag of its own:
    // `tags: ${{ steps.meta.outputs.result }},${{ github.sha }}`.
    String.raw`|^[ \t]*tags:[ \t]*[^\n]{0,300}?[,\s"']\$\{\{[ \t]*(?:github\.(?:sha|ref_name)|(?:env|inputs|vars|matrix)\.\w{0,30}?(?:${anyCase(
      'version|sha|commit',
    )})\w{0,20})[ \t]*\}\}`,
    // The tag given on its own to a build tool that names the image itself (Skaffold, ko, Jib).
    String.raw`|\s--tag[= ]["']?\$[{(]?${VERSION_VARIABLE}\b`,
  ].join(''),
  'm',
);

/**
 * A committed release manifest that pins the image to a version: `image: ghcr.io/acme/orders:1.4.2`
 * or `:1.4.2-3f9c2ab`, not `latest` or a branch name.
 */
const SEMVER_PINNED_IMAGE =
  /^[ \t]*(?:-[ \t]+)?image:[ \t]*["']?[\w.-]+(?::\d+)?(?:\/[\w.-]+)+:v?\d+\.\d+\.\d+(?:[-+][\w.-]+)?["']?[ \t]*\r?$/m;

/** A pipeline that releases from version tags. */
const VERSION_TAG_TRIGGER =
  /^[ \t]*tags:[ \t]*(?:\[[ \t]*|\r?\n[ \t]*-[ \t]*)["']?v[\d*[{]|\$\{?CI_COMMIT_TAG\b|^[ \t]*only:[ \t]*(?:\[[ \t]*tags\b|\r?\n[ \t]*-[ \t]*tags\b|\/\^?v)|\bbuildingTag\(\)|\btag\s+["']v[\d*]/m;

/**
 * The steps searched for in the pipelines and what they call: constant lists, whose identity keys
 * the joined patterns and the engine's memo of searches.
 */
const PIPELINE_DEPLOY_STEPS: readonly RegExp[] = [PIPELINE_DEPLOY];
const PIPELINE_VERSIONING_STEPS: readonly RegExp[] = [
  PIPELINE_RELEASE_TOOL,
  VERSIONED_IMAGE_TAG,
];

const CHANGELOG_GLOBS = [
  '{CHANGELOG,CHANGES,HISTORY,RELEASES,NEWS,RELEASE_NOTES,RELEASE-NOTES,release-notes,ReleaseNotes}.md',
  '**/CHANGELOG.md',
  'docs/**/{CHANGELOG,changelog,CHANGES,NEWS,RELEASE_NOTES,release-notes,releases,RELEASES}.md',
  'docs/{release-notes,releases,changelog}/**/*.md',
];
/** A version file at the root, holding the version of the next or current release. */
const VERSION_FILE_GLOBS = [
  '{version,VERSION,.version}',
  '{version,VERSION}.txt',
];
const VERSION_FILE_CONTENT =
  /^[ \t]*v?\d+\.\d+(?:\.\d+)?(?:[-+][\w.-]+)?[ \t]*\r?$/m;

/**
 * What a pipeline triggered by version tags must also do for the tag to version a release: publish
 * something (an image, a package, a GitHub or GitLab release, a deployment).
 */
const PUBLISH_STEP =
  /\bdocker\s+(?:buildx\s+)?push\b|--push\b|build-push-action|^[ \t]+push:[ \t]*true\b|goreleaser|\bpublish\b|release-action|action-gh-release|create-release|\bgh\s+release\b|\brelease-cli\b|^[ \t]+tag_name:[ \t]*\S|\btwine\s+upload\b|\bdeploy\b|\b(?:g?make|just|task|npm[ \t]+run|yarn|pnpm)[ \t]+(?:release|push)\b/im;

const CHANGELOG_VERSION = /^#{1,3}[ \t]+(?:[Vv]ersion[ \t]+)?\[?v?\d+\.\d+/m;

const VERSIONING_CONTENT_FORMS: DeploymentForm[] = [
  {
    name: 'release tooling in package.json',
    globs: ROOT_MANIFEST,
    pattern: MANIFEST_RELEASE_TOOL,
  },
  {
    name: 'release tooling in the pipeline',
    globs: CI_GLOBS,
    pattern: PIPELINE_RELEASE_TOOL,
    // A Cloud Deploy release given as an argument list: cite its `create` line.
    line: /create/,
  },
  {
    name: 'images tagged with a version or commit',
    globs: CI_GLOBS,
    pattern: VERSIONED_IMAGE_TAG,
  },
  {
    name: 'image pinned to a version in a committed release manifest',
    globs: RELEASE_MANIFEST_GLOBS,
    pattern: SEMVER_PINNED_IMAGE,
  },
  {
    name: 'changelog with version headings',
    globs: CHANGELOG_GLOBS,
    pattern: CHANGELOG_VERSION,
  },
  {
    name: 'committed version file',
    globs: VERSION_FILE_GLOBS,
    pattern: VERSION_FILE_CONTENT,
  },
];

/** An image pushed with the `latest` tag. */
const LATEST_IMAGE_TAG =
  /(?:\s-t[ \t]+|--tag[ \t=]+|--destination[ \t=]+|\bdocker\s+push[ \t]+|^[ \t]*(?:-[ \t]+)?(?:tags:[ \t]*)?["']?)[^\s"']*:latest\b/m;

/** The text every {@link LATEST_IMAGE_TAG} match ends with, searched for first. */
const LATEST_TAG = /:latest\b/;

/** Scripts besides the pipeline that may hold rollback commands. */
const SCRIPT_GLOBS = [
  'Makefile',
  'Taskfile.{yml,yaml}',
  '{justfile,Justfile}',
  '@(scripts|bin|deploy|ops|hack|tools)/**/*.sh',
];
/** Commands that go back to the previous release, or that roll back a failed one on their own. */
const ROLLBACK_COMMAND =
  /\bhelm\s+rollback\b|\bhelm\s+upgrade\b[^\n]{0,400}?\s--(?:atomic|rollback-on-failure)\b|\bkubectl\b[^\n]{0,200}?\srollout\s+undo\b|\bkubectl\s+argo\s+rollouts\s+(?:undo|abort)\b|\bargocd\s+app\s+rollback\b|\baws\s+lambda\s+update-alias\b|\bgcloud\s+(?:beta\s+)?run\s+services\s+update-traffic\b|\bheroku\s+(?:releases:)?rollback\b|\b(?:serverless|sls)\s+rollback\b|\baz\s+webapp\s+deployment\s+slot\s+swap\b|\baws\s+deploy\s+stop-deployment\b/;

/** A pipeline line about rolling back database migrations; looked for only when the check fails. */
const MIGRATION_ROLLBACK =
  /\b(?:migrat(?:e|ions?)|db)[:_ -]+(?:[\w-]+[:_ -]+)?roll[-_ ]?back|\bmigrat\w*[^\n]{0,40}\b(?:down|rollback)\b/i;

/** "Rollback" or "roll back": in a file name, and a cheap test before {@link ROLLBACK_JOB}. */
const ROLLBACK_WORD = /roll[-_ ]?back/i;

/** A pipeline job or stage about rolling back a deploy, not a test that database migrations roll back. */
const ROLLBACK_JOB =
  /^[ \t]*["']?(?=[\w-]*roll[-_]?back)[\w-]+["']?:[ \t]*\r?$|^[ \t]*(?:-[ \t]+)?(?:name|stage|displayName|label|step):[^\n]*(?<!migrat(?:e|ions?)[:_ -]|db[:_ -])\broll[-_ ]?back|\bstage\s*\(\s*["'][^"'\n]*\broll[-_ ]?back/im;

/**
 * The README and the operations docs: runbooks, deploy and release notes. Not every page under
 * `docs/`, so that a large documentation site is not read for every entity.
 */
const RUNBOOK_GLOBS = [
  'README.md',
  'docs/{index,README}.md',
  'docs/runbook*.md',
  '**/{RUNBOOK,runbook,OPERATIONS,operations,deployment,releasing,rollback}.md',
  '**/runbooks/**/*.md',
];
const ROLLBACK_HEADING =
  /^#{1,6}[ \t][^\n]*\b(?:roll(?:ing)?[ -]?back|revert(?:ing)?[ \t]+(?:a[ \t]+|the[ \t]+)?(?:release|deploy(?:ment)?))/im;

const ROLLBACK_FORMS: DeploymentForm[] = [
  {
    name: 'rollback step in the pipeline',
    globs: CI_GLOBS,
    pattern: ROLLBACK_COMMAND,
  },
  {
    name: 'rollback script',
    globs: SCRIPT_GLOBS,
    pattern: ROLLBACK_COMMAND,
  },
  {
    name: 'rollback job in the pipeline',
    globs: CI_GLOBS,
    pattern: ROLLBACK_JOB,
    gate: ROLLBACK_WORD,
  },
  {
    name: 'Argo CD (GitOps: reverting the commit rolls back)',
    globs: KUBERNETES_GLOBS,
    pattern: ARGO_CD_APPLICATION,
  },
  {
    name: 'Flux (GitOps: reverting the commit rolls back)',
    globs: KUBERNETES_GLOBS,
    pattern: FLUX_RESOURCE,
  },
  {
    name: 'progressive delivery that rolls back on failure (Argo Rollouts or Flagger)',
    globs: KUBERNETES_GLOBS,
    pattern: PROGRESSIVE_DELIVERY,
  },
  {
    name: 'Shipit rollback command',
    globs: ['**/shipit{,.*}.{yml,yaml}'],
    pattern: /^rollback:/m,
  },
  {
    name: 'automatic rollback of failed Fly.io deploys',
    globs: FLY_GLOBS,
    pattern: /^[ \t]*auto_rollback[ \t]*=[ \t]*true\b/m,
  },
  {
    name: 'automatic rollback in Terraform',
    globs: TERRAFORM_GLOBS,
    pattern:
      /\brollback[ \t]*=[ \t]*true\b|\batomic[ \t]*=[ \t]*true\b|\bauto_rollback_configuration\b/,
  },
  {
    name: 'automatic rollback in CloudFormation',
    globs: CLOUDFORMATION_GLOBS,
    pattern: /\bDeploymentPreference:|\bRollback:[ \t]*true\b/,
  },
  {
    name: 'canary deployments with automatic rollback (Serverless Framework)',
    globs: SERVERLESS_GLOBS,
    pattern: /\bdeploymentSettings:/,
  },
  {
    name: 'runbook section on rolling back',
    globs: RUNBOOK_GLOBS,
    pattern: ROLLBACK_HEADING,
  },
  {
    name: 'rollback command in the docs',
    globs: RUNBOOK_GLOBS,
    pattern: ROLLBACK_COMMAND,
  },
];

/**
 * The version-tag trigger of a pipeline that publishes something: a workflow that runs on `v*` tags
 * but only builds and tests versions nothing.
 */
function tagTriggeredRelease(
  repository: RepositoryView,
): FileMatch | undefined {
  if (!repository.search(CI_GLOBS, VERSION_TAG_TRIGGER)) {
    return undefined;
  }
  for (const path of repository.find(CI_GLOBS)) {
    const content = repository.read(path);
    const trigger =
      content === undefined
        ? undefined
        : matchIn(path, content, VERSION_TAG_TRIGGER);
    if (trigger && PUBLISH_STEP.test(content!)) {
      return focusLine(trigger);
    }
  }
  return undefined;
}

/** Checks of the `deploy` capability. */
export const deployChecks: CheckImplementation[] = [
  {
    id: 'deploy.manifests',
    capability: 'deploy',
    title: 'Deployment defined as code',
    description:
      'How the service is deployed is described in the repository: a Helm chart, Kustomize or Kubernetes manifests (found by `apiVersion` and `kind` in any YAML file, ERB-templated ones included), Argo CD or Flux resources, a serverless or PaaS config (Serverless Framework, AWS SAM, Cloud Run, App Engine, Fly.io under any name, Render, Copilot, a Heroku Procfile or app.json, fortrabbit, Platform.sh, Railway, DigitalOcean App Platform, Elastic Beanstalk, a Cloud Foundry manifest, a Netlify site that is not the documentation), Terraform that deploys the service, or a deploy step in the pipeline or in a script or target it calls. An `argocd/app-name` annotation also counts, but `backstage.io/kubernetes-id` alone does not (it only links the entity to a cluster), nor does a docker-compose file.',
    weight: 2,
    evidence: 'entity+repository',
    version: '4',
    reads: [...new Set([...contentGlobsOf(DEPLOYMENT_FORMS), ...CALLED_GLOBS])],
    evaluate({ entity, repository }) {
      const argo = findAnnotation(entity, ARGO_CD_ANNOTATIONS);
      if (argo) {
        return pass(
          `Argo CD deploys the service (${argo.key}: ${argo.value}).`,
          [annotationEvidence(argo.key, argo.value)],
        );
      }
      if (!repository) {
        return repositoryUnavailable('a deployment definition');
      }
      const found = findForm(repository, DEPLOYMENT_FORMS);
      if (found) {
        return pass(`Deployment is defined as code: ${describeFound(found)}.`, [
          found.evidence,
        ]);
      }
      const called = searchPipelines(repository, PIPELINE_DEPLOY_STEPS);
      if (called) {
        return pass(
          `Deployment is defined as code: deploy step ${called.match.path}:${
            called.match.line
          } \`${called.match.text}\`${describeVia(called)}.`,
          [
            ...called.via.slice(0, 1).map(matchEvidence),
            matchEvidence(called.match),
          ],
        );
      }
      const kubernetesId = findAnnotation(entity, [KUBERNETES_ID_ANNOTATION]);
      const nearMisses: NearMiss[] = [
        ...commentedOut(
          repository,
          CI_GLOBS,
          PIPELINE_DEPLOY_STEPS,
          'deploys only in a commented-out line, which is not evidence',
        ),
        ...repository
          .find(COMPOSE_GLOBS)
          .map(path =>
            nearMissFile(
              path,
              'only describes containers for local use, which is not a deployment',
            ),
          ),
        ...(kubernetesId
          ? [
              {
                ...annotationEvidence(kubernetesId.key, kubernetesId.value),
                reason:
                  'links the entity to a cluster but does not define how it is deployed',
              },
            ]
          : []),
      ];
      return fail(
        `No deployment definition found (looked for Helm charts, Kustomize, Kubernetes manifests, Argo CD and Flux resources, Serverless Framework, AWS SAM, Cloud Run, App Engine, Fly.io, Render, Copilot, Terraform that deploys the service and deploy steps in the pipeline).${rejectedNote(
          nearMisses,
        )}`,
        [],
        nearMisses,
      );
    },
  },
  {
    id: 'deploy.versioning',
    capability: 'deploy',
    title: 'Releases are versioned',
    description:
      'Each release gets a version, so that what runs can be identified and an earlier release deployed again: release tooling (release-please, semantic-release, Changesets, GoReleaser, `gh release create`, GitLab release jobs and release actions, and others), images tagged with a version or commit rather than only `latest` (a version, tag or commit variable in any case, or a composite such as `${VERSION}-${SHORT_SHA}`), in the pipeline or a script or target it calls, releases cut from version tags by a pipeline that publishes them (a tag trigger that only builds and tests versions nothing), a Cloud Deploy release named for the commit, images pinned to a version in committed release manifests, a changelog or release notes (`CHANGELOG.md`, `RELEASE_NOTES.md`, `NEWS.md`, or under `docs/`) with version headings, or a committed version file (`VERSION`).',
    weight: 1,
    evidence: 'entity+repository',
    version: '4',
    reads: [
      ...new Set([
        ...contentGlobsOf(VERSIONING_CONTENT_FORMS),
        ...CALLED_GLOBS,
      ]),
    ],
    evaluate({ repository }) {
      if (!repository) {
        return repositoryUnavailable('how releases are versioned');
      }
      const found =
        findForm(repository, RELEASE_TOOL_FORMS) ??
        findForm(repository, VERSIONING_CONTENT_FORMS);
      if (found) {
        return pass(`Releases are versioned: ${describeFound(found)}.`, [
          found.evidence,
        ]);
      }
      const tagged = tagTriggeredRelease(repository);
      if (tagged) {
        return pass(
          `Releases are versioned: ${tagged.path} releases from version tags (line ${tagged.line}: \`${tagged.text}\`).`,
          [matchEvidence(tagged)],
        );
      }
      const called = searchPipelines(repository, PIPELINE_VERSIONING_STEPS);
      if (called) {
        return pass(
          `Releases are versioned: ${called.match.path}:${
            called.match.line
          } \`${called.match.text}\`${describeVia(called)}.`,
          [
            ...called.via.slice(0, 1).map(matchEvidence),
            matchEvidence(called.match),
          ],
        );
      }
      const latest =
        repository.search(CI_GLOBS, LATEST_TAG) &&
        repository.search(CI_GLOBS, LATEST_IMAGE_TAG);
      const changelogs = repository.find(CHANGELOG_GLOBS);
      const nearMisses = changelogs.map(path =>
        nearMissFile(path, 'has no version headings'),
      );
      if (latest) {
        nearMisses.unshift(
          nearMissAt(
            latest,
            'tags the image `latest` only, so a release cannot be told apart from the next or deployed again',
          ),
        );
        return fail(
          `Images are only tagged \`latest\` (${latest.path}: \`${latest.text}\`), so a release cannot be told apart from the next or deployed again; tag images with the version or commit SHA.`,
          [matchEvidence(latest)],
          nearMisses,
        );
      }
      return fail(
        `Releases are not versioned: no release tooling (release-please, semantic-release, Changesets, GoReleaser and others), no image tagged with a version or commit, no release from version tags${
          changelogs.length > 0
            ? `, and ${changelogs[0]} has no version headings`
            : ' and no changelog'
        }.`,
        [],
        nearMisses,
      );
    },
  },
  {
    id: 'deploy.rollback',
    capability: 'deploy',
    title: 'Rollback path exists',
    description:
      'There is a known way back to the previous release: a rollback workflow, job or command (helm rollback, kubectl rollout undo, argocd app rollback, Cloud Run traffic or Lambda alias shifts), GitOps with Argo CD or Flux where reverting the commit rolls back, automatic rollback (Argo Rollouts, Flagger, helm --atomic, ECS circuit breaker, SAM deployment preferences, Fly.io auto_rollback), a Shipit rollback command, or a runbook section on rolling back. A job that tests that database migrations roll back is not a way back.',
    weight: 1,
    evidence: 'entity+repository',
    version: '3',
    // Pipeline files and the README first: they are read most, and each read is checked against
    // these globs in order.
    reads: [
      ...new Set([
        ...CI_GLOBS,
        ...RUNBOOK_GLOBS,
        ...contentGlobsOf(ROLLBACK_FORMS),
      ]),
    ],
    evaluate({ entity, repository }) {
      const argo = findAnnotation(entity, ARGO_CD_ANNOTATIONS);
      if (argo) {
        return pass(
          `Argo CD deploys the service (${argo.key}: ${argo.value}): roll back by reverting the commit or syncing an earlier revision.`,
          [annotationEvidence(argo.key, argo.value)],
        );
      }
      if (!repository) {
        return repositoryUnavailable('a rollback path');
      }
      const workflow = [
        ...repository.find(CI_GLOBS),
        ...repository.find(SCRIPT_GLOBS),
      ].find(path => ROLLBACK_WORD.test(path.slice(path.lastIndexOf('/') + 1)));
      if (workflow) {
        return pass(`A rollback workflow or script exists: ${workflow}.`, [
          fileEvidence(workflow, 'rollback workflow'),
        ]);
      }
      const found = findForm(repository, ROLLBACK_FORMS);
      if (found) {
        return pass(`A way back exists: ${describeFound(found)}.`, [
          found.evidence,
        ]);
      }
      // Where the deployment is, when the repository has Kubernetes workloads: what the way back is missing for.
      const workload = repository.search(KUBERNETES_GLOBS, WORKLOAD_KIND);
      const shown = workload && focusLine(workload, /^kind:/);
      const nearMisses: NearMiss[] = commentedOut(
        repository,
        CI_GLOBS,
        [ROLLBACK_COMMAND],
        'rolls back only in a commented-out line, which is not evidence',
      );
      const migrationRollback = repository.search(CI_GLOBS, MIGRATION_ROLLBACK);
      if (migrationRollback) {
        nearMisses.push(
          nearMissAt(
            migrationRollback,
            'rolls back database migrations (a test of the migrations), not a release',
          ),
        );
      }
      if (shown) {
        nearMisses.push(
          nearMissAt(
            shown,
            'defines Kubernetes workloads that no rollback command, GitOps controller or progressive delivery rolls back',
          ),
        );
      }
      return fail(
        `No rollback path found: no rollback workflow, job or command (helm rollback, kubectl rollout undo, argocd app rollback, traffic or alias shifts), no GitOps controller or progressive delivery, no automatic rollback in the infrastructure code, and no runbook section on rolling back.${rejectedNote(
          nearMisses,
        )}`,
        [],
        nearMisses,
      );
    },
  },
];
