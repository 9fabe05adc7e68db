import { parseEntityRef } from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';

/**
 * The path of the maturity tab below an entity's page: `platform-maturity` in the new frontend
 * system, and where the README mounts `EntityPlatformMaturityContent` in the legacy one.
 */
export const ENTITY_TAB_PATH = 'platform-maturity';

/** A link to the platform maturity tab of an entity, showing its title or name. */
export function EntityTabLink(props: { entityRef: string; title?: string }) {
  const entityRoute = useRouteRef(entityRouteRef);
  const entityPath = entityRoute(
    entityRouteParams(props.entityRef, { encodeParams: true }),
  );
  return (
    <Link to={`${entityPath}/${ENTITY_TAB_PATH}`}>
      {props.title ?? parseEntityRef(props.entityRef).name}
    </Link>
  );
}
