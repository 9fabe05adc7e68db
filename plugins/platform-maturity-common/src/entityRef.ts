import { Entity, parseEntityRef } from '@backstage/catalog-model';

/**
 * Defaults for the parts a ref string leaves out, when its key is taken with `entityRefKey`.
 *
 * @public
 */
export interface EntityRefKeyDefaults {
  /** The kind of a ref without one (`orders` → `component:default/orders`); without it, a ref must name its kind. */
  defaultKind?: string;
  /** The namespace of a ref without one; `default` when left out. */
  defaultNamespace?: string;
}

// A part of a ref never holds these; a ref string that does is a typo, not an entity.
const NOT_IN_A_PART = /[\s:/]/;

/**
 * The key by which entity refs are compared, of an entity: `kind:namespace/name`, lower-cased.
 * Two refs name the same entity exactly when their keys are equal.
 *
 * @public
 */
export function entityRefKey(entity: Entity): string;
/**
 * The key by which entity refs are compared, of a ref string `[kind:][namespace/]name`: trimmed,
 * the parts it leaves out taken from `defaults`, as `kind:namespace/name` lower-cased.
 *
 * @returns the key, or undefined when the string is not an entity ref (an empty part, no kind
 *   and no default kind, or white space, `:` or `/` inside a part)
 * @public
 */
export function entityRefKey(
  ref: string,
  defaults?: EntityRefKeyDefaults,
): string | undefined;
export function entityRefKey(
  ref: Entity | string,
  defaults: EntityRefKeyDefaults = {},
): string | undefined {
  if (typeof ref !== 'string') {
    return keyOf(
      ref.kind,
      ref.metadata.namespace ?? 'default',
      ref.metadata.name,
    );
  }
  let parts: { kind: string; namespace: string; name: string };
  try {
    parts = parseEntityRef(ref.trim(), {
      defaultKind: defaults.defaultKind,
      defaultNamespace: defaults.defaultNamespace ?? 'default',
    });
  } catch {
    return undefined;
  }
  return [parts.kind, parts.namespace, parts.name].some(part =>
    NOT_IN_A_PART.test(part),
  )
    ? undefined
    : keyOf(parts.kind, parts.namespace, parts.name);
}

function keyOf(kind: string, namespace: string, name: string): string {
  return `${kind}:${namespace}/${name}`.toLocaleLowerCase('en-US');
}
