import type { Entity } from '@backstage/catalog-model';
import {
  CheckResult,
  compileRuleset,
  evaluate,
  Ruleset,
} from '@paved/plugin-platform-maturity-common';
import { InputError } from '@backstage/errors';
import {
  DirectorySnapshot,
  readDirectorySnapshot,
} from '@paved/plugin-platform-maturity-node';
import path from 'node:path';
import type { WorkspaceFiles } from './workspace';

let defaultRuleset: Ruleset | undefined;

/** A Component of type service, to which every built-in check applies. */
const STAND_IN_ENTITY: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'service' },
  spec: { type: 'service', lifecycle: 'production', owner: 'group:default/x' },
};

/**
 * The service directory as repository evidence. A FIFO, socket or device in it fails the step
 * with its path named: it could hide evidence, and no repository holds one (git cannot).
 *
 * @throws InputError naming the first such file
 * @internal
 */
export async function readWorkspaceSnapshot(
  files: WorkspaceFiles,
): Promise<DirectorySnapshot> {
  const snapshot = await readDirectorySnapshot(files.root);
  const special = snapshot.skipped.filter(s => s.kind === 'not-regular');
  if (special.length > 0) {
    const [first] = special;
    throw new InputError(
      `Cannot read the workspace: ${files.relativeToWorkspace(first.path)} is ${
        first.reason
      }${
        special.length > 1 ? ` (and ${special.length - 1} more such files)` : ''
      }; remove it`,
    );
  }
  return snapshot;
}

/**
 * Options of {@link checkWorkspace}.
 *
 * @internal
 */
export type CheckWorkspaceOptions = {
  /**
   * Paths (relative to the service directory) to leave out of the evidence:
   * the files the action itself writes, so that its decisions do not depend
   * on its own earlier output and a second run decides the same. A path
   * ending in `/` leaves out the whole directory.
   */
  without?: readonly string[];
  /** Files to add to the evidence (path relative to the service directory → content). */
  add?: Readonly<Record<string, string>>;
  /**
   * The entity to score; default a stand-in Component of type service with
   * no annotations, so that only the repository decides.
   */
  entity?: Entity;
};

/**
 * Scores the service directory with the built-in checks and the default
 * ruleset — the same engine the backend and `paved:maturity:verify` use —
 * so that an action adds only what the checks find missing and recognises
 * every way the user may already meet them.
 *
 * @returns the check results by check id (`build.tests`, …)
 * @internal
 */
export async function checkWorkspace(
  files: WorkspaceFiles,
  options: CheckWorkspaceOptions = {},
): Promise<Map<string, CheckResult>> {
  defaultRuleset ??= compileRuleset({});
  // The service directory may not exist yet (a new service under the `path` input).
  const snapshot = (await files.exists('.'))
    ? await readWorkspaceSnapshot(files)
    : { paths: [] as string[], read: () => undefined };
  const withoutFiles = new Set<string>();
  const withoutDirs: string[] = [];
  for (const entry of options.without ?? []) {
    if (entry.endsWith('/')) {
      withoutDirs.push(path.posix.normalize(entry));
    } else {
      withoutFiles.add(path.posix.normalize(entry));
    }
  }
  const isLeftOut = (p: string) =>
    withoutFiles.has(p) || withoutDirs.some(dir => p.startsWith(dir));
  const added = new Map(
    Object.entries(options.add ?? {}).map(([p, c]) => [
      path.posix.normalize(p),
      c,
    ]),
  );
  const paths = [
    ...new Set([...snapshot.paths.filter(p => !isLeftOut(p)), ...added.keys()]),
  ].sort();
  const scorecard = evaluate(defaultRuleset, {
    entity: options.entity ?? STAND_IN_ENTITY,
    repository: {
      paths,
      read: p => {
        if (added.has(p)) {
          return added.get(p);
        }
        return isLeftOut(p) ? undefined : snapshot.read(p);
      },
    },
    now: new Date(),
  });
  return new Map(scorecard.results.map(r => [r.checkId, r]));
}

/**
 * Whether the check passes in the results of {@link checkWorkspace}.
 *
 * @internal
 */
export function passes(
  results: Map<string, CheckResult>,
  checkId: string,
): boolean {
  return results.get(checkId)?.status === 'pass';
}
