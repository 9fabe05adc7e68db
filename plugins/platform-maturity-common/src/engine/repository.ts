import type { RepositorySnapshot } from '../types';
import type { FileMatch, RepositoryView } from './checkTypes';
import { GlobList, PathIndex, covers, globList, matchesAny } from './globs';

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
  if (!match) {
    return undefined;
  }
  const start = content.lastIndexOf('\n', match.index) + 1;
  const endIndex = content.indexOf('\n', match.index + match[0].length);
  const end = endIndex === -1 ? content.length : endIndex;
  let line = 1;
  for (let i = content.indexOf('\n'); i !== -1 && i < start; ) {
    line++;
    i = content.indexOf('\n', i + 1);
  }
  return {
    path,
    line,
    text: content.slice(start, end).trim().slice(0, MAX_MATCH_TEXT),
  };
}

/**
 * The searches done over one glob list: patterns (by identity: checks pass constants) and their
 * results, side by side. A list is searched with a few patterns at most, so a scan beats a map.
 */
interface Searches {
  patterns: RegExp[];
  results: Array<FileMatch | undefined>;
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
}

/**
 * One evaluation's access to a repository snapshot, shared by all checks: the path index, the
 * contents read so far (each file is read at most once) and search results.
 */
export class RepositoryAccess {
  readonly index: PathIndex;
  private readonly snapshot: RepositorySnapshot;
  private readonly contents = new Map<string, string | undefined>();
  /** Searches by glob list slot. */
  private readonly searches: Array<Searches | undefined> = [];

  constructor(snapshot: RepositorySnapshot) {
    this.snapshot = snapshot;
    this.index = new PathIndex(snapshot.paths);
  }

  read(path: string): string | undefined {
    const cached = this.contents.get(path);
    if (cached !== undefined || this.contents.has(path)) {
      return cached;
    }
    const content = this.snapshot.read(path);
    const text = typeof content === 'string' ? content : undefined;
    this.contents.set(path, text);
    return text;
  }

  /** The files read so far, sorted by path, for the evidence digest. */
  readFiles(): Array<[string, string | undefined]> {
    // Paths are unique keys, so two entries never compare equal.
    return [...this.contents.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  }

  search(
    globs: string | readonly string[],
    pattern: RegExp,
    allowed: GlobList,
  ): FileMatch | undefined {
    const list = globList(globs);
    let searches = this.searches[list.slot];
    if (!searches) {
      searches = { patterns: [], results: [] };
      this.searches[list.slot] = searches;
    }
    const at = searches.patterns.indexOf(pattern);
    if (at !== -1) {
      return searches.results[at];
    }
    const found = this.searchUncached(list, pattern, allowed);
    searches.patterns.push(pattern);
    searches.results.push(found);
    return found;
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

  /** The view of one check, limited to reading the files it declares. */
  viewFor(reads: readonly string[]): RepositoryView {
    return new CheckView(this, globList(reads));
  }
}

function assertReadable(path: string, allowed: GlobList) {
  if (!matchesAny(path, allowed.globs)) {
    throw new Error(
      `the check read '${path}', which is not among the files it declares in 'reads'`,
    );
  }
}
