/**
 * Where deployment definitions live (Kubernetes manifests, Helm charts, Kustomize, GitOps
 * resources, serverless and PaaS configs, Terraform) and the patterns that recognise them. Shared by
 * the deploy and capacity checks.
 *
 * The globs end in a literal basename or `*.ext`, so that the engine's path index answers them
 * without testing every path. The patterns are bounded and unambiguous (no nested quantifiers over
 * the same characters), so that they run in linear time on any file.
 */
import type { FileMatch, RepositoryView } from '../engine/checkTypes';
import { fileMatchAt, matchIn } from '../engine/repository';
import { isPipelineFile } from './ci';
import { fileEvidence, matchEvidence } from './helpers';
import type { Evidence } from '../types';

/**
 * Kubernetes manifests: any YAML file, and YAML templated with ERB (krane's `*.yaml.erb`). Objects
 * are recognised by their content (`apiVersion` and `kind`), wherever they live: under `k8s/`,
 * `examples/`, a kustomization's `resources:` or a directory named after the environment, so no
 * list of directory names is needed (and a kustomization's resources are found wherever it points).
 */
export const MANIFEST_GLOBS: readonly string[] = [
  '**/*.{yaml,yml}',
  '**/*.{yaml,yml}.erb',
];

/**
 * Directories where release manifests conventionally live: where an image pinned to a version is
 * the service's release rather than a dependency's image in a Compose file or a workflow.
 */
export const RELEASE_MANIFEST_GLOBS: readonly string[] = [
  `**/@(${[
    'k8s',
    'kube',
    'kubernetes',
    'manifests',
    'deploy',
    'deployment',
    'deployments',
    'kustomize',
    'overlays',
    'helm',
    'chart',
    'charts',
    'gitops',
    'argocd',
    'flux',
    'openshift',
  ].join('|')})/**/*.{yaml,yml}`,
  '**/{deployment,k8s,kubernetes,manifests}.{yaml,yml}',
];

/** Templates of a Helm chart. */
export const HELM_TEMPLATE_GLOBS: readonly string[] = [
  '**/templates/**/*.{yaml,yml}',
];

/** Values files of a Helm chart, including the per-environment ones (`values-prod.yaml`, `values/prod.yaml`). */
export const HELM_VALUES_GLOBS: readonly string[] = [
  '**/values{,-*,.*}.{yaml,yml}',
  '**/values/*.{yaml,yml}',
];

/** Every file that may hold a Kubernetes object or Helm values. */
export const KUBERNETES_GLOBS: readonly string[] = [
  ...MANIFEST_GLOBS,
  ...HELM_TEMPLATE_GLOBS,
  ...HELM_VALUES_GLOBS,
];

/** Where the deployment configs of the other tools live. */
export const HELM_CHART_GLOBS: readonly string[] = ['**/Chart.yaml'];
export const KUSTOMIZE_GLOBS: readonly string[] = [
  '**/kustomization.{yaml,yml}',
  '**/Kustomization',
];
export const SERVERLESS_GLOBS: readonly string[] = [
  '**/serverless.{yml,yaml,ts,js,json}',
];
/** AWS SAM and CloudFormation templates. */
export const CLOUDFORMATION_GLOBS: readonly string[] = [
  '**/template.{yaml,yml,json}',
  '**/*.template.{yaml,yml,json}',
  '**/@(cloudformation|cfn)/**/*.{yaml,yml,json}',
];
export const APP_ENGINE_GLOBS: readonly string[] = ['**/app.{yaml,yml}'];
/** Fly.io app configs: `fly.toml`, and the per-environment ones (`fly.prod.toml`, `fly/prod.toml`). */
export const FLY_GLOBS: readonly string[] = [
  '**/fly.toml',
  '**/fly.*.toml',
  '**/fly/**/*.toml',
];
/** Heroku: a Procfile (not `Procfile.dev`, which runs the app locally) and the `app.json` manifest. */
export const HEROKU_PROCFILE_GLOBS: readonly string[] = ['**/Procfile'];
export const HEROKU_APP_GLOBS: readonly string[] = ['**/app.json'];
/** An `app.json` that is a Heroku app manifest, not another tool's file of the same name. */
export const HEROKU_APP_MANIFEST = /"(?:buildpacks|formation|addons)"\s*:/;
/** Azure Bicep templates. */
export const BICEP_GLOBS: readonly string[] = ['**/*.bicep'];
export const RENDER_GLOBS: readonly string[] = ['render.{yaml,yml}'];
export const COPILOT_GLOBS: readonly string[] = [
  '**/copilot/*/manifest.{yml,yaml}',
];
export const ECS_TASK_DEFINITION_GLOBS: readonly string[] = [
  '**/{task-definition,taskdef,task-def,ecs-task-definition}.json',
];
export const NOMAD_GLOBS: readonly string[] = ['**/*.nomad', '**/*.nomad.hcl'];
export const TERRAFORM_GLOBS: readonly string[] = ['**/*.tf'];
/** Compose files describe containers on one machine, for development; they are not a deployment. */
export const COMPOSE_GLOBS: readonly string[] = [
  '**/{docker-compose,compose}.{yml,yaml}',
];

/** A Compose file's name: its `deploy.resources` sit on one machine, not in a cluster. */
const COMPOSE_NAME = /(?:^|\/)(?:docker-)?compose(?:\.[\w-]+)*\.ya?ml$/;

/**
 * Whether a YAML file may hold Kubernetes objects or Helm values: not a Compose file, whose
 * `deploy.resources.limits` look like a container's, and not a pipeline.
 */
export function mayHoldKubernetes(path: string): boolean {
  return !COMPOSE_NAME.test(path) && !isPipelineFile(path);
}

/**
 * Words that every pattern given to {@link searchKubernetes} needs in a file to match: an object's
 * `kind:`, a `resources:` block, autoscaling and replica settings.
 */
const KUBERNETES_KEYS =
  /kind:|resources:|autoscal|replica|hpa:|keda:|Scale|InstanceCount/;

/**
 * The first match of the pattern in the files that may hold Kubernetes objects or Helm values
 * ({@link mayHoldKubernetes}): the engine's (cached) search, and a walk past the files it does
 * not count only when its first match is in one.
 */
export function searchKubernetes(
  repository: RepositoryView,
  pattern: RegExp,
): FileMatch | undefined {
  // Most repositories have no Kubernetes object or Helm values among their YAML files: one scan
  // for the keys says so, and spares a scan per pattern.
  if (!repository.search(KUBERNETES_GLOBS, KUBERNETES_KEYS)) {
    return undefined;
  }
  const first = repository.search(KUBERNETES_GLOBS, pattern);
  if (!first || mayHoldKubernetes(first.path)) {
    return first;
  }
  for (const path of repository.find(KUBERNETES_GLOBS)) {
    if (!mayHoldKubernetes(path)) {
      continue;
    }
    const content = repository.read(path);
    const match =
      content === undefined ? undefined : matchIn(path, content, pattern);
    if (match) {
      return match;
    }
  }
  return undefined;
}

const WORKLOAD_KINDS =
  'Deployment|StatefulSet|DaemonSet|CronJob|Job|Rollout|DeploymentConfig|Service';

/**
 * A top-level Kubernetes workload or service object: its `kind` with an `apiVersion` within a few
 * lines, in either order, so that a `kind:` key of another tool's YAML is not taken for one.
 */
export const WORKLOAD_KIND = new RegExp(
  [
    String.raw`^apiVersion:[ \t]*["']?[\w./-]+["']?[ \t]*\r?\n(?:[^\n]*\n){0,4}?kind:[ \t]*["']?(?:${WORKLOAD_KINDS})\b`,
    String.raw`|^kind:[ \t]*["']?(?:${WORKLOAD_KINDS})["']?[ \t]*\r?\n(?:[^\n]*\n){0,4}?apiVersion:[ \t]*["']?[\w./-]+`,
  ].join(''),
  'm',
);

/** An Argo CD Application or ApplicationSet (apiVersion and kind in either order). */
export const ARGO_CD_APPLICATION =
  /^apiVersion:[ \t]*["']?argoproj\.io\/[^\n]*\n(?:[^\n]*\n){0,4}?kind:[ \t]*["']?Application(?:Set)?\b|^kind:[ \t]*["']?Application(?:Set)?["']?[ \t]*\r?\n(?:[^\n]*\n){0,4}?apiVersion:[ \t]*["']?argoproj\.io\//m;

/** A Flux HelmRelease or Kustomization. */
export const FLUX_RESOURCE =
  /^apiVersion:[ \t]*["']?(?:helm|kustomize)\.toolkit\.fluxcd\.io\//m;

/** A progressive delivery resource that rolls back on its own: Argo Rollouts or Flagger. */
export const PROGRESSIVE_DELIVERY =
  /^kind:[ \t]*["']?Rollout\b|^apiVersion:[ \t]*["']?flagger\.app\//m;

/** A Knative (Cloud Run) service. */
export const KNATIVE_SERVICE =
  /^apiVersion:[ \t]*["']?serving\.knative\.dev\//m;

/** A Kubernetes autoscaler: HPA, KEDA or VPA. */
export const AUTOSCALER_KIND =
  /^kind:[ \t]*["']?(?:HorizontalPodAutoscaler|ScaledObject|ScaledJob|HTTPScaledObject|VerticalPodAutoscaler)\b/m;

/** A Helm template rendered only when a values flag about autoscaling is on. */
export const HELM_AUTOSCALING_GUARD =
  /\{\{-?[ \t]*if[ \t][^}\n]{0,200}?\.Values\.[\w.]{0,80}?(?:autoscal|hpa|keda)/i;

/**
 * A block `resources:` (or `- resources:`) whose more-indented lines, within 16 lines, include the
 * key (`requests:` or `limits:`) with content; or the same on one line in flow style.
 */
function resourcesBlockWith(key: 'requests' | 'limits'): RegExp {
  return new RegExp(
    [
      String.raw`^([ \t]*)(?:-[ \t]+)?resources:[ \t]*(?:#[^\n]*)?\r?\n`,
      String.raw`(?:\1[ \t][^\n]*\n|\r?\n){0,16}?`,
      // Blank lines may stand between the key and its values: comments (helm-docs' `# --`) are blanked.
      String.raw`\1[ \t]+${key}:[ \t]*(?:\{[ \t]*["']?\w|(?:#[^\n]*)?\r?\n(?:[ \t]*\r?\n){0,4}[ \t]+["']?(?:cpu|memory|ephemeral-storage|nvidia\.com|\{\{))`,
      String.raw`|^[ \t]*(?:-[ \t]+)?resources:[ \t]*\{[^\n]*\b${key}[ \t]*:`,
    ].join(''),
    'm',
  );
}

/** Kubernetes or Helm values: resource requests of a container. */
export const RESOURCE_REQUESTS = resourcesBlockWith('requests');
/** Kubernetes or Helm values: resource limits of a container. */
export const RESOURCE_LIMITS = resourcesBlockWith('limits');

/** Terraform resources that deploy a service. */
export const TERRAFORM_DEPLOYMENT =
  /^[ \t]*resource[ \t]+"(?:kubernetes_(?:deployment|stateful_set|daemon_set|daemonset|cron_job|job)(?:_v1)?|kubernetes_manifest|helm_release|google_cloud_run_(?:v2_)?service|google_app_engine_(?:standard|flexible)_app_version|aws_ecs_service|aws_lambda_function|aws_apprunner_service|aws_elastic_beanstalk_environment|azurerm_container_app|azurerm_(?:linux|windows)_(?:web|function)_app|nomad_job|argocd_application|digitalocean_app|heroku_app)"|^[ \t]*source[ \t]*=[ \t]*"terraform-aws-modules\/(?:lambda|ecs|app-runner)\/aws/m;

/**
 * A way of deploying the service that the checks recognise: the files where it lives and,
 * optionally, what one of them must contain.
 */
export interface DeploymentForm {
  /** What it is, for messages: `Helm chart`. */
  name: string;
  globs: readonly string[];
  /** What a file must contain; without it, the file's existence is enough. */
  pattern?: RegExp;
  /**
   * For a form decided by a file's existence: what makes the file not count (a `netlify.toml`
   * that publishes the documentation site).
   */
  unless?: RegExp;
  /** The line of a multi-line match to cite (the `kind:` line of an object). */
  line?: RegExp;
  /**
   * A cheap pattern that any file matching `pattern` also matches, searched first so that an
   * elaborate pattern only runs on the files that may match it.
   */
  gate?: RegExp;
}

/** The globs whose content the forms read, for a check's `reads`. */
export function contentGlobsOf(forms: ReadonlyArray<DeploymentForm>): string[] {
  return [
    ...new Set(forms.filter(f => f.pattern || f.unless).flatMap(f => f.globs)),
  ];
}

/** A content search of {@link findForm}: forms that share their globs, scanned together. */
interface FormSearch {
  globs: readonly string[];
  forms: DeploymentForm[];
  /** The forms' patterns joined into one, so that each file is scanned once. */
  pattern: RegExp;
  gate?: RegExp;
  /**
   * With several forms: each form's pattern, tried in turn on each file. One pattern per form
   * scans faster than their alternation, in which the regular expression engine can no longer
   * skip ahead to the characters that each form starts with.
   */
  patterns?: RegExp[];
}

/** Each form's pattern, with the search's flags. */
function patternsOf(search: FormSearch): RegExp[] {
  const flags = search.pattern.flags;
  return search.forms.map(f => new RegExp(f.pattern!.source, flags));
}

/** A backreference, which would change meaning in a joined pattern. */
const BACKREFERENCE = /\\[1-9]/;

const searchPlans = new WeakMap<
  ReadonlyArray<DeploymentForm>,
  { byPath: DeploymentForm[]; pathGlobs: string[]; searches: FormSearch[] }
>();

/** The forms grouped for {@link findForm}, cached by the identity of the (constant) list. */
function planOf(forms: ReadonlyArray<DeploymentForm>) {
  let plan = searchPlans.get(forms);
  if (!plan) {
    const searches: FormSearch[] = [];
    for (const form of forms) {
      if (!form.pattern) {
        continue;
      }
      const flags = form.pattern.flags.replace(/[gy]/g, '');
      const joinable = !form.gate && !BACKREFERENCE.test(form.pattern.source);
      const search = joinable
        ? searches.find(
            s =>
              !s.gate &&
              s.globs === form.globs &&
              s.pattern.flags === flags &&
              !BACKREFERENCE.test(s.pattern.source),
          )
        : undefined;
      if (search) {
        search.forms.push(form);
        search.pattern = new RegExp(
          search.forms.map(f => `(?:${f.pattern!.source})`).join('|'),
          flags,
        );
      } else {
        searches.push({
          globs: form.globs,
          forms: [form],
          pattern: new RegExp(form.pattern.source, flags),
          gate: form.gate,
        });
      }
    }
    for (const search of searches) {
      if (search.forms.length > 1) {
        search.patterns = patternsOf(search);
      }
    }
    const byPath = forms.filter(f => !f.pattern);
    plan = { byPath, pathGlobs: byPath.flatMap(f => f.globs), searches };
    searchPlans.set(forms, plan);
  }
  return plan;
}

/**
 * The first form present in the repository: forms decided by a file's existence first (free), then
 * the ones that need a content search. Forms with the same globs are searched together, in one
 * scan of each file; the first file that matches any of them decides, and the first of those forms
 * that it matches names the result.
 */
export function findForm(
  repository: RepositoryView,
  forms: ReadonlyArray<DeploymentForm>,
):
  | {
      form: DeploymentForm;
      path: string;
      match?: FileMatch;
      evidence: Evidence;
    }
  | undefined {
  const plan = planOf(forms);
  // One lookup for all the path-only forms; which one it was only matters when one is there.
  if (plan.pathGlobs.length > 0 && repository.has(plan.pathGlobs)) {
    for (const form of plan.byPath) {
      const path = repository
        .find(form.globs)
        .find(p => !form.unless || !form.unless.test(repository.read(p) ?? ''));
      if (path) {
        return { form, path, evidence: fileEvidence(path, form.name) };
      }
    }
  }
  for (const search of plan.searches) {
    if (search.gate && !repository.search(search.globs, search.gate)) {
      continue;
    }
    const hit = search.patterns
      ? firstOfForms(repository, search, search.patterns)
      : repository.search(search.globs, search.pattern);
    if (hit) {
      const form = 'form' in hit ? hit.form : search.forms[0];
      const match = focusLine('form' in hit ? hit.match : hit, form.line);
      return { form, path: match.path, match, evidence: matchEvidence(match) };
    }
  }
  return undefined;
}

/**
 * The first file, among those the search's globs find, in which any of its forms' patterns match,
 * and the first of the forms that match in that file, with its first match.
 */
function firstOfForms(
  repository: RepositoryView,
  search: FormSearch,
  patterns: readonly RegExp[],
): { form: DeploymentForm; match: FileMatch } | undefined {
  for (const path of repository.find(search.globs)) {
    const content = repository.read(path);
    if (content === undefined) {
      continue;
    }
    for (let i = 0; i < patterns.length; i++) {
      const match = patterns[i].exec(content);
      if (match) {
        return {
          form: search.forms[i],
          match: fileMatchAt(path, content, match),
        };
      }
    }
  }
  return undefined;
}

/**
 * A match of a pattern spanning several lines, narrowed to its first line that matches `line`
 * (or to its first line), so that messages and evidence show one line.
 */
export function focusLine(match: FileMatch, line?: RegExp): FileMatch {
  if (!match.text.includes('\n')) {
    // One line: nothing to narrow (the line patterns have no `g` flag whose state a test moves).
    return { path: match.path, line: match.line, text: match.text.trim() };
  }
  const lines = match.text.split('\n');
  const i = line ? lines.findIndex(l => line.test(l)) : -1;
  return i > 0
    ? { path: match.path, line: match.line + i, text: lines[i].trim() }
    : { path: match.path, line: match.line, text: lines[0].trim() };
}

/** Where a form was found, for a message: `a Helm chart (charts/orders/Chart.yaml)`. */
export function describeFound(found: {
  form: DeploymentForm;
  path: string;
  match?: FileMatch;
}): string {
  return found.match
    ? `${found.form.name} (${found.path}: \`${found.match.text}\`)`
    : `${found.form.name} (${found.path})`;
}
