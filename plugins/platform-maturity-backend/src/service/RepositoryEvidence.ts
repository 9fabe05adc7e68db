import type {
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { Entity, getEntitySourceLocation } from '@backstage/catalog-model';
import { NotModifiedError, stringifyError } from '@backstage/errors';
import type {
  RepositorySnapshot,
  Ruleset,
} from '@paved/plugin-platform-maturity-common';
import { readDirectorySnapshot } from '@paved/plugin-platform-maturity-node';
import fs from 'node:fs';
import path from 'node:path';

/** The outcome of reading an entity's repository. */
export type RepositoryReadResult =
  | { type: 'snapshot'; snapshot: RepositorySnapshot; etag?: string }
  | { type: 'not-modified'; etag: string }
  | { type: 'none'; reason: string }
  | { type: 'failed'; reason: string };

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

/**
 * Reads repository evidence: URL locations through the `UrlReaderService` (tree reads filtered to
 * the files the ruleset reads, with ETags, a timeout per read), and `file:` locations from disk,
 * only inside the allowed roots.
 */
export class RepositoryEvidence {
  private readonly urlReader: UrlReaderService;
  private readonly logger: LoggerService;
  private readonly timeoutMs: number;
  private readonly maxFileSize: number;
  private readonly allowedLocalRoots: string[];

  constructor(options: {
    urlReader: UrlReaderService;
    logger: LoggerService;
    timeoutMs: number;
    maxFileSize: number;
    allowedLocalRoots: string[];
  }) {
    this.urlReader = options.urlReader;
    this.logger = options.logger;
    this.timeoutMs = options.timeoutMs;
    this.maxFileSize = options.maxFileSize;
    this.allowedLocalRoots = options.allowedLocalRoots;
  }

  /** Reads the repository; with an `etag`, answers `not-modified` when it has not changed. */
  async read(
    location: RepositoryLocation,
    ruleset: Ruleset,
    etag?: string,
  ): Promise<RepositoryReadResult> {
    if (location.type === 'file') {
      return this.readLocal(location.target);
    }
    const paths: string[] = [];
    try {
      const response = await this.urlReader.readTree(location.target, {
        etag,
        signal: AbortSignal.timeout(this.timeoutMs),
        filter: (filePath, info) => {
          paths.push(filePath);
          return (
            ruleset.needsContent(filePath) &&
            (info?.size ?? 0) <= this.maxFileSize
          );
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
        type: 'snapshot',
        etag: response.etag,
        snapshot: { paths, read: p => contents.get(p) },
      };
    } catch (error) {
      if (
        error instanceof NotModifiedError ||
        (error as Error)?.name === 'NotModifiedError'
      ) {
        return { type: 'not-modified', etag: etag! };
      }
      const reason = `Could not read ${location.target}: ${stringifyError(
        error,
      )}`;
      this.logger.warn(reason);
      return { type: 'failed', reason };
    }
  }

  private async readLocal(target: string): Promise<RepositoryReadResult> {
    const refuse = (): RepositoryReadResult => {
      const reason = `Refused to read ${target}: it is outside platformMaturity.repository.allowedLocalRoots`;
      this.logger.warn(reason);
      return { type: 'failed', reason };
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
      const reason = `Could not read ${target}: ${stringifyError(error)}`;
      this.logger.warn(reason);
      return { type: 'failed', reason };
    }
    // ... then the real paths, so that neither a link in the root nor in the target misleads.
    const realRoots = this.allowedLocalRoots.flatMap(configured => {
      try {
        return [fs.realpathSync(configured)];
      } catch {
        return [];
      }
    });
    if (!isInside(real, realRoots)) {
      return refuse();
    }
    try {
      const snapshot = await readDirectorySnapshot(real, {
        maxFileSize: this.maxFileSize,
      });
      return { type: 'snapshot', snapshot };
    } catch (error) {
      const reason = `Could not read ${target}: ${stringifyError(error)}`;
      this.logger.warn(reason);
      return { type: 'failed', reason };
    }
  }
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
