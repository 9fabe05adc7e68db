import type { RepositorySnapshot } from '../types';
import type { FileMatch, RepositoryView } from './checkTypes';
import { withoutComments } from './comments';
import { GlobList, PathIndex, covers, globList, listMatches } from './globs';
import type { Hasher } from './hash';
import { sortStrings } from './hash';

const MAX_MATCH_TEXT = 160;
const stateless = new WeakMap<RegExp, RegExp>();

/** The pattern without the `g` and `y` flags, whose `lastIndex` state would leak between files. */
function withoutState(pattern: RegExp): RegExp {
  if (!pattern.global && !pattern.sticky) {
    return pattern;
  }
  let copy = stateless.get(pattern);
  if (!copy) {
    copy = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
    stateless.set(pattern, copy);
  }
  return copy;
}

/**
 * The line of a file that the pattern matches first, as a search reports it: its 1-based number
 * and its text, trimmed and shortened. Checks that read a file themselves use it too.
 */
export function matchIn(
  path: string,
  content: string,
  pattern: RegExp,
): FileMatch | undefined {
  const match = withoutState(pattern).exec(content);
  return match ? fileMatchAt(path, content, match) : undefined;
}

/**
 * The match of a regular expression in a file, as a search reports it: the lines from the one
 * where it starts to the one where it ends.
 */
export function fileMatchAt(
  path: string,
  content: string,
  match: RegExpExecArray,
): FileMatch {
  const start = content.lastIndexOf('\n', match.index) + 1;
  const endIndex = content.indexOf('\n', match.index + match[0].length);
  const end = endIndex === -1 ? content.length : endIndex;
  return {
    path,
    line: lineAt(content, start),
    text: content.slice(start, end).trim().slice(0, MAX_MATCH_TEXT),
  };
}

/** The line breaks found so far in a text: every one before `scanned`, in order. */
interface LineBreaks {
  text: string;
  breaks: number[];
  scanned: number;
}

/**
 * The line breaks of the texts searched last. Several checks search the same few files (the
 * pipeline, the Helm values), and strings never change, so a text's breaks are found once per
 * evaluation; each evaluation of a repository starts afresh (see {@link RepositoryAccess}).
 */
const lineBreaks: LineBreaks[] = [];
let nextLineBreaks = 0;

function forgetLineBreaks() {
  lineBreaks.length = 0;
  nextLineBreaks = 0;
}

/** The 1-based number of the line that starts at `start` (just after a break, or at 0). */
function lineAt(text: string, start: number): number {
  let known = lineBreaks.find(l => l.text === text);
  if (!known) {
    known = { text, breaks: [], scanned: 0 };
    lineBreaks[nextLineBreaks] = known;
    nextLineBreaks = (nextLineBreaks + 1) % 4;
  }
  const breaks = known.breaks;
  for (let i = known.scanned; known.scanned < start; i++) {
    const at = text.indexOf('\n', i);
    if (at === -1 || at >= start) {
      known.scanned = start;
      break;
    }
    breaks.push(at);
    i = at;
    known.scanned = at + 1;
  }
  // The breaks before `start`, by binary search.
  let low = 0;
  let high = breaks.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (breaks[mid] < start) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return low + 1;
}

/** The repository as one check sees it: methods on a class, so a view costs one allocation. */
class CheckView implements RepositoryView {
  private readonly access: RepositoryAccess;
  private readonly allowed: GlobList;

  constructor(access: RepositoryAccess, allowed: GlobList) {
    this.access = access;
    this.allowed = allowed;
  }

  get paths(): readonly string[] {
    return this.access.index.paths;
  }

  find(globs: string | readonly string[]): string[] {
    return this.access.index.find(globs);
  }

  has(globs: string | readonly string[]): boolean {
    return this.access.index.find(globs).length > 0;
  }

  read(path: string): string | undefined {
    assertReadable(path, this.allowed);
    return this.access.read(path);
  }

  search(
    globs: string | readonly string[],
    pattern: RegExp,
  ): FileMatch | undefined {
    return this.access.search(globs, pattern, this.allowed);
  }

  searchCommentedOut(
    globs: string | readonly string[],
    patterns: readonly RegExp[],
  ): FileMatch | undefined {
    return this.access.searchCommentedOut(globs, patterns, this.allowed);
  }

  /**
   * The access's value for the key, computed the first time through a view limited to `reads`,
   * which must be among this check's.
   */
  memo<T>(
    key: object,
    reads: readonly string[],
    compute: (view: RepositoryView) => T,
  ): T {
    const list = globList(reads);
    if (!covers(this.allowed, list)) {
      throw new Error(
        `the check uses files (${reads.join(
          ', ',
        )}) that are not all among the files it declares in 'reads'`,
      );
    }
    return this.access.memo(key, () => compute(this.access.viewFor(list)));
  }
}

/**
 * A value derived from the repository's files, computed once per evaluation and shared by every
 * check that asks with the same key, such as the scripts and targets the pipelines call. It is
 * computed through a view that reads only `reads`, globs that each check asking must declare in
 * its own `reads`. A view that is not the engine's (a test's own) computes it on every call.
 */
export function evaluationMemo<T>(
  repository: RepositoryView,
  key: object,
  reads: readonly string[],
  compute: (view: RepositoryView) => T,
): T {
  return repository instanceof CheckView
    ? repository.memo(key, reads, compute)
    : compute(repository);
}

/** A repository search stopped at the deadline of the entity's time budget. */
export class OverBudgetError extends Error {
  constructor() {
    super(
      "Not evaluated: the search of the repository's files took longer than the entity's time budget.",
    );
    this.name = 'OverBudgetError';
  }
}

/** A search of a list's files with a pattern other than the first one searched in them. */
interface OtherSearch {
  slot: number;
  pattern: RegExp;
  result: FileMatch | undefined;
}

/** How many repository accesses have been made: the number of the last one. */
let accessCount = 0;
/**
 * By glob list slot: the first pattern searched in the list's files and its result (`null` for
 * none), shared by every access like the index's memo: an entry is the access's whose number
 * `searchedBy` holds. Checks search a list with one pattern, rarely two; the others are in the
 * access's `otherSearches`.
 */
const searchPatterns: RegExp[] = [];
const searchResults: Array<FileMatch | null> = [];
const searchedBy: number[] = [];

/**
 * One evaluation's access to a repository snapshot, shared by all checks: the path index, the
 * contents read so far (each file is read at most once) and search results.
 */
export class RepositoryAccess {
  readonly index: PathIndex;
  private readonly snapshot: RepositorySnapshot;
  private readonly contents = new Map<string, string | undefined>();
  /** The paths read, in the order first read. */
  private readonly readPaths: string[] = [];
  /** This access's number, which marks its entries in the shared memo of searches. */
  private readonly number = ++accessCount;
  /** Searches besides the first of each list (see `searchPatterns`), or of another access's. */
  private otherSearches: OtherSearch[] | undefined;
  /** Values derived from the files, by key (see {@link evaluationMemo}). */
  private memos: Map<object, unknown> | undefined;
  /** When searches must stop (`performance.now()` time): the end of the entity's time budget. */
  deadline = Infinity;

  constructor(snapshot: RepositorySnapshot) {
    this.snapshot = snapshot;
    this.index = new PathIndex(snapshot.paths);
    forgetLineBreaks();
  }

  read(path: string): string | undefined {
    const cached = this.contents.get(path);
    if (cached !== undefined || this.contents.has(path)) {
      return cached;
    }
    const content = this.snapshot.read(path);
    // Checks see files without their comments: a commented-out line is never evidence.
    const text =
      typeof content === 'string' ? withoutComments(path, content) : undefined;
    this.contents.set(path, text);
    this.readPaths.push(path);
    return text;
  }

  /** Mixes each file read so far, in path order, and its content into the hasher. */
  hashReads(hasher: Hasher): void {
    for (const path of sortStrings(this.readPaths)) {
      hasher.update(path).update(this.contents.get(path) ?? '\u0000');
    }
  }

  search(
    globs: string | readonly string[],
    pattern: RegExp,
    allowed: GlobList,
  ): FileMatch | undefined {
    const list = globList(globs);
    const slot = list.slot;
    const mine = searchedBy[slot] === this.number;
    if (mine && searchPatterns[slot] === pattern) {
      return searchResults[slot] ?? undefined;
    }
    if (this.otherSearches) {
      for (const other of this.otherSearches) {
        if (other.slot === slot && other.pattern === pattern) {
          return other.result;
        }
      }
    }
    const result = this.searchUncached(list, pattern, allowed);
    if (!mine) {
      searchedBy[slot] = this.number;
      searchPatterns[slot] = pattern;
      searchResults[slot] = result ?? null;
    } else {
      (this.otherSearches ??= []).push({ slot, pattern, result });
    }
    return result;
  }

  private searchUncached(
    list: GlobList,
    pattern: RegExp,
    allowed: GlobList,
  ): FileMatch | undefined {
    const lineStart = withoutState(pattern);
    // Globs that are all among the allowed ones only find readable paths.
    const checked = !covers(allowed, list);
    for (const path of this.index.findList(list)) {
      if (checked) {
        assertReadable(path, allowed);
      }
      if (performance.now() > this.deadline) {
        throw new OverBudgetError();
      }
      const content = this.read(path);
      if (content === undefined) {
        continue;
      }
      const match = matchIn(path, content, lineStart);
      if (match) {
        return match;
      }
    }
    return undefined;
  }

  /**
   * The first line of the files that matches one of the patterns as written but not once its
   * comments are removed. Each file's lines stay where they were without comments, so the line
   * numbers of both texts agree.
   */
  searchCommentedOut(
    globs: string | readonly string[],
    patterns: readonly RegExp[],
    allowed: GlobList,
  ): FileMatch | undefined {
    const list = globList(globs);
    const checked = !covers(allowed, list);
    for (const path of this.index.findList(list)) {
      if (checked) {
        assertReadable(path, allowed);
      }
      const text = this.read(path);
      const raw = this.snapshot.read(path);
      if (text === undefined || typeof raw !== 'string' || raw === text) {
        continue;
      }
      const lines = text.split('\n');
      const rawLines = raw.split('\n');
      for (let i = 0; i < rawLines.length; i++) {
        if (
          rawLines[i] !== lines[i] &&
          patterns.some(
            pattern =>
              withoutState(pattern).test(rawLines[i]) &&
              !withoutState(pattern).test(lines[i] ?? ''),
          )
        ) {
          return { path, line: i + 1, text: rawLines[i].trim().slice(0, 160) };
        }
      }
    }
    return undefined;
  }

  memo<T>(key: object, compute: () => T): T {
    this.memos ??= new Map();
    if (this.memos.has(key)) {
      return this.memos.get(key) as T;
    }
    const value = compute();
    this.memos.set(key, value);
    return value;
  }

  /** The view of one check, limited to reading the files it declares. */
  viewFor(reads: GlobList): RepositoryView {
    return new CheckView(this, reads);
  }
}

function assertReadable(path: string, allowed: GlobList) {
  if (!listMatches(allowed, path)) {
    throw new Error(
      `the check read '${path}', which is not among the files it declares in 'reads'`,
    );
  }
}
