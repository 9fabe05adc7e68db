import picomatch from 'picomatch';

/**
 * A glob compiled for fast matching against many paths: a test function, plus the basenames or
 * extensions that a matching path must have, or a substring it must contain, so that an index of
 * the repository answers most globs without running a regular expression on every path.
 */
export interface CompiledGlob {
  glob: string;
  test(path: string): boolean;
  /** A matching path has a basename with one of these hashes (see `hashBackwards`). */
  basenames?: number[];
  /** A matching path's extension (after the last dot) has one of these hashes. */
  extensions?: number[];
  /** A matching path contains this text. */
  literal?: string;
}

const MAGIC = /[*?[\]{}()!+@]/;
const EXTGLOB_OR_CLASS = /[[\]()!+@]/;
const byString = new Map<string, CompiledGlob[]>();
const byList = new WeakMap<readonly string[], CompiledGlob[]>();

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

function basenameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * The fastest exact test for the glob. The common shapes get string tests that agree with
 * picomatch (`dot: true`); anything else uses picomatch itself.
 */
function testFor(glob: string): (path: string) => boolean {
  if (!MAGIC.test(glob)) {
    return path => path === glob;
  }
  const anyDir = /^\*\*\/(.+)$/.exec(glob);
  if (anyDir && !MAGIC.test(anyDir[1]) && !anyDir[1].includes('/')) {
    const name = anyDir[1];
    const slashName = `/${name}`;
    return path => path === name || path.endsWith(slashName);
  }
  const suffix = /^(?:\*\*\/)?\*([^/]+)$/.exec(glob);
  if (
    suffix &&
    !MAGIC.test(suffix[1]) &&
    suffix[1] !== '.' &&
    suffix[1] !== '..'
  ) {
    const end = suffix[1];
    const anyDepth = glob.startsWith('**/');
    return path =>
      path.endsWith(end) &&
      (anyDepth
        ? path.lastIndexOf('/') < path.length - end.length
        : !path.includes('/'));
  }
  // Anything else runs picomatch's regular expression, behind a cheap test of the literal text
  // every match must start with or contain.
  const regex = picomatch.makeRe(glob, { dot: true });
  const magicAt = glob.search(MAGIC);
  const prefix = glob.slice(0, magicAt);
  if (prefix.length > 0) {
    return path => path.startsWith(prefix) && regex.test(path);
  }
  const literal = requiredLiteral(glob);
  if (literal) {
    return path => path.includes(literal) && regex.test(path);
  }
  return path => regex.test(path);
}

/** The longest run of literal characters the glob requires every match to contain. */
function requiredLiteral(glob: string): string | undefined {
  if (EXTGLOB_OR_CLASS.test(glob)) {
    return undefined;
  }
  // Each run between wildcards must appear in a match; slashes at its ends may not (`**/` can
  // match no directory at all).
  const runs = glob
    .split(/[*?]+/)
    .map(run => run.replace(/^\/+|\/+$/g, ''))
    .filter(run => run.length > 1);
  return runs.sort((a, b) => b.length - a.length)[0];
}

function hashOf(key: string): number {
  return hashBackwards(key, 0, key.length);
}

function compileOne(glob: string): CompiledGlob {
  const test = testFor(glob);
  const base = basenameOf(glob);
  if (!MAGIC.test(base)) {
    return { glob, test, basenames: [hashOf(base)] };
  }
  // Any basename pattern that ends in a literal extension, such as `*.test.ts` or `test_*.py`.
  const ext = /\.([A-Za-z0-9_-]+)$/.exec(base);
  if (ext && !MAGIC.test(base.slice(ext.index))) {
    return { glob, test, extensions: [hashOf(ext[1])] };
  }
  return { glob, test, literal: requiredLiteral(glob) };
}

/**
 * Compiles globs (picomatch syntax, `dot: true`), expanding brace groups so that each part can use
 * the index. Results are cached by the glob string or by the identity of the list: checks pass
 * the same constant globs for every entity.
 */
export function compileGlobs(
  globs: string | readonly string[],
): CompiledGlob[] {
  if (typeof globs === 'string') {
    let compiled = byString.get(globs);
    if (!compiled) {
      compiled = expandBraces(globs).map(compileOne);
      byString.set(globs, compiled);
    }
    return compiled;
  }
  let compiled = byList.get(globs);
  if (!compiled) {
    compiled = globs.flatMap(glob => compileGlobs(glob));
    byList.set(globs, compiled);
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
 * A 32-bit FNV-1a hash of `text[from, to)`, read backwards. The index keys paths by the hash of
 * their basename and extension instead of sliced strings: buckets only narrow the candidates, and
 * every candidate is still tested against the glob, so a collision costs time, never correctness.
 */
function hashBackwards(text: string, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = to - 1; i >= from; i--) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  }
  return h;
}

/**
 * Chains of path indexes by key hash, in ascending order: `head` holds the first index for a key
 * and `next` the following one, so building the index allocates no array per key.
 */
class Chains {
  readonly head = new Map<number, number>();
  readonly next: Int32Array;

  constructor(size: number) {
    this.next = new Int32Array(size);
  }

  /** Must be called with descending indexes. */
  prepend(key: number, index: number) {
    this.next[index] = this.head.get(key) ?? -1;
    this.head.set(key, index);
  }

  first(keyHash: number): number {
    return this.head.get(keyHash) ?? -1;
  }
}

/**
 * An index of a repository's paths by basename and extension.
 */
export class PathIndex {
  readonly paths: readonly string[];
  private basenames?: Chains;
  private extensions?: Chains;
  private hashes?: Int32Array;
  private readonly found = new Map<string | readonly string[], string[]>();

  constructor(paths: readonly string[]) {
    this.paths = paths;
  }

  /** The paths matching any of the globs, in repository order; memoised per glob list. */
  find(globs: string | readonly string[]): string[] {
    let result = this.found.get(globs);
    if (!result) {
      result = this.match(compileGlobs(globs));
      this.found.set(globs, result);
    }
    return result;
  }

  private match(globs: CompiledGlob[]): string[] {
    const paths = this.paths;
    const hits: number[] = [];
    let merged = false;
    const collect = (glob: CompiledGlob, chains: Chains, keys: number[]) => {
      for (const key of keys) {
        for (let i = chains.first(key); i !== -1; i = chains.next[i]) {
          if (glob.test(paths[i])) {
            hits.push(i);
          }
        }
      }
    };
    for (const glob of globs) {
      const before = hits.length;
      if (glob.basenames) {
        collect(glob, this.index().basenames, glob.basenames);
      } else if (glob.extensions) {
        collect(glob, this.index().extensions, glob.extensions);
      } else {
        const literal = glob.literal;
        for (let i = 0; i < paths.length; i++) {
          const path = paths[i];
          if ((!literal || path.includes(literal)) && glob.test(path)) {
            hits.push(i);
          }
        }
      }
      merged ||= before > 0 && hits.length > before;
    }
    if (merged) {
      hits.sort((a, b) => a - b);
    }
    const result: string[] = [];
    for (let i = 0; i < hits.length; i++) {
      if (i === 0 || hits[i] !== hits[i - 1]) {
        result.push(paths[hits[i]]);
      }
    }
    return result;
  }

  /** A 32-bit hash of each full path, from the same pass that builds the index. */
  pathHashes(): Int32Array {
    this.index();
    return this.hashes!;
  }

  private index(): { basenames: Chains; extensions: Chains } {
    if (!this.basenames || !this.extensions) {
      const paths = this.paths;
      const basenames = new Chains(paths.length);
      const extensions = new Chains(paths.length);
      const hashes = new Int32Array(paths.length);
      for (let i = paths.length - 1; i >= 0; i--) {
        const path = paths[i];
        // One backward pass hashes the extension (after the last dot), the basename and the
        // whole path.
        let h = 0x811c9dc5;
        let extension: number | undefined;
        let basename: number | undefined;
        for (let j = path.length - 1; j >= 0; j--) {
          const c = path.charCodeAt(j);
          if (basename === undefined) {
            if (c === 47 /* / */) {
              basename = h;
            } else if (c === 46 /* . */ && extension === undefined) {
              extension = h;
            }
          }
          h = Math.imul(h ^ c, 0x01000193);
        }
        basenames.prepend(basename ?? h, i);
        if (extension !== undefined) {
          extensions.prepend(extension, i);
        }
        hashes[i] = h;
      }
      this.basenames = basenames;
      this.extensions = extensions;
      this.hashes = hashes;
    }
    return { basenames: this.basenames, extensions: this.extensions };
  }
}
