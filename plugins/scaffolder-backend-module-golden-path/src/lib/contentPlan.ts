import { isMap, isSeq, parseDocument } from 'yaml';
import type { RenderedFile } from './content';
import { addNpmDependencies } from './dependencyManifests';
import { setJsonValue } from './jsonEdit';
import type { MergeConflict, PlanOptions, WorkspaceFiles } from './workspace';

/** Options of {@link planContentFiles}. */
export type PlanContentOptions = {
  /**
   * For `runbook-section` files: whether the existing runbook already has the section, as the
   * check that reads it decides; default: it has a heading equal to our first `##` heading.
   */
  hasSection?: (existing: string) => boolean;
};

/**
 * Plans rendered content files with the merge of their manifest mode. `pipeline-jobs` files
 * need the jobs the checks do not find yet (the action plans them with `planPipelineJobs`) and
 * `by-action` files a merge of the action's own: passing either here is an error.
 *
 * @internal
 */
export function planContentFiles(
  files: WorkspaceFiles,
  rendered: readonly RenderedFile[],
  options: PlanContentOptions = {},
): void {
  for (const file of rendered) {
    files.plan(file.path, file.content, {
      ...contentMerge(file, options),
      content: { set: file.set, values: file.values },
    });
  }
}

/** The plan options of one rendered file, by its merge mode. */
export function contentMerge(
  file: RenderedFile,
  options: PlanContentOptions = {},
): PlanOptions {
  const { path, content } = file;
  switch (file.merge) {
    case 'create-only':
      return { merge: existing => existing };
    case 'keep-if-present':
      return { keepReason: file.reason ?? `kept the existing ${path}` };
    case 'yaml-merge':
      return {
        merge: existing => mergeYamlTopLevelKeys(existing, content, path),
      };
    case 'json-merge':
      return { merge: existing => mergeJsonKeys(existing, content, path) };
    case 'npm-dependencies':
      return { merge: existing => mergeNpmDependencies(existing, content) };
    case 'npm-test-script':
      return { merge: existing => mergeNpmTestScript(existing, content, path) };
    case 'lines':
      return { merge: existing => mergeLines(existing, content) };
    case 'dependabot-updates':
      return {
        merge: existing => mergeDependabotUpdates(existing, content, path),
      };
    case 'runbook-section':
      return {
        merge: existing => {
          const section = runbookSection(content);
          const has =
            options.hasSection ??
            ((text: string) => hasHeading(text, firstHeading(section)));
          return has(existing) ? existing : appendSection(existing, section);
        },
      };
    case 'pipeline-jobs':
    case 'by-action':
    default:
      throw new Error(
        `${file.source}: ${file.merge} files are planned by the action itself`,
      );
  }
}

/**
 * Adds the top-level keys of `ours` that the existing YAML mapping lacks, keeping everything
 * the existing file has (order, comments).
 *
 * @internal
 */
export function mergeYamlTopLevelKeys(
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

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Adds the keys the existing JSON object lacks, and one level below in objects both have. */
function mergeJsonKeys(
  existing: string,
  ours: string,
  fileName: string,
): string | MergeConflict {
  let current: unknown;
  try {
    current = JSON.parse(existing);
  } catch {
    return { conflict: `${fileName} is not valid JSON` };
  }
  if (!isObject(current)) {
    return { conflict: `${fileName} is not a JSON object` };
  }
  let text = existing;
  for (const [key, value] of Object.entries(JSON.parse(ours))) {
    if (!(key in current)) {
      text = setJsonValue(text, [key], value);
    } else if (isObject(current[key]) && isObject(value)) {
      const inner = current[key] as Record<string, unknown>;
      for (const [innerKey, innerValue] of Object.entries(value)) {
        if (!(innerKey in inner)) {
          text = setJsonValue(text, [key, innerKey], innerValue);
        }
      }
    }
  }
  return text;
}

/** Adds the dependencies and devDependencies of our package.json to the existing one. */
function mergeNpmDependencies(
  existing: string,
  ours: string,
): string | MergeConflict {
  const manifest = JSON.parse(ours);
  let text = existing;
  for (const section of ['dependencies', 'devDependencies'] as const) {
    if (manifest[section]) {
      const merged = addNpmDependencies(text, manifest[section], section);
      if (typeof merged !== 'string') {
        return merged;
      }
      text = merged;
    }
  }
  return text;
}

/** npm's placeholder test script, which always fails. */
const NPM_PLACEHOLDER_TEST = /no test specified/;

/** Sets our `scripts.test` when the existing package.json has no real test script. */
function mergeNpmTestScript(
  existing: string,
  ours: string,
  fileName: string,
): string | MergeConflict {
  let manifest: unknown;
  try {
    manifest = JSON.parse(existing);
  } catch {
    return { conflict: `${fileName} is not valid JSON` };
  }
  const scripts = isObject(manifest) ? manifest.scripts : undefined;
  const current = isObject(scripts) ? scripts.test : undefined;
  const test = JSON.parse(ours)?.scripts?.test;
  if (
    !isObject(manifest) ||
    (scripts !== undefined && !isObject(scripts)) ||
    typeof test !== 'string' ||
    (typeof current === 'string' && !NPM_PLACEHOLDER_TEST.test(current))
  ) {
    return existing;
  }
  return setJsonValue(existing, ['scripts', 'test'], test);
}

/** Appends the lines of ours that the existing file lacks. */
function mergeLines(existing: string, ours: string): string {
  const present = new Set(existing.split(/\r?\n/).map(l => l.trim()));
  const missing = ours
    .split(/\r?\n/)
    .filter(l => l.trim() !== '' && !present.has(l.trim()));
  if (missing.length === 0) {
    return existing;
  }
  const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
  return `${existing}${separator}${missing.join('\n')}\n`;
}

/** Adds the `updates` entries (by ecosystem and directory) that the existing config lacks. */
function mergeDependabotUpdates(
  existing: string,
  ours: string,
  fileName: string,
): string | MergeConflict {
  const doc = parseDocument(existing);
  const updates = doc.get('updates');
  if (doc.errors.length > 0 || !isMap(doc.contents) || !isSeq(updates)) {
    return {
      conflict: `${fileName} is not a Dependabot config with an updates list`,
    };
  }
  const key = (update: unknown) => {
    const u = isObject(update) ? update : {};
    return `${u['package-ecosystem']}@${
      String(u.directory ?? '/').replace(/\/+$/, '') || '/'
    }`;
  };
  const present = new Set((updates.toJSON() as unknown[]).map(key));
  const add = (parseDocument(ours).toJS().updates as unknown[]).filter(
    u => !present.has(key(u)),
  );
  if (add.length === 0) {
    return existing;
  }
  for (const update of add) {
    updates.add(doc.createNode(update));
  }
  return doc.toString({ lineWidth: 0 });
}

/** Our runbook from its first level-2 heading on: the section appended to a runbook. */
function runbookSection(content: string): string {
  const index = content.search(/^## /m);
  return index < 0 ? content : content.slice(index);
}

function firstHeading(section: string): string {
  return /^##[ \t]+(.+)$/m.exec(section)?.[1].trim() ?? '';
}

function hasHeading(text: string, heading: string): boolean {
  return text
    .split('\n')
    .some(
      line =>
        /^#{1,6}[ \t]/.test(line) &&
        line.replace(/^#+/, '').trim().toLowerCase() === heading.toLowerCase(),
    );
}

function appendSection(existing: string, section: string): string {
  const trailingNewlines =
    existing.length - existing.replace(/\n+$/, '').length;
  const separator = '\n'.repeat(Math.max(0, 2 - trailingNewlines));
  return `${existing}${separator}${section}`;
}
