import {
  roundScore,
  type CapabilityId,
  type LevelDefinition,
  type SummaryGroup,
} from '@paved/plugin-platform-maturity-common';

/** Catalog-wide figures combined from the groups of one summary. */
export interface CatalogTotals {
  /** In-scope entities. */
  count: number;
  /** Entities per level number; exact, since level counts add up across groups. */
  levels: Record<number, number>;
  /** Per capability, the share (0–100) of entities that have it complete, or null. */
  capabilityCompletion: Partial<Record<CapabilityId, number | null>>;
  /**
   * False when the completion shares were combined from several groups, which only approximates
   * the catalog-wide share (see {@link combineGroups}).
   */
  exact: boolean;
}

/** One bar of the level distribution. */
export interface LevelCount {
  level: number;
  name: string;
  count: number;
}

/**
 * Adds the groups of one summary up into catalog-wide figures.
 *
 * Counts and level counts are exact. A group's completion share is taken among the entities to
 * which the capability applies, a number the summary does not return, so combining several
 * groups weights each share by the group's entity count instead (leaving out groups where the
 * capability applies to no entity). That is exact when every entity of the groups has the
 * capability applicable, and approximate otherwise (for example when some services have no data
 * store). With a single group, such as `groupBy=kind` in a catalog where only Components are in
 * scope, the group's own share is used and is exact.
 */
export function combineGroups(
  groups: SummaryGroup[],
  capabilities: CapabilityId[],
): CatalogTotals {
  const levels: Record<number, number> = {};
  let count = 0;
  for (const group of groups) {
    count += group.count;
    for (const [level, n] of Object.entries(group.levels)) {
      levels[Number(level)] = (levels[Number(level)] ?? 0) + n;
    }
  }
  const capabilityCompletion: Partial<Record<CapabilityId, number | null>> = {};
  for (const capability of capabilities) {
    let weighted = 0;
    let weight = 0;
    for (const group of groups) {
      const share = group.capabilityCompletion[capability];
      if (share !== null && share !== undefined) {
        weighted += share * group.count;
        weight += group.count;
      }
    }
    capabilityCompletion[capability] =
      weight > 0 ? roundScore(weighted / weight) : null;
  }
  return { count, levels, capabilityCompletion, exact: groups.length <= 1 };
}

/**
 * The bars of a level distribution: every level of the ladder, in order, plus any level a
 * scorecard has that the current ladder no longer defines (after a configuration change).
 */
export function levelCounts(
  levels: Record<number, number>,
  ladder: LevelDefinition[],
): LevelCount[] {
  const names = new Map(ladder.map(l => [l.level, l.name]));
  const numbers = new Set([
    ...ladder.map(l => l.level),
    ...Object.keys(levels).map(Number),
  ]);
  return [...numbers]
    .sort((a, b) => a - b)
    .map(level => ({
      level,
      name: names.get(level) ?? `Level ${level}`,
      count: levels[level] ?? 0,
    }));
}
