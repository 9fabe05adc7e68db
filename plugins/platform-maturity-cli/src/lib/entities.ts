import {
  chooseScoredEntity,
  entityDocumentProblem,
  entityRefKey,
  type CatalogLookup,
  type EvaluationContext,
} from '@paved/plugin-platform-maturity-common';
import {
  describeFileType,
  readRegularFile,
  UnreadableFileError,
} from '@paved/plugin-platform-maturity-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { usageError } from './errors';

/**
 * Reads a file the command line names or finds, only when it is a regular file (a FIFO would
 * block the run), as UTF-8.
 *
 * @throws InputError naming the option and the file when it is missing or not a regular file
 * @internal
 */
export async function readUserFile(
  file: string,
  option: string,
): Promise<string> {
  try {
    return (await readRegularFile(file)).toString('utf8');
  } catch (error) {
    if (error instanceof UnreadableFileError) {
      throw usageError(option, error.message);
    }
    const code = (error as { code?: string }).code;
    throw usageError(
      option,
      code === 'ENOENT'
        ? `${file} does not exist`
        : `${file} could not be read (${(error as Error).message})`,
    );
  }
}

/**
 * A catalog entity, as the engine takes it.
 *
 * @internal
 */
export type Entity = EvaluationContext['entity'];

/**
 * The catalog file looked for in the scored directory, in this order.
 *
 * @internal
 */
export const CATALOG_FILE_NAMES: readonly string[] = [
  'catalog-info.yaml',
  'catalog-info.yml',
];

/**
 * The entity's ref as the catalog writes it: `kind:namespace/name` with the kind lower-cased.
 *
 * @internal
 */
export function entityRefOf(entity: Entity): string {
  return `${entity.kind.toLocaleLowerCase('en-US')}:${
    entity.metadata.namespace ?? 'default'
  }/${entity.metadata.name}`;
}

async function readYamlDocuments(
  file: string,
  option: string,
): Promise<unknown[]> {
  const text = await readUserFile(file, option);
  const documents = parseAllDocuments(text, { prettyErrors: true });
  const parsed: unknown[] = [];
  for (const [index, document] of documents.entries()) {
    const [error] = document.errors;
    if (error) {
      throw usageError(
        option,
        `${file} is not valid YAML (document ${index + 1}): ${error.message
          .split('\n')[0]
          .trim()}`,
      );
    }
    const value = document.toJS();
    if (value !== null && value !== undefined) {
      parsed.push(value);
    }
  }
  return parsed;
}

function checkedEntities(
  values: unknown[],
  file: string,
  option: string,
): Entity[] {
  return values.map((value, index) => {
    const problem = entityDocumentProblem(value);
    if (problem) {
      throw usageError(
        option,
        `${file}: document ${index + 1} is not a catalog entity: ${problem}`,
      );
    }
    return value as Entity;
  });
}

/**
 * Reads the entities of a catalog file (one YAML document per entity).
 *
 * @internal
 */
export async function readEntityFile(
  file: string,
  option: string,
): Promise<Entity[]> {
  return checkedEntities(await readYamlDocuments(file, option), file, option);
}

/**
 * Reads entities for the catalog lookup: YAML documents of entities, or the JSON that the catalog
 * API answers (`GET /api/catalog/entities`, a list, or `/entities/by-query`, `{ items }`).
 *
 * @internal
 */
export async function readCatalogFile(
  file: string,
  option: string,
): Promise<Entity[]> {
  const values = (await readYamlDocuments(file, option)).flatMap(value => {
    if (Array.isArray(value)) {
      return value;
    }
    const items = (value as { items?: unknown })?.items;
    return Array.isArray(items) ? items : [value];
  });
  return checkedEntities(values, file, option);
}

/**
 * The catalog file of a directory, or undefined when it has none.
 *
 * @internal
 */
export async function findCatalogFile(
  directory: string,
): Promise<string | undefined> {
  for (const name of CATALOG_FILE_NAMES) {
    const file = path.join(directory, name);
    const stat = await fs.stat(file).catch(() => undefined);
    if (stat?.isFile()) {
      return file;
    }
    if (stat && !stat.isDirectory()) {
      // Scoring without it would report the catalog checks as failing.
      throw usageError(
        'directory',
        `Cannot read ${file}: it is ${describeFileType(
          stat,
        )}, not a regular file`,
      );
    }
  }
  return undefined;
}

/**
 * Chooses the entity to score among the documents of a catalog file: the one `entityRef` names,
 * else the only Component, else the only document.
 *
 * @internal
 */
export function selectEntity(
  entities: Entity[],
  file: string,
  entityRef: string | undefined,
): Entity {
  const choice = chooseScoredEntity(entities, file, entityRef);
  if ('entity' in choice) {
    return choice.entity;
  }
  switch (choice.problem) {
    case 'empty':
      throw usageError('--entity', choice.message);
    case 'ambiguous':
      throw usageError(
        '--entity-ref',
        `${choice.message}; choose one with --entity-ref`,
      );
    default:
      throw usageError('--entity-ref', choice.message);
  }
}

/**
 * The entity scored for a directory without a catalog file: an unregistered service Component
 * named after the directory, so that the checklist applies and every check that reads the
 * catalog entry says what is missing.
 *
 * @internal
 */
export function unregisteredEntity(directory: string): Entity {
  const name =
    path
      .basename(path.resolve(directory))
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .slice(0, 63)
      .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '') || 'unnamed-service';
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name },
    spec: { type: 'service' },
  };
}

/**
 * A catalog lookup over a list of entities; refs are compared case-insensitively.
 *
 * @internal
 */
export function catalogLookupOf(entities: readonly Entity[]): CatalogLookup {
  const byRef = new Map<string, Entity>();
  for (const entity of entities) {
    byRef.set(entityRefKey(entity), entity);
  }
  return {
    getEntity(entityRef) {
      const key = entityRefKey(entityRef, { defaultKind: 'component' });
      return key === undefined ? undefined : byRef.get(key);
    },
  };
}
