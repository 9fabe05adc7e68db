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
 * A glob list compiled for {@link PathIndex.find}: its globs grouped by the basename or extension
 * key they need, so that the index looks each key up once however many globs share it (the
 * pipeline globs have dozens of globs over a handful of extensions).
 */
export interface GlobList {
  /** This list's slot in each index's memo of results: a number unique to the list. */
  readonly slot: number;
  readonly globs: CompiledGlob[];
  readonly basenameKeys: number[];
  /** The globs needing each of `basenameKeys`, in list order. */
  readonly byBasename: CompiledGlob[][];
  readonly extensionKeys: number[];
  readonly byExtension: CompiledGlob[][];
  /** The globs the index cannot narrow, tested against every path. */
  readonly scans: CompiledGlob[];
  /** The (expanded) glob strings of the list. */
  readonly strings: ReadonlySet<string>;
  /** By slot: whether every glob of that list is one of this list's (see {@link covers}). */
  readonly covered: Array<boolean | undefined>;
}

const listsByString = new Map<string, GlobList>();
const listsByList = new WeakMap<readonly string[], GlobList>();
let nextSlot = 0;

function group(
  keys: number[],
  groups: CompiledGlob[][],
  key: number,
  glob: CompiledGlob,
) {
  const at = keys.indexOf(key);
  if (at === -1) {
    keys.push(key);
    groups.push([glob]);
  } else {
    groups[at].push(glob);
  }
}

/** The glob list compiled for the index, cached like {@link compileGlobs}. */
export function globList(globs: string | readonly string[]): GlobList {
  let list =
    typeof globs === 'string'
      ? listsByString.get(globs)
      : listsByList.get(globs);
  if (list) {
    return list;
  }
  const compiled = compileGlobs(globs);
  const basenameKeys: number[] = [];
  const byBasename: CompiledGlob[][] = [];
  const extensionKeys: number[] = [];
  const byExtension: CompiledGlob[][] = [];
  const scans: CompiledGlob[] = [];
  for (const glob of compiled) {
    if (glob.basenames) {
      glob.basenames.forEach(key => group(basenameKeys, byBasename, key, glob));
    } else if (glob.extensions) {
      glob.extensions.forEach(key =>
        group(extensionKeys, byExtension, key, glob),
      );
    } else {
      scans.push(glob);
    }
  }
  list = {
    slot: nextSlot++,
    globs: compiled,
    basenameKeys,
    byBasename,
    extensionKeys,
    byExtension,
    scans,
    strings: new Set(compiled.map(g => g.glob)),
    covered: [],
  };
  if (typeof globs === 'string') {
    listsByString.set(globs, list);
  } else {
    listsByList.set(globs, list);
  }
  return list;
}

/**
 * Whether every path that `inner` finds is sure to match `outer`, because each of its globs is
 * one of `outer`'s. Lets a search over files a check declares skip testing each path against the
 * check's `reads`.
 */
export function covers(outer: GlobList, inner: GlobList): boolean {
  let result = outer.covered[inner.slot];
  if (result === undefined) {
    result = inner.globs.every(g => outer.strings.has(g.glob));
    outer.covered[inner.slot] = result;
  }
  return result;
}

/**
 * Chains of path indexes by key hash, in ascending order, in an open-addressing hash table: `keys`
 * and `heads` hold each key and the first index for it (plus one, so that zero marks an empty
 * slot), `next` the following index for the same key. All three are ranges of one buffer that the
 * index shares between its tables, so that building the index allocates little.
 */
class Chains {
  private readonly buffer: Int32Array;
  private readonly mask: number;
  private readonly keys: number;
  private readonly heads: number;
  private readonly next: number;

  /** Takes `2 * capacity + size` entries of the buffer from `offset`; capacity a power of 2. */
  constructor(buffer: Int32Array, offset: number, capacity: number) {
    this.buffer = buffer;
    this.mask = capacity - 1;
    this.keys = offset;
    this.heads = offset + capacity;
    this.next = offset + 2 * capacity;
  }

  /** Must be called with descending indexes. */
  prepend(key: number, index: number) {
    const buffer = this.buffer;
    let slot = key & this.mask;
    while (
      buffer[this.heads + slot] !== 0 &&
      buffer[this.keys + slot] !== key
    ) {
      slot = (slot + 1) & this.mask;
    }
    buffer[this.next + index] = buffer[this.heads + slot] - 1;
    buffer[this.keys + slot] = key;
    buffer[this.heads + slot] = index + 1;
  }

  first(key: number): number {
    const buffer = this.buffer;
    let slot = key & this.mask;
    while (buffer[this.heads + slot] !== 0) {
      if (buffer[this.keys + slot] === key) {
        return buffer[this.heads + slot] - 1;
      }
      slot = (slot + 1) & this.mask;
    }
    return -1;
  }

  after(index: number): number {
    return this.buffer[this.next + index];
  }
}

/** Whether the path matches any of the globs. */
function testAny(path: string, globs: CompiledGlob[]): boolean {
  for (let i = 0; i < globs.length; i++) {
    if (globs[i].test(path)) {
      return true;
    }
  }
  return false;
}

/** Separates the paths in {@link PathIndex.joined}: git paths never contain NUL. */
const SEPARATOR = '\u0000';

/**
 * An index of a repository's paths by basename and extension.
 */
export class PathIndex {
  readonly paths: readonly string[];
  private basenames?: Chains;
  private extensions?: Chains;
  private hashes?: Int32Array;
  /** The paths joined by {@link SEPARATOR}, and where each starts in it. */
  private joined?: { text: string; starts: number[] };
  /** Results by glob list slot. */
  private readonly found: Array<string[] | undefined> = [];

  constructor(paths: readonly string[]) {
    this.paths = paths;
  }

  /** The paths matching any of the globs, in repository order; memoised per glob list. */
  find(globs: string | readonly string[]): string[] {
    return this.findList(globList(globs));
  }

  /** {@link find} for a compiled list. */
  findList(list: GlobList): string[] {
    let result = this.found[list.slot];
    if (!result) {
      result = this.match(list);
      this.found[list.slot] = result;
    }
    return result;
  }

  private match(list: GlobList): string[] {
    const paths = this.paths;
    const hits: number[] = [];
    // Each source (key chain or scan) yields ascending indexes without duplicates; only hits
    // from several sources need sorting and deduplicating.
    let sources = 0;
    if (list.basenameKeys.length > 0 || list.extensionKeys.length > 0) {
      this.index();
    }
    for (let k = 0; k < list.basenameKeys.length; k++) {
      sources += this.collect(
        this.basenames!,
        list.basenameKeys[k],
        list.byBasename[k],
        hits,
      );
    }
    for (let k = 0; k < list.extensionKeys.length; k++) {
      sources += this.collect(
        this.extensions!,
        list.extensionKeys[k],
        list.byExtension[k],
        hits,
      );
    }
    for (const glob of list.scans) {
      const before = hits.length;
      if (glob.literal) {
        this.scanLiteral(glob, glob.literal, hits);
      } else {
        for (let i = 0; i < paths.length; i++) {
          if (glob.test(paths[i])) {
            hits.push(i);
          }
        }
      }
      sources += hits.length > before ? 1 : 0;
    }
    if (sources > 1) {
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

  /** Pushes the indexes on the key's chain that match any of the globs; 1 if it found any. */
  private collect(
    chains: Chains,
    key: number,
    globs: CompiledGlob[],
    hits: number[],
  ): number {
    const before = hits.length;
    for (let i = chains.first(key); i !== -1; i = chains.after(i)) {
      if (testAny(this.paths[i], globs)) {
        hits.push(i);
      }
    }
    return hits.length > before ? 1 : 0;
  }

  /**
   * Pushes the indexes of the paths that contain the literal and match the glob, in ascending
   * order. One search of the joined paths finds the few that contain it, rather than a search
   * of each path.
   */
  private scanLiteral(glob: CompiledGlob, literal: string, hits: number[]) {
    if (!this.joined) {
      const starts: number[] = [];
      let at = 0;
      for (const path of this.paths) {
        starts.push(at);
        at += path.length + 1;
      }
      this.joined = { text: this.paths.join(SEPARATOR), starts };
    }
    const { text, starts } = this.joined;
    let last = -1;
    for (
      let at = text.indexOf(literal);
      at !== -1;
      at = text.indexOf(literal, at + 1)
    ) {
      // The path the occurrence is in: the last one starting at or before it, which is not
      // before the path of the previous occurrence.
      let low = last < 0 ? 0 : last;
      let high = starts.length - 1;
      while (low < high) {
        const mid = (low + high + 1) >> 1;
        if (starts[mid] <= at) {
          low = mid;
        } else {
          high = mid - 1;
        }
      }
      if (low !== last) {
        last = low;
        if (glob.test(this.paths[low])) {
          hits.push(low);
        }
      }
    }
  }

  /** A 32-bit hash of each full path, from the same pass that builds the index. */
  pathHashes(): Int32Array {
    this.index();
    return this.hashes!;
  }

  private index() {
    if (this.hashes) {
      return;
    }
    const paths = this.paths;
    const size = paths.length;
    // At most half full, so that probes stay short.
    let capacity = 8;
    while (capacity < size * 2) {
      capacity *= 2;
    }
    const tableSize = 2 * capacity + size;
    const buffer = new Int32Array(size + 2 * tableSize);
    const hashes = buffer.subarray(0, size);
    const basenames = new Chains(buffer, size, capacity);
    const extensions = new Chains(buffer, size + tableSize, capacity);
    for (let i = size - 1; i >= 0; i--) {
      const path = paths[i];
      // One backward pass hashes the extension (after the last dot), the basename and the
      // whole path; the directories, most of the path, take a loop without branches.
      let h = 0x811c9dc5;
      let j = path.length - 1;
      let extension = false;
      for (; j >= 0; j--) {
        const c = path.charCodeAt(j);
        if (c === 47 /* / */) {
          break;
        }
        if (c === 46 /* . */ && !extension) {
          extensions.prepend(h, i);
          extension = true;
        }
        h = Math.imul(h ^ c, 0x01000193);
      }
      basenames.prepend(h, i);
      for (; j >= 0; j--) {
        h = Math.imul(h ^ path.charCodeAt(j), 0x01000193);
      }
      hashes[i] = h;
    }
    this.basenames = basenames;
    this.extensions = extensions;
    this.hashes = hashes;
  }
}
