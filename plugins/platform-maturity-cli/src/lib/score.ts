import {
  evaluate,
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
  entityFactsOf,
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
  /** The entity file; default `catalog-info.yaml` in the directory. */
  entityFile?: string;
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
}

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

  const entityFile = options.entityFile ?? (await findCatalogFile(directory));
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
    entity = unregisteredEntity(directory);
    notes.push(
      `${directory} has no ${CATALOG_FILE_NAMES[0]}: scored as an unregistered service Component named '${entity.metadata.name}'. The checks that read the catalog entry (owner, system, lifecycle, relations, on-call) fail because there is none; add ${CATALOG_FILE_NAMES[0]} or point --entity at the entity file.`,
    );
  }

  const others = documents.filter(d => d !== entity);
  const catalog = options.catalogEntities
    ? catalogLookupOf([...others, ...options.catalogEntities])
    : undefined;

  const snapshot = await readDirectorySnapshot(directory, {
    maxFiles: options.maxFiles,
  });
  if (snapshot.truncated) {
    notes.push(
      `The repository was only partly read: first ${snapshot.paths.length} of more files in ${directory}. Checks that found nothing among them are unknown, not failed; raise the cap with --max-files.`,
    );
  }
  const scorecard = evaluate(ruleset, {
    entity,
    repository: snapshot,
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
    entity: entityFactsOf(
      entity,
      catalogLookupOf(documents.concat(options.catalogEntities ?? [])),
    ),
    scorecard,
    entityFile: entityFile ? path.resolve(entityFile) : null,
    files: snapshot.paths.length,
    truncated: snapshot.truncated,
    notes,
  };
}
