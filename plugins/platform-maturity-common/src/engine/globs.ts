import picomatch from 'picomatch';
import type { Hasher } from './hash';

/**
 * A glob compiled for fast matching against many paths: a test function, plus the basenames,
 * suffixes or extensions that a matching path must have and a substring it must contain, so that
 * an index of the repository answers most globs without running a regular expression on every
 * path.
 */
export interface CompiledGlob {
  glob: string;
  test(path: string): boolean;
  /** A matching path has a basename with one of these hashes (see `hashBackwards`). */
  basenames: number[] | undefined;
  /**
   * A matching path's basename ends in two dotted parts (`test.ts` of `a.test.ts`, the text after
   * its second-to-last dot) with one of these hashes.
   */
  suffixes: number[] | undefined;
  /** A matching path's extension (after the last dot) has one of these hashes. */
  extensions: number[] | undefined;
  /** A matching path contains this text. */
  literal: string | undefined;
  /** The {@link charMask} of the literal text a matching path contains: its mask has these bits. */
  mask: number;
  /**
   * How {@link testGlob} tests a path: the commonest shapes inline (`text` is the glob or the end
   * every match has), the rest by calling `test`.
   */
  kind: number;
  text: string;
}

/** How {@link testGlob} tests a glob: by calling its `test`, or inline for the commonest shapes. */
const CALL = 0;
/** A glob without wildcards: the path is `text`. */
const EQUALS = 1;
/** `**\/*.ext` and the like: a basename ending in `text`. */
const ENDS_ANY_DEPTH = 2;

const MAGIC = /[*?[\]{}()!+@]/;
const MAGIC_CHARS = '*?[]{}()!+@';
const EXTGLOB_OR_CLASS = /[[\]()!+@]/;
/** A path that may have a `.` or `..` directory, or a line break. */
const UNUSUAL_PATH = /\.\/|[\n\r\u2028\u2029]/;
const byString = new Map<string, CompiledGlob[]>();
const byList = new WeakMap<readonly string[], CompiledGlob[]>();

/**
 * The most globs that one glob may expand into: brace groups multiply, so a few groups of a few
 * options each are plenty, while eight groups of ten would be a hundred million globs.
 */
export const MAX_GLOB_EXPANSION = 256;
/** The longest glob accepted, in characters. */
export const MAX_GLOB_LENGTH = 1024;

/** A glob too large or too complex to compile safely. */
export class GlobTooComplexError extends Error {
  constructor(glob: string, problem: string) {
    super(`the glob '${glob.slice(0, 80)}' ${problem}`);
    this.name = 'GlobTooComplexError';
  }
}

function tooManyExpansions(glob: string): never {
  throw new GlobTooComplexError(
    glob,
    `expands into more than ${MAX_GLOB_EXPANSION} globs; use fewer brace groups or options`,
  );
}

function expandBraces(glob: string, whole: string, out: string[]): void {
  const match = /\{([^{}]*)\}/.exec(glob);
  if (!match) {
    if (out.length >= MAX_GLOB_EXPANSION) {
      tooManyExpansions(whole);
    }
    out.push(glob);
    return;
  }
  const head = glob.slice(0, match.index);
  const tail = glob.slice(match.index + match[0].length);
  for (const option of match[1].split(',')) {
    expandBraces(`${head}${option}${tail}`, whole, out);
  }
}

/** An extglob `@(a|b)` whose options are plain names: exactly one of them. */
const PLAIN_EXTGLOB = /@\(([^()*?[\]{}!+@|/]+(?:\|[^()*?[\]{}!+@|/]+)*)\)/;

/**
 * Expands brace groups and plain `@(a|b)` extglobs into one glob per option: the same paths
 * match any of the options as match the glob, and each option can use the index and a literal.
 * Stops with a {@link GlobTooComplexError} past {@link MAX_GLOB_EXPANSION} globs, before the
 * expansion can take the time or memory that its product of options would.
 */
function expand(glob: string, whole = glob, out: string[] = []): string[] {
  if (glob.length > MAX_GLOB_LENGTH) {
    throw new GlobTooComplexError(
      whole,
      `is longer than ${MAX_GLOB_LENGTH} characters`,
    );
  }
  const match = PLAIN_EXTGLOB.exec(glob);
  if (!match) {
    expandBraces(glob, whole, out);
    return out;
  }
  const head = glob.slice(0, match.index);
  const tail = glob.slice(match.index + match[0].length);
  for (const option of match[1].split('|')) {
    expand(`${head}${option}${tail}`, whole, out);
  }
  return out;
}

/**
 * Checks that a glob from configuration compiles within bounds: at most
 * {@link MAX_GLOB_EXPANSION} globs once its braces are expanded, at most
 * {@link MAX_GLOB_LENGTH} characters, and a pattern picomatch can compile.
 *
 * @returns the problem, or undefined when the glob is fine.
 */
export function globProblem(glob: string): string | undefined {
  try {
    for (const one of expand(glob)) {
      picomatch.makeRe(one, { dot: true });
    }
    return undefined;
  } catch (error) {
    return error instanceof GlobTooComplexError
      ? error.message
      : `the glob '${glob.slice(0, 80)}' is not valid: ${
          (error as Error).message
        }`;
  }
}

function basenameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** For `*.ext` and `**\/*.ext` (any literal end but `.` and `..`), the end every match has. */
function literalEnd(glob: string): string | undefined {
  const suffix = /^(?:\*\*\/)?\*([^/]+)$/.exec(glob);
  return suffix &&
    !MAGIC.test(suffix[1]) &&
    suffix[1] !== '.' &&
    suffix[1] !== '..'
    ? suffix[1]
    : undefined;
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
  const end = literalEnd(glob);
  if (end !== undefined) {
    const anyDepth = glob.startsWith('**/');
    return path =>
      path.endsWith(end) &&
      (anyDepth
        ? path.lastIndexOf('/') < path.length - end.length
        : !path.includes('/'));
  }
  // Files directly in a directory, such as `.github/workflows/*.yml`.
  const inDirectory = /^([\w.-]+(?:\/[\w.-]+)*)\/\*([\w.-]+)$/.exec(glob);
  if (
    inDirectory &&
    inDirectory[2] !== '.' &&
    inDirectory[2] !== '..' &&
    !/(?:^|\/)\.{1,2}(?:\/|$)/.test(inDirectory[1])
  ) {
    const dir = `${inDirectory[1]}/`;
    const fileEnd = inDirectory[2];
    return path =>
      path.startsWith(dir) &&
      path.endsWith(fileEnd) &&
      path.length >= dir.length + fileEnd.length &&
      path.indexOf('/', dir.length) === -1;
  }
  // Anything else runs picomatch's regular expression, behind cheap tests of the literal text
  // every match must start with or contain: every run of it, since the longest (often the
  // extension) rules out fewer paths than a directory's name.
  const regex = picomatch.makeRe(glob, { dot: true });
  const magicAt = glob.search(MAGIC);
  const prefix = glob.slice(0, magicAt);
  if (prefix.length > 0) {
    return path => path.startsWith(prefix) && regex.test(path);
  }
  const runs = requiredRuns(glob).filter(run => run.length > 1);
  // `**/charts/**/*.yaml`: a match has `charts/` at the start of a directory, which `chart/`,
  // `templates/charts.md` and `charts-old/` do not, although they contain the literal.
  const dirAnyDepth = /^\*\*\/([\w.-]+)\/\*\*\/(?!\*\*)[^/]/.exec(glob);
  if (dirAnyDepth && !/^\.{1,2}$/.test(dirAnyDepth[1])) {
    const atStart = `${dirAnyDepth[1]}/`;
    const inside = `/${atStart}`;
    const extension = /^\*\*\/[\w.-]+\/\*\*\/\*(\.[\w-]+)$/.exec(glob)?.[1];
    if (extension) {
      // `**/charts/**/*.yaml` exactly, as picomatch has it, for paths without `.` or `..`
      // directories and line breaks (which its `**` does not cross): the rest run the regex.
      return path =>
        (path.startsWith(atStart) || path.includes(inside)) &&
        path.endsWith(extension) &&
        path.lastIndexOf('/') < path.length - extension.length &&
        (!UNUSUAL_PATH.test(path) || regex.test(path));
    }
    return path =>
      (path.startsWith(atStart) || path.includes(inside)) &&
      containsAll(path, runs) &&
      regex.test(path);
  }
  if (runs.length === 1) {
    const literal = runs[0];
    return path => path.includes(literal) && regex.test(path);
  }
  if (runs.length > 1) {
    return path => containsAll(path, runs) && regex.test(path);
  }
  return path => regex.test(path);
}

function containsAll(path: string, runs: readonly string[]): boolean {
  for (let i = 0; i < runs.length; i++) {
    if (!path.includes(runs[i])) {
      return false;
    }
  }
  return true;
}

/**
 * The runs of literal characters the glob requires every match to contain, longest first; none
 * for extglobs and character classes.
 */
function requiredRuns(glob: string): string[] {
  if (EXTGLOB_OR_CLASS.test(glob)) {
    return [];
  }
  // Each run between wildcards must appear in a match; slashes at its ends may not (`**/` can
  // match no directory at all).
  return glob
    .split(/[*?]+/)
    .map(run => run.replace(/^\/+|\/+$/g, ''))
    .filter(run => run.length > 0)
    .sort((a, b) => b.length - a.length);
}

/** The longest run of literal characters the glob requires every match to contain. */
function requiredLiteral(glob: string): string | undefined {
  const [longest] = requiredRuns(glob);
  return longest !== undefined && longest.length > 1 ? longest : undefined;
}

/** The hash the index keys a basename, suffix or extension by. */
function hashOf(key: string): number {
  return hashBackwards(key, 0, key.length);
}

/** The literal text at the end of a basename pattern, after its last wildcard. */
function literalTail(base: string): string {
  let at = base.length;
  while (at > 0 && !MAGIC_CHARS.includes(base[at - 1])) {
    at--;
  }
  return base.slice(at);
}

function compileOne(glob: string): CompiledGlob {
  const runs = requiredRuns(glob);
  const compiled: CompiledGlob = {
    glob,
    test: testFor(glob),
    basenames: undefined,
    suffixes: undefined,
    extensions: undefined,
    literal: requiredLiteral(glob),
    mask: charMask(runs.join('')),
    kind: CALL,
    text: glob,
  };
  const end = literalEnd(glob);
  if (!MAGIC.test(glob)) {
    compiled.kind = EQUALS;
  } else if (end !== undefined && glob.startsWith('**/')) {
    compiled.kind = ENDS_ANY_DEPTH;
    compiled.text = end;
  }
  const base = basenameOf(glob);
  if (!MAGIC.test(base)) {
    compiled.basenames = [hashOf(base)];
    return compiled;
  }
  // A basename pattern ending in two literal dotted parts, such as `*.test.ts`: every match's
  // basename ends in them, so its last two dots are theirs.
  const tail = literalTail(base);
  const lastDot = tail.lastIndexOf('.');
  const secondDot = lastDot > 0 ? tail.lastIndexOf('.', lastDot - 1) : -1;
  if (secondDot !== -1) {
    compiled.suffixes = [hashOf(tail.slice(secondDot + 1))];
    return compiled;
  }
  // Any basename pattern that ends in a literal extension, such as `*.tf` or `test_*.py`.
  const ext = /\.([A-Za-z0-9_-]+)$/.exec(base);
  if (ext && !MAGIC.test(base.slice(ext.index))) {
    compiled.extensions = [hashOf(ext[1])];
  }
  return compiled;
}

/**
 * The class bit of each ASCII character, for {@link charMask}: a letter of either case has a bit
 * of its own, so that the letters of a glob's literal text rule out most paths; digits, `.`, `/`,
 * `-` and `_`, and the other ASCII characters share a bit each, and characters beyond ASCII have
 * {@link NON_ASCII}.
 */
const CLASS_BITS = Int32Array.from({ length: 128 }, (_, c) => {
  const lower = c | 32;
  if (lower >= 97 && lower <= 122) {
    return 1 << (lower - 97);
  }
  if (c >= 48 && c <= 57) {
    return 1 << 26;
  }
  if (c === 46 /* . */ || c === 47 /* / */) {
    return 1 << (c - 46 + 27);
  }
  return c === 45 /* - */ || c === 95 /* _ */ ? 1 << 29 : 1 << 30;
});
const NON_ASCII = 1 << 31;

/**
 * The characters of a text as a set of 32 classes (see `CLASS_BITS`): a text can only contain
 * another when its mask has every bit of the other's.
 */
export function charMask(text: string): number {
  let mask = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    mask |= c < 128 ? CLASS_BITS[c] : NON_ASCII;
  }
  return mask;
}

/**
 * Compiles globs (picomatch syntax, `dot: true`), expanding brace groups and plain extglobs so that
 * each part can use the index. Results are cached by the glob string or by the identity of the
 * list: checks pass the same constant globs for every entity.
 */
export function compileGlobs(
  globs: string | readonly string[],
): CompiledGlob[] {
  if (typeof globs === 'string') {
    let compiled = byString.get(globs);
    if (!compiled) {
      compiled = expand(globs).map(compileOne);
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
  return h | 0;
}

/** The three tables of the index: by basename, by two-part suffix, by extension. */
const BASENAME = 0;
const SUFFIX = 1;
const EXTENSION = 2;

/** The globs of a list that need one key of the index, in list order. */
interface KeyGroup {
  key: number;
  globs: CompiledGlob[];
}

/**
 * A glob list compiled for {@link PathIndex.find}: its globs grouped by the basename, suffix or
 * extension key they need, so that the index looks each key up once however many globs share it
 * (the pipeline globs have dozens of globs over a handful of extensions).
 */
export interface GlobList {
  /** This list's slot in each index's memo of results: a number unique to the list. */
  readonly slot: number;
  readonly globs: CompiledGlob[];
  /** The keys the globs need, each with the table it is in and the globs that need it. */
  readonly keys: Int32Array;
  readonly keyTables: Uint8Array;
  readonly keyGlobs: CompiledGlob[][];
  /** The globs the index cannot narrow, tested against every path. */
  readonly scans: CompiledGlob[];
  /** The (expanded) glob strings of the list. */
  readonly strings: ReadonlySet<string>;
  /** By slot: whether every glob of that list is one of this list's (see {@link covers}). */
  readonly covered: Array<boolean | undefined>;
  /** The list's {@link pathMatcher}, made when first needed. */
  matcher?: (path: string) => boolean;
}

const listsByString = new Map<string, GlobList>();
const listsByList = new WeakMap<readonly string[], GlobList>();
let nextSlot = 0;

function group(groups: KeyGroup[], key: number, glob: CompiledGlob) {
  let found = groups.find(g => g.key === key);
  if (!found) {
    found = { key, globs: [] };
    groups.push(found);
  }
  found.globs.push(glob);
}

/** The last list looked up: a check often searches the globs it has just listed. */
let lastGlobs: string | readonly string[] | undefined;
let lastList: GlobList | undefined;

/** The glob list compiled for the index, cached like {@link compileGlobs}. */
export function globList(globs: string | readonly string[]): GlobList {
  if (globs === lastGlobs) {
    return lastList!;
  }
  let list =
    typeof globs === 'string'
      ? listsByString.get(globs)
      : listsByList.get(globs);
  if (!list) {
    list = compileList(globs);
  }
  lastGlobs = globs;
  lastList = list;
  return list;
}

function compileList(globs: string | readonly string[]): GlobList {
  const compiled = compileGlobs(globs);
  // The groups of each table, by its number.
  const tables: KeyGroup[][] = [[], [], []];
  const scans: CompiledGlob[] = [];
  for (const glob of compiled) {
    const needs: Array<[number, number[] | undefined]> = [
      [BASENAME, glob.basenames],
      [SUFFIX, glob.suffixes],
      [EXTENSION, glob.extensions],
    ];
    const [table, keys] = needs.find(([, k]) => k) ?? [];
    if (table === undefined || !keys) {
      scans.push(glob);
      continue;
    }
    for (const key of keys) {
      group(tables[table], key, glob);
    }
  }
  const groups = tables.flatMap((groupsOf, table) =>
    groupsOf.map(g => ({ ...g, table })),
  );
  const list: GlobList = {
    slot: nextSlot++,
    globs: compiled,
    keys: Int32Array.from(groups, g => g.key),
    keyTables: Uint8Array.from(groups, g => g.table),
    keyGlobs: groups.map(g => g.globs),
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
 * A test of single paths against globs, for callers that ask about each path once, such as
 * `Ruleset.needsContent` while a repository tree downloads: the same answer as
 * {@link matchesAny}, testing a path only against the globs that its basename, two-part suffix
 * or extension selects (looked up in maps built once, with the keys of {@link PathIndex}) and the
 * few globs that no key narrows.
 */
export function pathMatcher(
  globs: string | readonly string[] | GlobList,
): (path: string) => boolean {
  const list =
    typeof globs === 'string' || Array.isArray(globs)
      ? globList(globs)
      : (globs as GlobList);
  const tables = [BASENAME, SUFFIX, EXTENSION].map(
    () => new Map<number, CompiledGlob[]>(),
  );
  for (let k = 0; k < list.keys.length; k++) {
    tables[list.keyTables[k]].set(list.keys[k], list.keyGlobs[k]);
  }
  const byBasename = tables[BASENAME];
  const bySuffix = tables[SUFFIX];
  const byExtension = tables[EXTENSION];
  const scans = list.scans;
  return path => {
    // The backward pass of PathIndex's build, over the basename only.
    let h = 0x811c9dc5;
    let dots = 0;
    for (let j = path.length - 1; j >= 0; j--) {
      const c = path.charCodeAt(j);
      if (c === 47 /* / */) {
        break;
      }
      if (c === 46 /* . */ && dots < 2) {
        const keyed = (dots === 0 ? byExtension : bySuffix).get(h | 0);
        if (keyed && matchesAny(path, keyed)) {
          return true;
        }
        dots++;
      }
      h = Math.imul(h ^ c, 0x01000193);
    }
    const keyed = byBasename.get(h | 0);
    return (
      (keyed !== undefined && matchesAny(path, keyed)) ||
      matchesAny(path, scans)
    );
  };
}

/** Whether a path matches any glob of the list: {@link matchesAny} by the list's keys. */
export function listMatches(list: GlobList, path: string): boolean {
  list.matcher ??= pathMatcher(list);
  return list.matcher(path);
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
 * The indexes of the paths a list matches, `hits[0, hitCount)`, while {@link PathIndex} collects
 * them. Matching never runs inside another match, so one array serves every call.
 */
const hits: number[] = [];
let hitCount = 0;

/** Sorts the hits; they are usually few, which an insertion sort does fastest. */
function sortHits() {
  if (hitCount > 64) {
    const sorted = hits.slice(0, hitCount).sort((a, b) => a - b);
    for (let i = 0; i < hitCount; i++) {
      hits[i] = sorted[i];
    }
    return;
  }
  for (let i = 1; i < hitCount; i++) {
    const value = hits[i];
    let j = i - 1;
    while (j >= 0 && hits[j] > value) {
      hits[j + 1] = hits[j];
      j--;
    }
    hits[j + 1] = value;
  }
}

/**
 * Whether the path matches the glob: `glob.test(path)`, with the commonest shapes tested here
 * rather than through a call of one of many closures, which V8 cannot inline.
 */
export function testGlob(glob: CompiledGlob, path: string): boolean {
  switch (glob.kind) {
    case EQUALS:
      return path === glob.text;
    case ENDS_ANY_DEPTH:
      return (
        path.endsWith(glob.text) &&
        path.lastIndexOf('/') < path.length - glob.text.length
      );
    default:
      return glob.test(path);
  }
}

/**
 * Whether the path, whose {@link charMask} is given, matches any of the globs: the same as
 * {@link matchesAny}, with most globs ruled out by the characters they need.
 */
export function testAny(
  path: string,
  mask: number,
  globs: CompiledGlob[],
): boolean {
  for (let i = 0; i < globs.length; i++) {
    const glob = globs[i];
    if ((mask & glob.mask) === glob.mask && testGlob(glob, path)) {
      return true;
    }
  }
  return false;
}

/**
 * The index's Bloom filter of the keys present, in its first words: most keys that lists look up
 * are absent, and a bit says so sooner than a probe of the table.
 */
const BLOOM_WORDS = 128;

function mayHave(buffer: Int32Array, key: number): boolean {
  return (buffer[(key >>> 5) & (BLOOM_WORDS - 1)] & (1 << key)) !== 0;
}

/**
 * The buffer that indexes share, so that building an index allocates nothing: the last index
 * built owns it, and an index that finds it taken builds itself again. Indexes of very large
 * repositories get their own buffer.
 */
let shared = new Int32Array(4096);
/** The number of the last build into the shared buffer: the owner is the index with it. */
let sharedBuild = 0;
const MAX_SHARED = 1 << 18;

/** How many indexes have been made: the number of the last one. */
let indexCount = 0;
/**
 * The results of {@link PathIndex.find} by glob list slot, shared by every index so that an
 * evaluation allocates no memo: an entry is the index's whose number `foundBy` holds at the slot.
 * An index that finds another's entry matches again, so indexes used in turn stay correct.
 */
const found: string[][] = [];
const foundBy: number[] = [];

/**
 * An index of a repository's paths by basename, two-part suffix and extension: three chained hash
 * tables in one buffer of 32-bit integers. With `n` paths and `capacity` a power of two at least
 * `2n`, the buffer holds a Bloom filter of the keys, then each path's full hash and its
 * {@link charMask}, then, for each table, the keys, the chain heads (path index plus one, so that
 * zero marks an empty slot) and each path's next path with the same key. Chains run in ascending
 * path order.
 */
export class PathIndex {
  readonly paths: readonly string[];
  private buffer?: Int32Array;
  /** Which build into the shared buffer this index's is, when it uses that buffer. */
  private sharedBuild = 0;
  private capacity = 0;
  /** This index's number, which marks its entries in the shared memo of results. */
  private readonly number = ++indexCount;

  constructor(paths: readonly string[]) {
    this.paths = paths;
  }

  /** The paths matching any of the globs, in repository order; memoised per glob list. */
  find(globs: string | readonly string[]): string[] {
    return this.findList(globList(globs));
  }

  /** {@link find} for a compiled list. */
  findList(list: GlobList): string[] {
    const slot = list.slot;
    if (foundBy[slot] === this.number) {
      return found[slot];
    }
    const result = this.match(list);
    foundBy[slot] = this.number;
    found[slot] = result;
    return result;
  }

  /** Mixes the 32-bit hash of each full path, in order, into the hasher. */
  hashPaths(hasher: Hasher): void {
    const buffer = this.table();
    hasher.updateInts(buffer, BLOOM_WORDS, BLOOM_WORDS + this.paths.length);
  }

  private match(list: GlobList): string[] {
    const paths = this.paths;
    hitCount = 0;
    // Each source (key chain or scan) yields ascending indexes without duplicates; only hits
    // from several sources need sorting and deduplicating.
    let sources = 0;
    const keys = list.keys;
    if (keys.length > 0) {
      const buffer = this.table();
      for (let k = 0; k < keys.length; k++) {
        const key = keys[k];
        if (mayHave(buffer, key)) {
          sources += this.collect(
            buffer,
            list.keyTables[k],
            key,
            list.keyGlobs[k],
          );
        }
      }
    }
    for (const glob of list.scans) {
      sources += this.scan(glob);
    }
    if (sources > 1) {
      sortHits();
    }
    let count = 0;
    for (let i = 0; i < hitCount; i++) {
      if (i === 0 || hits[i] !== hits[i - 1]) {
        hits[count++] = hits[i];
      }
    }
    const result: string[] = new Array(count);
    for (let i = 0; i < count; i++) {
      result[i] = paths[hits[i]];
    }
    return result;
  }

  /** Adds the indexes on the key's chain that match any of the globs; 1 if it found any. */
  private collect(
    buffer: Int32Array,
    table: number,
    key: number,
    globs: CompiledGlob[],
  ): number {
    const paths = this.paths;
    const capacity = this.capacity;
    const mask = capacity - 1;
    const keys =
      BLOOM_WORDS + 2 * paths.length + table * (2 * capacity + paths.length);
    const heads = keys + capacity;
    let slot = key & mask;
    while (buffer[heads + slot] !== 0 && buffer[keys + slot] !== key) {
      slot = (slot + 1) & mask;
    }
    const next = heads + capacity;
    const before = hitCount;
    const masks = BLOOM_WORDS + paths.length;
    for (let i = buffer[heads + slot] - 1; i !== -1; i = buffer[next + i]) {
      if (testAny(paths[i], buffer[masks + i], globs)) {
        hits[hitCount++] = i;
      }
    }
    return hitCount > before ? 1 : 0;
  }

  /**
   * Adds the indexes of the paths that match a glob the index cannot narrow, testing first for
   * the literal text it requires; 1 if it found any.
   */
  private scan(glob: CompiledGlob): number {
    const paths = this.paths;
    const buffer = this.table();
    const masks = BLOOM_WORDS + paths.length;
    const { literal, mask } = glob;
    const before = hitCount;
    for (let i = 0; i < paths.length; i++) {
      if (
        (buffer[masks + i] & mask) === mask &&
        (literal === undefined || paths[i].includes(literal)) &&
        testGlob(glob, paths[i])
      ) {
        hits[hitCount++] = i;
      }
    }
    return hitCount > before ? 1 : 0;
  }

  /** The index's buffer, built on first use and again when another index took it. */
  private table(): Int32Array {
    const buffer = this.buffer;
    if (buffer && (buffer !== shared || this.sharedBuild === sharedBuild)) {
      return buffer;
    }
    return this.build();
  }

  private build(): Int32Array {
    const paths = this.paths;
    const size = paths.length;
    // At most half full, so that probes stay short.
    let capacity = 8;
    while (capacity < size * 2) {
      capacity *= 2;
    }
    const tableSize = 2 * capacity + size;
    const length = BLOOM_WORDS + 2 * size + 3 * tableSize;
    let buffer: Int32Array;
    if (length <= MAX_SHARED) {
      if (shared.length < length) {
        shared = new Int32Array(Math.max(length, 2 * shared.length));
      }
      buffer = shared;
      buffer.fill(0, 0, length);
      this.sharedBuild = ++sharedBuild;
    } else {
      buffer = new Int32Array(length);
    }
    this.buffer = buffer;
    this.capacity = capacity;
    const mask = capacity - 1;
    const masks = BLOOM_WORDS + size;
    const basenames = masks + size;
    const suffixes = basenames + tableSize;
    const extensions = basenames + 2 * tableSize;
    // Prepends path i to the chain of the key in the table starting at `keys`; paths come in
    // descending order, so chains end up ascending.
    const prepend = (keys: number, key: number, i: number) => {
      const heads = keys + capacity;
      let slot = key & mask;
      while (buffer[heads + slot] !== 0 && buffer[keys + slot] !== key) {
        slot = (slot + 1) & mask;
      }
      buffer[heads + capacity + i] = buffer[heads + slot] - 1;
      buffer[keys + slot] = key;
      buffer[heads + slot] = i + 1;
      buffer[(key >>> 5) & (BLOOM_WORDS - 1)] |= 1 << key;
    };
    for (let i = size - 1; i >= 0; i--) {
      const path = paths[i];
      // One backward pass hashes the extension (after the last dot), the two-part suffix (after
      // the second-to-last dot), the basename and the whole path, and collects its characters'
      // mask; the directories, most of the path, take a loop without branches.
      let h = 0x811c9dc5;
      let chars = 0;
      let j = path.length - 1;
      let dots = 0;
      for (; j >= 0; j--) {
        const c = path.charCodeAt(j);
        if (c === 47 /* / */) {
          break;
        }
        if (c === 46 /* . */) {
          if (dots === 0) {
            prepend(extensions, h | 0, i);
          } else if (dots === 1) {
            prepend(suffixes, h | 0, i);
          }
          dots++;
        }
        h = Math.imul(h ^ c, 0x01000193);
        chars |= c < 128 ? CLASS_BITS[c] : NON_ASCII;
      }
      prepend(basenames, h | 0, i);
      for (; j >= 0; j--) {
        const c = path.charCodeAt(j);
        h = Math.imul(h ^ c, 0x01000193);
        chars |= c < 128 ? CLASS_BITS[c] : NON_ASCII;
      }
      buffer[BLOOM_WORDS + i] = h;
      buffer[masks + i] = chars;
    }
    return buffer;
  }
}
