import { InputError } from '@backstage/errors';
import type { RepositorySnapshot } from '@paved/plugin-platform-maturity-common';
import fs from 'node:fs';
import path from 'node:path';
import {
  describeFileType,
  isPathInside,
  readRegularFileSync,
} from './regularFile';

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
  /**
   * Entries that are never evidence and never read: FIFOs, sockets and devices, and symbolic
   * links that point outside the directory, nowhere, or into a loop.
   */
  skipped: SkippedEntry[];
}

/**
 * An entry of a directory that {@link readDirectorySnapshot} left out, and why.
 *
 * @public
 */
export interface SkippedEntry {
  /** Path relative to the directory, with `/` separators. */
  path: string;
  /**
   * `not-regular` for a FIFO, socket or device; `link-out` for a symbolic link that points
   * outside the directory; `link-broken` for one that points nowhere or into a loop.
   */
  kind: 'not-regular' | 'link-out' | 'link-broken';
  /** What the entry is, for example `a FIFO (named pipe), not a regular file`. */
  reason: string;
}

const DEFAULT_MAX_FILE_SIZE = 256 * 1024;
/**
 * How many files {@link readDirectorySnapshot} lists by default before it stops and marks the
 * snapshot truncated.
 *
 * @public
 */
export const DEFAULT_MAX_FILES = 100_000;
const BINARY_SNIFF_BYTES = 8000;

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
  if (!Number.isInteger(maxFiles) || maxFiles < 1) {
    throw new InputError(
      `maxFiles must be a whole number of files, at least 1; got ${maxFiles}`,
    );
  }
  const skipped = new Set(options.skipDirectories ?? SKIPPED_DIRECTORIES);
  const root = await fs.promises.realpath(directory);
  if (!(await fs.promises.stat(root)).isDirectory()) {
    throw new Error(`${directory} is not a directory`);
  }

  const files = new Map<string, string>(); // relative path -> real absolute path
  const visited = new Set<string>([root]);
  const skippedEntries: SkippedEntry[] = [];
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
      let stat: fs.Stats | fs.Dirent = entry;
      if (entry.isSymbolicLink()) {
        try {
          real = await fs.promises.realpath(real);
          stat = await fs.promises.stat(real);
        } catch {
          skippedEntries.push({
            path: relative,
            kind: 'link-broken',
            reason: 'a symbolic link that points nowhere or into a loop',
          });
          continue;
        }
        if (!isPathInside(root, real)) {
          skippedEntries.push({
            path: relative,
            kind: 'link-out',
            reason: 'a symbolic link that points outside the directory',
          });
          continue;
        }
      }
      const isDirectory = stat.isDirectory();
      const isFile = stat.isFile();
      if (!isDirectory && !isFile) {
        skippedEntries.push({
          path: relative,
          kind: 'not-regular',
          reason: `${describeFileType(stat)}, not a regular file`,
        });
      } else if (isDirectory) {
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
    skipped: skippedEntries,
    paths: [...files.keys()].sort(),
    read(relativePath: string): string | undefined {
      const real = files.get(relativePath);
      if (!real) {
        return undefined;
      }
      try {
        // The tree may have changed since the walk: the file must still be a regular file inside.
        const buffer = readRegularFileSync(real, {
          root,
          maxSize: maxFileSize,
        });
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
