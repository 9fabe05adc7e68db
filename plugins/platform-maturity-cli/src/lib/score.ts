import {
  entityFactsOf,
  entityRefKey,
  evaluate,
  subdirectorySnapshot,
  withRootPipelines,
  type Ruleset,
  type ScorecardResponse,
} from '@paved/plugin-platform-maturity-common';
import { readDirectorySnapshot } from '@paved/plugin-platform-maturity-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import { usageError } from './errors';
import {
  catalogLookupOf,
  CATALOG_FILE_NAMES,
  entityRefOf,
  findCatalogFile,
  readEntityFile,
  selectEntity,
  unregisteredEntity,
  type Entity,
} from './entities';

/**
 * What to score.
 *
 * @internal
 */
export interface ScoreDirectoryOptions {
  /** The directory whose files are the repository evidence. */
  directory: string;
  /** The entity file; default `catalog-info.yaml` in the directory (or in `subdirectory`). */
  entityFile?: string;
  /**
   * The entity's own directory inside `directory`, for a monorepo's component whose directory has
   * no entity file; default the entity file's directory.
   */
  subdirectory?: string;
  /** Which entity of the entity file to score, when it declares several. */
  entityRef?: string;
  /**
   * The catalog that owner and Resource lookups see (from `--catalog`), to which the other
   * documents of the entity file are added. Undefined: no catalog lookups are made.
   */
  catalogEntities?: readonly Entity[];
  /** The most files listed of the directory (`--max-files`); default 100,000. */
  maxFiles?: number;
  ruleset: Ruleset;
  now: Date;
  /** The directory's files, when the caller has already listed them. */
  snapshot?: DirectorySnapshot;
}

type DirectorySnapshot = Awaited<ReturnType<typeof readDirectorySnapshot>>;

/**
 * The scorecard of a directory, with what the reader should know about how it was made.
 *
 * @internal
 */
export interface DirectoryScore extends ScorecardResponse {
  /** The entity file that was read, or null when the directory has none. */
  entityFile: string | null;
  /** Number of files in the repository evidence. */
  files: number;
  /** True when the directory had more files than the reader lists. */
  truncated: boolean;
  /** How the result was obtained, where that changes how to read it. */
  notes: string[];
}

async function checkDirectory(directory: string): Promise<void> {
  let isDirectory: boolean;
  try {
    isDirectory = (await fs.stat(directory)).isDirectory();
  } catch {
    throw usageError('directory', `${directory} does not exist`);
  }
  if (!isDirectory) {
    throw usageError('directory', `${directory} is not a directory`);
  }
}

/**
 * Scores a directory: repository evidence from its files, the entity from its catalog file (or an
 * unregistered service Component when it has none), the ruleset as configured.
 *
 * @internal
 */
export async function scoreDirectory(
  options: ScoreDirectoryOptions,
): Promise<DirectoryScore> {
  const { directory, ruleset, now } = options;
  await checkDirectory(directory);
  const notes: string[] = [];

  const entityFile =
    options.entityFile ??
    (await findCatalogFile(
      options.subdirectory
        ? path.join(directory, options.subdirectory)
        : directory,
    ));
  let entity: Entity;
  let documents: Entity[] = [];
  if (entityFile) {
    documents = await readEntityFile(
      entityFile,
      options.entityFile ? '--entity' : CATALOG_FILE_NAMES[0],
    );
    entity = selectEntity(documents, entityFile, options.entityRef);
  } else {
    if (options.entityRef !== undefined) {
      throw usageError(
        '--entity-ref',
        `${directory} has no ${CATALOG_FILE_NAMES[0]} to choose an entity from`,
      );
    }
    entity = unregisteredEntity(
      options.subdirectory
        ? path.join(directory, options.subdirectory)
        : directory,
    );
    notes.push(
      `${directory} has no ${CATALOG_FILE_NAMES[0]}: scored as an unregistered service Component named '${entity.metadata.name}'. The checks that read the catalog entry (owner, system, lifecycle, relations, on-call) fail because there is none; add ${CATALOG_FILE_NAMES[0]} or point --entity at the entity file.`,
    );
  }

  const others = documents.filter(d => d !== entity);
  const catalog = options.catalogEntities
    ? catalogLookupOf([...others, ...options.catalogEntities])
    : undefined;

  const snapshot =
    options.snapshot ??
    (await readDirectorySnapshot(directory, { maxFiles: options.maxFiles }));
  // An entity file in a sub-directory (a monorepo's component) is scored as the backend scores
  // it: with its own directory's files plus the pipelines at the root.
  let entityDirectory = '';
  if (options.subdirectory) {
    entityDirectory = path.normalize(options.subdirectory);
  } else if (entityFile) {
    entityDirectory = path.relative(
      path.resolve(directory),
      path.resolve(path.dirname(entityFile)),
    );
  }
  const own =
    entityDirectory &&
    !entityDirectory.startsWith('..') &&
    !path.isAbsolute(entityDirectory)
      ? entityDirectory.split(path.sep).join('/')
      : '';
  const repository = own
    ? withRootPipelines(subdirectorySnapshot(snapshot, own), snapshot)
    : snapshot;
  if (own) {
    notes.push(
      `Scored with the files of ${own}/ and the pipelines at the root of ${directory}, as the backend scores a component in a sub-directory of its repository.`,
    );
  }
  if (snapshot.truncated) {
    notes.push(
      `The repository was only partly read: first ${snapshot.paths.length} of more files in ${directory}. Checks that found nothing among them are unknown, not failed; raise the cap with --max-files.`,
    );
  }
  const scorecard = evaluate(ruleset, {
    entity,
    repository,
    catalog,
    now,
  });

  if (!catalog && scorecard.inScope) {
    const ownership = scorecard.results.find(
      r => r.checkId === 'as-code.ownership',
    );
    notes.push(
      `Scored without a catalog: whether the owner and the Resources that ${entityRefOf(
        entity,
      )} depends on exist in the catalog was not checked${
        ownership?.status === 'unknown'
          ? ', so as-code.ownership is unknown and as-code cannot be complete'
          : ''
      }. Pass --catalog with the catalog's Groups, Users, Systems and Resources to check them.`,
    );
  }

  return {
    entity: entityFactsOf(entity, systemRef =>
      catalogLookupOf(
        documents.concat(options.catalogEntities ?? []),
      ).getEntity(systemRef),
    ),
    scorecard,
    entityFile: entityFile ? path.resolve(entityFile) : null,
    files: repository.paths.length,
    truncated: snapshot.truncated,
    notes,
  };
}

const CATALOG_FILE = /(?:^|\/)catalog-info\.ya?ml$/;

/**
 * Scores every entity of a directory: without `--entity`, a monorepo's `catalog-info.yaml` files
 * in sub-directories are found too, and each Component they declare is scored with its own
 * directory's files plus the root pipelines (`--entity-ref` picks one of them). A directory with
 * at most a catalog file at its root is scored as {@link scoreDirectory} does.
 *
 * @internal
 */
export async function scoreDirectoryEntities(
  options: ScoreDirectoryOptions,
): Promise<DirectoryScore[]> {
  if (options.entityFile) {
    return [await scoreDirectory(options)];
  }
  await checkDirectory(options.directory);
  const snapshot = await readDirectorySnapshot(options.directory, {
    maxFiles: options.maxFiles,
  });
  const nested = snapshot.paths.filter(
    p => p.includes('/') && CATALOG_FILE.test(p),
  );
  if (nested.length === 0) {
    return [await scoreDirectory({ ...options, snapshot })];
  }
  if (
    options.entityRef !== undefined &&
    entityRefKey(options.entityRef, { defaultKind: 'component' }) === undefined
  ) {
    throw usageError(
      '--entity-ref',
      `'${options.entityRef}' is not an entity ref such as component:default/billing`,
    );
  }
  const rootFile = await findCatalogFile(options.directory);
  const files = [
    ...(rootFile ? [rootFile] : []),
    ...nested.map(p => path.join(options.directory, p)),
  ];
  const targets: Array<{ file: string; ref: string }> = [];
  const declared: string[] = [];
  for (const file of files) {
    const entities = await readEntityFile(
      file,
      path.relative(options.directory, file).split(path.sep).join('/'),
    );
    const chosen =
      options.entityRef !== undefined
        ? selectEntityOrUndefined(entities, file, options.entityRef)
        : undefined;
    for (const entity of entities) {
      declared.push(entityRefOf(entity));
      const wanted =
        options.entityRef !== undefined
          ? entity === chosen
          : entity.kind.toLocaleLowerCase('en-US') === 'component';
      if (wanted) {
        targets.push({ file, ref: entityRefOf(entity) });
      }
    }
  }
  if (targets.length === 0) {
    if (options.entityRef !== undefined) {
      throw usageError(
        '--entity-ref',
        `no catalog file of ${options.directory} declares ${
          options.entityRef
        }; they declare ${declared.join(', ')}`,
      );
    }
    return [await scoreDirectory({ ...options, snapshot })];
  }
  const scores: DirectoryScore[] = [];
  for (const target of targets) {
    scores.push(
      await scoreDirectory({
        ...options,
        snapshot,
        entityFile: target.file,
        entityRef: target.ref,
      }),
    );
  }
  return scores;
}

function selectEntityOrUndefined(
  entities: Entity[],
  file: string,
  entityRef: string,
): Entity | undefined {
  try {
    return selectEntity(entities, file, entityRef);
  } catch {
    return undefined;
  }
}
