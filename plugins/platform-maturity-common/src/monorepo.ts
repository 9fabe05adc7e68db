/**
 * An entity's repository view in a monorepo: its own directory plus the pipelines and the
 * dependency update bot configuration at the repository's root. The backend and the command-line
 * scorer build it with these same functions.
 */
import { isDependencyBotConfig } from './checks/build';
import { isPipelineFile } from './checks/ci';
import type { RepositorySnapshot } from './types';

/**
 * Whether a path at the root of a repository is one of its pipelines, or the configuration of its
 * dependency update bot (which covers every component of the repository): a file at the root
 * itself or in one of the root's hidden directories (`.github/workflows`, `.github/renovate.json5`,
 * `.gitlab/ci`, `.circleci` and the like), not in another component's directory of the monorepo.
 *
 * @public
 */
export function isRootPipeline(filePath: string): boolean {
  return (
    (!filePath.includes('/') || filePath.startsWith('.')) &&
    (isPipelineFile(filePath) || isDependencyBotConfig(filePath))
  );
}

/**
 * The files of one directory of a repository snapshot, with paths relative to that directory.
 *
 * @param directory - a `/`-separated path relative to the snapshot's root; `''` is the root
 * @public
 */
export function subdirectorySnapshot(
  snapshot: RepositorySnapshot,
  directory: string,
): RepositorySnapshot {
  const prefix = directory.replace(/^\/+|\/+$/g, '');
  if (!prefix) {
    return snapshot;
  }
  const start = `${prefix}/`;
  return {
    paths: snapshot.paths
      .filter(p => p.startsWith(start))
      .map(p => p.slice(start.length)),
    read: p => snapshot.read(start + p),
    truncated: snapshot.truncated,
  };
}

/**
 * The snapshot of a component's directory with the pipelines of its repository's root added
 * under their paths from the root (see {@link isRootPipeline}), where the directory has no file of
 * the same path. `root` may hold the whole repository: only its root pipelines are added.
 *
 * @public
 */
export function withRootPipelines(
  own: RepositorySnapshot,
  root: RepositorySnapshot,
): RepositorySnapshot {
  const ownPaths = new Set(own.paths);
  const added = root.paths.filter(p => !ownPaths.has(p) && isRootPipeline(p));
  if (added.length === 0 && !root.truncated) {
    return own;
  }
  return {
    paths: [...own.paths, ...added],
    read: p => (ownPaths.has(p) ? own.read(p) : root.read(p)),
    // A pipeline missing from a partly read root may be among the files not read.
    truncated: own.truncated === true || root.truncated === true,
  };
}
