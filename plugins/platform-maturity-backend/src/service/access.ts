import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CompoundEntityRef, Entity } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import type { CatalogService } from '@backstage/plugin-catalog-node';

/**
 * What the API accepts as the kind, namespace or name of an entity ref: checked before asking the
 * catalog, so that a malformed ref is a 400 rather than a lookup.
 */
export const ENTITY_REF_PART = /^[a-zA-Z0-9._-]{1,253}$/;

/**
 * Asks the permission framework with the caller's credentials and throws `NotAllowedError` on
 * anything but ALLOW. Shared by the REST API and the actions so that both apply the same rules.
 */
export async function authorizeOrThrow(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  request:
    | { permission: BasicPermission }
    | { permission: ResourcePermission; resourceRef: string },
): Promise<void> {
  const [decision] = await permissions.authorize([request], { credentials });
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(`Not allowed: ${request.permission.name}`);
  }
}

/**
 * The entity read from the catalog with the caller's credentials. An entity the caller may not
 * see throws the same `NotFoundError` as an unknown one, so that its existence never leaks.
 */
export async function visibleEntityOrThrow(
  catalog: CatalogService,
  ref: CompoundEntityRef,
  credentials: BackstageCredentials,
): Promise<Entity> {
  const entity = await catalog.getEntityByRef(ref, { credentials });
  if (!entity) {
    throw new NotFoundError(
      `No scorecard for ${ref.kind}:${ref.namespace}/${ref.name}`,
    );
  }
  return entity;
}
