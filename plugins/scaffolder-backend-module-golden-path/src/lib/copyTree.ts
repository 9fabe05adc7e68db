import { InputError } from '@backstage/errors';
import {
  describeFileType,
  isPathInside,
} from '@paved/plugin-platform-maturity-node';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

type TreeEntry =
  | { type: 'directory'; relPath: string }
  | { type: 'file'; relPath: string; mode: number }
  | { type: 'symlink'; relPath: string; link: string };

/**
 * A directory tree checked for copying (see {@link planTreeCopy}); copy it with
 * {@link copyPlannedTree}.
 *
 * @internal
 */
export type TreePlan = { source: string; entries: TreeEntry[] };

/**
 * Options of {@link planTreeCopy}.
 *
 * @internal
 */
export type PlanTreeCopyOptions = {
  /** Starts every error, for example `Cannot publish the workspace`. */
  subject: string;
  /** What the tree is, in errors: `the repository`, `the workspace`. */
  treeName: string;
  /** Names of top-level entries to leave out (`.git`). */
  exclude?: readonly string[];
};

// Only what the file system reports, not the time between the checks and the copy, is trusted:
// files are opened with these flags and checked again on the handle (docs/architecture.md).
const OPEN_FLAGS =
  fs.constants.O_RDONLY |
  (fs.constants.O_NONBLOCK ?? 0) |
  (fs.constants.O_NOFOLLOW ?? 0);
const CREATE_FLAGS =
  fs.constants.O_WRONLY |
  fs.constants.O_CREAT |
  fs.constants.O_TRUNC |
  (fs.constants.O_NONBLOCK ?? 0) |
  (fs.constants.O_NOFOLLOW ?? 0);

/**
 * Walks a tree without following links and checks that it can be copied as it is: regular
 * files, directories, and relative symbolic links that resolve inside the tree (copied verbatim,
 * so they still point inside the copy). A FIFO, socket or device, an absolute link, or a link out
 * of the tree, nowhere or into a loop fails the whole copy before anything is written.
 *
 * @throws InputError naming the first entry that cannot be copied
 * @internal
 */
export async function planTreeCopy(
  source: string,
  options: PlanTreeCopyOptions,
): Promise<TreePlan> {
  const root = await fs.promises.realpath(source);
  const entries: TreeEntry[] = [];
  const refuse = (relPath: string, problem: string) =>
    new InputError(
      `${options.subject}: ${relPath.split(path.sep).join('/')} is ${problem}`,
    );

  async function walk(relDir: string): Promise<void> {
    const names = (await fs.promises.readdir(path.join(root, relDir))).sort();
    for (const name of names) {
      if (relDir === '' && options.exclude?.includes(name)) {
        continue;
      }
      const relPath = path.join(relDir, name);
      const absPath = path.join(root, relPath);
      const stat = await fs.promises.lstat(absPath);
      if (stat.isDirectory()) {
        entries.push({ type: 'directory', relPath });
        await walk(relPath);
      } else if (stat.isFile()) {
        entries.push({ type: 'file', relPath, mode: stat.mode & 0o777 });
      } else if (stat.isSymbolicLink()) {
        const link = await fs.promises.readlink(absPath);
        if (path.isAbsolute(link)) {
          throw refuse(
            relPath,
            `a symbolic link to an absolute path (${link}); only relative links inside ${options.treeName} are copied`,
          );
        }
        const lexical = path.resolve(path.dirname(absPath), link);
        const real = await fs.promises.realpath(absPath).catch(() => undefined);
        if (real === undefined) {
          throw refuse(
            relPath,
            `a symbolic link that points nowhere or into a loop (${link})`,
          );
        }
        if (!isPathInside(root, lexical) || !isPathInside(root, real)) {
          throw refuse(
            relPath,
            `a symbolic link that points outside ${options.treeName} (${link})`,
          );
        }
        entries.push({ type: 'symlink', relPath, link });
      } else {
        throw refuse(
          relPath,
          `${describeFileType(
            stat,
          )}, not a regular file; only regular files, directories and links are copied`,
        );
      }
    }
  }

  await walk('');
  return { source: root, entries };
}

/**
 * Copies a tree planned by {@link planTreeCopy} into `target`: links verbatim, files with their
 * permissions, each file checked again on its open handle.
 *
 * @internal
 */
export async function copyPlannedTree(
  plan: TreePlan,
  target: string,
  subject: string,
): Promise<void> {
  await fs.promises.mkdir(target, { recursive: true });
  for (const entry of plan.entries) {
    const from = path.join(plan.source, entry.relPath);
    const to = path.join(target, entry.relPath);
    if (entry.type === 'directory') {
      const existing = await fs.promises.lstat(to).catch(() => undefined);
      if (existing && !existing.isDirectory()) {
        // Never write through a link (or into anything else) that is already in the target.
        throw new InputError(
          `${subject}: ${entry.relPath} exists in the target and is not a directory`,
        );
      }
      await fs.promises.mkdir(to, { recursive: true });
    } else if (entry.type === 'symlink') {
      await fs.promises.rm(to, { force: true });
      await fs.promises.symlink(entry.link, to);
    } else {
      const handle = await fs.promises.open(from, OPEN_FLAGS);
      try {
        const type = describeFileType(await handle.stat());
        if (type) {
          throw new InputError(
            `${subject}: ${entry.relPath} is ${type}, not a regular file`,
          );
        }
        await fs.promises.rm(to, { force: true });
        const output = await fs.promises.open(to, CREATE_FLAGS, entry.mode);
        await pipeline(
          handle.createReadStream({ autoClose: false }),
          output.createWriteStream(),
        );
        await fs.promises.chmod(to, entry.mode);
      } finally {
        await handle.close();
      }
    }
  }
}
