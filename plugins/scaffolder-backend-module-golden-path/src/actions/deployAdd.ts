import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { parseDocument } from 'yaml';
import {
  CATALOG_INFO_FILE,
  CatalogInfo,
  planCatalogInfo,
} from '../lib/catalogInfo';
import { addNpmDependencies } from '../lib/dependencyManifests';
import { checkWorkspace, passes } from '../lib/evidence';
import {
  commonInputSchema,
  filesOutputSchema,
  goldenPathPolicy,
  portInput,
  requiredServiceName,
  serviceNameInputSchema,
  validateImage,
  validateServiceName,
} from '../lib/inputs';
import {
  helmChartDir,
  KUSTOMIZE_BASE_DIR,
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
  resolveCiProvider,
  Stack,
  STACKS,
} from '../lib/stacks';
import { MergeConflict, WorkspaceFiles } from '../lib/workspace';
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
const GITHUB_RELEASE_PLEASE_WORKFLOW = '.github/workflows/release-please.yaml';
const GITHUB_RELEASE_WORKFLOW = '.github/workflows/release.yaml';
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

function renderChart(s: DeploySettings): Record<string, string> {
  const dir = helmChartDir(s.name);
  const n = s.name;
  return {
    [`${dir}/Chart.yaml`]: `apiVersion: v2
name: ${n}
description: Deploys ${n} to Kubernetes
type: application
# The chart version and the version of the service it deploys; the release tooling bumps both.
version: ${INITIAL_VERSION}
appVersion: "${INITIAL_VERSION}"
`,
    [`${dir}/values.yaml`]: `# Values of the ${n} chart.
replicaCount: 2

image:
  repository: ${s.image}
  # Empty: the chart's appVersion, which the release tooling sets to each release's version.
  # The pipeline pushes an image tagged with every release version and commit SHA.
  tag: ""
  pullPolicy: IfNotPresent

imagePullSecrets: []

containerPort: ${s.port}

service:
  type: ClusterIP
  port: 80

# Extra environment variables of the container: a list of {name, value} or {name, valueFrom}.
env: []

# Containers run before the service starts, such as database migrations.
initContainers: []

podSecurityContext:
  runAsNonRoot: true
  seccompProfile:
    type: RuntimeDefault

securityContext:
  allowPrivilegeEscalation: false
  capabilities:
    drop: [ALL]

# CPU and memory requests and limits of the container.
resources: {}

# A HorizontalPodAutoscaler replaces replicaCount when enabled.
autoscaling:
  enabled: false
  minReplicas: 2
  maxReplicas: 5
  targetCPUUtilizationPercentage: 80
`,
    [`${dir}/.helmignore`]: `.DS_Store
.git/
*.swp
*.bak
*.tmp
`,
    [`${dir}/templates/_helpers.tpl`]: `{{/* The name of the release's objects. */}}
{{- define "${n}.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels that select the pods. */}}
{{- define "${n}.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Labels of every object; backstage.io/kubernetes-id links them to the catalog entity. */}}
{{- define "${n}.labels" -}}
{{ include "${n}.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
backstage.io/kubernetes-id: ${n}
{{- end -}}
`,
    [`${dir}/templates/deployment.yaml`]: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "${n}.fullname" . }}
  labels:
    {{- include "${n}.labels" . | nindent 4 }}
spec:
  {{- if not .Values.autoscaling.enabled }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "${n}.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "${n}.labels" . | nindent 8 }}
    spec:
      {{- with .Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- toYaml .Values.podSecurityContext | nindent 8 }}
      {{- with .Values.initContainers }}
      initContainers:
        {{- tpl (toYaml .) $ | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .Chart.Name }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ .Values.containerPort }}
          env:
            - name: PORT
              value: {{ .Values.containerPort | quote }}
            {{- with .Values.env }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          readinessProbe:
            tcpSocket:
              port: http
          livenessProbe:
            tcpSocket:
              port: http
            initialDelaySeconds: 10
          securityContext:
            {{- toYaml .Values.securityContext | nindent 12 }}
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
`,
    [`${dir}/templates/service.yaml`]: `apiVersion: v1
kind: Service
metadata:
  name: {{ include "${n}.fullname" . }}
  labels:
    {{- include "${n}.labels" . | nindent 4 }}
spec:
  type: {{ .Values.service.type }}
  ports:
    - name: http
      port: {{ .Values.service.port }}
      targetPort: http
  selector:
    {{- include "${n}.selectorLabels" . | nindent 4 }}
`,
    [`${dir}/templates/hpa.yaml`]: `{{- if .Values.autoscaling.enabled }}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "${n}.fullname" . }}
  labels:
    {{- include "${n}.labels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "${n}.fullname" . }}
  minReplicas: {{ .Values.autoscaling.minReplicas }}
  maxReplicas: {{ .Values.autoscaling.maxReplicas }}
  metrics:
    {{- with .Values.autoscaling.targetCPUUtilizationPercentage }}
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ . }}
    {{- end }}
    {{- with .Values.autoscaling.targetMemoryUtilizationPercentage }}
    - type: Resource
      resource:
        name: memory
        target:
          type: Utilization
          averageUtilization: {{ . }}
    {{- end }}
{{- end }}
`,
  };
}

function renderKustomize(s: DeploySettings): Record<string, string> {
  const n = s.name;
  const labels = `app.kubernetes.io/name: ${n}`;
  const files: Record<string, string> = {
    [`${KUSTOMIZE_BASE_DIR}/kustomization.yaml`]: `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deployment.yaml
  - service.yaml
labels:
  - pairs:
      backstage.io/kubernetes-id: ${n}
`,
    [`${KUSTOMIZE_BASE_DIR}/deployment.yaml`]: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${n}
  labels:
    ${labels}
spec:
  replicas: 2
  selector:
    matchLabels:
      ${labels}
  template:
    metadata:
      labels:
        ${labels}
    spec:
      securityContext:
        runAsNonRoot: true
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: ${n}
          # The overlays set the tag to the release version.
          image: ${s.image}
          ports:
            - name: http
              containerPort: ${s.port}
          env:
            - name: PORT
              value: "${s.port}"
          readinessProbe:
            tcpSocket:
              port: http
          livenessProbe:
            tcpSocket:
              port: http
            initialDelaySeconds: 10
          securityContext:
            allowPrivilegeEscalation: false
            capabilities:
              drop: [ALL]
`,
    [`${KUSTOMIZE_BASE_DIR}/service.yaml`]: `apiVersion: v1
kind: Service
metadata:
  name: ${n}
  labels:
    ${labels}
spec:
  selector:
    ${labels}
  ports:
    - name: http
      port: 80
      targetPort: http
`,
  };
  for (const env of KUSTOMIZE_OVERLAYS) {
    files[
      `${kustomizeOverlayDir(env)}/kustomization.yaml`
    ] = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: ${env === 'production' ? s.namespace : `${s.namespace}-${env}`}
resources:
  - ../../base
images:
  - name: ${s.image}
    # The release version; the release tooling updates it with each release.
    newTag: "${INITIAL_VERSION}"
`;
  }
  return files;
}

/** The files that carry the version the release tooling bumps, with the YAML path of the version. */
function versionedFiles(
  s: DeploySettings,
): Array<{ type: 'yaml'; path: string; jsonpath: string }> {
  if (s.method === 'helm') {
    const chart = `${helmChartDir(s.name)}/Chart.yaml`;
    return [
      { type: 'yaml', path: chart, jsonpath: '$.version' },
      { type: 'yaml', path: chart, jsonpath: '$.appVersion' },
    ];
  }
  return KUSTOMIZE_OVERLAYS.map(env => ({
    type: 'yaml' as const,
    path: `${kustomizeOverlayDir(env)}/kustomization.yaml`,
    jsonpath: '$.images[0].newTag',
  }));
}

function rollbackCommand(s: DeploySettings): string {
  return s.method === 'helm'
    ? `helm rollback ${s.name} $REVISION --namespace ${s.namespace} --wait`
    : `kubectl rollout undo deployment/${s.name} --namespace ${s.namespace} \${REVISION:+--to-revision=$REVISION} && kubectl rollout status deployment/${s.name} --namespace ${s.namespace}`;
}

function renderGithubRollback(s: DeploySettings): string {
  const tool =
    s.method === 'helm'
      ? '      - uses: azure/setup-helm@v4'
      : '      - uses: azure/setup-kubectl@v4';
  return `# Written by paved:deploy:add: rolls the deployment back to the previous (or a given) revision.
name: rollback

on:
  workflow_dispatch:
    inputs:
      revision:
        description: Revision to roll back to; empty for the previous one (see the runbook)
        required: false
        default: ""

permissions:
  contents: read

jobs:
  rollback:
    runs-on: ubuntu-latest
    environment: production
    steps:
${tool}
      # The KUBECONFIG secret of the production environment holds a base64-encoded kubeconfig.
      - name: Configure cluster access
        env:
          KUBECONFIG_DATA: \${{ secrets.KUBECONFIG }}
        run: |
          mkdir -p ~/.kube
          echo "$KUBECONFIG_DATA" | base64 -d > ~/.kube/config
      - name: Roll back
        env:
          REVISION: \${{ inputs.revision }}
        run: |
          if [ -n "$REVISION" ] && ! echo "$REVISION" | grep -Eq '^[0-9]+$'; then
            echo "revision must be a number"; exit 1
          fi
          ${rollbackCommand(s)}
`;
}

function renderGitlabRollback(s: DeploySettings): string {
  const image =
    s.method === 'helm' ? 'alpine/helm:3.16.2' : 'bitnami/kubectl:1.31';
  return `# Written by paved:deploy:add: rolls the deployment back to the previous revision, or to REVISION.
# Cluster access: a KUBECONFIG CI/CD variable of type File, or the GitLab agent for Kubernetes.
rollback:
  stage: rollback
  image:
    name: ${image}
    entrypoint: [""]
  variables:
    REVISION: ""
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
      when: manual
  script:
    - ${rollbackCommand(s)}
`;
}

function renderGitlabJobs(s: DeploySettings, ids: string[]): string {
  const stages = ids.map(id => (id === 'release' ? 'release' : 'rollback'));
  return `# Written by paved:deploy:add.
stages: [${stages.join(', ')}]

${[
  ids.includes('release') ? renderGitlabRelease() : '',
  ids.includes('rollback') ? renderGitlabRollback(s) : '',
]
  .filter(Boolean)
  .join('\n')}`;
}

function renderGitlabRelease(): string {
  return `# Written by paved:deploy:add: a version tag (v1.2.3) is a release; the image job tags the image with it.
release:
  stage: release
  image: registry.gitlab.com/gitlab-org/release-cli:v0.24.0
  rules:
    - if: $CI_COMMIT_TAG =~ /^v\\d+\\.\\d+\\.\\d+/
  script:
    - echo "Releasing $CI_COMMIT_TAG"
  release:
    tag_name: $CI_COMMIT_TAG
    description: Release $CI_COMMIT_TAG
`;
}

function renderRunbookSection(s: DeploySettings, existing: boolean): string {
  if (existing) {
    return `## Rolling back a release

1. Deploy the previous release again with the tool that deploys ${s.name}: every release has an image tagged with its version and commit, so going back means deploying the previous tag.
2. Check that the service is healthy again, then revert or fix the faulty change on the main branch, so that the next release does not deploy it again.
`;
  }
  const how =
    s.provider === 'github-actions'
      ? 'Run the **rollback** workflow (Actions → rollback → Run workflow). Leave `revision` empty to go back one release.'
      : 'Run the manual **rollback** job of the latest pipeline on the default branch. Set the `REVISION` variable to go back further.';
  const history =
    s.method === 'helm'
      ? `\`helm history ${s.name} --namespace ${s.namespace}\``
      : `\`kubectl rollout history deployment/${s.name} --namespace ${s.namespace}\``;
  const command =
    s.method === 'helm'
      ? `helm rollback ${s.name} [REVISION] --namespace ${s.namespace} --wait`
      : `kubectl rollout undo deployment/${s.name} --namespace ${s.namespace} [--to-revision=REVISION]`;
  return `## Rolling back a release

1. ${how}
2. Or, with access to the cluster: \`${command}\`. The revisions are listed by ${history}.
3. Check that the service is healthy again, then revert or fix the faulty change on the main branch, so that the next release does not deploy it again.
`;
}

function renderRunbook(s: DeploySettings, existing: boolean): string {
  return `# Runbook: ${s.name}

How to operate ${
    s.name
  }. Written by paved:deploy:add; extend it with what on-call needs to know.

${renderRunbookSection(s, existing)}`;
}

function mergeRunbook(
  existing: string,
  s: DeploySettings,
  existingDeployment: boolean,
): string {
  if (ROLLBACK_HEADING.test(existing)) {
    return existing;
  }
  const trailingNewlines =
    existing.length - existing.replace(/\n+$/, '').length;
  const separator = '\n'.repeat(Math.max(0, 2 - trailingNewlines));
  return `${existing}${separator}${renderRunbookSection(
    s,
    existingDeployment,
  )}`;
}

/** Adds the top-level keys of our values that the user's values.yaml lacks. */
function mergeTopLevelKeys(
  existing: string,
  ours: string,
  fileName: string,
): string | MergeConflict {
  const doc = parseDocument(existing);
  if (doc.errors.length > 0) {
    return { conflict: `${fileName} is not valid YAML` };
  }
  const add = parseDocument(ours);
  const current = doc.toJS() ?? {};
  if (typeof current !== 'object' || Array.isArray(current)) {
    return { conflict: `${fileName} is not a YAML mapping` };
  }
  let changed = false;
  for (const [key, value] of Object.entries(add.toJS() as object)) {
    if (!(key in current)) {
      doc.set(key, doc.createNode(value));
      changed = true;
    }
  }
  return changed ? doc.toString({ lineWidth: 0 }) : existing;
}

/** Adds the release-please package of the repository root when the user's config lacks it. */
function mergeReleasePleaseConfig(
  existing: string,
  ours: string,
): string | MergeConflict {
  let config: any;
  try {
    config = JSON.parse(existing);
  } catch {
    return { conflict: `${RELEASE_PLEASE_CONFIG} is not valid JSON` };
  }
  if (config?.packages?.['.']) {
    return existing;
  }
  config.packages = { ...config.packages, ...JSON.parse(ours).packages };
  return `${JSON.stringify(config, null, 2)}\n`;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
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
  const policy = goldenPathPolicy(options.config);

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
      const input = ctx.input;
      const files = WorkspaceFiles.forAction(ctx);

      // Validate every input before planning anything.
      const method = oneOf('method', input.method ?? 'helm', METHODS);
      const provider = await resolveCiProvider(
        files,
        input.ciProvider,
        policy?.allowedCiProviders,
      );
      const stack =
        input.stack !== undefined
          ? oneOf('stack', input.stack, policy?.allowedStacks ?? STACKS)
          : await detectStack(files);
      const name = await requiredServiceName(
        files,
        input.name,
        policy?.namePattern,
      );
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
        const rendered =
          method === 'helm' ? renderChart(s) : renderKustomize(s);
        for (const [path, content] of Object.entries(rendered)) {
          const mergeable =
            path.endsWith('/values.yaml') ||
            (path.endsWith('kustomization.yaml') &&
              path.startsWith('deploy/base/'));
          files.plan(
            path,
            content,
            mergeable
              ? {
                  merge: existing => mergeTopLevelKeys(existing, content, path),
                }
              : { keepReason: `kept the existing ${path}` },
          );
        }
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
        for (const plan of planVersioning(files, s, versioning, stack)) {
          plan();
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
            render: () => renderGithubRollback(s),
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
          render: ids => renderGitlabJobs(s, ids),
          without: [RUNBOOK_FILE],
        });
      }
      files.plan(RUNBOOK_FILE, renderRunbook(s, deployment === 'existing'), {
        merge: existing => mergeRunbook(existing, s, deployment === 'existing'),
      });

      // The Argo CD application on the catalog entity.
      if (argocdApp) {
        await planCatalogInfo(files, (catalog: CatalogInfo) => {
          catalog
            .ensureComponent({ name })
            .setAnnotation('argocd/app-name', argocdApp);
        });
      }

      const results = await files.apply();
      ctx.output('method', method);
      ctx.output('deployment', deployment);
      ctx.output('versioning', other ? 'existing' : versioning);
      ctx.output('files', results);
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

/**
 * The plans of the versioning files, as functions, so that they are made only
 * when no other release tool is configured.
 */
function planVersioning(
  files: WorkspaceFiles,
  s: DeploySettings,
  versioning: Versioning,
  stack: Stack | undefined,
): Array<() => void> {
  const plans: Array<() => void> = [];
  if (versioning === 'release-please') {
    const config = json({
      $schema:
        'https://raw.githubusercontent.com/googleapis/release-please/main/schemas/config.json',
      packages: {
        '.': {
          'release-type': stack ? RELEASE_TYPE[stack] : 'simple',
          'package-name': s.name,
          'extra-files': versionedFiles(s),
        },
      },
    });
    plans.push(
      () =>
        files.plan(RELEASE_PLEASE_CONFIG, config, {
          merge: existing => mergeReleasePleaseConfig(existing, config),
        }),
      () =>
        files.plan(RELEASE_PLEASE_MANIFEST, json({ '.': INITIAL_VERSION }), {
          // The user's manifest holds the current versions: it wins.
          merge: existing => existing,
        }),
      () =>
        files.plan(
          GITHUB_RELEASE_PLEASE_WORKFLOW,
          `# Written by paved:deploy:add: keeps a release pull request up to date; merging it tags v<version>,
# which builds the versioned image. Set RELEASE_PLEASE_TOKEN (a token other than GITHUB_TOKEN),
# because tags pushed with GITHUB_TOKEN do not start other workflows.
name: release-please

on:
  push:
    branches: [main]

permissions:
  contents: write
  pull-requests: write

jobs:
  release-please:
    runs-on: ubuntu-latest
    steps:
      - uses: googleapis/release-please-action@v4
        with:
          token: \${{ secrets.RELEASE_PLEASE_TOKEN || secrets.GITHUB_TOKEN }}
          config-file: ${RELEASE_PLEASE_CONFIG}
          manifest-file: ${RELEASE_PLEASE_MANIFEST}
`,
          { keepReason: `kept the existing ${GITHUB_RELEASE_PLEASE_WORKFLOW}` },
        ),
    );
  } else if (versioning === 'changesets') {
    plans.push(
      () =>
        files.plan(
          CHANGESET_CONFIG,
          json({
            $schema: 'https://unpkg.com/@changesets/config@3.1.1/schema.json',
            changelog: '@changesets/cli/changelog',
            commit: false,
            fixed: [],
            linked: [],
            access: 'restricted',
            baseBranch: 'main',
            updateInternalDependencies: 'patch',
            ignore: [],
          }),
          { merge: existing => existing },
        ),
      () =>
        files.plan(
          '.changeset/README.md',
          `# Changesets

Each change that users will notice comes with a changeset: run \`npx changeset\` and commit the file
it writes. Releasing runs \`npx changeset version\` (bumps the version and writes the changelog) and
tags \`v<version>\`, which builds the versioned image.
`,
          { merge: existing => existing },
        ),
      () =>
        files.plan(
          'package.json',
          json({
            name: s.name,
            version: INITIAL_VERSION,
            private: true,
            devDependencies: { '@changesets/cli': '^2.29.0' },
          }),
          {
            merge: existing =>
              addNpmDependencies(
                existing,
                { '@changesets/cli': '^2.29.0' },
                'devDependencies',
              ),
          },
        ),
    );
    if (s.provider === 'github-actions') {
      plans.push(() =>
        files.plan(
          GITHUB_RELEASE_WORKFLOW,
          `# Written by paved:deploy:add: keeps a "Version packages" pull request up to date; merging it
# tags v<version>, which builds the versioned image. Set RELEASE_TOKEN (a token other than
# GITHUB_TOKEN), because tags pushed with GITHUB_TOKEN do not start other workflows.
name: release

on:
  push:
    branches: [main]

permissions:
  contents: write
  pull-requests: write

jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 22
      - run: if [ -f package-lock.json ]; then npm ci; else npm install; fi
      - uses: changesets/action@v1
        with:
          version: npx changeset version
          publish: npx changeset tag
        env:
          GITHUB_TOKEN: \${{ secrets.RELEASE_TOKEN || secrets.GITHUB_TOKEN }}
`,
          { keepReason: `kept the existing ${GITHUB_RELEASE_WORKFLOW}` },
        ),
      );
    }
  } else if (versioning === 'git-tags') {
    if (s.provider === 'github-actions') {
      plans.push(() =>
        files.plan(
          GITHUB_RELEASE_WORKFLOW,
          `# Written by paved:deploy:add: a version tag (v1.2.3) is a release; the CI workflow tags the image with it.
name: release

on:
  push:
    tags: ['v*']

permissions:
  contents: write

jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Create the GitHub release
        env:
          GH_TOKEN: \${{ github.token }}
        run: gh release create "$GITHUB_REF_NAME" --generate-notes --verify-tag
`,
          { keepReason: `kept the existing ${GITHUB_RELEASE_WORKFLOW}` },
        ),
      );
    }
    // On GitLab the release job goes into .gitlab-ci.yml, with the rollback job.
  }
  return plans;
}
