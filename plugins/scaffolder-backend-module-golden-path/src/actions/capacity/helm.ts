import { isMap, parseDocument } from 'yaml';
import { HelmChart, inChart, yamlLayout } from '../../lib/deployTargets';
import { planContentFiles } from '../../lib/contentPlan';
import type { MergeConflict, WorkspaceFiles } from '../../lib/workspace';
import {
  Capacity,
  CapacityInput,
  CapacityStep,
  ExistingCapacity,
  resolveCapacity,
} from './capacity';
import { renderCapacity } from './kubernetes';
import { readResources, setIn, setResources } from './resources';
import { rootMap } from '../../lib/yamlNodes';

/** The autoscaling bounds and target and the resources of Helm values. */
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
  const values = rootMap(doc)!;
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

/**
 * Plans the capacity of a Helm chart: `autoscaling` and `resources` merged into its
 * `values.yaml`, and `templates/hpa.yaml` when no template of the chart is an autoscaler.
 */
export async function planHelmCapacity(
  step: CapacityStep,
  chart: HelmChart,
  given: CapacityInput,
): Promise<void> {
  const { files, content } = step;
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
      merge: existing => mergeHelmValues(existing, capacity, valuesPath),
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
    step.logger.warn(
      `No template of the chart ${chart.dir} renders .Values.resources: add \`resources: {{- toYaml .Values.resources | nindent 12 }}\` to its container`,
    );
  }
}
