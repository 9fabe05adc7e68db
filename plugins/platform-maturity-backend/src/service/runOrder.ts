import type { RunOrderKey } from '../database/ScorecardStore';

/** Where an entity stands in a run's order; the tiers go in this order. */
export type RunTier = 'never-scored' | 'pushed' | 'oldest';

/** One entity of a run, in the order the run takes them. */
export interface RunOrderEntry {
  entityRef: string;
  tier: RunTier;
  /**
   * Whether the run paces the entity's read: an entity checked before, nobody pushed to since,
   * whose repository is on a Git host (see docs/architecture.md, "The order of a run").
   */
  paced: boolean;
}

/** Orders strings by their UTF-16 code units, as ISO 8601 times and entity refs sort. */
function compare(a: string, b: string): number {
  if (a === b) {
    return 0;
  }
  return a < b ? -1 : 1;
}

/**
 * The order in which a run takes the catalog's entities: those never scored first, then those a
 * push touched since a run last checked them (earliest push first), then the rest, longest
 * unchecked first. A run that stops leaves its unreached entities as the longest unchecked, so the
 * next run starts with them: every entity is reached within as many runs as the catalog needs.
 */
export function runOrder(
  entityRefs: readonly string[],
  keys: ReadonlyMap<string, RunOrderKey>,
): RunOrderEntry[] {
  const tierOf = (key: RunOrderKey | undefined): RunTier => {
    if (!key) {
      return 'never-scored';
    }
    return key.pushedAt !== undefined && key.pushedAt > key.checkedAt
      ? 'pushed'
      : 'oldest';
  };
  const rank: Record<RunTier, number> = {
    'never-scored': 0,
    pushed: 1,
    oldest: 2,
  };
  // ISO 8601 times in UTC sort as strings.
  const timeOf = (key: RunOrderKey | undefined, tier: RunTier) =>
    tier === 'pushed' ? key!.pushedAt! : key?.checkedAt ?? '';
  return [...new Set(entityRefs)]
    .map(entityRef => {
      const key = keys.get(entityRef);
      const tier = tierOf(key);
      return {
        entry: {
          entityRef,
          tier,
          paced: tier === 'oldest' && key!.onGitHost,
        },
        time: timeOf(key, tier),
      };
    })
    .sort(
      (a, b) =>
        rank[a.entry.tier] - rank[b.entry.tier] ||
        compare(a.time, b.time) ||
        compare(a.entry.entityRef, b.entry.entityRef),
    )
    .map(({ entry }) => entry);
}
