import type {
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { Entity, getEntitySourceLocation } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { NotModifiedError, stringifyError } from '@backstage/errors';
import {
  ScmIntegrationRegistry,
  ScmIntegrations,
} from '@backstage/integration';
import {
  isRootPipeline,
  RepositorySnapshot,
  Ruleset,
} from '@paved/plugin-platform-maturity-common';
import {
  DEFAULT_MAX_FILES,
  readDirectorySnapshot,
  SKIPPED_DIRECTORIES,
} from '@paved/plugin-platform-maturity-node';
import gitUrlParse from 'git-url-parse';
import fs from 'node:fs';
import path from 'node:path';
import type { RepositoryIndexEntry } from '../database/ScorecardStore';
import type { GithubApiBudget } from './GithubApiBudget';

/** Locations whose last logged problem is remembered; past it, the memory starts over. */
const LOGGED_PROBLEMS = 10_000;

/** The outcome of reading an entity's repository. */
export type RepositoryReadResult =
  | { type: 'snapshot'; snapshot: RepositorySnapshot; etag?: string }
  | { type: 'not-modified'; etag: string }
  | { type: 'none'; reason: string }
  | { type: 'failed'; reason: string };

/**
 * How a read is made: `signal` aborts it (also while it waits for the API budget, when the read
 * throws instead of failing); an `interactive` read, which a person waits for, never waits for
 * the budget.
 */
export interface RepositoryReadOptions {
  signal?: AbortSignal;
  interactive?: boolean;
}

/** Where an entity's repository is: a URL for the URL readers, or a local directory. */
export type RepositoryLocation =
  | { type: 'url'; target: string }
  | { type: 'file'; target: string };

/**
 * The repository location of an entity: its `backstage.io/source-location`, or the directory of
 * the catalog file it came from.
 */
export function repositoryLocationOf(
  entity: Entity,
): RepositoryLocation | undefined {
  let location: { type: string; target: string };
  try {
    location = getEntitySourceLocation(entity);
  } catch {
    return undefined;
  }
  const fromCatalogFile =
    !entity.metadata.annotations?.['backstage.io/source-location'];
  if (location.type === 'url') {
    // A catalog file URL points at a file; its repository is the directory around it.
    const target = fromCatalogFile
      ? location.target.replace(/\/[^/]*$/, '/')
      : location.target;
    return { type: 'url', target };
  }
  if (location.type === 'file') {
    const target = fromCatalogFile
      ? path.dirname(location.target)
      : location.target;
    return { type: 'file', target };
  }
  return undefined;
}

/** The key of a repository on a Git host, as the store indexes it: `host/owner/name`, lower-case. */
export function repositoryKey(host: string, fullName: string): string {
  return `${host}/${fullName}`.toLocaleLowerCase('en-US');
}

/**
 * Where a URL location is on its Git host (repository, ref, directory), for push events to find
 * the entities to score again; undefined for a local directory or a URL that names no repository.
 */
export function repositoryIndexEntryOf(
  location: RepositoryLocation,
): RepositoryIndexEntry | undefined {
  if (location.type !== 'url') {
    return undefined;
  }
  try {
    const parsed = gitUrlParse(location.target);
    if (!parsed.owner || !parsed.name) {
      return undefined;
    }
    return {
      repository: repositoryKey(
        new URL(location.target).host,
        `${parsed.owner}/${parsed.name}`,
      ),
      ...(parsed.ref ? { ref: parsed.ref } : {}),
      path: parsed.filepath.replace(/^\/+|\/+$/g, ''),
    };
  } catch {
    return undefined;
  }
}

/**
 * Reads repository evidence: URL locations through the `UrlReaderService` (tree reads filtered to
 * the files the ruleset reads, with ETags, a timeout per read), and `file:` locations from disk,
 * only inside the allowed roots. For a location in a sub-directory of a repository (a monorepo),
 * it finds the repository's root and reads the pipelines there.
 */
export class RepositoryEvidence {
  private readonly urlReader: UrlReaderService;
  private readonly logger: LoggerService;
  private readonly timeoutMs: number;
  private readonly maxFileSize: number;
  private readonly maxFiles: number;
  private readonly allowedLocalRoots: string[];
  private readonly integrations: ScmIntegrationRegistry;
  private readonly budget?: GithubApiBudget;
  /** The problem last logged of each location, so that one that stays is logged once. */
  private readonly logged = new Map<string, string>();

  constructor(options: {
    urlReader: UrlReaderService;
    logger: LoggerService;
    timeoutMs: number;
    maxFileSize: number;
    /** Files listed of one repository before its snapshot is marked truncated; default 100,000. */
    maxFiles?: number;
    allowedLocalRoots: string[];
    /** Tells a repository's root from a URL; default: the public hosts' integrations. */
    integrations?: ScmIntegrationRegistry;
    /** Keeps reads on GitHub hosts within a share of their API budget; default: no budget. */
    budget?: GithubApiBudget;
  }) {
    this.urlReader = options.urlReader;
    this.logger = options.logger;
    this.timeoutMs = options.timeoutMs;
    this.maxFileSize = options.maxFileSize;
    this.maxFiles = options.maxFiles ?? DEFAULT_MAX_FILES;
    this.allowedLocalRoots = options.allowedLocalRoots;
    this.integrations =
      options.integrations ?? ScmIntegrations.fromConfig(new ConfigReader({}));
    this.budget = options.budget;
  }

  /** The wait for a Git host's API budget under way, if reads are waiting (see GithubApiBudget). */
  budgetWait(): { host: string; until: Date } | undefined {
    return this.budget?.waiting();
  }

  /**
   * The root of the repository when the location is one of its sub-directories, as in a monorepo
   * whose components each have a directory; undefined when the location is the root, or when no
   * root can be told (a URL that no integration parses, a directory outside a Git work tree).
   */
  async rootOf(
    location: RepositoryLocation,
  ): Promise<RepositoryLocation | undefined> {
    if (location.type === 'file') {
      return this.localRootOf(location.target);
    }
    try {
      // The path of the location inside its repository, as the integrations parse it.
      if (!gitUrlParse(location.target).filepath.replace(/^\/+|\/+$/g, '')) {
        return undefined;
      }
      return {
        type: 'url',
        target: this.integrations.resolveUrl({
          url: '/',
          base: location.target,
        }),
      };
    } catch {
      return undefined;
    }
  }

  /**
   * Reads the pipelines at a repository's root (see `isRootPipeline`); with an `etag`, answers
   * `not-modified` when the repository has not changed.
   */
  async readRootPipelines(
    root: RepositoryLocation,
    etag?: string,
    options: RepositoryReadOptions = {},
  ): Promise<RepositoryReadResult> {
    if (root.type === 'url') {
      return this.readUrl(
        root.target,
        isRootPipeline,
        () => true,
        etag,
        options,
      );
    }
    try {
      const entries = await fs.promises.readdir(root.target, {
        withFileTypes: true,
      });
      // The root's own files (its walk skips every entry that is not a file), then the files of
      // each hidden directory, each read as any local repository is.
      const parts = [
        {
          prefix: '',
          snapshot: await readDirectorySnapshot(root.target, {
            maxFileSize: this.maxFileSize,
            maxFiles: this.maxFiles,
            skipDirectories: entries.filter(e => !e.isFile()).map(e => e.name),
          }),
        },
      ];
      for (const entry of entries) {
        if (
          entry.isDirectory() &&
          entry.name.startsWith('.') &&
          !SKIPPED_DIRECTORIES.includes(entry.name)
        ) {
          parts.push({
            prefix: `${entry.name}/`,
            snapshot: await readDirectorySnapshot(
              path.join(root.target, entry.name),
              { maxFileSize: this.maxFileSize, maxFiles: this.maxFiles },
            ),
          });
        }
      }
      const owners = new Map<string, (typeof parts)[number]>();
      for (const part of parts) {
        for (const p of part.snapshot.paths) {
          if (isRootPipeline(part.prefix + p)) {
            owners.set(part.prefix + p, part);
          }
        }
      }
      return {
        type: 'snapshot',
        snapshot: {
          paths: [...owners.keys()],
          read: p => {
            const part = owners.get(p);
            return part?.snapshot.read(p.slice(part.prefix.length));
          },
          truncated: parts.some(part => part.snapshot.truncated),
        },
      };
    } catch (error) {
      const reason = `Could not read the pipelines of ${
        root.target
      }: ${stringifyError(error)}`;
      this.warnOnce(`pipelines:${root.target}`, reason);
      return { type: 'failed', reason };
    }
  }

  /** Reads the repository; with an `etag`, answers `not-modified` when it has not changed. */
  async read(
    location: RepositoryLocation,
    ruleset: Ruleset,
    etag?: string,
    options: RepositoryReadOptions = {},
  ): Promise<RepositoryReadResult> {
    if (location.type === 'file') {
      return this.readLocal(location.target);
    }
    return this.readUrl(
      location.target,
      () => true,
      filePath => ruleset.needsContent(filePath),
      etag,
      options,
    );
  }

  /**
   * Reads a tree through the URL readers: the paths that `lists` keeps, and the content of those
   * that `reads` keeps too; within the API budget when there is one.
   */
  private async readUrl(
    target: string,
    lists: (filePath: string) => boolean,
    reads: (filePath: string) => boolean,
    etag: string | undefined,
    options: RepositoryReadOptions,
  ): Promise<RepositoryReadResult> {
    const readTree = async () => {
      const read = await this.readTree(target, lists, reads, etag, options);
      this.logged.delete(target);
      return read;
    };
    try {
      if (!this.budget) {
        return (await readTree()).value;
      }
      return await this.budget.read(
        target,
        {
          maxCalls: apiCallsOf(target, 'changed'),
          signal: options.signal,
          interactive: options.interactive,
        },
        readTree,
      );
    } catch (error) {
      if (options.signal?.aborted) {
        // Stopped (the run's timeout, the backend stopping), perhaps while waiting for the API
        // budget: the entity is not scored rather than scored without its repository.
        throw error;
      }
      this.warnOnce(
        target,
        `Could not read ${target}: ${stringifyError(error)}`,
      );
      return { type: 'failed', reason: this.urlProblem(target, error) };
    }
  }

  /** One tree read through the URL readers, and the API calls it made on a GitHub host. */
  private async readTree(
    target: string,
    lists: (filePath: string) => boolean,
    reads: (filePath: string) => boolean,
    etag: string | undefined,
    options: RepositoryReadOptions,
  ): Promise<{ value: RepositoryReadResult; calls: number }> {
    const paths: string[] = [];
    let truncated = false;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    try {
      const response = await this.urlReader.readTree(target, {
        etag,
        signal: options.signal
          ? AbortSignal.any([timeout, options.signal])
          : timeout,
        filter: (filePath, info) => {
          if (!lists(filePath)) {
            return false;
          }
          // The same cap as a local directory's, whatever the source: the rest of the tree is
          // neither listed nor read, and the snapshot says so.
          if (paths.length >= this.maxFiles) {
            truncated = true;
            return false;
          }
          paths.push(filePath);
          return reads(filePath) && (info?.size ?? 0) <= this.maxFileSize;
        },
      });
      const contents = new Map<string, string>();
      for (const file of await response.files()) {
        const buffer = await file.content();
        if (buffer.length <= this.maxFileSize && !buffer.includes(0)) {
          contents.set(file.path, buffer.toString('utf8'));
        }
      }
      return {
        value: {
          type: 'snapshot',
          etag: response.etag,
          snapshot: { paths, read: p => contents.get(p), truncated },
        },
        calls: apiCallsOf(target, 'changed'),
      };
    } catch (error) {
      if (
        error instanceof NotModifiedError ||
        (error as Error)?.name === 'NotModifiedError'
      ) {
        return {
          value: { type: 'not-modified', etag: etag! },
          calls: apiCallsOf(target, 'unchanged'),
        };
      }
      throw error;
    }
  }

  /**
   * Why a URL could not be read, and who can fix it: the host's integration is the Backstage
   * admins' to configure; a location that does not exist is the entity owner's to correct.
   */
  private urlProblem(target: string, error: unknown): string {
    const cannot = `The backend cannot read ${target}`;
    let host = target;
    try {
      host = new URL(target).host;
    } catch {
      return `${cannot}: it is not a URL. Who can fix it: the entity's owner, by correcting its backstage.io/source-location.`;
    }
    const name = (error as Error)?.name;
    const detail = stringifyError(error);
    if (!this.integrations.byUrl(target)) {
      return `${cannot}: there is no integration (and so no credentials) for ${host}. Who can fix it: your Backstage admins, by configuring an integration for ${host}. (${detail})`;
    }
    if (
      name === 'NotAllowedError' ||
      name === 'AuthenticationError' ||
      /\b(401|403)\b/.test(detail)
    ) {
      return `${cannot}: ${host} refused the integration's credentials. Who can fix it: your Backstage admins, by checking the credentials of the integration for ${host}. (${detail})`;
    }
    if (name === 'NotFoundError' || /\b404\b/.test(detail)) {
      return `${cannot}: it was not found on ${host}. Who can fix it: the entity's owner, by correcting its backstage.io/source-location. (${detail})`;
    }
    return `${cannot}: ${detail}. The next run tries again; if it keeps failing, ask your Backstage admins.`;
  }

  /** The Git work tree's root above a local directory, inside the allowed roots. */
  private async localRootOf(
    target: string,
  ): Promise<RepositoryLocation | undefined> {
    let real: string;
    try {
      real = await fs.promises.realpath(target);
    } catch {
      return undefined;
    }
    const roots = this.realRoots();
    for (let dir = real; isInside(dir, roots); dir = path.dirname(dir)) {
      const isWorkTree = await fs.promises.stat(path.join(dir, '.git')).then(
        () => true,
        () => false,
      );
      if (isWorkTree) {
        return dir === real ? undefined : { type: 'file', target: dir };
      }
      if (path.dirname(dir) === dir) {
        break;
      }
    }
    return undefined;
  }

  /**
   * Logs a problem of reading a location as a warning once: again while it stays the same, at
   * debug level only, so that a scheduled run does not repeat it every time; a changed problem or
   * one after a successful read is a warning again.
   */
  private warnOnce(key: string, message: string): void {
    if (this.logged.get(key) === message) {
      this.logger.debug(message);
      return;
    }
    if (this.logged.size >= LOGGED_PROBLEMS) {
      this.logged.clear();
    }
    this.logged.set(key, message);
    this.logger.warn(message);
  }

  /** The allowed roots, as real paths. */
  private realRoots(): string[] {
    return this.allowedLocalRoots.flatMap(configured => {
      try {
        return [fs.realpathSync(configured)];
      } catch {
        return [];
      }
    });
  }

  private async readLocal(target: string): Promise<RepositoryReadResult> {
    const refuse = (): RepositoryReadResult => {
      this.warnOnce(
        target,
        `Refused to read ${target}: it is outside platformMaturity.repository.allowedLocalRoots`,
      );
      return {
        type: 'failed',
        reason: `The backend cannot read file:${target}: it is outside platformMaturity.repository.allowedLocalRoots, the only directories it may read. Who can fix it: your Backstage admins, by adding its directory there.`,
      };
    };
    // First the path as written, so that nothing outside the roots is even looked at (and the
    // answer does not tell whether such a path exists) ...
    if (!isInside(path.resolve(target), this.allowedLocalRoots)) {
      return refuse();
    }
    let real: string;
    try {
      real = await fs.promises.realpath(target);
    } catch (error) {
      this.warnOnce(
        target,
        `Could not read ${target}: ${stringifyError(error)}`,
      );
      return { type: 'failed', reason: localProblem(target, error) };
    }
    // ... then the real paths, so that neither a link in the root nor in the target misleads.
    if (!isInside(real, this.realRoots())) {
      return refuse();
    }
    try {
      const snapshot = await readDirectorySnapshot(real, {
        maxFileSize: this.maxFileSize,
        maxFiles: this.maxFiles,
      });
      this.logged.delete(target);
      if (snapshot.skipped.length === 0) {
        this.logged.delete(`skipped:${target}`);
      } else {
        // Checks see these as absent; the log says why a file that is there did not count.
        this.warnOnce(
          `skipped:${target}`,
          `Left out of the evidence of ${target}: ${snapshot.skipped
            .slice(0, 10)
            .map(s => `${s.path} (${s.reason})`)
            .join(', ')}${
            snapshot.skipped.length > 10
              ? ` and ${snapshot.skipped.length - 10} more`
              : ''
          }`,
        );
      }
      return { type: 'snapshot', snapshot };
    } catch (error) {
      this.warnOnce(
        target,
        `Could not read ${target}: ${stringifyError(error)}`,
      );
      return { type: 'failed', reason: localProblem(target, error) };
    }
  }
}

/**
 * The REST calls of one tree read by Backstage's GitHub URL reader: the commit status of the ref
 * (and, for a URL without a ref, the repository, for its default branch), then the tarball when
 * the commit is not the one of the ETag.
 */
function apiCallsOf(target: string, outcome: 'changed' | 'unchanged'): number {
  let lookups = 2;
  try {
    lookups = gitUrlParse(target).ref ? 1 : 2;
  } catch {
    // Counted as the most a read can make.
  }
  return outcome === 'changed' ? lookups + 1 : lookups;
}

/** Why a local directory inside the allowed roots could not be read, and who can fix it. */
function localProblem(target: string, error: unknown): string {
  return `The backend cannot read file:${target}: ${stringifyError(
    error,
  )}. Who can fix it: the entity's owner, if the location is wrong; your Backstage admins, if the backend may not read the directory.`;
}

function isInside(candidate: string, roots: readonly string[]): boolean {
  return roots.some(root => {
    const relative = path.relative(root, candidate);
    return (
      relative === '' ||
      (!relative.startsWith('..') && !path.isAbsolute(relative))
    );
  });
}
