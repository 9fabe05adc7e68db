import type { Entity } from '@backstage/catalog-model';
import {
  CheckResult,
  compileRuleset,
  evaluate,
} from '@paved/plugin-platform-maturity-common';
import { readDirectorySnapshot } from '@paved/plugin-platform-maturity-node';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml, parseAllDocuments } from 'yaml';

/** A Component of type service that every check applies to, for workspaces without catalog-info.yaml. */
export const SERVICE_ENTITY: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders' },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/team-orders',
    system: 'system:default/commerce',
  },
};

/**
 * Scores a workspace directory with the engine and the default ruleset, as the backend and
 * `paved:maturity:verify` do: the entity is the Component of its catalog-info.yaml (or
 * {@link SERVICE_ENTITY}), the catalog holds the owners the test names.
 */
export async function scoreWorkspace(
  dir: string,
  options: { owners?: string[]; entity?: Entity } = {},
): Promise<Map<string, CheckResult>> {
  let entity = options.entity;
  const catalogFile = path.join(dir, 'catalog-info.yaml');
  if (!entity && fs.existsSync(catalogFile)) {
    entity = parseAllDocuments(fs.readFileSync(catalogFile, 'utf8'))
      .map((d: any) => d.toJS() as Entity)
      .find(e => e.kind === 'Component');
  }
  const owners = new Set(
    (options.owners ?? ['group:default/team-orders']).map(o => o.toLowerCase()),
  );
  const scorecard = evaluate(compileRuleset({}), {
    entity: entity ?? SERVICE_ENTITY,
    repository: await readDirectorySnapshot(dir),
    catalog: {
      getEntity: ref =>
        owners.has(ref.toLowerCase())
          ? {
              apiVersion: 'backstage.io/v1alpha1',
              kind: ref.startsWith('user:') ? 'User' : 'Group',
              metadata: { name: ref.split('/').pop()! },
              spec: {},
            }
          : undefined,
    },
    now: new Date(),
  });
  return new Map(scorecard.results.map(r => [r.checkId, r]));
}

/** The status of each check of a capability, for `toEqual` assertions with the messages in failures. */
export function capabilityStatuses(
  results: Map<string, CheckResult>,
  capability: string,
): Record<string, string> {
  return Object.fromEntries(
    [...results.values()]
      .filter(r => r.capability === capability)
      .map(r => [
        r.checkId,
        r.status === 'pass' ? 'pass' : `${r.status}: ${r.message}`,
      ]),
  );
}

/** Every file under a directory with its content, to compare a workspace before and after a run. */
export function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), {
      withFileTypes: true,
    })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        walk(rel);
      } else {
        out[rel] = fs.readFileSync(path.join(dir, rel), 'utf8');
      }
    }
  };
  walk('');
  return out;
}

/**
 * The YAML and JSON files of a tree that do not parse, with the error; Helm templates (Go
 * templates, not YAML) are left out.
 */
export function unparsableFiles(tree: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const [file, content] of Object.entries(tree)) {
    try {
      if (/\.ya?ml$/.test(file) && !file.includes('/templates/')) {
        parseYaml(content);
      } else if (file.endsWith('.json')) {
        JSON.parse(content);
      }
    } catch (error) {
      problems.push(`${file}: ${(error as Error).message}`);
    }
  }
  return problems;
}
