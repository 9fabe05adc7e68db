import {
  Entity,
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { evaluateFilterPredicate } from '@backstage/filter-predicates';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  ChecklistResponse,
  platformMaturityScorecardRefreshPermission,
  Scorecard,
  ScorecardResponse,
} from '@paved/plugin-platform-maturity-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { platformMaturityApiRef } from '../api/PlatformMaturityApi';

/** What the card and the tab show for an entity. */
export type EntityScorecardState =
  | { status: 'loading' }
  | { status: 'error'; error: Error }
  /** No check of the backend's checklist applies to the entity. */
  | { status: 'out-of-scope'; checklist: ChecklistResponse }
  /** Checks apply, but the scheduled evaluation has not reached the entity yet. */
  | { status: 'not-evaluated'; checklist: ChecklistResponse }
  | {
      status: 'evaluated';
      checklist: ChecklistResponse;
      scorecard: Scorecard;
    };

/** The entity's scorecard, and re-evaluation when the user may ask for it. */
export interface EntityScorecard {
  state: EntityScorecardState;
  /** Whether the user holds the refresh permission on the entity. */
  canRefresh: boolean;
  refresh(): Promise<void>;
  refreshing: boolean;
  /** Why the last re-evaluation failed. */
  refreshError?: Error;
}

function isInScope(checklist: ChecklistResponse, entity: Entity): boolean {
  return checklist.checks.some(check =>
    evaluateFilterPredicate(check.appliesTo, entity),
  );
}

/**
 * Loads the entity's latest scorecard together with the checklist (check titles and
 * remediation). When the entity has no scorecard, the checklist's `appliesTo` predicates tell
 * "not evaluated yet" from "out of scope".
 */
export function useEntityScorecard(entity: Entity): EntityScorecard {
  const api = useApi(platformMaturityApiRef);
  const entityRef = stringifyEntityRef(entity);
  const { allowed: canRefresh } = usePermission({
    permission: platformMaturityScorecardRefreshPermission,
    resourceRef: entityRef,
  });
  const [refreshed, setRefreshed] = useState<{
    entityRef: string;
    response: ScorecardResponse;
  }>();

  const loaded = useAsync(async () => {
    const compoundRef = getCompoundEntityRef(entity);
    const [response, checklist] = await Promise.all([
      api.getScorecard(compoundRef),
      api.getChecklist(),
    ]);
    return { response, checklist };
    // The entity object may be recreated for the same entity; its ref is what matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, entityRef]);

  const [refreshState, refresh] = useAsyncFn(async () => {
    const response = await api.refreshScorecard(getCompoundEntityRef(entity));
    setRefreshed({ entityRef, response });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, entityRef]);

  let state: EntityScorecardState;
  if (loaded.error) {
    state = { status: 'error', error: loaded.error };
  } else if (loaded.loading || !loaded.value) {
    state = { status: 'loading' };
  } else {
    const { checklist } = loaded.value;
    const response =
      refreshed?.entityRef === entityRef
        ? refreshed.response
        : loaded.value.response;
    if (response) {
      state = response.scorecard.inScope
        ? { status: 'evaluated', checklist, scorecard: response.scorecard }
        : { status: 'out-of-scope', checklist };
    } else {
      state = isInScope(checklist, entity)
        ? { status: 'not-evaluated', checklist }
        : { status: 'out-of-scope', checklist };
    }
  }

  return {
    state,
    canRefresh,
    refresh: async () => {
      await refresh();
    },
    refreshing: refreshState.loading,
    refreshError: refreshState.error,
  };
}
