import picomatch from 'picomatch';

/**
 * A glob compiled for fast matching against many paths: the regular expression, plus the
 * basenames or extensions that a matching path must have, so that an index of the repository
 * answers most globs without testing every path.
 */
export interface CompiledGlob {
  glob: string;
  test(path: string): boolean;
  /** A matching path has one of these basenames (exact, case-sensitive). */
  basenames?: string[];
  /** A matching path's basename ends with `.` plus one of these extensions. */
  extensions?: string[];
}

const MAGIC = /[*?[\]{}()!+@]/;
const cache = new Map<string, CompiledGlob[]>();

function expandBraces(glob: string): string[] {
  const match = /\{([^{}]*)\}/.exec(glob);
  if (!match) {
    return [glob];
  }
  const head = glob.slice(0, match.index);
  const tail = glob.slice(match.index + match[0].length);
  return match[1]
    .split(',')
    .flatMap(option => expandBraces(`${head}${option}${tail}`));
}

function compileOne(glob: string): CompiledGlob {
  const test = picomatch(glob, { dot: true });
  const base = glob.slice(glob.lastIndexOf('/') + 1);
  if (!MAGIC.test(base)) {
    return { glob, test, basenames: [base] };
  }
  const ext = /^\*(?:[^*?[\]{}()!+@/]*)\.([A-Za-z0-9_-]+)$/.exec(base);
  if (ext) {
    return { glob, test, extensions: [ext[1]] };
  }
  return { glob, test };
}

/**
 * Compiles globs (picomatch syntax, `dot: true`), expanding brace groups so that each part can use
 * the index. Results are cached: checks pass the same constant globs for every entity.
 */
export function compileGlobs(globs: string | readonly string[]): CompiledGlob[] {
  const list = typeof globs === 'string' ? [globs] : globs;
  const key = list.join('\u0000');
  let compiled = cache.get(key);
  if (!compiled) {
    compiled = list.flatMap(glob => expandBraces(glob).map(compileOne));
    cache.set(key, compiled);
  }
  return compiled;
}

/** Whether a path matches any of the compiled globs. */
export function matchesAny(path: string, globs: CompiledGlob[]): boolean {
  for (const glob of globs) {
    if (glob.test(path)) {
      return true;
    }
  }
  return false;
}

/**
 * An index of a repository's paths by basename and extension.
 */
export class PathIndex {
  readonly paths: readonly string[];
  private byBasename?: Map<string, number[]>;
  private byExtension?: Map<string, number[]>;
  private readonly found = new Map<string, string[]>();

  constructor(paths: readonly string[]) {
    this.paths = paths;
  }

  /** The paths matching any of the globs, in repository order; memoised per glob list. */
  find(globs: string | readonly string[]): string[] {
    const key = typeof globs === 'string' ? globs : globs.join('\u0000');
    let result = this.found.get(key);
    if (!result) {
      result = this.match(compileGlobs(globs));
      this.found.set(key, result);
    }
    return result;
  }

  private match(globs: CompiledGlob[]): string[] {
    this.buildIndex();
    const hits = new Set<number>();
    for (const glob of globs) {
      let candidates: Iterable<number>;
      if (glob.basenames) {
        candidates = glob.basenames.flatMap(b => this.byBasename!.get(b) ?? []);
      } else if (glob.extensions) {
        candidates = glob.extensions.flatMap(
          e => this.byExtension!.get(e) ?? [],
        );
      } else {
        candidates = this.paths.keys();
      }
      for (const i of candidates) {
        if (!hits.has(i) && glob.test(this.paths[i])) {
          hits.add(i);
        }
      }
    }
    return [...hits].sort((a, b) => a - b).map(i => this.paths[i]);
  }

  private buildIndex() {
    if (this.byBasename) {
      return;
    }
    const byBasename = new Map<string, number[]>();
    const byExtension = new Map<string, number[]>();
    this.paths.forEach((path, i) => {
      const base = path.slice(path.lastIndexOf('/') + 1);
      push(byBasename, base, i);
      const dot = base.lastIndexOf('.');
      if (dot > 0) {
        push(byExtension, base.slice(dot + 1), i);
      }
    });
    this.byBasename = byBasename;
    this.byExtension = byExtension;
  }
}

function push(map: Map<string, number[]>, key: string, value: number) {
  const list = map.get(key);
  if (list) {
    list.push(value);
  } else {
    map.set(key, [value]);
  }
}
