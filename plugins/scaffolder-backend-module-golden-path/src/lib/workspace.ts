import {
  LoggerService,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  describeFileType,
  readRegularFile,
  UnreadableFileError,
} from '@paved/plugin-platform-maturity-node';
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * The largest workspace file an action reads (manifests, pipelines, catalog files are far
 * smaller); a larger one fails the step with its path named.
 *
 * @internal
 */
export const MAX_WORKSPACE_FILE_SIZE = 16 * 1024 * 1024;

/**
 * What happened to one planned file when a plan was applied.
 *
 * - `created`: the file did not exist and was written.
 * - `updated`: the file existed and was merged with the planned content.
 * - `unchanged`: the file already had the planned (or merged) content.
 * - `skipped`: the file existed with other content that cannot be merged, and
 *   `overwrite` is false, so it was left alone (see `reason`).
 * - `overwritten`: as `skipped`, but `overwrite` is true, so it was replaced.
 *
 * @public
 */
export type FileChange =
  | 'created'
  | 'updated'
  | 'unchanged'
  | 'skipped'
  | 'overwritten';

/**
 * The outcome for one file, as every golden-path action outputs it in `files`.
 *
 * @public
 */
export type FileResult = {
  /** Path relative to the workspace root, with `/` separators. */
  path: string;
  change: FileChange;
  /** Why a file was skipped or overwritten. */
  reason?: string;
};

/**
 * Returned by a merge function when the existing file cannot be merged (for
 * example, it is not valid YAML). The file is then treated like a file that
 * does not support merging: skipped, or overwritten when `overwrite` is true.
 *
 * @internal
 */
export type MergeConflict = { conflict: string };

/**
 * Options of {@link WorkspaceFiles.plan}.
 *
 * @internal
 */
export type PlanOptions = {
  /**
   * Merges the planned change into the existing content of the file, when
   * the file exists with other content. Returns the new content, or a
   * {@link MergeConflict}. Throwing (for example an `InputError`) aborts
   * `apply()` before anything is written.
   */
  merge?: (
    existing: string,
  ) => string | MergeConflict | Promise<string | MergeConflict>;
  /**
   * Why the file is kept when it exists with other content and has no merge,
   * for the log and the `reason` of a `skipped` result.
   */
  keepReason?: string;
  /**
   * The golden-path content set the file was rendered from, such as `deploy/helm`, and the
   * values it was rendered with. Such a file is recorded in the lock file
   * ({@link GOLDEN_PATH_LOCK_FILE}) when it holds our content, and replaced by the planned
   * content when it is still exactly what we recorded (its owner did not change it) and was
   * rendered with the same values (so only the content differs: a newer golden path).
   */
  content?: { set: string; values: Record<string, unknown> };
};

/**
 * The lock file of the golden-path files of a service, relative to the service directory: for
 * each file that holds content the golden path rendered, the content set and the SHA-256 of
 * that content. See docs/architecture.md ("Golden-path versions and upgrades").
 *
 * @internal
 */
export const GOLDEN_PATH_LOCK_FILE = '.paved/golden-path.lock.json';

/**
 * The lock file's content.
 *
 * @internal
 */
export type GoldenPathLock = {
  /** The values each content set was last rendered with. */
  sets: Record<string, { values: Record<string, unknown> }>;
  /** Each file that holds our content: its content set and the SHA-256 of that content. */
  files: Record<string, { set: string; sha256: string }>;
};

/** JSON with sorted keys, to compare values. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

/** The SHA-256 of a text, in hex. */
function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Options of the {@link WorkspaceFiles} constructor.
 *
 * @internal
 */
export type WorkspaceFilesOptions = {
  /** The scaffolder task's workspace (`ctx.workspacePath`). */
  workspacePath: string;
  /**
   * The directory, relative to the workspace, that holds the service (the
   * action's `path` input, default `.`). Every planned path is relative to it.
   */
  path?: string;
  /** Replace existing files that cannot be merged (default false). */
  overwrite?: boolean;
  logger: LoggerService;
};

type PlannedFile = {
  relPath: string;
  absPath: string;
  content: string;
  options: PlanOptions;
};

type Outcome = {
  planned: PlannedFile;
  write?: string;
  result: FileResult;
  /** Whether the file holds the planned content once written. */
  ours?: boolean;
};

/**
 * Plan-then-apply file writer for golden-path actions.
 *
 * An action first plans every file it will write (`plan`), which only
 * records the intent; `apply()` then reads the existing files, computes every
 * merge, and only when all of them succeeded writes the files. Invalid input
 * or an unmergeable file therefore never leaves a half-written workspace.
 *
 * Per file: absent → `created`; identical → `unchanged`; different → merged
 * when the plan has a `merge` function (`updated`, or `unchanged` when the
 * merge changes nothing), else left alone with a warning (`skipped`) unless
 * `overwrite` is true (`overwritten`). Running an action twice thus changes
 * nothing the second time.
 *
 * @internal
 */
export class WorkspaceFiles {
  readonly #workspacePath: string;
  readonly #root: string;
  readonly #overwrite: boolean;
  readonly #logger: LoggerService;
  readonly #planned = new Map<string, PlannedFile>();

  /**
   * The workspace files of a scaffolder action run, from its context: the
   * workspace, the logger and the common `path` and `overwrite` inputs.
   *
   * @throws InputError naming the `path` input when it escapes the workspace.
   */
  static forAction(ctx: {
    workspacePath: string;
    logger: LoggerService;
    input: { path?: string; overwrite?: boolean };
  }): WorkspaceFiles {
    return new WorkspaceFiles({
      workspacePath: ctx.workspacePath,
      path: ctx.input.path,
      overwrite: ctx.input.overwrite,
      logger: ctx.logger,
    });
  }

  /**
   * @throws InputError naming the `path` input when it escapes the workspace.
   */
  constructor(options: WorkspaceFilesOptions) {
    this.#workspacePath = path.resolve(options.workspacePath);
    this.#overwrite = options.overwrite ?? false;
    this.#logger = options.logger;
    this.#root = safeChildPath(
      this.#workspacePath,
      'path',
      options.path ?? '.',
    );
  }

  /** Absolute path of the workspace. */
  get workspacePath(): string {
    return this.#workspacePath;
  }

  /** Absolute path of the service directory (the `path` input). */
  get root(): string {
    return this.#root;
  }

  /**
   * Resolves a path relative to the service directory, rejecting paths that
   * escape the workspace (`../`, absolute paths, symbolic links out).
   *
   * @param inputName - the action input the path came from, named in the error
   * @param relPath - the path relative to the service directory
   * @returns the absolute path
   * @throws InputError naming `inputName` when the path escapes
   */
  resolve(inputName: string, relPath: string): string {
    return safeChildPath(this.#root, inputName, relPath);
  }

  /**
   * Reads a file of the service directory as UTF-8, or `undefined` when it
   * does not exist. Reads what is on disk, not what is planned.
   */
  async read(relPath: string): Promise<string | undefined> {
    return this.#readFile(this.resolve('path', relPath));
  }

  /** Whether a file or directory exists in the service directory. */
  async exists(relPath: string): Promise<boolean> {
    try {
      await fs.stat(this.resolve('path', relPath));
      return true;
    } catch (error) {
      if (isNotFound(error)) {
        return false;
      }
      throw error;
    }
  }

  /**
   * Lists the entry names of a directory of the service directory (sorted),
   * or an empty list when it does not exist.
   */
  async list(relDir: string): Promise<string[]> {
    try {
      return (await fs.readdir(this.resolve('path', relDir))).sort();
    } catch (error) {
      if (isNotFound(error) || isNotDirectory(error)) {
        return [];
      }
      throw error;
    }
  }

  /**
   * Records that a file should have the given content. Nothing is written
   * until {@link WorkspaceFiles.apply}.
   *
   * @param relPath - path relative to the service directory
   * @param content - the full content for a new file
   * @param options - how to merge into an existing file
   * @param inputName - the input the path came from (for the escape error)
   * @throws Error when the same path is planned twice (a programming error)
   */
  plan(
    relPath: string,
    content: string,
    options: PlanOptions = {},
    inputName = 'path',
  ): void {
    const absPath = this.resolve(inputName, relPath);
    if (this.#planned.has(absPath)) {
      throw new Error(`File ${relPath} was planned twice`);
    }
    this.#planned.set(absPath, { relPath, absPath, content, options });
  }

  /**
   * A path relative to the service directory, made relative to the
   * workspace root (as in the `files` output and for steps such as
   * `catalog:register`).
   */
  relativeToWorkspace(relPath: string): string {
    return this.#display(this.resolve('path', relPath));
  }

  /** The files planned so far, relative to the workspace root. */
  get plannedPaths(): string[] {
    return [...this.#planned.values()].map(p => this.#display(p.absPath));
  }

  /**
   * Computes the outcome of every planned file, then writes them. When a
   * merge throws, nothing is written.
   *
   * @returns one result per planned file, in planning order
   */
  async apply(): Promise<FileResult[]> {
    const lock = await this.readLock();
    const outcomes: Outcome[] = [];
    for (const planned of this.#planned.values()) {
      outcomes.push(await this.#decide(planned, lock));
    }
    for (const { planned, write, result } of outcomes) {
      if (write !== undefined) {
        await fs.mkdir(path.dirname(planned.absPath), { recursive: true });
        await this.#writeFile(planned.absPath, write);
      }
      if (result.change === 'skipped') {
        this.#logger.warn(`Left ${result.path} alone: ${result.reason}`);
      } else {
        this.#logger.info(`${result.change} ${result.path}`);
      }
    }
    await this.#record(lock, outcomes);
    this.#planned.clear();
    return outcomes.map(o => o.result);
  }

  /** The lock file of the service directory; empty when there is none or it is unreadable. */
  async readLock(): Promise<GoldenPathLock> {
    const text = await this.#readFile(
      this.resolve('path', GOLDEN_PATH_LOCK_FILE),
    );
    try {
      const parsed = text === undefined ? undefined : JSON.parse(text);
      if (parsed?.files && typeof parsed.files === 'object') {
        return { sets: { ...parsed.sets }, files: { ...parsed.files } };
      }
    } catch {
      this.#logger.warn(
        `${GOLDEN_PATH_LOCK_FILE} is not valid JSON; it is written again`,
      );
    }
    return { sets: {}, files: {} };
  }

  /** Records the content-set files that hold our content in the lock file. */
  async #record(lock: GoldenPathLock, outcomes: Outcome[]): Promise<void> {
    let changed = false;
    for (const { planned, ours } of outcomes) {
      const content = planned.options.content;
      if (!content || !ours) {
        continue;
      }
      const key = this.#lockKey(planned.absPath);
      const entry = { set: content.set, sha256: sha256(planned.content) };
      if (
        lock.files[key]?.set !== entry.set ||
        lock.files[key]?.sha256 !== entry.sha256
      ) {
        lock.files[key] = entry;
        changed = true;
      }
      if (
        stableJson(lock.sets[content.set]?.values) !==
        stableJson(content.values)
      ) {
        lock.sets[content.set] = { values: content.values };
        changed = true;
      }
    }
    if (!changed) {
      return;
    }
    const sorted = <T>(record: Record<string, T>) =>
      Object.fromEntries(
        Object.entries(record).sort(([a], [b]) => a.localeCompare(b)),
      );
    const absPath = this.resolve('path', GOLDEN_PATH_LOCK_FILE);
    await fs.mkdir(path.dirname(absPath), { recursive: true });
    await this.#writeFile(
      absPath,
      `${JSON.stringify(
        { sets: sorted(lock.sets), files: sorted(lock.files) },
        null,
        2,
      )}\n`,
    );
  }

  /** A path's key in the lock file: relative to the service directory. */
  #lockKey(absPath: string): string {
    return path.relative(this.#root, absPath).split(path.sep).join('/');
  }

  async #decide(planned: PlannedFile, lock: GoldenPathLock): Promise<Outcome> {
    const display = this.#display(planned.absPath);
    const existing = await this.#readFile(planned.absPath);
    if (existing === undefined) {
      return {
        planned,
        write: planned.content,
        result: { path: display, change: 'created' },
        ours: true,
      };
    }
    if (existing === planned.content) {
      return {
        planned,
        result: { path: display, change: 'unchanged' },
        ours: true,
      };
    }
    const content = planned.options.content;
    if (
      content &&
      lock.files[this.#lockKey(planned.absPath)]?.sha256 === sha256(existing) &&
      stableJson(lock.sets[content.set]?.values) === stableJson(content.values)
    ) {
      return {
        planned,
        write: planned.content,
        result: {
          path: display,
          change: 'updated',
          reason:
            'the golden path wrote it and it was not changed since, so its current content replaces it',
        },
        ours: true,
      };
    }
    let reason =
      planned.options.keepReason ??
      'the file exists with different content and cannot be merged';
    if (planned.options.merge) {
      const merged = await planned.options.merge(existing);
      if (typeof merged === 'string') {
        return merged === existing
          ? { planned, result: { path: display, change: 'unchanged' } }
          : {
              planned,
              write: merged,
              result: { path: display, change: 'updated' },
            };
      }
      reason = merged.conflict;
    }
    if (this.#overwrite) {
      return {
        planned,
        write: planned.content,
        result: { path: display, change: 'overwritten', reason },
        ours: true,
      };
    }
    return {
      planned,
      result: {
        path: display,
        change: 'skipped',
        reason: `${reason}; set overwrite: true to replace it`,
      },
    };
  }

  /**
   * A workspace file as UTF-8, or `undefined` when it does not exist; only a regular file inside
   * the workspace is read (see readRegularFile in `@paved/plugin-platform-maturity-node`).
   */
  async #readFile(absPath: string): Promise<string | undefined> {
    try {
      const content = await readRegularFile(absPath, {
        root: this.#workspacePath,
        maxSize: MAX_WORKSPACE_FILE_SIZE,
        displayPath: this.#display(absPath),
      });
      return content.toString('utf8');
    } catch (error) {
      if (isNotFound(error)) {
        return undefined;
      }
      throw error;
    }
  }

  /**
   * Writes a workspace file, through a link inside the workspace as an editor would, but never
   * into a FIFO, socket or device that took the file's place since it was read.
   */
  async #writeFile(absPath: string, content: string): Promise<void> {
    const real = await fs.realpath(absPath).catch(() => absPath);
    const display = this.#display(absPath);
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(
        real,
        constants.O_WRONLY |
          constants.O_CREAT |
          (constants.O_NONBLOCK ?? 0) |
          (constants.O_NOFOLLOW ?? 0),
        0o666,
      );
    } catch (error) {
      const code = (error as NodeJS.ErrnoException)?.code;
      if (code === 'ENXIO' || code === 'ELOOP') {
        throw new UnreadableFileError(
          `Cannot write ${display}: it is not a regular file`,
        );
      }
      throw error;
    }
    try {
      const type = describeFileType(await handle.stat());
      if (type) {
        throw new UnreadableFileError(
          `Cannot write ${display}: it is ${type}, not a regular file`,
        );
      }
      await handle.truncate(0);
      await handle.writeFile(content, 'utf8');
    } finally {
      await handle.close();
    }
  }

  #display(absPath: string): string {
    return path
      .relative(this.#workspacePath, absPath)
      .split(path.sep)
      .join('/');
  }
}

/**
 * Resolves a path input under a base directory, rejecting paths that escape it
 * (`../`, absolute paths, symbolic links out).
 *
 * @param base - the directory the path must stay in (the workspace)
 * @param inputName - the action input the path came from, named in the error
 * @param relPath - the path relative to `base`
 * @returns the absolute path
 * @throws InputError naming `inputName` when the path escapes
 * @internal
 */
export function safeChildPath(
  base: string,
  inputName: string,
  relPath: string,
): string {
  try {
    return resolveSafeChildPath(base, relPath);
  } catch (error) {
    throw new InputError(
      `Invalid input '${inputName}': '${relPath}' is outside the workspace`,
    );
  }
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === 'ENOENT';
}

function isNotDirectory(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === 'ENOTDIR';
}
