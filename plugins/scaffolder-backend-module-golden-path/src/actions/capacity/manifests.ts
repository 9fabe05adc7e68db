import { isMap, isSeq, parseDocument, YAMLMap } from 'yaml';
import { yamlLayout } from '../../lib/deployTargets';
import { checkWorkspace, passes } from '../../lib/evidence';
import type { MergeConflict } from '../../lib/workspace';
import {
  Capacity,
  CapacityInput,
  CapacityStep,
  ExistingCapacity,
  resolveCapacity,
} from './capacity';
import {
  hpaManifest,
  mergeDeployment,
  mergeHpa,
  planEdit,
  readDeployment,
  readHpa,
  renderCapacity,
} from './kubernetes';
import { readResources, setResources } from './resources';

/** The requests and limits of the resources patch the action writes. */
function readPatch(text: string | undefined): ExistingCapacity {
  if (text === undefined) {
    return {};
  }
  const doc = parseDocument(text);
  const containers = doc.getIn(['spec', 'template', 'spec', 'containers']);
  const first = isSeq(containers) ? containers.items[0] : undefined;
  return readResources(first);
}

/** Sets the requests and limits in the resources patch, keeping everything else. */
function mergePatch(
  text: string,
  capacity: Capacity,
  fileName: string,
): string | MergeConflict {
  const doc = parseDocument(text);
  const containers = doc.getIn(['spec', 'template', 'spec', 'containers']);
  const first = isSeq(containers) ? containers.items[0] : undefined;
  if (doc.errors.length > 0 || !isMap(first)) {
    return {
      conflict: `${fileName} is not a patch of a Deployment's containers`,
    };
  }
  return setResources(doc, first as YAMLMap, capacity)
    ? doc.toString(yamlLayout(text))
    : text;
}

/**
 * Plans the capacity of plain manifests: the requests and limits on the Deployment of
 * `manifest`, and `hpa.yaml` beside it.
 */
export async function planManifestsCapacity(
  step: CapacityStep,
  manifest: string,
  name: string,
  given: CapacityInput,
): Promise<void> {
  const { files, content } = step;
  const deployment = readDeployment(await files.read(manifest), manifest, name);
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
}

/**
 * Plans the capacity of a service without a deployment the action can edit: `deploy/hpa.yaml`
 * and a `deploy/resources-patch.yaml` patch, unless the capacity checks already pass (the
 * service scales and sizes itself another way).
 *
 * @returns `existing` when the checks pass and nothing is planned, else `manifests`
 */
export async function planNewCapacity(
  step: CapacityStep,
  name: string,
  given: CapacityInput,
): Promise<'existing' | 'manifests'> {
  const { files, content } = step;
  const hpaPath = 'deploy/hpa.yaml';
  const patchPath = 'deploy/resources-patch.yaml';
  const evidence = await checkWorkspace(files, {
    without: [hpaPath, patchPath],
  });
  if (
    passes(evidence, 'capacity.autoscaling') &&
    passes(evidence, 'capacity.resources')
  ) {
    step.logger.info(
      `The service already scales and sizes itself: ${
        evidence.get('capacity.autoscaling')!.message
      } ${evidence.get('capacity.resources')!.message}`,
    );
    return 'existing';
  }
  const capacity = resolveCapacity(given, {
    ...readHpa(await files.read(hpaPath)),
    ...readPatch(await files.read(patchPath)),
  });
  files.plan(hpaPath, hpaManifest(content, 'deploy', name, capacity), {
    merge: existing => mergeHpa(existing, capacity, hpaPath),
  });
  files.plan(
    patchPath,
    renderCapacity(content, 'capacity/resources-patch', {
      ...capacity,
      name,
    }).content,
    { merge: existing => mergePatch(existing, capacity, patchPath) },
  );
  return 'manifests';
}
