import { z } from 'zod';
import { matchIn } from '../engine/repository';
import type {
  CheckImplementation,
  FileMatch,
  RepositoryView,
} from '../engine/checkTypes';
import type { NearMiss } from '../types';
import { CI_GLOBS } from './ci';
import {
  fail,
  fileEvidence,
  listPaths,
  matchEvidence,
  nearMissAt,
  nearMissFile,
  pass,
  repositoryUnavailable,
} from './helpers';
import {
  APP_ENGINE_GLOBS,
  AUTOSCALER_KIND,
  BICEP_GLOBS,
  CLOUDFORMATION_GLOBS,
  COMPOSE_GLOBS,
  COPILOT_GLOBS,
  DeploymentForm,
  ECS_TASK_DEFINITION_GLOBS,
  FLY_GLOBS,
  HELM_AUTOSCALING_GUARD,
  HEROKU_APP_GLOBS,
  KNATIVE_SERVICE,
  KUBERNETES_GLOBS,
  NOMAD_GLOBS,
  RENDER_GLOBS,
  RESOURCE_LIMITS,
  RESOURCE_REQUESTS,
  SERVERLESS_GLOBS,
  TERRAFORM_DEPLOYMENT,
  TERRAFORM_GLOBS,
  WORKLOAD_KIND,
  contentGlobsOf,
  describeFound,
  findForm,
  focusLine,
  mayHoldKubernetes,
  searchKubernetes,
} from './kubernetes';

/** Helm values (or a Kustomize patch) that switch autoscaling on or off. */
function autoscalingSwitch(value: 'true' | 'false'): RegExp {
  return new RegExp(
    String.raw`^([ \t]*)(?:autoscaling|autoscaler|hpa|keda):[ \t]*(?:#[^\n]*)?\r?\n(?:\1[ \t][^\n]*\n|\r?\n){0,10}?\1[ \t]+enabled:[ \t]*["']?${value}\b`,
    'm',
  );
}
const AUTOSCALING_ENABLED = autoscalingSwitch('true');
const AUTOSCALING_DISABLED = autoscalingSwitch('false');

/** The lines of a multi-line match to show in messages and evidence. */
const ENABLED_LINE = /enabled:/;
const REQUESTS_LINE = /requests\s*:/;
const LIMITS_LINE = /limits\s*:/;

/** A path inside a Helm chart's templates. */
const HELM_TEMPLATE_PATH = /(?:^|\/)templates\//;

/** A fixed replica count: `replicas: 3` in a workload, `replicaCount: 3` in Helm values. */
const FIXED_REPLICAS =
  /^[ \t]+replicas:[ \t]*["']?\d+|^replicaCount:[ \t]*\d+/m;

/** App Engine with a fixed number of instances. */
const MANUAL_SCALING = /^manual_scaling:/m;

/** Knative / Cloud Run scale bounds, in a manifest or in Terraform. */
const KNATIVE_SCALE =
  /\b(?:autoscaling\.knative\.dev|run\.googleapis\.com)\/(?:max|min)-?[Ss]cale\b|^[ \t]+(?:max|min)InstanceCount:/m;

const TERRAFORM_AUTOSCALING =
  /^[ \t]*resource[ \t]+"(?:aws_appautoscaling_(?:target|policy)|aws_autoscaling_(?:group|policy)|aws_apprunner_auto_scaling_configuration_version|google_compute_(?:region_)?autoscaler|kubernetes_horizontal_pod_autoscaler(?:_v1|_v2|_v2beta2)?|azurerm_monitor_autoscale_setting)"|^[ \t]*(?:max_instance_count|min_instance_count|max_replicas|min_replicas|max_instances|min_instances|max_scale|reserved_concurrent_executions|provisioned_concurrent_executions)[ \t]*=|autoscaling\.knative\.dev\/(?:max|min)Scale/m;

const FLY_AUTOSCALING =
  /^[ \t]*(?:auto_start_machines[ \t]*=[ \t]*true|auto_stop_machines[ \t]*=[ \t]*(?:true|["'](?:stop|suspend)["'])|min_machines_running[ \t]*=)/m;

/**
 * Azure Container Apps scale between replica bounds on HTTP load (`containerMinReplicas` of the azd
 * modules, `minReplicas` of a `scale` block); App Service scales with an autoscale setting.
 */
const BICEP_AUTOSCALING =
  /^[ \t]+(?:container)?(?:[Mm]in|[Mm]ax)Replicas:[ \t]*\d|'Microsoft\.Insights\/autoscalesettings@/m;

/** The ways of configuring autoscaling besides Kubernetes autoscalers and Helm values. */
const AUTOSCALING_FORMS: DeploymentForm[] = [
  {
    name: 'Cloud Run (Knative) scale bounds',
    globs: KUBERNETES_GLOBS,
    pattern: KNATIVE_SCALE,
  },
  {
    name: 'instance limits in the deploy step',
    globs: CI_GLOBS,
    pattern: /\s--(?:max|min)-instances\b/,
  },
  {
    name: 'Lambda concurrency (Serverless Framework)',
    globs: SERVERLESS_GLOBS,
    pattern: /\b(?:provisionedConcurrency|reservedConcurrency)\s*:/,
  },
  {
    name: 'Lambda concurrency or Application Auto Scaling (AWS SAM/CloudFormation)',
    globs: CLOUDFORMATION_GLOBS,
    pattern:
      /\b(?:ProvisionedConcurrencyConfig|ReservedConcurrentExecutions|AWS::ApplicationAutoScaling::ScalableTarget|AWS::AutoScaling::AutoScalingGroup)\b/,
  },
  {
    name: 'Fly.io Machines autoscaling',
    globs: FLY_GLOBS,
    pattern: FLY_AUTOSCALING,
  },
  {
    name: 'App Engine scaling',
    globs: APP_ENGINE_GLOBS,
    pattern: /^(?:automatic|basic)_scaling:/m,
  },
  {
    name: 'AWS Copilot autoscaling',
    globs: COPILOT_GLOBS,
    pattern:
      /^count:[ \t]*\r?\n(?:[ \t][^\n]*\n|\r?\n){0,8}?[ \t]+(?:range|cpu_percentage|memory_percentage|requests|response_time):/m,
  },
  {
    name: 'Render autoscaling',
    globs: RENDER_GLOBS,
    pattern: /^[ \t]+(?:maxInstances|minInstances):/m,
  },
  {
    name: 'Nomad scaling policy',
    globs: NOMAD_GLOBS,
    pattern: /^[ \t]*scaling[ \t]*(?:"[^"\n]*"[ \t]*)?\{/m,
  },
  {
    name: 'Terraform autoscaling',
    globs: TERRAFORM_GLOBS,
    pattern: TERRAFORM_AUTOSCALING,
  },
  {
    name: 'Bicep autoscaling (Container Apps replica bounds or an autoscale setting)',
    globs: BICEP_GLOBS,
    pattern: BICEP_AUTOSCALING,
  },
];

/** Helm values leaving the resources empty. */
const EMPTY_RESOURCES = /^[ \t]*resources:[ \t]*\{[ \t]*\}/m;

/** Cloud Run sized on the command line: `gcloud run deploy ... --memory 512Mi`, or the action's flags. */
const CLOUD_RUN_SIZING =
  /\bgcloud\s+(?:beta\s+)?run\s+deploy\b(?:[^\n]{0,400}\\\r?\n){0,20}[^\n]{0,400}?\s--(?:memory|cpu)\b|^[ \t]*flags:[^\n]*--(?:memory|cpu)\b/m;

/** The flag every {@link CLOUD_RUN_SIZING} match ends with: pipelines rarely have it. */
const CLOUD_RUN_SIZING_FLAG = /--(?:memory|cpu)\b/;

const FLY_VM_SIZE =
  /^\[\[vm\]\][ \t]*\r?\n(?:[^[\n][^\n]*\n|\r?\n){0,8}?[ \t]*(?:memory|memory_mb|cpus|size)[ \t]*=/m;

/** A Heroku app manifest's formation with a dyno size. */
const HEROKU_DYNO_SIZE =
  /"size"\s*:\s*"(?:free|eco|hobby|basic|standard-[12]x|performance-[\w-]+|private-[\w-]+|shield-[\w-]+)"/i;

/**
 * Bicep that sizes the service: the SKU of an App Service plan (module or resource), or the CPU and
 * memory of a Container App (`containerCpuCoreCount` with `containerMemory` of the azd modules, or
 * `cpu` with `memory` in the container's `resources`).
 */
const BICEP_SIZING =
  /(?:appserviceplan|serverfarm|Microsoft\.Web\/serverfarms@)[^\n]*\n(?:[^\n]*\n){0,15}?[ \t]*sku:[ \t]*(?:\{[ \t]*\r?\n[ \t]*name:[ \t]*)?'[A-Za-z]+\d|^[ \t]*containerCpuCoreCount:[^\n]*\n(?:[^\n]*\n){0,3}?[ \t]*containerMemory:|^[ \t]*cpu:[ \t]*json\([^\n]*\n[ \t]*memory:[ \t]*'/im;

/** The ways of sizing a workload besides Kubernetes requests and limits. */
const SIZING_FORMS: DeploymentForm[] = [
  {
    name: 'Lambda memory (Serverless Framework)',
    globs: SERVERLESS_GLOBS,
    pattern: /\bmemorySize\s*:/,
  },
  {
    name: 'memory in AWS SAM/CloudFormation',
    globs: CLOUDFORMATION_GLOBS,
    pattern: /^[ \t]+(?:MemorySize|Memory):[ \t]*\S/m,
  },
  {
    name: 'Amazon ECS task definition',
    globs: ECS_TASK_DEFINITION_GLOBS,
    pattern: /"memory(?:Reservation)?"\s*:\s*"?\d/,
  },
  {
    name: 'AWS Copilot task size',
    globs: COPILOT_GLOBS,
    pattern: /^memory:[ \t]*\d/m,
  },
  {
    name: 'App Engine instance size',
    globs: APP_ENGINE_GLOBS,
    pattern:
      /^instance_class:[ \t]*\S|^resources:[ \t]*\r?\n[ \t]+(?:cpu|memory_gb|disk_size_gb):/m,
  },
  { name: 'Fly.io VM size', globs: FLY_GLOBS, pattern: FLY_VM_SIZE },
  {
    name: 'Render instance plan',
    globs: RENDER_GLOBS,
    pattern: /^[ \t]+plan:[ \t]*\S/m,
  },
  {
    name: 'Nomad task resources',
    globs: NOMAD_GLOBS,
    pattern: /\bresources[ \t]*\{[^}]{0,1000}?\bmemory[ \t]*=/,
  },
  {
    name: 'Heroku dyno size',
    globs: HEROKU_APP_GLOBS,
    pattern: HEROKU_DYNO_SIZE,
  },
  {
    name: 'Azure sizing in Bicep (App Service plan SKU or Container App CPU and memory)',
    globs: BICEP_GLOBS,
    pattern: BICEP_SIZING,
  },
  {
    name: 'Cloud Run sized in the deploy step',
    globs: CI_GLOBS,
    pattern: CLOUD_RUN_SIZING,
    gate: CLOUD_RUN_SIZING_FLAG,
  },
];

/** Terraform workloads of the Kubernetes provider, which need requests and limits. */
const TERRAFORM_KUBERNETES_WORKLOAD =
  /^[ \t]*resource[ \t]+"kubernetes_(?:deployment|stateful_set|daemon_set|daemonset|cron_job|job)(?:_v1)?"/m;
const TERRAFORM_LIMITS = /\blimits[ \t]*(?:=[ \t]*)?\{/;
const TERRAFORM_REQUESTS = /\brequests[ \t]*(?:=[ \t]*)?\{/;
/** Memory of an ECS task, Lambda function, Cloud Run service, Container App or Helm release. */
const TERRAFORM_SIZING =
  /^[ \t]*(?:memory_size|memory|memory_mb)[ \t]*=|"memory"[ \t]*:|\bresources\.limits\.(?:cpu|memory)\b|\blimits[ \t]*(?:=[ \t]*)?\{/m;

/** The first Terraform file that deploys a workload and sizes it. */
function terraformSizing(repository: RepositoryView): FileMatch | undefined {
  if (!repository.search(TERRAFORM_GLOBS, TERRAFORM_DEPLOYMENT)) {
    return undefined;
  }
  for (const path of repository.find(TERRAFORM_GLOBS)) {
    const content = repository.read(path);
    if (content === undefined || !TERRAFORM_DEPLOYMENT.test(content)) {
      continue;
    }
    if (TERRAFORM_KUBERNETES_WORKLOAD.test(content)) {
      const limits = matchIn(path, content, TERRAFORM_LIMITS);
      if (limits && TERRAFORM_REQUESTS.test(content)) {
        return limits;
      }
      continue;
    }
    const sizing = matchIn(path, content, TERRAFORM_SIZING);
    if (sizing) {
      return sizing;
    }
  }
  return undefined;
}

/**
 * The first Kubernetes autoscaler that is not a Helm template switched off by default: a chart's
 * `templates/hpa.yaml` guarded by `.Values.autoscaling.enabled` only counts when the values enable it.
 */
function kubernetesAutoscaler(repository: RepositoryView): {
  match?: FileMatch;
  guarded?: FileMatch;
} {
  const first = searchKubernetes(repository, AUTOSCALER_KIND);
  if (!first) {
    return {};
  }
  const isGuarded = (path: string, content: string | undefined) =>
    HELM_TEMPLATE_PATH.test(path) &&
    content !== undefined &&
    HELM_AUTOSCALING_GUARD.test(content);
  if (!isGuarded(first.path, repository.read(first.path))) {
    return { match: first };
  }
  for (const path of repository.find(KUBERNETES_GLOBS)) {
    if (path === first.path || !mayHoldKubernetes(path)) {
      continue;
    }
    const content = repository.read(path);
    if (content === undefined) {
      continue;
    }
    const match = matchIn(path, content, AUTOSCALER_KIND);
    if (match && !isGuarded(path, content)) {
      return { match, guarded: first };
    }
  }
  return { guarded: first };
}

/** How strictly `capacity.resources` asks for a limit: a failure, advice in the message, or nothing. */
const LIMIT_RULE = z.enum(['required', 'advice', 'ignored'], {
  error: 'must be one of required, advice, ignored',
});

/**
 * The options of `capacity.resources`. Requests are what scheduling and capacity planning need, so
 * they are always required. A memory limit keeps a leak from taking the node's memory, but many
 * teams leave it to a LimitRange or a policy engine: advice by default. CPU limits throttle a
 * service even when the node has CPU to spare, and are widely discouraged: not asked for by default.
 */
const RESOURCES_POLICY_SCHEMA = z
  .object({
    memoryLimit: LIMIT_RULE.default('advice'),
    cpuLimit: LIMIT_RULE.default('ignored'),
  })
  .strict();

type ResourcesPolicy = z.infer<typeof RESOURCES_POLICY_SCHEMA>;

const DEFAULT_RESOURCES_POLICY: ResourcesPolicy = {
  memoryLimit: 'advice',
  cpuLimit: 'ignored',
};

/** A `limits:` key, in block or flow style. */
const LIMITS_KEY =
  /^([ \t]*)(?:-[ \t]+)?limits:[ \t]*(.*)$|\blimits[ \t]*:[ \t]*\{([^}\n]*)\}/;

/**
 * Adds to `found` the resources that a `limits:` key at line `i` of the lines sets: `cpu`,
 * `memory`, or both when templated. Whether the line has such a key.
 */
function limitedResources(
  lines: string[],
  i: number,
  found: Set<string>,
): boolean {
  const match = LIMITS_KEY.exec(lines[i]);
  if (!match) {
    return false;
  }
  const inline = match[3] ?? match[2] ?? '';
  const note = (text: string) => {
    if (/\bcpu\b/.test(text)) found.add('cpu');
    if (/\bmemory\b/.test(text)) found.add('memory');
    if (/\{\{/.test(text)) {
      found.add('cpu');
      found.add('memory');
    }
  };
  note(inline);
  if (match[3] === undefined && inline.trim() === '') {
    const indent = match[1].length;
    for (let j = i + 1; j < lines.length && j <= i + 8; j++) {
      const line = lines[j];
      if (line.trim() === '') continue;
      if (line.length - line.trimStart().length <= indent) break;
      note(line.split(':', 1)[0] + (line.includes('{{') ? '{{' : ''));
    }
  }
  return true;
}

/**
 * How the limits of the Kubernetes files measure up to the policy: the first `limits:` line, the
 * advice to give, and what a `required` rule misses (a failure).
 */
function limitsAgainstPolicy(
  repository: RepositoryView,
  requests: FileMatch,
  policy: ResourcesPolicy,
): {
  limits?: FileMatch;
  advice: string[];
  /** The limits a `required` rule misses, `memory or CPU`. */
  missing: string;
  required?: string;
} {
  const limited = new Set<string>();
  let first: FileMatch | undefined;
  // The search stops once it has a limit to cite and every limit the policy asks about.
  const memoryIgnored = policy.memoryLimit === 'ignored';
  const cpuIgnored = policy.cpuLimit === 'ignored';
  const done = () =>
    first !== undefined &&
    (memoryIgnored || limited.has('memory')) &&
    (cpuIgnored || limited.has('cpu'));
  const inFile = (path: string) => {
    const content = repository.read(path);
    if (content === undefined || !content.includes('limits')) {
      return;
    }
    const lines = content.split('\n');
    for (let i = 0; i < lines.length && !done(); i++) {
      const before = limited.size;
      // A cheap test of the line before the pattern runs. Until the first limit is found, the set
      // grows exactly when the line sets one.
      if (
        lines[i].includes('limits') &&
        limitedResources(lines, i, limited) &&
        limited.size > before
      ) {
        first ??= { path, line: i + 1, text: lines[i].trim().slice(0, 160) };
      }
    }
  };
  inFile(requests.path);
  for (const path of repository.find(KUBERNETES_GLOBS)) {
    if (done() || limited.size === 2) {
      break;
    }
    if (path !== requests.path && mayHoldKubernetes(path)) {
      inFile(path);
    }
  }
  const advice: string[] = [];
  const required: string[] = [];
  for (const [resource, rule, why] of [
    [
      'memory',
      policy.memoryLimit,
      "a memory limit keeps a leak from taking the node's memory",
    ],
    ['cpu', policy.cpuLimit, 'this ruleset asks for CPU limits'],
  ] as const) {
    if (limited.has(resource) || rule === 'ignored') {
      continue;
    }
    if (rule === 'required') {
      required.push(resource === 'cpu' ? 'CPU' : resource);
    } else {
      advice.push(
        `Advice: no ${
          resource === 'cpu' ? 'CPU' : resource
        } limit is set; ${why}.`,
      );
    }
  }
  return {
    limits: first,
    advice,
    missing: required.join(' or '),
    required:
      required.length > 0
        ? `set no ${required.join(
            ' or ',
          )} limit, which this ruleset requires (options ${required
            .map(r => (r === 'CPU' ? 'cpuLimit' : 'memoryLimit'))
            .join(', ')}: required).`
        : undefined,
  };
}

/** `capacity.resources` with a policy for limits. */
function resourcesCheck(policy: ResourcesPolicy): CheckImplementation {
  return {
    id: 'capacity.resources',
    capability: 'capacity',
    title: 'Resource requests are set',
    description:
      'Every workload declares the CPU and memory it needs: Kubernetes containers (in manifests or Helm values) set resource requests, or the platform equivalent is set (Cloud Run limits, Lambda memory, ECS task size, App Engine instance class, Fly.io VM size, Heroku dyno size, sizing in Terraform, an App Service plan SKU or Container App CPU and memory in Bicep). By default a missing memory limit is advice and CPU limits are not asked for; the `memoryLimit` and `cpuLimit` options make either required. Resource limits in docker-compose files do not count.',
    weight: 1,
    evidence: 'entity+repository',
    version: '4',
    options: {
      schema: RESOURCES_POLICY_SCHEMA,
      configure: options => resourcesCheck(options as ResourcesPolicy),
    },
    reads: [
      ...new Set([
        ...KUBERNETES_GLOBS,
        ...TERRAFORM_GLOBS,
        ...contentGlobsOf(SIZING_FORMS),
      ]),
    ],
    evaluate({ repository }) {
      if (!repository) {
        return repositoryUnavailable('resource requests');
      }
      const requestsBlock = searchKubernetes(repository, RESOURCE_REQUESTS);
      const limitsBlock = searchKubernetes(repository, RESOURCE_LIMITS);
      const requests = requestsBlock && focusLine(requestsBlock, REQUESTS_LINE);
      const limits = limitsBlock && focusLine(limitsBlock, LIMITS_LINE);
      const policyFailure = requests
        ? limitsAgainstPolicy(repository, requests, policy)
        : undefined;
      if (requests && !policyFailure?.required) {
        const evidence = [matchEvidence(requests)];
        const cited = policyFailure?.limits ?? limits;
        if (cited) {
          evidence.push(matchEvidence(cited));
        }
        let found = `Containers set resource requests (${requests.path}).`;
        if (cited) {
          found =
            requests.path === cited.path
              ? `Containers set resource requests and limits (${requests.path}).`
              : `Containers set resource requests (${requests.path}) and limits (${cited.path}).`;
        }
        return pass(
          [found, ...(policyFailure?.advice ?? [])].join(' '),
          evidence,
        );
      }
      if (limits) {
        const content = repository.read(limits.path);
        if (content !== undefined && KNATIVE_SERVICE.test(content)) {
          return pass(
            `The Cloud Run (Knative) service sets resource limits (${limits.path}).`,
            [matchEvidence(limits)],
          );
        }
      }
      const found = findForm(repository, SIZING_FORMS);
      if (found) {
        return pass(`Workloads are sized: ${describeFound(found)}.`, [
          found.evidence,
        ]);
      }
      const terraform = terraformSizing(repository);
      if (terraform) {
        return pass(
          `Terraform sizes the workload (${terraform.path}: \`${terraform.text}\`).`,
          [matchEvidence(terraform)],
        );
      }
      if (requests && policyFailure?.required) {
        return fail(
          `Containers request resources (${requests.path}: \`${requests.text}\`) but ${policyFailure.required}`,
          [
            matchEvidence(requests),
            ...(policyFailure.limits
              ? [matchEvidence(policyFailure.limits)]
              : []),
          ],
          [
            nearMissAt(
              requests,
              `requests resources but no workload of the repository sets a ${policyFailure.missing} limit`,
            ),
          ],
        );
      }
      if (limits) {
        return fail(
          `Containers set resource limits (${limits.path}: \`${limits.text}\`) but no requests, so the scheduler and autoscalers cannot plan for them.`,
          [matchEvidence(limits)],
          [
            nearMissAt(
              limits,
              'sets limits but no requests, which the scheduler and autoscalers plan with',
            ),
          ],
        );
      }
      const notes: string[] = [];
      const nearMisses: NearMiss[] = [];
      const empty = searchKubernetes(repository, EMPTY_RESOURCES);
      const workload = searchKubernetes(repository, WORKLOAD_KIND);
      if (empty) {
        notes.push(`${empty.path} leaves resources empty (\`${empty.text}\`).`);
        nearMisses.push(
          nearMissAt(empty, 'leaves resources empty: no requests, no limits'),
        );
      } else if (workload) {
        notes.push(
          `${workload.path} defines workloads without resource requests or limits.`,
        );
        nearMisses.push(
          nearMissAt(
            focusLine(workload, /^kind:/),
            'defines a workload that sets no resource requests or limits',
          ),
        );
      }
      const compose = repository.find(COMPOSE_GLOBS);
      if (compose.length > 0) {
        notes.push(
          `Limits in ${listPaths(
            compose,
          )} do not count: they apply to local containers.`,
        );
        nearMisses.push(
          ...compose.map(path =>
            nearMissFile(
              path,
              'is a docker-compose file: its limits apply to local containers',
            ),
          ),
        );
      }
      return fail(
        [
          'No workload declares its CPU and memory (looked for requests and limits in Kubernetes manifests and Helm values, Cloud Run limits, Lambda memory, ECS task size, App Engine, Fly.io, Render and Nomad sizing, and Terraform).',
          ...notes,
        ].join(' '),
        [],
        nearMisses,
      );
    },
  };
}

/** `capacity.autoscaling`. */
const autoscalingCheck: CheckImplementation = {
  id: 'capacity.autoscaling',
  capability: 'capacity',
  title: 'Autoscaling is configured',
  description:
    'The service scales with load without a ticket: a HorizontalPodAutoscaler, KEDA ScaledObject or VerticalPodAutoscaler, Helm values that enable autoscaling, or the platform equivalent (Cloud Run instance bounds, Lambda concurrency, App Engine or Fly.io scaling, autoscaling in Terraform, Container Apps replica bounds or an autoscale setting in Bicep).',
  weight: 1,
  evidence: 'entity+repository',
  version: '3',
  reads: [
    ...new Set([...KUBERNETES_GLOBS, ...contentGlobsOf(AUTOSCALING_FORMS)]),
  ],
  evaluate({ repository }) {
    if (!repository) {
      return repositoryUnavailable('autoscaling');
    }
    const autoscaler = kubernetesAutoscaler(repository);
    if (autoscaler.match) {
      return pass(
        `${autoscaler.match.path} defines a Kubernetes autoscaler: \`${autoscaler.match.text}\`.`,
        [matchEvidence(autoscaler.match)],
      );
    }
    const enabled = searchKubernetes(repository, AUTOSCALING_ENABLED);
    if (enabled) {
      const line = focusLine(enabled, ENABLED_LINE);
      return pass(
        `Helm values enable autoscaling (${line.path}: \`${line.text}\`).`,
        [
          matchEvidence(line),
          ...(autoscaler.guarded
            ? [fileEvidence(autoscaler.guarded.path, 'autoscaler template')]
            : []),
        ],
      );
    }
    const found = findForm(repository, AUTOSCALING_FORMS);
    if (found) {
      return pass(`Autoscaling is configured: ${describeFound(found)}.`, [
        found.evidence,
      ]);
    }
    const notes: string[] = [];
    const nearMisses: NearMiss[] = [];
    if (autoscaler.guarded) {
      const disabled = searchKubernetes(repository, AUTOSCALING_DISABLED);
      notes.push(
        `The Helm chart has an autoscaler template (${
          autoscaler.guarded.path
        }), but its values do not enable it${
          disabled
            ? ` (${disabled.path}: \`${
                focusLine(disabled, ENABLED_LINE).text
              }\`)`
            : ''
        }.`,
      );
      nearMisses.push(
        nearMissAt(
          autoscaler.guarded,
          'is an autoscaler template that only renders when the values enable autoscaling',
        ),
      );
      if (disabled) {
        nearMisses.push(
          nearMissAt(
            focusLine(disabled, ENABLED_LINE),
            'leaves autoscaling disabled',
          ),
        );
      }
    }
    const replicas = searchKubernetes(repository, FIXED_REPLICAS);
    if (replicas) {
      notes.push(
        `Workloads run a fixed number of replicas (${replicas.path}: \`${replicas.text}\`) and nothing scales them.`,
      );
      nearMisses.push(
        nearMissAt(
          replicas,
          'runs a fixed number of replicas that nothing scales',
        ),
      );
    }
    const manual = repository.search(APP_ENGINE_GLOBS, MANUAL_SCALING);
    if (manual) {
      notes.push(`${manual.path} uses manual_scaling.`);
      nearMisses.push(
        nearMissAt(manual, 'scales by hand (manual_scaling), not with load'),
      );
    }
    return fail(
      [
        'No autoscaling found (looked for HorizontalPodAutoscaler, KEDA and VPA resources, Helm values enabling autoscaling, Cloud Run instance bounds, Lambda concurrency, App Engine, Fly.io, Copilot and Render scaling, and autoscaling in Terraform).',
        ...notes,
      ].join(' '),
      [],
      nearMisses,
    );
  },
};

/** Checks of the `capacity` capability. */
export const capacityChecks: CheckImplementation[] = [
  autoscalingCheck,
  resourcesCheck(DEFAULT_RESOURCES_POLICY),
];
