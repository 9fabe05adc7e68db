import { InputError } from '@backstage/errors';
import { isMap, isScalar, isSeq, parseDocument, YAMLMap } from 'yaml';
import type { GoldenPathContent, RenderedFile } from '../../lib/content';
import {
  deploymentContainers,
  parseYamlDocuments,
  stringifyYamlDocuments,
  yamlLayout,
} from '../../lib/deployTargets';
import type { MergeConflict, WorkspaceFiles } from '../../lib/workspace';
import type { Capacity, ExistingCapacity } from './capacity';
import { readResources, setIn, setResources } from './resources';

/*
 * The Kubernetes objects paved:capacity:add reads and edits in a Kustomize base or plain
 * manifests: the HorizontalPodAutoscaler and the service's Deployment.
 */

/** A HorizontalPodAutoscaler manifest for a Deployment, in `dir`. */
export function hpaManifest(
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
export function renderCapacity(
  content: GoldenPathContent,
  set: string,
  values: Record<string, unknown>,
): RenderedFile {
  return content.set(set).render(values)[0];
}

/** The bounds and CPU target of an existing HPA manifest. */
export function readHpa(text: string | undefined): ExistingCapacity {
  if (text === undefined) {
    return {};
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || !isMap(doc.contents)) {
    return {};
  }
  const metrics = doc.getIn(['spec', 'metrics']);
  const cpu = isSeq(metrics)
    ? metrics.items.find(
        m => isMap(m) && m.getIn(['resource', 'name']) === 'cpu',
      )
    : undefined;
  return {
    minReplicas: doc.getIn(['spec', 'minReplicas']),
    maxReplicas: doc.getIn(['spec', 'maxReplicas']),
    targetCpuUtilization: isMap(cpu)
      ? cpu.getIn(['resource', 'target', 'averageUtilization'])
      : undefined,
  };
}

/** Sets the bounds and the CPU target of an existing HPA manifest, keeping everything else. */
export function mergeHpa(
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
    ? (metrics.items.find(
        m => isMap(m) && m.getIn(['resource', 'name']) === 'cpu',
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
      metrics.add(metric);
    } else {
      setIn(doc, root, ['spec', 'metrics'], [metric.toJSON()]);
    }
    changed = true;
  }
  return changed ? doc.toString(yamlLayout(text)) : text;
}

/** The Deployment in a manifest file: its name and what its container requests. */
export function readDeployment(
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
export function mergeDeployment(
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

/**
 * Plans an edit of a file that exists (a kustomization, a Deployment manifest), for which the
 * action has no content of its own to write instead.
 *
 * @throws InputError naming the file when it cannot be edited
 */
export function planEdit(
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
