/**
 * The relations an entity declares, read from both places they can be: the `spec` fields of a
 * catalog-info.yaml file (which has no `relations`), and the `relations` array that the catalog
 * adds to the entities it serves. Shared by the data and as-code checks.
 */
import {
  type Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { Evidence } from '../types';
import { specField } from './helpers';

/** The relation types the checks look at, named as in the catalog's `relations`. */
export type DeclaredRelationType =
  | 'dependsOn'
  | 'providesApi'
  | 'consumesApi'
  | 'partOf';

/** One relation the entity declares. */
export interface DeclaredRelation {
  type: DeclaredRelationType;
  /** The full entity ref of the target, `kind:namespace/name` (kind lower-cased). */
  targetRef: string;
  /** The target's kind, lower-cased. */
  targetKind: string;
  /** Where it was declared: `spec.dependsOn` or `relations`. */
  source: string;
}

/**
 * The spec fields that declare relations, with the kind a short ref in them defaults to (as the
 * catalog's own processor reads them: `dependsOn` has no default kind, so a ref without one is not
 * a relation).
 */
const SPEC_FIELDS: ReadonlyArray<{
  field: string;
  type: DeclaredRelationType;
  defaultKind?: string;
}> = [
  { field: 'dependsOn', type: 'dependsOn' },
  { field: 'providesApis', type: 'providesApi', defaultKind: 'api' },
  { field: 'consumesApis', type: 'consumesApi', defaultKind: 'api' },
  { field: 'system', type: 'partOf', defaultKind: 'system' },
  { field: 'subcomponentOf', type: 'partOf', defaultKind: 'component' },
];

const RELATION_TYPES: ReadonlySet<string> = new Set<DeclaredRelationType>([
  'dependsOn',
  'providesApi',
  'consumesApi',
  'partOf',
]);

/** The namespace of the entity, tolerating a malformed entity. */
export function namespaceOf(entity: Entity): string {
  const namespace = entity?.metadata?.namespace;
  return typeof namespace === 'string' && namespace ? namespace : 'default';
}

/**
 * A full, normalised entity ref (kind lower-cased), or undefined when the value is not a valid
 * ref. Never throws.
 */
export function toEntityRef(
  value: unknown,
  context: { defaultKind?: string; defaultNamespace: string },
): { ref: string; kind: string } | undefined {
  try {
    let parsed: { kind: string; namespace: string; name: string };
    if (typeof value === 'string') {
      if (!value.trim()) {
        return undefined;
      }
      parsed = parseEntityRef(value.trim(), context);
    } else if (value && typeof value === 'object') {
      // The older `target: { kind, namespace, name }` shape of a relation.
      const { kind, namespace, name } = value as Record<string, unknown>;
      if (typeof kind !== 'string' || typeof name !== 'string') {
        return undefined;
      }
      parsed = {
        kind,
        namespace:
          typeof namespace === 'string' ? namespace : context.defaultNamespace,
        name,
      };
    } else {
      return undefined;
    }
    if (!parsed.kind || !parsed.name) {
      return undefined;
    }
    const kind = parsed.kind.toLowerCase();
    return { ref: stringifyEntityRef({ ...parsed, kind }), kind };
  } catch {
    return undefined;
  }
}

interface EntityRelations {
  relations: DeclaredRelation[];
  invalid: Array<{ field: string; value: string }>;
  /** The values they were read from, to tell when the entity was changed since. */
  sources: unknown[];
}

/**
 * The relations of the entity last asked about, since several checks of one evaluation ask for
 * them and parsing refs is not free. They are used only while the fields they were read from are
 * the same values. One entity rather than a map of them: checks ask about the entity being
 * evaluated, and a map would keep every entity's relations for as long as the entity lives.
 */
let cachedEntity: Entity | undefined;
let cachedRelations: EntityRelations | undefined;

/** The values relations are read from, in the order {@link isCurrent} compares them. */
function sourcesOf(entity: Entity): unknown[] {
  return [
    entity.metadata?.namespace,
    entity.relations,
    ...SPEC_FIELDS.map(({ field }) => specField(entity, field)),
  ];
}

/** Whether the entity's relation fields are still the values the entry was read from. */
function isCurrent(entity: Entity, sources: unknown[]): boolean {
  if (
    sources[0] !== entity.metadata?.namespace ||
    sources[1] !== entity.relations
  ) {
    return false;
  }
  for (let i = 0; i < SPEC_FIELDS.length; i++) {
    if (sources[i + 2] !== specField(entity, SPEC_FIELDS[i].field)) {
      return false;
    }
  }
  return true;
}

function relationsOf(entity: Entity): EntityRelations {
  if (!entity || typeof entity !== 'object') {
    return { relations: [], invalid: [], sources: [] };
  }
  if (
    entity === cachedEntity &&
    cachedRelations &&
    isCurrent(entity, cachedRelations.sources)
  ) {
    return cachedRelations;
  }
  // Built field by field: a spread followed by a new key is slow in V8.
  const { relations, invalid } = readRelations(entity);
  const result = { relations, invalid, sources: sourcesOf(entity) };
  cachedEntity = entity;
  cachedRelations = result;
  return result;
}

/**
 * Every relation of the given types that the entity declares in its spec or that the catalog
 * recorded in `relations`, without duplicates, spec first.
 */
export function declaredRelations(entity: Entity): DeclaredRelation[] {
  return relationsOf(entity).relations;
}

/**
 * The refs in the entity's relation fields that are not valid entity refs, such as a `dependsOn`
 * entry without a kind (`orders-db`), which the catalog cannot turn into a relation.
 */
export function invalidRelationRefs(
  entity: Entity,
): Array<{ field: string; value: string }> {
  return relationsOf(entity).invalid;
}

function readRelations(entity: Entity): Omit<EntityRelations, 'sources'> {
  const defaultNamespace = namespaceOf(entity);
  const found = new Map<string, DeclaredRelation>();
  const invalid: Array<{ field: string; value: string }> = [];
  const add = (
    type: DeclaredRelationType,
    value: unknown,
    source: string,
    defaultKind?: string,
  ): boolean => {
    const target = toEntityRef(value, { defaultKind, defaultNamespace });
    if (!target) {
      return false;
    }
    const key = `${type} ${target.ref.toLowerCase()}`;
    if (!found.has(key)) {
      found.set(key, {
        type,
        targetRef: target.ref,
        targetKind: target.kind,
        source,
      });
    }
    return true;
  };

  for (const { field, type, defaultKind } of SPEC_FIELDS) {
    const value = specField(entity, field);
    for (const item of Array.isArray(value) ? value : [value]) {
      if (
        typeof item === 'string' &&
        !add(type, item, `spec.${field}`, defaultKind) &&
        item.trim()
      ) {
        invalid.push({ field: `spec.${field}`, value: item });
      }
    }
  }

  const relations: unknown = entity.relations;
  if (Array.isArray(relations)) {
    for (const relation of relations) {
      if (!relation || typeof relation !== 'object') {
        continue;
      }
      const { type, targetRef, target } = relation as Record<string, unknown>;
      if (typeof type === 'string' && RELATION_TYPES.has(type)) {
        add(type as DeclaredRelationType, targetRef ?? target, 'relations');
      }
    }
  }
  return { relations: [...found.values()], invalid };
}

/** Evidence for a declared relation. */
export function relationEvidence(relation: DeclaredRelation): Evidence {
  return {
    type: 'relation',
    ref: relation.targetRef,
    detail: `${relation.type} (${relation.source})`,
  };
}
