import type { RepositorySnapshot } from '../types';
import type { FileMatch, RepositoryView } from './checkTypes';
import { CompiledGlob, PathIndex, compileGlobs, matchesAny } from './globs';

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
 * One evaluation's access to a repository snapshot, shared by all checks: the path index, the
 * contents read so far (each file is read at most once) and search results.
 */
export class RepositoryAccess {
  readonly index: PathIndex;
  private readonly snapshot: RepositorySnapshot;
  private readonly contents = new Map<string, string | undefined>();
  /** Search results by glob list and pattern (both by identity: checks pass constants). */
  private readonly searches = new Map<
    string | readonly string[],
    Map<RegExp, FileMatch | null>
  >();
  private readonly views = new Map<readonly string[], RepositoryView>();

  constructor(snapshot: RepositorySnapshot) {
    this.snapshot = snapshot;
    this.index = new PathIndex(snapshot.paths);
  }

  read(path: string): string | undefined {
    if (this.contents.has(path)) {
      return this.contents.get(path);
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
    allowed: CompiledGlob[],
  ): FileMatch | undefined {
    let byPattern = this.searches.get(globs);
    if (!byPattern) {
      byPattern = new Map();
      this.searches.set(globs, byPattern);
    }
    const cached = byPattern.get(pattern);
    if (cached !== undefined) {
      return cached ?? undefined;
    }
    const found = this.searchUncached(globs, pattern, allowed);
    byPattern.set(pattern, found ?? null);
    return found;
  }

  private searchUncached(
    globs: string | readonly string[],
    pattern: RegExp,
    allowed: CompiledGlob[],
  ): FileMatch | undefined {
    const lineStart = withoutState(pattern);
    for (const path of this.index.find(globs)) {
      assertReadable(path, allowed);
      const content = this.read(path);
      if (content === undefined) {
        continue;
      }
      const match = lineStart.exec(content);
      if (match) {
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
    }
    return undefined;
  }

  /** The view of one check, limited to reading the files it declares. */
  viewFor(reads: readonly string[]): RepositoryView {
    const cached = this.views.get(reads);
    if (cached) {
      return cached;
    }
    const allowed = compileGlobs(reads);
    const view: RepositoryView = {
      paths: this.index.paths,
      find: globs => this.index.find(globs),
      has: globs => this.index.find(globs).length > 0,
      read: path => {
        assertReadable(path, allowed);
        return this.read(path);
      },
      search: (globs, pattern) => this.search(globs, pattern, allowed),
    };
    this.views.set(reads, view);
    return view;
  }
}

function assertReadable(path: string, allowed: CompiledGlob[]) {
  if (!matchesAny(path, allowed)) {
    throw new Error(
      `the check read '${path}', which is not among the files it declares in 'reads'`,
    );
  }
}
