import { isMap, isSeq, parseDocument } from 'yaml';
import { yamlLayout } from '../../lib/deployTargets';
import type { MergeConflict } from '../../lib/workspace';
import { CapacityInput, CapacityStep, resolveCapacity } from './capacity';
import {
  hpaManifest,
  mergeDeployment,
  mergeHpa,
  planEdit,
  readDeployment,
  readHpa,
} from './kubernetes';
import { scalarValue, sequenceStrings } from '../../lib/yamlNodes';

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
    if (sequenceStrings(resources).includes(resource)) {
      return text;
    }
    resources.add(doc.createNode(resource));
  } else {
    doc.set('resources', doc.createNode([resource]));
  }
  return doc.toString(yamlLayout(text));
}

/** The files listed under `resources:` of a kustomization (not directories or URLs). */
function kustomizeResourceFiles(text: string | undefined): string[] {
  const resources = text ? parseDocument(text).get('resources') : undefined;
  return isSeq(resources)
    ? resources.items
        .map(i => String(scalarValue(i)))
        .filter(r => /\.ya?ml$/.test(r) && !r.includes('://'))
    : [];
}

// ---------------------------------------------------------------------------------------------
// The action
// ---------------------------------------------------------------------------------------------

/**
 * Plans the capacity of a Kustomize base: `hpa.yaml` listed in its kustomization, and the
 * requests and limits on the container of the Deployment it lists.
 */
export async function planKustomizeCapacity(
  step: CapacityStep,
  base: { dir: string; kustomization: string },
  name: string,
  given: CapacityInput,
): Promise<void> {
  const { files, content } = step;
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
    step.logger.warn(
      `${base.kustomization} lists no Deployment manifest: set the container's resources yourself`,
    );
  }
}
