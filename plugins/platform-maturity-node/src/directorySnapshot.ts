import type { RepositorySnapshot } from '@paved/plugin-platform-maturity-common';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Directory names that are never evidence of how a service is built or run: version control,
 * installed dependencies, vendored trees and tool caches.
 *
 * @public
 */
export const SKIPPED_DIRECTORIES: readonly string[] = Object.freeze([
  '.git',
  '.hg',
  '.svn',
  'node_modules',
  'bower_components',
  'vendor',
  'third_party',
  '.venv',
  'venv',
  '__pycache__',
  '.tox',
  '.terraform',
  '.gradle',
  '.yarn',
  '.pnpm-store',
  '.next',
  '.cache',
]);

/**
 * Options for {@link readDirectorySnapshot}.
 *
 * @public
 */
export interface DirectorySnapshotOptions {
  /** Files larger than this many bytes are listed but never read. Default 256 KiB. */
  maxFileSize?: number;
  /** The walk stops after this many files and the snapshot is marked truncated. Default 100,000. */
  maxFiles?: number;
  /** Directory names to skip, replacing {@link SKIPPED_DIRECTORIES}. */
  skipDirectories?: readonly string[];
}

/**
 * A repository snapshot read from a directory on disk.
 *
 * @public
 */
export interface DirectorySnapshot extends RepositorySnapshot {
  /** The absolute, real path of the directory. */
  root: string;
  /** True when the walk stopped at `maxFiles`. */
  truncated: boolean;
}

const DEFAULT_MAX_FILE_SIZE = 256 * 1024;
const DEFAULT_MAX_FILES = 100_000;
const BINARY_SNIFF_BYTES = 8000;

function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return (
    relative === '' ||
    (!relative.startsWith('..') && !path.isAbsolute(relative))
  );
}

/**
 * Lists the files of a directory as repository evidence for the scoring engine. Skips version
 * control, installed dependencies and vendored trees; follows a symbolic link only when it
 * resolves inside the directory; reads a file's content only when a check asks for it, and never
 * reads binary files or files over the size limit.
 *
 * @public
 */
export async function readDirectorySnapshot(
  directory: string,
  options: DirectorySnapshotOptions = {},
): Promise<DirectorySnapshot> {
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const maxFiles = options.maxFiles ?? DEFAULT_MAX_FILES;
  const skipped = new Set(options.skipDirectories ?? SKIPPED_DIRECTORIES);
  const root = await fs.promises.realpath(directory);
  if (!(await fs.promises.stat(root)).isDirectory()) {
    throw new Error(`${directory} is not a directory`);
  }

  const files = new Map<string, string>(); // relative path -> real absolute path
  const visited = new Set<string>([root]);
  let truncated = false;

  async function walk(realDir: string, relativeDir: string): Promise<void> {
    const entries = await fs.promises.readdir(realDir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      if (truncated) {
        return;
      }
      const relative = relativeDir
        ? `${relativeDir}/${entry.name}`
        : entry.name;
      let real = path.join(realDir, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          real = await fs.promises.realpath(real);
          const stat = await fs.promises.stat(real);
          isDirectory = stat.isDirectory();
          isFile = stat.isFile();
        } catch {
          continue; // a dangling link
        }
        if (!isInside(root, real)) {
          continue; // never follow a link out of the directory
        }
      }
      if (isDirectory) {
        if (!skipped.has(entry.name) && !visited.has(real)) {
          visited.add(real);
          await walk(real, relative);
        }
      } else if (isFile) {
        if (files.size >= maxFiles) {
          truncated = true;
          return;
        }
        files.set(relative, real);
      }
    }
  }

  await walk(root, '');

  return {
    root,
    truncated,
    paths: [...files.keys()].sort(),
    read(relativePath: string): string | undefined {
      const real = files.get(relativePath);
      if (!real) {
        return undefined;
      }
      try {
        // The tree may have changed since the walk: re-check that the file is still inside.
        if (!isInside(root, fs.realpathSync(real))) {
          return undefined;
        }
        if (fs.statSync(real).size > maxFileSize) {
          return undefined;
        }
        const buffer = fs.readFileSync(real);
        if (buffer.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
          return undefined;
        }
        return buffer.toString('utf8');
      } catch {
        return undefined;
      }
    },
  };
}
