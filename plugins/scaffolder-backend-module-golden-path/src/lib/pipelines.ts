import { Document, isMap, isScalar, isSeq, parseDocument, YAMLMap } from 'yaml';
import { checkWorkspace, passes } from './evidence';
import type { CiProvider } from './stacks';
import type { MergeConflict, WorkspaceFiles } from './workspace';

/**
 * The pipeline file `paved:*` actions add jobs to, per CI provider. GitHub
 * Actions workflows are separate files; GitLab CI has one root file.
 *
 * @internal
 */
export const GITLAB_CI_FILE = '.gitlab-ci.yml';

/**
 * GitLab CI stages in the order the golden paths use them. A stage the
 * user's file lacks is inserted after the nearest earlier stage it has.
 */
const STAGE_ORDER = [
  'build',
  'test',
  'publish',
  'deploy',
  'release',
  'rollback',
];

/** GitLab's stages when a file declares none. */
const GITLAB_DEFAULT_STAGES = ['build', 'test', 'deploy'];

/** Top-level GitLab CI keys that are not jobs. */
const GITLAB_GLOBAL_KEYS = new Set([
  'stages',
  'variables',
  'workflow',
  'default',
  'include',
  'image',
  'services',
  'cache',
  'before_script',
  'after_script',
]);

/**
 * Adds the jobs of `addition` (a pipeline file of the same provider) that
 * `existing` does not have yet, keeping everything in `existing` (jobs,
 * keys, order, comments). A job whose id exists is left as the user wrote
 * it. For GitLab CI, the stages of the added jobs are inserted into
 * `stages:` in pipeline order.
 *
 * @returns the merged text (the existing text when nothing is added), or a
 *   {@link MergeConflict} when `existing` is not a YAML mapping
 * @internal
 */
export function mergePipelineJobs(
  existing: string,
  addition: string,
  provider: CiProvider,
  fileName: string,
): string | MergeConflict {
  const doc: Document = parseDocument(existing);
  if (
    doc.errors.length > 0 ||
    (doc.contents !== null && !isMap(doc.contents))
  ) {
    return {
      conflict: `${fileName} is not a valid pipeline file (a YAML mapping)`,
    };
  }
  const add = parseDocument(addition);
  if (doc.contents === null) {
    doc.contents = new YAMLMap();
  }
  let changed = false;
  if (provider === 'github-actions') {
    if (!isMap(doc.get('jobs'))) {
      doc.set('jobs', new YAMLMap());
    }
    const jobs = doc.get('jobs') as YAMLMap;
    for (const pair of (add.get('jobs') as YAMLMap).items) {
      if (!jobs.has(pair.key)) {
        jobs.items.push(doc.createPair(keyOf(pair.key), pair.value));
        changed = true;
      }
    }
  } else {
    const root = doc.contents as YAMLMap;
    const addedStages: string[] = [];
    for (const pair of (add.contents as YAMLMap).items) {
      const key = keyOf(pair.key);
      if (GITLAB_GLOBAL_KEYS.has(key) || root.has(key)) {
        continue;
      }
      root.items.push(doc.createPair(key, pair.value));
      const stage = isMap(pair.value) ? pair.value.get('stage') : undefined;
      if (typeof stage === 'string') {
        addedStages.push(stage);
      }
      changed = true;
    }
    if (addedStages.length > 0) {
      changed = mergeStages(doc, addedStages) || changed;
    }
  }
  return changed ? doc.toString({ lineWidth: 0 }) : existing;
}

function keyOf(key: unknown): string {
  return String(isScalar(key) ? key.value : key);
}

function mergeStages(doc: Document, added: string[]): boolean {
  const current = doc.get('stages');
  const stages: string[] = isSeq(current)
    ? current.items.map(item => keyOf(item))
    : [...GITLAB_DEFAULT_STAGES];
  let changed = !isSeq(current);
  for (const stage of added) {
    if (stages.includes(stage)) {
      continue;
    }
    const rank = STAGE_ORDER.indexOf(stage);
    let index = stages.length;
    for (let i = stages.length - 1; i >= 0; i--) {
      const other = STAGE_ORDER.indexOf(stages[i]);
      if (other !== -1 && rank !== -1 && other < rank) {
        index = i + 1;
        break;
      }
      if (other !== -1 && rank !== -1 && other > rank) {
        index = i;
      }
    }
    stages.splice(index, 0, stage);
    changed = true;
  }
  if (changed) {
    if (isSeq(current)) {
      current.items = stages.map(s => doc.createNode(s));
    } else {
      // A new `stages:` goes first, where GitLab users expect it.
      const root = doc.contents as YAMLMap;
      root.items.unshift(doc.createPair('stages', stages));
    }
  }
  return changed;
}

/**
 * A job a capability action may add to a pipeline file, with the check it
 * makes pass.
 *
 * @internal
 */
export type PipelineJob = {
  /** The job id in the pipeline file. */
  id: string;
  /**
   * The check that decides whether the job is needed, such as `build.tests`;
   * without one, the job is always added (when its id is not taken).
   */
  check?: string;
};

/**
 * Options of {@link planPipelineJobs}.
 *
 * @internal
 */
export type PlanPipelineJobsOptions = {
  /** The pipeline file, relative to the service directory. */
  target: string;
  provider: CiProvider;
  /** The jobs the action can add, in file order. */
  jobs: readonly PipelineJob[];
  /** Renders the whole pipeline file holding exactly the given jobs. */
  render: (jobIds: string[]) => string;
  /** Other files the action writes, left out of the evidence. */
  without?: readonly string[];
  /** Files the action will add (such as a starter test), added to the evidence. */
  add?: Readonly<Record<string, string>>;
};

/**
 * Plans the pipeline jobs whose checks do not pass yet, so that an action
 * adds only what is missing and recognises every way the user may already
 * meet a check (another workflow, another CI system, a script).
 *
 * The need for a job is decided without the target file, so that a second
 * run decides the same as the first; jobs are then merged into an existing
 * target only when the target itself does not already make the check pass.
 *
 * @returns the ids of the jobs planned (empty when nothing is needed, in
 *   which case the file is not planned) and the checks that already passed,
 *   with their messages
 * @internal
 */
export async function planPipelineJobs(
  files: WorkspaceFiles,
  options: PlanPipelineJobsOptions,
): Promise<{ jobs: string[]; alreadyMet: Record<string, string> }> {
  const before = await checkWorkspace(files, {
    without: [options.target, ...(options.without ?? [])],
    add: options.add,
  });
  const alreadyMet: Record<string, string> = {};
  const needed = options.jobs.filter(job => {
    if (job.check && passes(before, job.check)) {
      alreadyMet[job.check] = before.get(job.check)!.message;
      return false;
    }
    return true;
  });
  if (needed.length === 0) {
    return { jobs: [], alreadyMet };
  }
  const ids = needed.map(j => j.id);
  const existing = await files.read(options.target);
  let toMerge = ids;
  if (existing !== undefined) {
    const withTarget = await checkWorkspace(files, {
      without: options.without,
      add: options.add,
    });
    toMerge = needed
      .filter(j => !j.check || !passes(withTarget, j.check))
      .map(j => j.id);
  }
  files.plan(options.target, options.render(ids), {
    merge: current =>
      toMerge.length === 0
        ? current
        : mergePipelineJobs(
            current,
            options.render(toMerge),
            options.provider,
            options.target,
          ),
  });
  return { jobs: existing === undefined ? ids : toMerge, alreadyMet };
}
