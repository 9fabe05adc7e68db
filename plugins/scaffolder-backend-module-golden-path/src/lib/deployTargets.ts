/*
 * Where a service's Kubernetes deployment is defined — its Helm chart, its Kustomize base or
 * plain manifests — for the actions that add to a deployment (`paved:capacity:add`,
 * `paved:data:add`). They look first where `paved:deploy:add` writes (`lib/layout.ts`), then
 * where charts and manifests conventionally live in an existing repository.
 */
import {
  Document,
  isMap,
  isSeq,
  parseAllDocuments,
  parseDocument,
  YAMLMap,
  YAMLSeq,
} from 'yaml';
import { helmChartDir, KUSTOMIZE_BASE_DIR } from './layout';
import type { MergeConflict, WorkspaceFiles } from './workspace';

/**
 * A Helm chart of the service.
 *
 * @internal
 */
export type HelmChart = {
  /** The chart directory, relative to the service directory (`.` for a chart at the root). */
  dir: string;
  /** `name` in Chart.yaml. */
  name: string;
  /**
   * The name of the chart's `<prefix>.fullname` template in `templates/_helpers.tpl`, when it
   * defines one (as `helm create` and `paved:deploy:add` do), for naming new objects like the
   * chart's own.
   */
  fullnameTemplate?: string;
};

/** Where charts conventionally live, after `charts/<name>` and the only chart under `charts/`. */
const OTHER_CHART_DIRS = ['chart', 'helm', 'deploy/helm', 'deploy/chart', '.'];

/**
 * The path of a file in a chart directory (`values.yaml` of `.` is `values.yaml`).
 *
 * @internal
 */
export function inChart(chart: HelmChart, file: string): string {
  return chart.dir === '.' ? file : `${chart.dir}/${file}`;
}

/**
 * The service's Helm chart: `charts/<name>` (where `paved:deploy:add` writes it), else the only
 * chart under `charts/`, else a chart in `chart/`, `helm/`, `helm/<name>`, `deploy/helm`,
 * `deploy/chart` or the service directory itself.
 *
 * @returns the chart, or `undefined` when there is none
 * @internal
 */
export async function findHelmChart(
  files: WorkspaceFiles,
  serviceName: string,
): Promise<HelmChart | undefined> {
  const candidates = [helmChartDir(serviceName)];
  const charts = [];
  for (const entry of await files.list('charts')) {
    if (await files.exists(`charts/${entry}/Chart.yaml`)) {
      charts.push(`charts/${entry}`);
    }
  }
  if (charts.length === 1) {
    candidates.push(charts[0]);
  }
  candidates.push(...OTHER_CHART_DIRS.slice(0, 2), `helm/${serviceName}`);
  candidates.push(...OTHER_CHART_DIRS.slice(2));
  for (const dir of candidates) {
    const chartYaml = await files.read(
      dir === '.' ? 'Chart.yaml' : `${dir}/Chart.yaml`,
    );
    if (chartYaml === undefined) {
      continue;
    }
    const name = parseDocument(chartYaml).get('name');
    const chart: HelmChart = {
      dir,
      name: typeof name === 'string' ? name : serviceName,
    };
    const helpers = await files.read(inChart(chart, 'templates/_helpers.tpl'));
    const fullname = helpers?.match(/define\s+"([^"]+)\.fullname"/)?.[1];
    if (fullname) {
      chart.fullnameTemplate = `${fullname}.fullname`;
    }
    return chart;
  }
  return undefined;
}

/** Kustomize bases, in the order looked at. */
const KUSTOMIZE_BASE_DIRS = [
  KUSTOMIZE_BASE_DIR,
  'k8s/base',
  'kubernetes/base',
  'kustomize/base',
  'manifests/base',
  'base',
];

/**
 * The service's Kustomize base: `deploy/base` (where `paved:deploy:add` writes it) or
 * `k8s/base`, `kubernetes/base`, `kustomize/base`, `manifests/base`, `base`.
 *
 * @returns the base directory and its kustomization file, or `undefined`
 * @internal
 */
export async function findKustomizeBase(
  files: WorkspaceFiles,
): Promise<{ dir: string; kustomization: string } | undefined> {
  for (const dir of KUSTOMIZE_BASE_DIRS) {
    for (const file of ['kustomization.yaml', 'kustomization.yml']) {
      if (await files.exists(`${dir}/${file}`)) {
        return { dir, kustomization: `${dir}/${file}` };
      }
    }
  }
  return undefined;
}

/**
 * Parses a YAML file that may hold several documents, or returns why it cannot be edited.
 *
 * @internal
 */
export function parseYamlDocuments(
  text: string,
  fileName: string,
): Document[] | MergeConflict {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) {
    return [];
  }
  const error = docs.flatMap(d => d.errors)[0];
  if (error) {
    return {
      conflict: `${fileName} is not valid YAML (${
        error.message.split('\n')[0]
      })`,
    };
  }
  return docs;
}

/**
 * Options for `Document.toString` that keep the layout of the file the document was parsed
 * from where the `yaml` package would otherwise normalise it: the indentation width, whether
 * block sequences are indented under their key, and spaces inside flow collections
 * (`[ALL]` or `[ ALL ]`). Lines are never folded.
 *
 * @internal
 */
export function yamlLayout(original: string): {
  indent: number;
  indentSeq: boolean;
  flowCollectionPadding: boolean;
  lineWidth: number;
} {
  const indent =
    /^[^\s#-][^\n]*:[ \t]*\r?\n( +)[^\s-]/m.exec(original)?.[1].length ?? 2;
  const seq = /^( *)[^\s#-][^\n]*:[ \t]*\r?\n( *)- /m.exec(original);
  return {
    indent: indent >= 1 && indent <= 8 ? indent : 2,
    indentSeq: seq ? seq[2].length > seq[1].length : true,
    flowCollectionPadding: /[[{] +[^\s\]}]/.test(original)
      ? true
      : !/[[{][^\s\]}]/.test(original),
    lineWidth: 0,
  };
}

/**
 * The text of edited YAML documents, or `original` when none changed (so that an edit that
 * changes nothing keeps the file byte for byte).
 *
 * @internal
 */
export function stringifyYamlDocuments(
  docs: Document[],
  original: string,
  changed: boolean,
): string {
  if (!changed) {
    return original;
  }
  const layout = yamlLayout(original);
  return docs
    .map((doc, index) => {
      if (index > 0) {
        doc.directives!.docStart = true;
      }
      return doc.toString(layout);
    })
    .join('');
}

/**
 * The Deployment documents of a manifest file, with the container of the service in each: the
 * container named like the service, else the first.
 *
 * @internal
 */
export function deploymentContainers(
  docs: Document[],
  serviceName: string,
): Array<{ doc: Document; deployment: YAMLMap; container: YAMLMap }> {
  const found = [];
  for (const doc of docs) {
    if (!isMap(doc.contents) || doc.get('kind') !== 'Deployment') {
      continue;
    }
    const containers = doc.getIn(['spec', 'template', 'spec', 'containers']);
    if (!isSeq(containers)) {
      continue;
    }
    const maps = (containers as YAMLSeq).items.filter(isMap) as YAMLMap[];
    const container = maps.find(c => c.get('name') === serviceName) ?? maps[0];
    if (container) {
      found.push({ doc, deployment: doc.contents as YAMLMap, container });
    }
  }
  return found;
}

/** Directories where plain Kubernetes manifests conventionally live. */
const MANIFEST_DIRS = ['deploy', 'k8s', 'kubernetes', 'manifests', 'kube', '.'];

/**
 * The first plain manifest file (not a Helm template, not in a Kustomize overlay) that defines
 * a Deployment of the service: a YAML file directly in `deploy/`, `k8s/`, `kubernetes/`,
 * `manifests/`, `kube/` or the service directory, holding a `kind: Deployment` named like the
 * service (or the only Deployment found).
 *
 * @internal
 */
export async function findDeploymentManifest(
  files: WorkspaceFiles,
  serviceName: string,
): Promise<string | undefined> {
  const deployments: Array<{ path: string; name: unknown }> = [];
  for (const dir of MANIFEST_DIRS) {
    for (const entry of await files.list(dir)) {
      if (!/\.ya?ml$/.test(entry)) {
        continue;
      }
      const path = dir === '.' ? entry : `${dir}/${entry}`;
      const text = await files.read(path);
      if (text === undefined || !/^kind:[ \t]*["']?Deployment\b/m.test(text)) {
        continue;
      }
      const docs = parseYamlDocuments(text, path);
      if (!Array.isArray(docs)) {
        continue;
      }
      for (const doc of docs) {
        if (isMap(doc.contents) && doc.get('kind') === 'Deployment') {
          deployments.push({ path, name: doc.getIn(['metadata', 'name']) });
        }
      }
    }
  }
  return (
    deployments.find(d => d.name === serviceName)?.path ??
    (deployments.length === 1 ? deployments[0].path : undefined)
  );
}
