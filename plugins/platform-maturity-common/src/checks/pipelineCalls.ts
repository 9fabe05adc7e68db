/**
 * Pipelines often call a repository script or a build-tool target that runs the tests, builds and
 * pushes the image or tags the release. The checks that look for a pipeline step follow those
 * calls: into shell scripts, Makefile, justfile and Taskfile targets and package.json scripts,
 * {@link MAX_DEPTH} calls deep.
 */
import type { FileMatch, RepositoryView } from '../engine/checkTypes';
import { evaluationMemo, fileMatchAt, matchIn } from '../engine/repository';
import { CI_GLOBS } from './ci';
import { searchAny } from './helpers';

/** The files a pipeline may call into, for a check's `reads`. */
export const CALLED_GLOBS: readonly string[] = [
  '**/Makefile',
  '**/GNUmakefile',
  '**/*.mk',
  '**/{justfile,Justfile,.justfile}',
  '**/Taskfile.{yml,yaml}',
  '**/package.json',
  '**/*.sh',
  '{scripts,script,bin,ci,.ci,hack,tools}/**',
  '**/skaffold{,-*}.{yaml,yml}',
];

/** The pipelines and the files they may call into: what following the calls reads. */
const FOLLOWED_GLOBS: readonly string[] = [...CI_GLOBS, ...CALLED_GLOBS];

/** How many calls deep from the pipeline the search goes. */
const MAX_DEPTH = 3;
/** How many called scripts and targets one search looks at, at most. */
const MAX_UNITS = 60;

/** A script, or a target of a build tool, and the calls that led to it from the pipeline. */
interface Unit {
  path: string;
  /** The text to search: the whole file, or the target's recipe. */
  text: string;
  /** The 1-based line of the file where `text` starts. */
  firstLine: number;
  /** Prerequisites of a Make or just target: targets run before it, in the same file. */
  prerequisites?: string[];
  /** The calls that led here, from the pipeline's line on. */
  via: FileMatch[];
}

/** A step found in the pipeline or in what it calls, and the calls that led to it. */
export interface PipelineStep {
  match: FileMatch;
  /** The call lines from the pipeline to the file of `match`; empty when the pipeline has the step. */
  via: FileMatch[];
}

const SCRIPT_CALL =
  /(?:^|[\s;&|(='"])(?:\.\/|\$\{?[\w.]+\}?\/)?((?:[\w.-]+\/)*[\w.-]+\.sh)(?![\w.-])/gm;
const DIRECTORY_SCRIPT_CALL =
  /(?:^|[\s;&|(='"])(?:\.\/)?((?:scripts|script|bin|ci|\.ci|hack|tools)\/[\w./-]+)/gm;
const SCRIPT_DIRECTORY = /(?:scripts?|bin|ci|hack|tools)\//;
const MAKE_CALL =
  /(?:^|[\s;&|(])(?:g?make|\$\(MAKE\)|\$\{MAKE\})[ \t]+([^\n;&|#)]*)/gm;
const JUST_CALL = /(?:^|[\s;&|(])just[ \t]+([^\n;&|#)]*)/gm;
const TASK_CALL =
  /(?:^|[\s;&|(])task[ \t]+([\w:-]+)|^[ \t]*-?[ \t]*task:[ \t]*["']?([\w:-]+)/gm;
/** `skaffold test` and `skaffold verify`, also as an argument list (`["skaffold", "test"]`). */
const SKAFFOLD_CALL =
  /\bskaffold["']?[ \t]*,?[ \t]*(?:\r?\n[ \t]*-?[ \t]*)?["']?(test|verify)\b/gm;
const SKAFFOLD_CONFIGS: readonly string[] = ['**/skaffold{,-*}.{yaml,yml}'];
/** Skaffold configs followed for one call, at most: a monorepo has one per service. */
const MAX_SKAFFOLD_CONFIGS = 20;
const PACKAGE_SCRIPT_CALL =
  /(?:^|[\s;&|(])(npm|pnpm|yarn|bun)[ \t]+(?:(?:--?[\w-]+(?:=\S*)?)[ \t]+)*(run(?:-script)?[ \t]+(?:(?:--?[\w-]+(?:=\S*)?)[ \t]+)*)?([\w:.-]+)/gm;

/** npm's own commands that run a package.json script of the same name. */
const NPM_LIFECYCLE = new Set(['test', 't', 'start', 'tst']);

/** A `.` or `..` segment, or an empty one. */
const UNUSUAL_SEGMENT = /(?:^|\/)\.{0,2}(?:\/|$)/;

/** A path without `./` and `..` segments, or undefined when it leaves the repository. */
function normalise(path: string): string | undefined {
  if (!UNUSUAL_SEGMENT.test(path)) {
    return path;
  }
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') {
      continue;
    }
    if (part === '..') {
      if (out.length === 0) {
        return undefined;
      }
      out.pop();
    } else {
      out.push(part);
    }
  }
  return out.join('/');
}

function directoryOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash + 1);
}

/** The line of `text` (1-based within it) where `index` is. */
function lineOf(text: string, index: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < index; ) {
    line++;
    at = text.indexOf('\n', at + 1);
  }
  return line;
}

/** The call at `index` of a unit's text, as a file match on the unit's file. */
function callMatch(unit: Unit, index: number): FileMatch {
  const line = lineOf(unit.text, index);
  const start = index === 0 ? 0 : unit.text.lastIndexOf('\n', index - 1) + 1;
  const end = unit.text.indexOf('\n', index);
  return {
    path: unit.path,
    line: unit.firstLine + line - 1,
    text: unit.text
      .slice(start, end === -1 ? undefined : end)
      .trim()
      .slice(0, 160),
  };
}

/** The recipe of a Make or just target: the indented lines after its rule line. */
function recipeOf(
  content: string,
  target: string,
  style: 'make' | 'just',
): { text: string; firstLine: number; prerequisites: string[] } | undefined {
  const lines = content.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('\t') || line.startsWith(' ')) {
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0 || line[colon + 1] === '=') {
      continue;
    }
    const names = line
      .slice(0, colon)
      .replace(/^@/, '')
      .trim()
      .split(/[ \t]+/);
    // A just recipe's parameters follow its name; a Make rule may name several targets.
    const matches =
      style === 'just' ? names[0] === target : names.includes(target);
    if (!matches) {
      continue;
    }
    const prerequisites = line
      .slice(colon + 1)
      .replace(/^:/, '')
      .split(/[ \t]+/)
      .filter(p => /^[\w.-]+$/.test(p));
    let end = i + 1;
    while (
      end < lines.length &&
      (lines[end].startsWith('\t') ||
        (style === 'just' && lines[end].startsWith(' ')) ||
        lines[end].trim() === '')
    ) {
      end++;
    }
    return {
      text: lines.slice(i + 1, end).join('\n'),
      firstLine: i + 2,
      prerequisites,
    };
  }
  return undefined;
}

/** The commands of a go-task task: the lines more indented than its key under `tasks:`. */
function taskOf(
  content: string,
  task: string,
): { text: string; firstLine: number } | undefined {
  const lines = content.split('\n');
  const key = new RegExp(
    `^([ \\t]+)["']?${task.replace(
      /[.*+?^${}()|[\]\\]/g,
      '\\$&',
    )}["']?:[ \\t]*$`,
  );
  for (let i = 0; i < lines.length; i++) {
    const found = key.exec(lines[i]);
    if (!found) {
      continue;
    }
    const indent = found[1].length;
    let end = i + 1;
    while (
      end < lines.length &&
      (lines[end].trim() === '' ||
        lines[end].length - lines[end].trimStart().length > indent)
    ) {
      end++;
    }
    return { text: lines.slice(i + 1, end).join('\n'), firstLine: i + 2 };
  }
  return undefined;
}

/** A top-level section of a YAML file (`test:`): the lines indented under its key. */
function sectionOf(
  content: string,
  key: string,
): { text: string; firstLine: number } | undefined {
  const lines = content.split('\n');
  const start = lines.findIndex(line =>
    new RegExp(`^${key}:[ \\t]*(?:#.*)?\\r?$`).test(line),
  );
  if (start === -1) {
    return undefined;
  }
  let end = start + 1;
  while (
    end < lines.length &&
    (lines[end].trim() === '' || /^[ \t-]/.test(lines[end]))
  ) {
    end++;
  }
  return { text: lines.slice(start + 1, end).join('\n'), firstLine: start + 2 };
}

/** The package.json parsed last and its scripts: one manifest is looked up for several calls. */
let lastManifest: string | undefined;
let lastScripts: unknown;

/** A package.json script: its command and its line. */
function packageScriptOf(
  content: string,
  name: string,
): { text: string; firstLine: number } | undefined {
  if (content !== lastManifest) {
    lastManifest = content;
    try {
      // A manifest without scripts is not parsed.
      lastScripts = content.includes('"scripts"')
        ? (JSON.parse(content) as { scripts?: unknown })?.scripts
        : undefined;
    } catch {
      lastScripts = undefined;
    }
  }
  const scripts = lastScripts;
  if (!scripts || typeof scripts !== 'object') {
    return undefined;
  }
  const command = (scripts as Record<string, unknown>)[name];
  if (typeof command !== 'string' || !Object.hasOwn(scripts, name)) {
    return undefined;
  }
  const at = content.indexOf(`"${name}"`);
  return { text: command, firstLine: at === -1 ? 1 : lineOf(content, at) };
}

/** Make's arguments: the directory (`-C`), the makefile (`-f`) and the targets. */
function makeArguments(args: string): {
  directory: string;
  file?: string;
  targets: string[];
} {
  const words = args.trim().split(/[ \t]+/);
  let directory = '';
  let file: string | undefined;
  const targets: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (word === '-C' || word === '--directory') {
      directory = `${words[++i] ?? ''}/`;
    } else if (word.startsWith('--directory=')) {
      directory = `${word.slice(12)}/`;
    } else if (word === '-f' || word === '--file' || word === '--makefile') {
      file = words[++i];
    } else if (/^[\w][\w.\/-]*$/.test(word) && !word.includes('=')) {
      targets.push(word);
    }
  }
  return { directory, file, targets };
}

/** The scripts and targets that a unit calls. */
function callsOf(repository: RepositoryView, unit: Unit): Unit[] {
  const found: Unit[] = [];
  const here = directoryOf(unit.path);
  const add = (
    path: string,
    index: number,
    body?: { text: string; firstLine: number; prerequisites?: string[] },
  ) => {
    const text = body ? body.text : repository.read(path);
    if (text === undefined) {
      return;
    }
    found.push({
      path,
      text,
      firstLine: body?.firstLine ?? 1,
      prerequisites: body?.prerequisites,
      via: [...unit.via, callMatch(unit, index)],
    });
  };
  const existing = (candidate: string, ...bases: string[]) => {
    for (const base of bases) {
      const path = normalise(base + candidate);
      // Candidates are rare (a call found in the text): a scan of the paths costs less than an index.
      if (path !== undefined && repository.paths.includes(path)) {
        return path;
      }
    }
    return undefined;
  };

  const text = unit.text;
  // Cheap tests of the texts each kind of call needs, before its pattern runs.
  const scripts = [
    ...(text.includes('.sh') ? [SCRIPT_CALL] : []),
    ...(SCRIPT_DIRECTORY.test(text) ? [DIRECTORY_SCRIPT_CALL] : []),
  ];
  for (const pattern of scripts) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(unit.text); m; m = pattern.exec(unit.text)) {
      const path = existing(m[1], '', here);
      if (path && path !== unit.path) {
        add(path, m.index);
      }
    }
  }

  MAKE_CALL.lastIndex =
    text.includes('make') || text.includes('MAKE') ? 0 : Infinity;
  for (let m = MAKE_CALL.exec(unit.text); m; m = MAKE_CALL.exec(unit.text)) {
    const { directory, file, targets } = makeArguments(m[1]);
    const inMakefile = /(?:^|\/)(?:GNUmakefile|Makefile|[^/]*\.mk)$/.test(
      unit.path,
    );
    const makefile =
      (file && existing(file, here + directory, directory)) ??
      (inMakefile && !directory
        ? unit.path
        : existing('GNUmakefile', here + directory, directory) ??
          existing('Makefile', here + directory, directory));
    const content = makefile && repository.read(makefile);
    if (!makefile || content === undefined) {
      continue;
    }
    for (const target of targets.length > 0 ? targets : ['all']) {
      const recipe = recipeOf(content, target, 'make');
      if (recipe) {
        add(makefile, m.index, recipe);
      }
    }
  }

  JUST_CALL.lastIndex = text.includes('just') ? 0 : Infinity;
  for (let m = JUST_CALL.exec(unit.text); m; m = JUST_CALL.exec(unit.text)) {
    const [recipeName] = m[1]
      .trim()
      .split(/[ \t]+/)
      .filter(w => !w.startsWith('-'));
    const justfile =
      existing('justfile', here, '') ??
      existing('Justfile', here, '') ??
      existing('.justfile', here, '');
    const content = justfile && repository.read(justfile);
    const recipe =
      recipeName && content !== undefined && content !== '' && justfile
        ? recipeOf(content!, recipeName, 'just')
        : undefined;
    if (justfile && recipe) {
      add(justfile, m.index, recipe);
    }
  }

  TASK_CALL.lastIndex = text.includes('task') ? 0 : Infinity;
  for (let m = TASK_CALL.exec(unit.text); m; m = TASK_CALL.exec(unit.text)) {
    const name = m[1] ?? m[2];
    const taskfile =
      /(?:^|\/)Taskfile\.ya?ml$/.test(unit.path) && m[2]
        ? unit.path
        : existing('Taskfile.yml', here, '') ??
          existing('Taskfile.yaml', here, '');
    const content = taskfile && repository.read(taskfile);
    const body =
      taskfile && content !== undefined ? taskOf(content, name) : undefined;
    if (taskfile && body) {
      add(taskfile, m.index, body);
    }
  }

  // Skaffold runs the `test:` section's custom commands (or the `verify:` section's containers) of
  // its configs: the repository's Skaffold configs, one per service in a monorepo.
  SKAFFOLD_CALL.lastIndex = text.includes('skaffold') ? 0 : Infinity;
  for (
    let m = SKAFFOLD_CALL.exec(unit.text);
    m;
    m = SKAFFOLD_CALL.exec(unit.text)
  ) {
    for (const config of repository
      .find(SKAFFOLD_CONFIGS)
      .slice(0, MAX_SKAFFOLD_CONFIGS)) {
      const content = repository.read(config);
      const section =
        content === undefined ? undefined : sectionOf(content, m[1]);
      if (section) {
        add(config, m.index, section);
      }
    }
  }

  PACKAGE_SCRIPT_CALL.lastIndex =
    text.includes('npm') || text.includes('yarn') || text.includes('bun')
      ? 0
      : Infinity;
  for (
    let m = PACKAGE_SCRIPT_CALL.exec(unit.text);
    m;
    m = PACKAGE_SCRIPT_CALL.exec(unit.text)
  ) {
    const [, tool, run, name] = m;
    // `npm install` and `bun test` are the tools' own commands; `yarn build` runs a script.
    if (
      !run &&
      (tool === 'npm' || tool === 'bun') &&
      !NPM_LIFECYCLE.has(name)
    ) {
      continue;
    }
    if (!run && tool === 'bun') {
      continue;
    }
    const manifest = existing('package.json', here, '');
    const content = manifest && repository.read(manifest);
    const script =
      manifest && content !== undefined
        ? packageScriptOf(
            content,
            name === 't' || name === 'tst' ? 'test' : name,
          )
        : undefined;
    if (manifest && script) {
      add(manifest, m.index, script);
    }
  }
  return found;
}

/** The prerequisites of a Make or just target, as units of the same file. */
function prerequisitesOf(repository: RepositoryView, unit: Unit): Unit[] {
  if (!unit.prerequisites || unit.prerequisites.length === 0) {
    return [];
  }
  const content = repository.read(unit.path);
  if (content === undefined) {
    return [];
  }
  const style = /(?:^|\/)\.?[Jj]ustfile$/.test(unit.path) ? 'just' : 'make';
  const units: Unit[] = [];
  for (const target of unit.prerequisites) {
    const recipe = recipeOf(content, target, style);
    if (recipe) {
      units.push({
        path: unit.path,
        text: recipe.text,
        firstLine: recipe.firstLine,
        prerequisites: recipe.prerequisites,
        via: unit.via,
      });
    }
  }
  return units;
}

/** The key of the call graph in an evaluation's memo. */
const CALL_GRAPH = {};

/**
 * The scripts and targets that the pipelines call, breadth first, {@link MAX_DEPTH} calls deep and
 * at most {@link MAX_UNITS} of them, in the order a search looks at them. The order does not
 * depend on what is searched for, so the graph is found once per evaluation and shared by every
 * check that follows the calls.
 */
function calledUnits(repository: RepositoryView): readonly Unit[] {
  return evaluationMemo(repository, CALL_GRAPH, FOLLOWED_GLOBS, view => {
    const units: Unit[] = [];
    let frontier: Unit[] = [];
    for (const path of view.find(CI_GLOBS)) {
      const text = view.read(path);
      if (text !== undefined) {
        frontier.push({ path, text, firstLine: 1, via: [] });
      }
    }
    const seen = new Set<string>();
    for (
      let depth = 0;
      depth < MAX_DEPTH && frontier.length > 0 && units.length < MAX_UNITS;
      depth++
    ) {
      const next: Unit[] = [];
      const visit = (called: Unit) => {
        const key = `${called.path}:${called.firstLine}`;
        if (seen.has(key) || units.length >= MAX_UNITS) {
          return;
        }
        seen.add(key);
        units.push(called);
        next.push(called);
      };
      for (const unit of frontier) {
        callsOf(view, unit).forEach(visit);
        prerequisitesOf(view, unit).forEach(visit);
      }
      frontier = next;
    }
    return units;
  });
}

/**
 * The first line matching one of the patterns in the pipeline files, or else in the scripts and
 * targets the pipelines call (see {@link calledUnits}), with the calls that lead there. `accept`
 * can reject a match (for example an upload of test reports).
 */
export function searchPipelines(
  repository: RepositoryView,
  patterns: readonly RegExp[],
  accept?: (match: FileMatch) => boolean,
): PipelineStep | undefined {
  const direct = accept
    ? firstAccepted(repository, patterns, accept)
    : searchAny(repository, CI_GLOBS, patterns);
  if (direct) {
    return { match: direct, via: [] };
  }
  for (const called of calledUnits(repository)) {
    for (const pattern of patterns) {
      const match = matchIn(called.path, called.text, pattern);
      if (match) {
        const found = {
          path: match.path,
          line: called.firstLine + match.line - 1,
          text: match.text,
        };
        if (!accept || accept(found)) {
          return { match: found, via: called.via };
        }
      }
    }
  }
  return undefined;
}

const globalPatterns = new WeakMap<RegExp, RegExp>();

/** The pattern with the `g` flag, to go through every match of a file. */
function globalOf(pattern: RegExp): RegExp {
  let global = globalPatterns.get(pattern);
  if (!global) {
    global = new RegExp(
      pattern.source,
      `${pattern.flags.replace(/[gy]/g, '')}g`,
    );
    globalPatterns.set(pattern, global);
  }
  return global;
}

/** The first match in the pipeline files that `accept` takes, trying every match of each file. */
function firstAccepted(
  repository: RepositoryView,
  patterns: readonly RegExp[],
  accept: (match: FileMatch) => boolean,
): FileMatch | undefined {
  for (const path of repository.find(CI_GLOBS)) {
    const content = repository.read(path);
    if (content === undefined) {
      continue;
    }
    for (const pattern of patterns) {
      const global = globalOf(pattern);
      global.lastIndex = 0;
      for (let m = global.exec(content); m; m = global.exec(content)) {
        const match = fileMatchAt(path, content, m);
        if (accept(match)) {
          return match;
        }
        if (m[0].length === 0) {
          global.lastIndex++;
        }
      }
    }
  }
  return undefined;
}

/** How a step was reached, for a message: `, called from ci.yml:9 `make ci``. */
export function describeVia(step: PipelineStep): string {
  if (step.via.length === 0) {
    return '';
  }
  return `, called from ${step.via
    .map(v => `${v.path}:${v.line} \`${v.text}\``)
    .join(' → ')}`;
}
