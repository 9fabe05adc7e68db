import type { Entity } from '@backstage/catalog-model';
import type { Ruleset } from '../ruleset/compileRuleset';
import type { ScorecardNotice, Waiver } from '../types';

/**
 * The entity annotation holding waivers: a JSON list of
 * `{ "check": "<check id>", "reason": "...", "until": "YYYY-MM-DD", "waivedBy": "<optional>" }`.
 *
 * @public
 */
export const WAIVERS_ANNOTATION = 'paved.dev/waivers';

const DAY_MS = 24 * 60 * 60 * 1000;
const NO_WAIVERS: ReadonlyMap<string, Waiver> = new Map();

/** The moment a waiver stops counting; a date without a time lasts to the end of that day (UTC). */
export function waiverExpiry(until: string): number {
  const parsed = Date.parse(until);
  return /^\d{4}-\d{2}-\d{2}$/.test(until.trim()) ? parsed + DAY_MS : parsed;
}

function parseEntityWaivers(
  raw: string,
  entity: Entity,
  knownChecks: Set<string>,
  notices: ScorecardNotice[],
): Waiver[] {
  const invalid = (message: string, checkId?: string) =>
    notices.push({
      type: 'waiver-invalid',
      message: `Ignored a waiver in the ${WAIVERS_ANNOTATION} annotation: ${message}`,
      ...(checkId ? { checkId } : {}),
    });
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    invalid('the annotation is not valid JSON.');
    return [];
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  const defaultWaivedBy =
    typeof owner === 'string' ? owner : 'the entity owner';
  const waivers: Waiver[] = [];
  list.forEach((item, i) => {
    const w = (item ?? {}) as Record<string, unknown>;
    const where = `entry ${i + 1}`;
    if (typeof w.check !== 'string' || !knownChecks.has(w.check)) {
      invalid(`${where} names no known check in 'check'.`);
    } else if (typeof w.reason !== 'string' || !w.reason.trim()) {
      invalid(`${where} (${w.check}) has no 'reason'.`, w.check);
    } else if (
      typeof w.until !== 'string' ||
      Number.isNaN(waiverExpiry(w.until))
    ) {
      invalid(
        `${where} (${w.check}) has no valid 'until' date (YYYY-MM-DD).`,
        w.check,
      );
    } else {
      waivers.push({
        checkId: w.check,
        reason: w.reason,
        until: w.until,
        waivedBy:
          typeof w.waivedBy === 'string' && w.waivedBy
            ? w.waivedBy
            : defaultWaivedBy,
        source: 'entity',
      });
    }
  });
  return waivers;
}

/**
 * The waivers in force for an entity, by check id: from configuration and, when allowed, from
 * the entity's annotation (configuration wins). Expired and malformed waivers are left out and
 * reported as notices.
 */
export function collectWaivers(
  ruleset: Ruleset,
  entity: Entity,
  entityRef: string,
  now: Date,
  notices: ScorecardNotice[],
): ReadonlyMap<string, Waiver> {
  const raw = entity.metadata?.annotations?.[WAIVERS_ANNOTATION];
  if (raw === undefined && ruleset.waivers.length === 0) {
    // The common case, without a map per entity.
    return NO_WAIVERS;
  }
  const candidates: Waiver[] = [];
  if (typeof raw === 'string' && ruleset.allowEntityWaivers) {
    const knownChecks = new Set(ruleset.checks.map(c => c.definition.id));
    candidates.push(...parseEntityWaivers(raw, entity, knownChecks, notices));
  } else if (raw !== undefined) {
    notices.push({
      type: 'waiver-invalid',
      message: `The ${WAIVERS_ANNOTATION} annotation is ignored: this Backstage does not honour waivers declared on entities.`,
    });
  }
  for (const waiver of ruleset.waivers) {
    if (waiver.entityRef === entityRef) {
      const { entityRef: _ref, ...rest } = waiver;
      candidates.push(rest);
    }
  }
  const inForce = new Map<string, Waiver>();
  for (const waiver of candidates) {
    if (waiverExpiry(waiver.until) <= now.getTime()) {
      notices.push({
        type: 'waiver-expired',
        checkId: waiver.checkId,
        message: `The waiver for ${waiver.checkId} expired on ${waiver.until}.`,
        waiver,
      });
    } else {
      inForce.set(waiver.checkId, waiver);
    }
  }
  return inForce;
}
