import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  Document,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  YAMLMap,
  YAMLSeq,
} from 'yaml';
import { serviceComponent } from '../lib/catalogInfo';
import { GoldenPathContent, RenderedFile } from '../lib/content';
import { planContentFiles } from '../lib/contentPlan';
import {
  deploymentContainers,
  findDeploymentManifest,
  findHelmChart,
  findKustomizeBase,
  HelmChart,
  inChart,
  parseYamlDocuments,
  stringifyYamlDocuments,
  yamlLayout,
} from '../lib/deployTargets';
import { checkWorkspace, passes } from '../lib/evidence';
import { goldenPathSetup, runGoldenPathStep } from '../lib/goldenPathStep';
import {
  commonInputSchema,
  filesOutputSchema,
  serviceNameInputSchema,
  validateServiceName,
} from '../lib/inputs';
import { MergeConflict, WorkspaceFiles } from '../lib/workspace';
import { examples } from './capacityAdd.examples';

/**
 * Options of {@link createCapacityAddAction}.
 *
 * @public
 */
export interface CapacityAddActionOptions {
  /**
   * The root config; the action reads `goldenPath.policy.namePattern` for the
   * `name` input. Without it, names must be DNS labels.
   */
  config?: Config;
}

/** The values the action applies when an input is absent and the deployment has none. */
const DEFAULTS = {
  minReplicas: 2,
  maxReplicas: 10,
  targetCpuUtilization: 80,
  cpuRequest: '100m',
  memoryRequest: '128Mi',
  cpuLimit: '500m',
  memoryLimit: '512Mi',
} as const;

const MAX_REPLICAS = 1000;

type ResourceName = 'cpu' | 'memory';
type Quantities = Record<ResourceName, string>;

/** What the deployment gets: autoscaling bounds and target, requests and limits. */
type Capacity = {
  minReplicas: number;
  maxReplicas: number;
  targetCpuUtilization: number;
  requests: Quantities;
  limits: Quantities;
};

/** What the deployment already has, read from its files. */
type ExistingCapacity = {
  minReplicas?: unknown;
  maxReplicas?: unknown;
  targetCpuUtilization?: unknown;
  requests?: Partial<Record<ResourceName, unknown>>;
  limits?: Partial<Record<ResourceName, unknown>>;
};

type CapacityInput = {
  minReplicas?: number;
  maxReplicas?: number;
  targetCpuUtilization?: number;
  cpuRequest?: string;
  memoryRequest?: string;
  cpuLimit?: string;
  memoryLimit?: string;
};

// ---------------------------------------------------------------------------------------------
// Kubernetes quantities
// ---------------------------------------------------------------------------------------------

const QUANTITY =
  /^(\d+(?:\.\d*)?|\.\d+)(?:([kMGTPE]i|[mkMGTPE])|[eE]([+-]?\d+))?$/;
const SUFFIX: Record<string, number> = {
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The value of a Kubernetes quantity (`250m` → 0.25, `1Gi` → 1073741824), or undefined. */
function quantityValue(value: unknown): number | undefined {
  const match = QUANTITY.exec(String(value ?? '').trim());
  if (!match) {
    return undefined;
  }
  const [, number, suffix, exponent] = match;
  return (
    Number(number) *
    (suffix ? SUFFIX[suffix] : 1) *
    (exponent ? 10 ** Number(exponent) : 1)
  );
}

/** Checks a CPU or memory quantity input. */
function quantityInput(
  inputName: string,
  resource: ResourceName,
  value: string,
): string {
  const trimmed = value.trim();
  const amount = quantityValue(trimmed);
  const example = resource === 'cpu' ? '250m or 0.5' : '256Mi or 1Gi';
  if (amount === undefined) {
    throw new InputError(
      `Invalid input '${inputName}': '${value}' is not a Kubernetes quantity, such as ${example}`,
    );
  }
  if (amount <= 0) {
    throw new InputError(
      `Invalid input '${inputName}': '${value}' must be more than zero`,
    );
  }
  if (resource === 'memory' && /m$/.test(trimmed)) {
    throw new InputError(
      `Invalid input '${inputName}': '${value}' means millibytes; write memory in Mi or Gi, such as ${example}`,
    );
  }
  if (resource === 'cpu' && !/^(?:\d+(?:\.\d*)?|\.\d+)m?$/.test(trimmed)) {
    throw new InputError(
      `Invalid input '${inputName}': '${value}' is not a CPU quantity, such as ${example}`,
    );
  }
  return trimmed;
}

function integerInput(
  inputName: string,
  value: number,
  min: number,
  max: number,
): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InputError(
      `Invalid input '${inputName}': ${value} must be a whole number from ${min} to ${max}`,
    );
  }
  return value;
}

/** A whole number already in a file, or undefined when it is not one (such as a template). */
function existingInteger(value: unknown): number | undefined {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number)
    ? number
    : undefined;
}

function existingQuantity(value: unknown): string | undefined {
  return value !== undefined &&
    value !== null &&
    quantityValue(value) !== undefined
    ? String(value)
    : undefined;
}

/**
 * The capacity to write: each input that is given; else what the deployment already has; else
 * the default — chosen so that defaults never contradict the user's own values (a default limit
 * is at least the existing request, a default request at most the existing limit).
 *
 * @throws InputError when the result is inconsistent: minReplicas above maxReplicas, a request
 *   above its limit
 */
function resolveCapacity(
  input: CapacityInput,
  existing: ExistingCapacity,
): Capacity {
  const minReplicas =
    input.minReplicas ??
    existingInteger(existing.minReplicas) ??
    Math.min(
      DEFAULTS.minReplicas,
      input.maxReplicas ??
        existingInteger(existing.maxReplicas) ??
        DEFAULTS.minReplicas,
    );
  const maxReplicas =
    input.maxReplicas ??
    existingInteger(existing.maxReplicas) ??
    Math.max(DEFAULTS.maxReplicas, minReplicas);
  if (minReplicas > maxReplicas) {
    throw new InputError(
      `Invalid input 'minReplicas': ${minReplicas} is more than maxReplicas ${maxReplicas}${
        input.maxReplicas === undefined
          ? ' (already set in the deployment)'
          : ''
      }`,
    );
  }
  const capacity: Capacity = {
    minReplicas,
    maxReplicas,
    targetCpuUtilization:
      input.targetCpuUtilization ??
      existingInteger(existing.targetCpuUtilization) ??
      DEFAULTS.targetCpuUtilization,
    requests: { cpu: '', memory: '' },
    limits: { cpu: '', memory: '' },
  };
  const inputs = {
    cpu: { request: input.cpuRequest, limit: input.cpuLimit },
    memory: { request: input.memoryRequest, limit: input.memoryLimit },
  };
  for (const resource of ['cpu', 'memory'] as const) {
    const given = inputs[resource];
    const defaults =
      resource === 'cpu'
        ? { request: DEFAULTS.cpuRequest, limit: DEFAULTS.cpuLimit }
        : { request: DEFAULTS.memoryRequest, limit: DEFAULTS.memoryLimit };
    const kept = {
      request: existingQuantity(existing.requests?.[resource]),
      limit: existingQuantity(existing.limits?.[resource]),
    };
    const request = given.request ?? kept.request;
    const limit = given.limit ?? kept.limit;
    const larger = (a: string, b: string) =>
      quantityValue(a)! >= quantityValue(b)! ? a : b;
    const smaller = (a: string, b: string) =>
      quantityValue(a)! <= quantityValue(b)! ? a : b;
    capacity.requests[resource] =
      request ?? (limit ? smaller(defaults.request, limit) : defaults.request);
    capacity.limits[resource] =
      limit ?? larger(defaults.limit, capacity.requests[resource]);
    if (
      quantityValue(capacity.requests[resource])! >
      quantityValue(capacity.limits[resource])!
    ) {
      const inputName = `${resource}${given.request ? 'Request' : 'Limit'}`;
      throw new InputError(
        `Invalid input '${inputName}': the ${resource} request ${capacity.requests[resource]} is more than the ${resource} limit ${capacity.limits[resource]}`,
      );
    }
  }
  return capacity;
}

// ---------------------------------------------------------------------------------------------
// Editing YAML
// ---------------------------------------------------------------------------------------------

/** Sets a value at a path of a map, creating maps on the way; returns whether it changed. */
function setIn(
  doc: Document,
  map: YAMLMap,
  path: Array<string>,
  value: unknown,
): boolean {
  let current: YAMLMap = map;
  for (const key of path.slice(0, -1)) {
    let next = current.get(key);
    if (!isMap(next)) {
      next = new YAMLMap();
      current.set(key, next);
    }
    current = next as YAMLMap;
  }
  const key = path[path.length - 1];
  const before = current.get(key, true);
  if (isScalar(before)) {
    if (String(before.value) === String(value)) {
      return false;
    }
    // In place, so that a comment on the line stays.
    before.value = value;
    return true;
  }
  current.set(key, doc.createNode(value));
  return true;
}

/** Sets requests and limits on a map that holds `resources` (a container, or Helm values). */
function setResources(
  doc: Document,
  owner: YAMLMap,
  capacity: Capacity,
): boolean {
  const resources = owner.get('resources');
  if (!isMap(resources) || resources.items.length === 0) {
    // Absent or `resources: {}`: a block map, keeping the comments of the key.
    owner.set(
      'resources',
      doc.createNode({ requests: capacity.requests, limits: capacity.limits }),
    );
    return true;
  }
  let changed = false;
  for (const kind of ['requests', 'limits'] as const) {
    for (const resource of ['cpu', 'memory'] as const) {
      changed =
        setIn(
          doc,
          resources as YAMLMap,
          [kind, resource],
          capacity[kind][resource],
        ) || changed;
    }
  }
  return changed;
}

/** Reads requests and limits from a map that holds `resources`. */
function readResources(
  owner: unknown,
): Pick<ExistingCapacity, 'requests' | 'limits'> {
  const resources = isMap(owner) ? owner.get('resources') : undefined;
  const read = (kind: string) => {
    const map = isMap(resources) ? resources.get(kind) : undefined;
    return isMap(map) ? { cpu: map.get('cpu'), memory: map.get('memory') } : {};
  };
  return { requests: read('requests'), limits: read('limits') };
}

// --- Helm values ---

function readHelmValues(text: string | undefined): ExistingCapacity {
  if (text === undefined) {
    return {};
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || !isMap(doc.contents)) {
    return {};
  }
  const autoscaling = doc.get('autoscaling');
  const values = isMap(autoscaling) ? autoscaling : undefined;
  return {
    minReplicas: values?.get('minReplicas'),
    maxReplicas: values?.get('maxReplicas'),
    targetCpuUtilization: values?.get('targetCPUUtilizationPercentage'),
    ...readResources(doc.contents),
  };
}

/** Merges autoscaling (enabled) and resources into Helm values, keeping everything else. */
function mergeHelmValues(
  text: string,
  capacity: Capacity,
  fileName: string,
): string | MergeConflict {
  const doc = parseDocument(text);
  if (
    doc.errors.length > 0 ||
    (doc.contents !== null && !isMap(doc.contents))
  ) {
    return { conflict: `${fileName} is not a YAML mapping of values` };
  }
  if (doc.contents === null) {
    doc.contents = new YAMLMap() as any;
  }
  const values = doc.contents as unknown as YAMLMap;
  let changed = false;
  for (const [key, value] of [
    ['enabled', true],
    ['minReplicas', capacity.minReplicas],
    ['maxReplicas', capacity.maxReplicas],
    ['targetCPUUtilizationPercentage', capacity.targetCpuUtilization],
  ] as const) {
    changed = setIn(doc, values, ['autoscaling', key], value) || changed;
  }
  changed = setResources(doc, values, capacity) || changed;
  return changed ? doc.toString(yamlLayout(text)) : text;
}

/** The templates of a chart: whether one is an autoscaler, and the Deployment's name expression. */
async function readChartTemplates(
  files: WorkspaceFiles,
  chart: HelmChart,
): Promise<{
  hasAutoscaler: boolean;
  deploymentName?: string;
  rendersResources: boolean;
}> {
  let hasAutoscaler = false;
  let deploymentName: string | undefined;
  let rendersResources = false;
  const dir = inChart(chart, 'templates');
  for (const entry of await files.list(dir)) {
    const text = /\.(?:ya?ml|tpl)$/.test(entry)
      ? await files.read(`${dir}/${entry}`)
      : undefined;
    if (text === undefined) {
      continue;
    }
    hasAutoscaler ||=
      /^kind:[ \t]*["']?(?:HorizontalPodAutoscaler|ScaledObject)\b/m.test(text);
    rendersResources ||= /\.Values\.resources\b/.test(text);
    if (!deploymentName && /^kind:[ \t]*["']?Deployment\b/m.test(text)) {
      deploymentName = text.match(
        /^metadata:[ \t]*\r?\n(?:[ \t]+[^\n]*\n)*?[ \t]+name:[ \t]*(\S[^\n]*?)[ \t]*\r?$/m,
      )?.[1];
    }
  }
  return { hasAutoscaler, deploymentName, rendersResources };
}

// --- Kubernetes manifests ---

/** A HorizontalPodAutoscaler manifest for a Deployment, in `dir`. */
function hpaManifest(
  content: GoldenPathContent,
  dir: string,
  deploymentName: string,
  capacity: Capacity,
): string {
  return renderCapacity(content, 'capacity/hpa', {
    ...capacity,
    dir,
    deploymentName,
  }).content;
}

/** Renders the one file of a capacity content set. */
function renderCapacity(
  content: GoldenPathContent,
  set: string,
  values: Record<string, unknown>,
): RenderedFile {
  return content.set(set).render(values)[0];
}

/** The bounds and CPU target of an existing HPA manifest. */
function readHpa(text: string | undefined): ExistingCapacity {
  if (text === undefined) {
    return {};
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || !isMap(doc.contents)) {
    return {};
  }
  const metrics = doc.getIn(['spec', 'metrics']);
  const cpu = isSeq(metrics)
    ? (metrics as YAMLSeq).items.find(
        m => isMap(m) && (m as YAMLMap).getIn(['resource', 'name']) === 'cpu',
      )
    : undefined;
  return {
    minReplicas: doc.getIn(['spec', 'minReplicas']),
    maxReplicas: doc.getIn(['spec', 'maxReplicas']),
    targetCpuUtilization: isMap(cpu)
      ? (cpu as YAMLMap).getIn(['resource', 'target', 'averageUtilization'])
      : undefined,
  };
}

/** Sets the bounds and the CPU target of an existing HPA manifest, keeping everything else. */
function mergeHpa(
  text: string,
  capacity: Capacity,
  fileName: string,
): string | MergeConflict {
  const doc = parseDocument(text);
  if (
    doc.errors.length > 0 ||
    !isMap(doc.contents) ||
    doc.get('kind') !== 'HorizontalPodAutoscaler'
  ) {
    return {
      conflict: `${fileName} is not a HorizontalPodAutoscaler manifest`,
    };
  }
  const root = doc.contents as YAMLMap;
  let changed = setIn(doc, root, ['spec', 'minReplicas'], capacity.minReplicas);
  changed =
    setIn(doc, root, ['spec', 'maxReplicas'], capacity.maxReplicas) || changed;
  const metrics = doc.getIn(['spec', 'metrics']);
  const cpu = isSeq(metrics)
    ? ((metrics as YAMLSeq).items.find(
        m => isMap(m) && (m as YAMLMap).getIn(['resource', 'name']) === 'cpu',
      ) as YAMLMap | undefined)
    : undefined;
  if (cpu) {
    changed =
      setIn(
        doc,
        cpu,
        ['resource', 'target', 'averageUtilization'],
        capacity.targetCpuUtilization,
      ) || changed;
  } else {
    const metric = doc.createNode({
      type: 'Resource',
      resource: {
        name: 'cpu',
        target: {
          type: 'Utilization',
          averageUtilization: capacity.targetCpuUtilization,
        },
      },
    });
    if (isSeq(metrics)) {
      (metrics as YAMLSeq).add(metric);
    } else {
      setIn(doc, root, ['spec', 'metrics'], [metric.toJSON()]);
    }
    changed = true;
  }
  return changed ? doc.toString(yamlLayout(text)) : text;
}

/** The Deployment in a manifest file: its name and what its container requests. */
function readDeployment(
  text: string | undefined,
  fileName: string,
  serviceName: string,
): { name?: string } & ExistingCapacity {
  const docs = text === undefined ? [] : parseYamlDocuments(text, fileName);
  if (!Array.isArray(docs)) {
    return {};
  }
  const [found] = deploymentContainers(docs, serviceName);
  if (!found) {
    return {};
  }
  const name = found.deployment.getIn(['metadata', 'name']);
  return {
    name: typeof name === 'string' ? name : undefined,
    ...readResources(found.container),
  };
}

/**
 * Sets requests and limits on the service's container in the Deployment(s) of a manifest file,
 * and drops a fixed `replicas` (left as a comment), which would fight the autoscaler on every
 * apply.
 */
function mergeDeployment(
  text: string,
  capacity: Capacity,
  fileName: string,
  serviceName: string,
): string | MergeConflict {
  const docs = parseYamlDocuments(text, fileName);
  if (!Array.isArray(docs)) {
    return docs;
  }
  const deployments = deploymentContainers(docs, serviceName);
  if (deployments.length === 0) {
    return { conflict: `${fileName} defines no Deployment with a container` };
  }
  let changed = false;
  for (const { doc, deployment, container } of deployments) {
    changed = setResources(doc, container, capacity) || changed;
    const spec = deployment.get('spec');
    const index = isMap(spec)
      ? spec.items.findIndex(
          pair =>
            (isScalar(pair.key) ? pair.key.value : pair.key) === 'replicas',
        )
      : -1;
    if (isMap(spec) && index !== -1) {
      const [removed] = spec.items.splice(index, 1);
      const value = isScalar(removed.value)
        ? removed.value.value
        : removed.value;
      const next = spec.items[index] ?? spec.items[index - 1];
      if (next && isScalar(next.key)) {
        const earlier = isScalar(removed.key)
          ? removed.key.commentBefore
          : undefined;
        next.key.commentBefore = [
          earlier,
          next.key.commentBefore,
          ` replicas: ${value} removed by paved:capacity:add: the HorizontalPodAutoscaler sets the number of pods.`,
        ]
          .filter(Boolean)
          .join('\n');
      }
      changed = true;
    }
  }
  return stringifyYamlDocuments(docs, text, changed);
}

function readPatch(text: string | undefined): ExistingCapacity {
  if (text === undefined) {
    return {};
  }
  const doc = parseDocument(text);
  const containers = doc.getIn(['spec', 'template', 'spec', 'containers']);
  const first = isSeq(containers)
    ? (containers as YAMLSeq).items[0]
    : undefined;
  return readResources(first);
}

function mergePatch(
  text: string,
  capacity: Capacity,
  fileName: string,
): string | MergeConflict {
  const doc = parseDocument(text);
  const containers = doc.getIn(['spec', 'template', 'spec', 'containers']);
  const first = isSeq(containers)
    ? (containers as YAMLSeq).items[0]
    : undefined;
  if (doc.errors.length > 0 || !isMap(first)) {
    return {
      conflict: `${fileName} is not a patch of a Deployment's containers`,
    };
  }
  return setResources(doc, first as YAMLMap, capacity)
    ? doc.toString(yamlLayout(text))
    : text;
}

/** Adds a file to the `resources:` list of a kustomization, keeping everything else. */
function addKustomizeResource(
  text: string,
  resource: string,
  fileName: string,
): string | MergeConflict {
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || !isMap(doc.contents)) {
    return { conflict: `${fileName} is not a kustomization (a YAML mapping)` };
  }
  const resources = doc.get('resources');
  if (isSeq(resources)) {
    if (
      (resources as YAMLSeq).items.some(
        i => String((i as any)?.value ?? i) === resource,
      )
    ) {
      return text;
    }
    (resources as YAMLSeq).add(doc.createNode(resource));
  } else {
    doc.set('resources', doc.createNode([resource]));
  }
  return doc.toString(yamlLayout(text));
}

/**
 * Plans an edit of a file that exists (a kustomization, a Deployment manifest), for which the
 * action has no content of its own to write instead.
 *
 * @throws InputError naming the file when it cannot be edited
 */
function planEdit(
  files: WorkspaceFiles,
  path: string,
  current: string,
  edit: (text: string) => string | MergeConflict,
): void {
  const edited = edit(current);
  if (typeof edited !== 'string') {
    throw new InputError(`Cannot add capacity to ${path}: ${edited.conflict}`);
  }
  files.plan(path, edited, { merge: edit });
}

/** The files listed under `resources:` of a kustomization (not directories or URLs). */
function kustomizeResourceFiles(text: string | undefined): string[] {
  const resources = text ? parseDocument(text).get('resources') : undefined;
  return isSeq(resources)
    ? (resources as YAMLSeq).items
        .map(i => String((i as any)?.value ?? i))
        .filter(r => /\.ya?ml$/.test(r) && !r.includes('://'))
    : [];
}

// ---------------------------------------------------------------------------------------------
// The action
// ---------------------------------------------------------------------------------------------

type Target = 'helm' | 'kustomize' | 'manifests' | 'existing';

/**
 * Creates the `paved:capacity:add` action: autoscaling and resource requests
 * and limits for the service's Kubernetes deployment, so that the capacity
 * checks pass.
 *
 * Where it writes: a Helm chart (`charts/<name>` or another conventional
 * place) gets `autoscaling` (enabled, with the bounds and CPU target) and
 * `resources` merged into `values.yaml`, and `templates/hpa.yaml` when the
 * chart has no autoscaler template; a Kustomize base gets `hpa.yaml` (listed
 * in its kustomization) and the resources on the Deployment's container;
 * plain manifests get the same next to the Deployment; a service without any
 * gets `deploy/hpa.yaml` and a `deploy/resources-patch.yaml` patch. Values
 * given as inputs are written; absent inputs keep what the deployment already
 * has, else take the defaults (2–10 pods at 80% CPU; 100m/128Mi requested,
 * 500m/512Mi limit).
 *
 * @public
 */
export function createCapacityAddAction(
  options: CapacityAddActionOptions = {},
) {
  const setup = goldenPathSetup(options);

  return createTemplateAction({
    id: 'paved:capacity:add',
    description:
      "Adds autoscaling (a HorizontalPodAutoscaler with min and max replicas and a CPU target) and CPU and memory requests and limits to the service's Kubernetes deployment: merged into the Helm chart's values.yaml (plus templates/hpa.yaml when missing), into the Kustomize base, or next to plain manifests; deploy/hpa.yaml and a resources patch when there is no deployment yet.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: serviceNameInputSchema(
          'The service (its chart and Deployment name); default the only Component in catalog-info.yaml, else the name in package.json, pyproject.toml or go.mod',
        ),
        minReplicas: z =>
          z
            .number()
            .int()
            .optional()
            .describe(
              `The fewest pods (1-${MAX_REPLICAS}); default the deployment's, else ${DEFAULTS.minReplicas}`,
            ),
        maxReplicas: z =>
          z
            .number()
            .int()
            .optional()
            .describe(
              `The most pods (1-${MAX_REPLICAS}, at least minReplicas); default the deployment's, else ${DEFAULTS.maxReplicas}`,
            ),
        targetCpuUtilization: z =>
          z
            .number()
            .int()
            .optional()
            .describe(
              `The average CPU use, in percent of the CPU request (1-100), that the autoscaler keeps; default the deployment's, else ${DEFAULTS.targetCpuUtilization}`,
            ),
        cpuRequest: z =>
          z
            .string()
            .optional()
            .describe(
              `CPU requested per pod (Kubernetes quantity, such as 250m); default ${DEFAULTS.cpuRequest}`,
            ),
        memoryRequest: z =>
          z
            .string()
            .optional()
            .describe(
              `Memory requested per pod (such as 256Mi); default ${DEFAULTS.memoryRequest}`,
            ),
        cpuLimit: z =>
          z
            .string()
            .optional()
            .describe(
              `CPU limit per pod (at least the request); default ${DEFAULTS.cpuLimit}`,
            ),
        memoryLimit: z =>
          z
            .string()
            .optional()
            .describe(
              `Memory limit per pod (at least the request); default ${DEFAULTS.memoryLimit}`,
            ),
        ...commonInputSchema,
      },
      output: {
        target: z =>
          z
            .enum(['helm', 'kustomize', 'manifests', 'existing'])
            .describe(
              'Where capacity went: the Helm chart, the Kustomize base, plain manifests, or existing (the service already scales and sizes itself another way, such as serverless)',
            ),
        ...filesOutputSchema,
      },
    },
    async handler(ctx) {
      await runGoldenPathStep(ctx, setup, async step => {
        const { input, files, content } = step;

        // Every input is validated before anything is planned.
        const given: CapacityInput = {
          minReplicas:
            input.minReplicas !== undefined
              ? integerInput('minReplicas', input.minReplicas, 1, MAX_REPLICAS)
              : undefined,
          maxReplicas:
            input.maxReplicas !== undefined
              ? integerInput('maxReplicas', input.maxReplicas, 1, MAX_REPLICAS)
              : undefined,
          targetCpuUtilization:
            input.targetCpuUtilization !== undefined
              ? integerInput(
                  'targetCpuUtilization',
                  input.targetCpuUtilization,
                  1,
                  100,
                )
              : undefined,
          cpuRequest:
            input.cpuRequest !== undefined
              ? quantityInput('cpuRequest', 'cpu', input.cpuRequest)
              : undefined,
          memoryRequest:
            input.memoryRequest !== undefined
              ? quantityInput('memoryRequest', 'memory', input.memoryRequest)
              : undefined,
          cpuLimit:
            input.cpuLimit !== undefined
              ? quantityInput('cpuLimit', 'cpu', input.cpuLimit)
              : undefined,
          memoryLimit:
            input.memoryLimit !== undefined
              ? quantityInput('memoryLimit', 'memory', input.memoryLimit)
              : undefined,
        };
        const { serviceName } = await serviceComponent(files, input.name);
        const name = step.name() ?? validateServiceName(serviceName);

        let target: Target;
        const chart = await findHelmChart(files, name);
        const base = chart ? undefined : await findKustomizeBase(files);
        if (chart) {
          target = 'helm';
          const valuesPath = inChart(chart, 'values.yaml');
          const values = await files.read(valuesPath);
          const capacity = resolveCapacity(given, readHelmValues(values));
          files.plan(
            valuesPath,
            renderCapacity(content, 'capacity/helm-values', {
              ...capacity,
              chartDir: chart.dir,
            }).content,
            {
              merge: existing =>
                mergeHelmValues(existing, capacity, valuesPath),
            },
          );
          const templates = await readChartTemplates(files, chart);
          if (!templates.hasAutoscaler) {
            const deploymentName =
              templates.deploymentName ??
              (chart.fullnameTemplate
                ? `{{ include "${chart.fullnameTemplate}" . }}`
                : '{{ .Release.Name }}');
            planContentFiles(
              files,
              content
                .set('capacity/helm-hpa')
                .render({ chartDir: chart.dir, deploymentName }),
            );
          }
          if (!templates.rendersResources) {
            ctx.logger.warn(
              `No template of the chart ${chart.dir} renders .Values.resources: add \`resources: {{- toYaml .Values.resources | nindent 12 }}\` to its container`,
            );
          }
        } else if (base) {
          target = 'kustomize';
          const kustomization = await files.read(base.kustomization);
          let deploymentFile: string | undefined;
          let deployment: ReturnType<typeof readDeployment> = {};
          for (const resource of kustomizeResourceFiles(kustomization)) {
            const path = `${base.dir}/${resource}`;
            const read = readDeployment(await files.read(path), path, name);
            if (read.name !== undefined) {
              deploymentFile = path;
              deployment = read;
              break;
            }
          }
          const hpaPath = `${base.dir}/hpa.yaml`;
          const capacity = resolveCapacity(given, {
            ...readHpa(await files.read(hpaPath)),
            ...deployment,
          });
          planEdit(files, base.kustomization, kustomization!, existing =>
            addKustomizeResource(existing, 'hpa.yaml', base.kustomization),
          );
          files.plan(
            hpaPath,
            hpaManifest(content, base.dir, deployment.name ?? name, capacity),
            { merge: existing => mergeHpa(existing, capacity, hpaPath) },
          );
          if (deploymentFile) {
            const file = deploymentFile;
            planEdit(files, file, (await files.read(file))!, existing =>
              mergeDeployment(existing, capacity, file, name),
            );
          } else {
            ctx.logger.warn(
              `${base.kustomization} lists no Deployment manifest: set the container's resources yourself`,
            );
          }
        } else {
          const manifest = await findDeploymentManifest(files, name);
          if (manifest) {
            target = 'manifests';
            const deployment = readDeployment(
              await files.read(manifest),
              manifest,
              name,
            );
            const dir = manifest.includes('/')
              ? manifest.slice(0, manifest.lastIndexOf('/'))
              : '.';
            const hpaPath = dir === '.' ? 'hpa.yaml' : `${dir}/hpa.yaml`;
            const capacity = resolveCapacity(given, {
              ...readHpa(await files.read(hpaPath)),
              ...deployment,
            });
            planEdit(files, manifest, (await files.read(manifest))!, existing =>
              mergeDeployment(existing, capacity, manifest, name),
            );
            files.plan(
              hpaPath,
              hpaManifest(content, dir, deployment.name ?? name, capacity),
              { merge: existing => mergeHpa(existing, capacity, hpaPath) },
            );
          } else {
            const hpaPath = 'deploy/hpa.yaml';
            const patchPath = 'deploy/resources-patch.yaml';
            const evidence = await checkWorkspace(files, {
              without: [hpaPath, patchPath],
            });
            if (
              passes(evidence, 'capacity.autoscaling') &&
              passes(evidence, 'capacity.resources')
            ) {
              target = 'existing';
              ctx.logger.info(
                `The service already scales and sizes itself: ${
                  evidence.get('capacity.autoscaling')!.message
                } ${evidence.get('capacity.resources')!.message}`,
              );
            } else {
              target = 'manifests';
              const capacity = resolveCapacity(given, {
                ...readHpa(await files.read(hpaPath)),
                ...readPatch(await files.read(patchPath)),
              });
              files.plan(
                hpaPath,
                hpaManifest(content, 'deploy', name, capacity),
                {
                  merge: existing => mergeHpa(existing, capacity, hpaPath),
                },
              );
              files.plan(
                patchPath,
                renderCapacity(content, 'capacity/resources-patch', {
                  ...capacity,
                  name,
                }).content,
                {
                  merge: existing => mergePatch(existing, capacity, patchPath),
                },
              );
            }
          }
        }

        return { target };
      });
    },
  });
}
