import type { Entity } from '@backstage/catalog-model';
import { entityRefKey } from './entityRef';

/**
 * Why a document of a catalog file is not a catalog entity (what is missing or malformed), or
 * undefined when it is one. The command-line scorer and `paved:maturity:verify` both check the
 * documents they read with it.
 *
 * @public
 */
export function entityDocumentProblem(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return 'expected an entity (an object with apiVersion, kind and metadata.name)';
  }
  const entity = value as Record<string, unknown>;
  if (typeof entity.apiVersion !== 'string' || !entity.apiVersion) {
    return 'apiVersion is missing';
  }
  if (typeof entity.kind !== 'string' || !entity.kind) {
    return 'kind is missing';
  }
  const metadata = entity.metadata as Record<string, unknown> | undefined;
  if (!metadata || typeof metadata !== 'object') {
    return 'metadata is missing';
  }
  if (typeof metadata.name !== 'string' || !metadata.name) {
    return 'metadata.name is missing';
  }
  if (
    metadata.namespace !== undefined &&
    (typeof metadata.namespace !== 'string' || !metadata.namespace)
  ) {
    return 'metadata.namespace must be a non-empty string';
  }
  return undefined;
}

/**
 * The entity chosen to score among the documents of a catalog file, or why none could be:
 * `invalid-ref` (the ref asked for does not parse), `not-found` (no document is that entity),
 * `empty` (no documents) or `ambiguous` (several Components, or several documents and no
 * Component, and no ref asked for). The message names the file and the candidates; each surface
 * adds how its user chooses (an option, an input).
 *
 * @public
 */
export type ScoredEntityChoice =
  | { entity: Entity }
  | {
      problem: 'invalid-ref' | 'not-found' | 'empty' | 'ambiguous';
      message: string;
    };

/**
 * Chooses the entity to score among the documents of a catalog file: the one `entityRef` names
 * (kind `component` and namespace `default` when left out), else the only Component, else the
 * only document. The one rule of the command-line scorer and `paved:maturity:verify`.
 *
 * @param displayPath - the catalog file as messages name it
 * @public
 */
export function chooseScoredEntity(
  entities: readonly Entity[],
  displayPath: string,
  entityRef?: string,
): ScoredEntityChoice {
  if (entityRef !== undefined) {
    const wanted = entityRefKey(entityRef, { defaultKind: 'component' });
    if (wanted === undefined) {
      return {
        problem: 'invalid-ref',
        message: `'${entityRef}' is not an entity ref such as component:default/billing`,
      };
    }
    const found = entities.find(e => entityRefKey(e) === wanted);
    return found
      ? { entity: found }
      : {
          problem: 'not-found',
          message: `${displayPath} has no entity ${wanted}; it declares ${
            entities.map(e => entityRefKey(e)).join(', ') || 'no entities'
          }`,
        };
  }
  const components = entities.filter(
    e => e.kind.toLocaleLowerCase('en-US') === 'component',
  );
  if (components.length === 1) {
    return { entity: components[0] };
  }
  if (components.length === 0 && entities.length === 1) {
    return { entity: entities[0] };
  }
  if (entities.length === 0) {
    return { problem: 'empty', message: `${displayPath} declares no entity` };
  }
  const candidates = (components.length > 0 ? components : entities).map(e =>
    entityRefKey(e),
  );
  return {
    problem: 'ambiguous',
    message: `${displayPath} declares ${
      components.length > 0
        ? `${components.length} Components`
        : `no Component but ${entities.length} entities`
    } (${candidates.join(', ')})`,
  };
}
