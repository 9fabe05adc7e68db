import {
  type Entity,
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import type {
  LevelDefinition,
  LevelResult,
  Scorecard,
} from '@paved/plugin-platform-maturity-common';
import useAsync from 'react-use/esm/useAsync';
import {
  type PlatformMaturityApi,
  platformMaturityApiRef,
} from '../../api/PlatformMaturityApi';
import { ENTITY_TAB_PATH } from '../PlatformMaturityPage/EntityTabLink';
import { levelColour, levelLabel } from '../PlatformMaturityPage/format';

interface Requests {
  ladder?: Promise<LevelDefinition[]>;
  scorecards: Map<string, Promise<Scorecard | undefined>>;
}

/**
 * What a page has asked for, per API instance: a catalog table asks once per row, and rows
 * re-render as the table sorts and pages. A failed request is forgotten, so that the next render
 * asks again.
 */
const requests = new WeakMap<PlatformMaturityApi, Requests>();

function remember<T>(promise: Promise<T>, forget: () => void): Promise<T> {
  promise.catch(forget);
  return promise;
}

/** The entity's level, and the ladder its colour is placed on. */
function loadLevel(
  api: PlatformMaturityApi,
  entity: Entity,
): Promise<{ level: LevelResult | null; ladder: LevelDefinition[] }> {
  let cache = requests.get(api);
  if (!cache) {
    cache = { scorecards: new Map() };
    requests.set(api, cache);
  }
  const known = cache;
  known.ladder ??= remember(
    api.getChecklist().then(checklist => checklist.levels),
    () => {
      known.ladder = undefined;
    },
  );
  const ref = stringifyEntityRef(entity);
  let scorecard = known.scorecards.get(ref);
  if (!scorecard) {
    scorecard = remember(
      api
        .getScorecard(getCompoundEntityRef(entity))
        .then(response =>
          response?.scorecard.inScope ? response.scorecard : undefined,
        ),
      () => known.scorecards.delete(ref),
    );
    known.scorecards.set(ref, scorecard);
  }
  return Promise.all([scorecard, known.ladder]).then(([card, ladder]) => ({
    level: card?.level ?? null,
    ladder,
  }));
}

const useStyles = makeStyles(theme => ({
  level: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.75),
    whiteSpace: 'nowrap',
  },
  swatch: {
    flex: 'none',
    width: theme.spacing(1.25),
    height: theme.spacing(1.25),
    borderRadius: '50%',
  },
}));

/** The entity's level and ladder, loaded once per page and entity. */
function useLevel(entity: Entity) {
  const api = useApi(platformMaturityApiRef);
  const ref = stringifyEntityRef(entity);
  return useAsync(
    () => loadLevel(api, entity),
    // The entity object may be recreated for the same entity; its ref is what matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, ref],
  );
}

/** The path of the entity's maturity tab. */
function useTabPath(entity: Entity): string {
  const entityRoute = useRouteRef(entityRouteRef);
  return `${entityRoute(
    entityRouteParams(entity, { encodeParams: true }),
  )}/${ENTITY_TAB_PATH}`;
}

/** The entity's level as text with its colour, linked to its maturity tab; a dash when none. */
export function EntityLevel(props: { entity: Entity }) {
  const { entity } = props;
  const classes = useStyles();
  const theme = useTheme();
  const loaded = useLevel(entity);
  const href = useTabPath(entity);
  if (loaded.loading) {
    return (
      <Typography variant="body2" color="textSecondary" component="span">
        …
      </Typography>
    );
  }
  const level = loaded.value?.level;
  if (loaded.error || !level || !loaded.value) {
    return (
      <Typography
        variant="body2"
        color="textSecondary"
        component="span"
        title={
          loaded.error
            ? `Could not load the scorecard: ${loaded.error.message}`
            : 'Not evaluated, or no check applies'
        }
      >
        —
      </Typography>
    );
  }
  return (
    <Link to={href} className={classes.level}>
      <span
        className={classes.swatch}
        style={{
          backgroundColor: levelColour(theme, level.level, loaded.value.ladder),
        }}
        aria-hidden="true"
      />
      {levelLabel(level.level, level.name)}
    </Link>
  );
}

/** The current entity's level, linked to its maturity tab. */
export function EntityPlatformMaturityLevelBadge() {
  const { entity } = useEntity();
  return <EntityLevel entity={entity} />;
}

/**
 * The props of the new frontend system's About-card link: the level as its label.
 *
 * @internal
 */
export function useLevelIconLinkProps(): { label: string; href: string } {
  const { entity } = useEntity();
  const loaded = useLevel(entity);
  const href = useTabPath(entity);
  const level = loaded.value?.level;
  return {
    label: level ? levelLabel(level.level, level.name) : 'Maturity',
    href,
  };
}
