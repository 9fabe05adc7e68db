import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { platformMaturityScorecardReadPermission } from '@paved/plugin-platform-maturity-common';

/**
 * What the API accepts as the kind, namespace or name of an entity ref: checked before asking the
 * catalog, so that a malformed ref is a 400 rather than a lookup.
 *
 * @internal
 */
export const ENTITY_REF_PART = /^[a-zA-Z0-9._-]{1,253}$/;

/** How long the refs read for one set of catalog conditions are reused; see docs/architecture.md. */
const VISIBLE_REFS_TTL_MS = 10_000;
/** Condition sets whose refs are kept at a time; the oldest goes first. */
const VISIBLE_REFS_CACHED = 100;
/** Entities per catalog page when reading the refs a caller may see. */
const VISIBLE_REFS_PAGE_SIZE = 5000;

/**
 * The entity refs (as `stringifyEntityRef` writes them, lower-case) whose scorecards a caller may
 * see, or `undefined` when the caller may see every entity of the catalog. The store applies it in
 * SQL, counts included.
 *
 * @internal
 */
export type VisibleEntityRefs = readonly string[] | undefined;

/**
 * Who may read what, in one place for the REST API and the actions (see "Authorization model" in
 * docs/architecture.md): every answer needs `platform-maturity.scorecard.read`, and names only
 * entities that the catalog returns to the caller (`catalog.entity.read`).
 *
 * @internal
 */
export class ScorecardAccess {
  private readonly permissions: PermissionsService;
  private readonly catalog: CatalogService;
  private readonly now: () => number;
  private readonly visibleRefsCache = new Map<
    string,
    { expiresAt: number; refs: Promise<string[]> }
  >();

  constructor(options: {
    permissions: PermissionsService;
    catalog: CatalogService;
    /** The clock of the visible refs' cache, for tests. */
    now?: () => number;
  }) {
    this.permissions = options.permissions;
    this.catalog = options.catalog;
    this.now = options.now ?? Date.now;
  }

  /**
   * Throws `NotAllowedError` unless the permission framework ALLOWs the request for the caller.
   */
  async authorize(
    credentials: BackstageCredentials,
    request:
      | { permission: BasicPermission }
      | { permission: ResourcePermission; resourceRef: string },
  ): Promise<void> {
    const [decision] = await this.permissions.authorize([request], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed: ${request.permission.name}`);
    }
  }

  /** Throws `NotAllowedError` unless the caller may read scorecards. */
  async requireScorecardRead(credentials: BackstageCredentials): Promise<void> {
    await this.authorize(credentials, {
      permission: platformMaturityScorecardReadPermission,
    });
  }

  /**
   * The entity, read from the catalog with the caller's credentials, once the caller may read
   * scorecards. An entity the caller may not see throws the same `NotFoundError` as an unknown
   * one, so that its existence never leaks.
   */
  async visibleEntity(
    credentials: BackstageCredentials,
    ref: CompoundEntityRef,
  ): Promise<Entity> {
    await this.requireScorecardRead(credentials);
    const entity = await this.catalog.getEntityByRef(ref, { credentials });
    if (!entity) {
      throw new NotFoundError(
        `No scorecard for ${ref.kind}:${ref.namespace}/${ref.name}`,
      );
    }
    return entity;
  }

  /**
   * The entities whose scorecards the caller may see, once the caller may read scorecards. ALLOW
   * on `catalog.entity.read` is every entity (no filter), DENY none, and a conditional decision the
   * refs the catalog returns to the caller: the catalog applies the conditions in its own database,
   * so this plugin never interprets them.
   */
  async visibleEntityRefs(
    credentials: BackstageCredentials,
  ): Promise<VisibleEntityRefs> {
    await this.requireScorecardRead(credentials);
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission: catalogEntityReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.CONDITIONAL) {
      return decision.result === AuthorizeResult.ALLOW ? undefined : [];
    }
    // The catalog's answer depends only on the conditions, so callers with the same conditions
    // share it; the first caller's credentials read it, and they see exactly that set.
    const key = JSON.stringify([
      decision.pluginId,
      decision.resourceType,
      decision.conditions,
    ]);
    const now = this.now();
    const cached = this.visibleRefsCache.get(key);
    if (cached && cached.expiresAt > now) {
      return cached.refs;
    }
    for (const [k, entry] of this.visibleRefsCache) {
      if (
        entry.expiresAt <= now ||
        this.visibleRefsCache.size >= VISIBLE_REFS_CACHED
      ) {
        this.visibleRefsCache.delete(k);
      }
    }
    const refs = this.readVisibleRefs(credentials);
    this.visibleRefsCache.set(key, {
      expiresAt: now + VISIBLE_REFS_TTL_MS,
      refs,
    });
    // A failed read is not kept: the next request asks the catalog again.
    refs.catch(() => {
      if (this.visibleRefsCache.get(key)?.refs === refs) {
        this.visibleRefsCache.delete(key);
      }
    });
    return refs;
  }

  private async readVisibleRefs(
    credentials: BackstageCredentials,
  ): Promise<string[]> {
    const refs: string[] = [];
    for await (const page of this.catalog.streamEntities(
      {
        fields: ['kind', 'metadata.namespace', 'metadata.name'],
        pageSize: VISIBLE_REFS_PAGE_SIZE,
      },
      { credentials },
    )) {
      for (const entity of page) {
        refs.push(stringifyEntityRef(entity));
      }
    }
    return refs;
  }
}
