import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { usageError } from './errors';

const OPTION = '--baseline-ref';

class GitCommandError extends Error {
  constructor(readonly args: string[], readonly stderr: string) {
    super(stderr.trim().split('\n')[0] || `git ${args.join(' ')} failed`);
  }
}

function git(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd: options.cwd,
        env: options.env ?? process.env,
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (!error) {
          resolve(stdout);
        } else if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(
            usageError(
              OPTION,
              'needs the git command line, which was not found on the PATH',
            ),
          );
        } else {
          reject(new GitCommandError(args, stderr));
        }
      },
    );
  });
}

/**
 * The files of a directory at a git revision, checked out into a temporary directory.
 *
 * @internal
 */
export interface RevisionCheckout {
  /** The full commit hash the revision resolved to. */
  commit: string;
  /**
   * The directory's files at the revision, or undefined when the directory did not exist there.
   */
  directory?: string;
  /**
   * The content of a file at the revision (an absolute path inside the repository), undefined when
   * it did not exist there; null when the file is outside the repository.
   */
  readFile(file: string): Promise<string | undefined | null>;
  /** Removes the temporary directory. */
  cleanup(): Promise<void>;
}

/**
 * Checks out a directory of a git repository as it was at a revision, without touching the
 * working tree, the index or the worktree list: the revision's tree is read into a temporary index
 * and checked out from it into a temporary directory.
 *
 * @internal
 */
export async function checkoutRevision(
  directory: string,
  revision: string,
): Promise<RevisionCheckout> {
  let topLevel: string;
  let prefix: string;
  try {
    [topLevel, prefix] = (
      await git(['rev-parse', '--show-toplevel', '--show-prefix'], {
        cwd: directory,
      })
    ).split('\n');
  } catch (error) {
    if (error instanceof GitCommandError) {
      throw usageError(OPTION, `${directory} is not inside a git repository`);
    }
    throw error;
  }

  let commit: string;
  try {
    commit = (
      await git(
        [
          'rev-parse',
          '--verify',
          '--quiet',
          '--end-of-options',
          `${revision}^{commit}`,
        ],
        { cwd: topLevel },
      )
    ).trim();
  } catch (error) {
    if (error instanceof GitCommandError) {
      throw usageError(
        OPTION,
        `unknown revision '${revision}' in ${topLevel} (a shallow clone may not have it: fetch it first, for example git fetch origin main)`,
      );
    }
    throw error;
  }

  const subdirectory = prefix.replace(/\/$/, '');
  const treeish = subdirectory
    ? `${commit}:${subdirectory}`
    : `${commit}^{tree}`;
  const exists = await git(['cat-file', '-t', treeish], { cwd: topLevel })
    .then(type => type.trim() === 'tree')
    .catch(() => false);

  const temporary = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-baseline-'));
  const cleanup = () => fs.rm(temporary, { recursive: true, force: true });
  const realTopLevel = await fs.realpath(topLevel);

  async function readFile(file: string): Promise<string | undefined | null> {
    const relative = path.relative(
      realTopLevel,
      await fs.realpath(file).catch(() => path.resolve(file)),
    );
    if (relative.startsWith('..') || path.isAbsolute(relative)) {
      return null;
    }
    return git(['show', `${commit}:${relative.split(path.sep).join('/')}`], {
      cwd: topLevel,
    }).catch(() => undefined);
  }

  if (!exists) {
    return { commit, readFile, cleanup };
  }
  try {
    // Named like the directory, so that an unregistered service gets the same name.
    const checkout = path.join(
      temporary,
      'checkout',
      path.basename(path.resolve(directory)) || 'repository',
    );
    const env = {
      ...process.env,
      GIT_INDEX_FILE: path.join(temporary, 'index'),
    };
    await git(['read-tree', treeish], { cwd: topLevel, env });
    await git(['checkout-index', '--all', `--prefix=${checkout}${path.sep}`], {
      cwd: topLevel,
      env,
    });
    await fs.mkdir(checkout, { recursive: true });
    return { commit, directory: checkout, readFile, cleanup };
  } catch (error) {
    await cleanup();
    if (error instanceof GitCommandError) {
      throw usageError(
        OPTION,
        `could not check out ${revision}: ${error.message}`,
      );
    }
    throw error;
  }
}
