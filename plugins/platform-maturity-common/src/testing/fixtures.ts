import type { Entity } from '@backstage/catalog-model';
import { evaluate } from '../engine/evaluate';
import { compileRuleset, Ruleset } from '../ruleset/compileRuleset';
import type {
  CatalogLookup,
  CheckResult,
  RepositorySnapshot,
  Scorecard,
} from '../types';

/** Test helper: a repository snapshot from a map of path to content. */
export function snapshotOf(files: Record<string, string>): RepositorySnapshot {
  return {
    paths: Object.keys(files).sort(),
    read: path => files[path],
  };
}

/** Test helper: a service Component, with optional overrides of metadata and spec. */
export function serviceEntity(
  overrides: {
    metadata?: Partial<Entity['metadata']>;
    spec?: Record<string, unknown>;
    relations?: Entity['relations'];
    kind?: string;
  } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: overrides.kind ?? 'Component',
    metadata: { name: 'orders', namespace: 'default', ...overrides.metadata },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/team-a',
      ...overrides.spec,
    },
    ...(overrides.relations ? { relations: overrides.relations } : {}),
  };
}

/** Test helper: a catalog lookup over a list of entities. */
export function catalogOf(entities: Entity[]): CatalogLookup {
  const byRef = new Map(
    entities.map(e => [
      `${e.kind}:${e.metadata.namespace ?? 'default'}/${
        e.metadata.name
      }`.toLocaleLowerCase('en-US'),
      e,
    ]),
  );
  return { getEntity: ref => byRef.get(ref.toLocaleLowerCase('en-US')) };
}

const defaultRuleset = compileRuleset({});

/** Test helper: evaluates with the default ruleset (or the given one) at a fixed time. */
export function scorecardFor(options: {
  entity?: Entity;
  files?: Record<string, string>;
  catalog?: CatalogLookup;
  ruleset?: Ruleset;
  now?: Date;
}): Scorecard {
  return evaluate(options.ruleset ?? defaultRuleset, {
    entity: options.entity ?? serviceEntity(),
    repository: options.files ? snapshotOf(options.files) : undefined,
    catalog: options.catalog,
    now: options.now ?? new Date('2026-11-25T12:00:00Z'),
  });
}

/** Test helper: the result of one check. */
export function checkResult(
  checkId: string,
  options: Parameters<typeof scorecardFor>[0],
): CheckResult {
  const result = scorecardFor(options).results.find(r => r.checkId === checkId);
  if (!result) {
    throw new Error(`no result for ${checkId}`);
  }
  return result;
}
