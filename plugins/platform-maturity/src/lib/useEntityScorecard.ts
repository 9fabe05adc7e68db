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
import { roundScore } from '@paved/plugin-platform-maturity-common';
import { useEffect, useState } from 'react';
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
  /** A re-evaluation finished less than {@link REFRESH_INTERVAL_MS} ago: the button rests. */
  resting: boolean;
  /** What the last re-evaluation changed, in words. */
  refreshOutcome?: string;
  /** Why the last re-evaluation failed. */
  refreshError?: Error;
}

/**
 * How long the re-evaluate button rests after a re-evaluation: each one reads the repository
 * again, and a burst of clicks would only repeat the same answer.
 */
export const REFRESH_INTERVAL_MS = 5_000;

/** What a re-evaluation changed: score and level, or nothing. */
export function describeRefresh(
  before: Scorecard | undefined,
  after: Scorecard,
): string {
  const score = (s?: Scorecard) =>
    s?.score === null || s?.score === undefined
      ? '–'
      : String(roundScore(s.score));
  const level = (s?: Scorecard) =>
    s?.level ? `level ${s.level.level} ${s.level.name}` : 'no level';
  if (
    before &&
    before.evidenceDigest === after.evidenceDigest &&
    before.rulesetHash === after.rulesetHash
  ) {
    return `Re-evaluated: nothing changed (score ${score(after)}, ${level(
      after,
    )}).`;
  }
  if (
    before &&
    score(before) === score(after) &&
    level(before) === level(after)
  ) {
    return `Re-evaluated: the evidence changed, the score did not (${score(
      after,
    )}, ${level(after)}).`;
  }
  const levelChange =
    level(before) === level(after)
      ? `still ${level(after)}`
      : `${level(before)} → ${level(after)}`;
  return `Re-evaluated: score ${score(before)} → ${score(
    after,
  )}, ${levelChange}.`;
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

  const [resting, setResting] = useState(false);
  useEffect(() => {
    if (!resting) {
      return undefined;
    }
    const timer = setTimeout(() => setResting(false), REFRESH_INTERVAL_MS);
    return () => clearTimeout(timer);
  }, [resting]);

  const current =
    refreshed?.entityRef === entityRef
      ? refreshed.response
      : loaded.value?.response;
  const [refreshState, refresh] = useAsyncFn(async () => {
    try {
      const response = await api.refreshScorecard(getCompoundEntityRef(entity));
      setRefreshed({ entityRef, response });
      return describeRefresh(current?.scorecard, response.scorecard);
    } finally {
      setResting(true);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, entityRef, current]);

  let state: EntityScorecardState;
  if (loaded.error) {
    state = { status: 'error', error: loaded.error };
  } else if (loaded.loading || !loaded.value) {
    state = { status: 'loading' };
  } else {
    const { checklist } = loaded.value;
    const response = current;
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
    resting,
    refreshOutcome: refreshState.loading ? undefined : refreshState.value,
    refreshError: refreshState.error,
  };
}
