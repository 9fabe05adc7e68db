import type { Config } from '@backstage/config';
import { InputError, NotFoundError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isPathInside } from '@paved/plugin-platform-maturity-node';
import { LOCAL_PUBLISH_ROOT_KEY, readGoldenPathConfig } from '../config';
import { copyPlannedTree, planTreeCopy } from '../lib/copyTree';
import { safeChildPath } from '../lib/workspace';
import { examples } from './fetchLocal.examples';

/**
 * Options of {@link createFetchLocalAction}.
 *
 * @public
 */
export interface FetchLocalActionOptions {
  /** The root config; the action reads `goldenPath.localPublish.root`. */
  config: Config;
}

/** The absolute path a location input names: a `file:` location ref, a file URL or a path. */
function locationPath(location: string): string {
  let value = location.trim();
  if (value.startsWith('file://')) {
    try {
      return fileURLToPath(value);
    } catch (error) {
      throw new InputError(
        `Invalid input 'location': '${location}' is not a file URL (${
          (error as Error).message
        })`,
      );
    }
  }
  if (value.startsWith('file:')) {
    value = value.slice('file:'.length); // a location ref, as in backstage.io/managed-by-location
  }
  if (!path.isAbsolute(value)) {
    throw new InputError(
      `Invalid input 'location': '${location}' is not a file location; use the entity's backstage.io/managed-by-location (file:/…), a file:// URL or an absolute path`,
    );
  }
  return path.resolve(value);
}

/** Strictly inside: the root itself is no repository. */
const isBelow = (root: string, target: string) =>
  target !== root && isPathInside(root, target);

/**
 * The real path of a location under the publish root. Whatever is outside the root, or behind a
 * link in it, gets the same `outside` answer, so that a template user cannot probe the server's
 * file system; only a path that is missing under the root itself is `missing`.
 */
async function resolveLocation(
  wanted: string,
  root: string,
  realRoot: string,
): Promise<{ real: string } | 'outside' | 'missing'> {
  if (!isBelow(root, wanted)) {
    return 'outside'; // decided on the path as written, before looking at anything
  }
  try {
    const real = await fs.promises.realpath(wanted);
    return isBelow(realRoot, real) ? { real } : 'outside';
  } catch {
    let prefix = realRoot;
    for (const part of path.relative(root, wanted).split(path.sep)) {
      prefix = path.join(prefix, part);
      const stat = await fs.promises.lstat(prefix).catch(() => undefined);
      if (!stat) {
        return 'missing';
      }
      if (stat.isSymbolicLink()) {
        return 'outside';
      }
    }
    return 'outside';
  }
}

/**
 * Creates the `paved:fetch:local` action, the counterpart of `paved:publish:local`: it copies a
 * repository published under `goldenPath.localPublish.root` into the workspace, so that a day-2
 * template can retrofit a locally published service. It reads nothing outside that root (the
 * scaffolder's `fetch:plain` cannot read local directories: no URL reader serves `file:` URLs).
 *
 * @public
 */
export function createFetchLocalAction(options: FetchLocalActionOptions) {
  const { localPublish } = readGoldenPathConfig(options.config);

  return createTemplateAction({
    id: 'paved:fetch:local',
    description: `Copies a repository published under ${LOCAL_PUBLISH_ROOT_KEY} (by paved:publish:local) into the workspace, to retrofit it.`,
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        location: z =>
          z
            .string()
            .describe(
              "Where the repository is: the entity's backstage.io/managed-by-location (file:/…/catalog-info.yaml), a file:// URL or an absolute path of the repository or a file in it",
            ),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              'The directory of the workspace to copy the repository into (default: the workspace itself)',
            ),
      },
      output: {
        repoName: z =>
          z
            .string()
            .describe(
              'The repository directory under the local root, the repoName for paved:publish:local',
            ),
        path: z =>
          z
            .string()
            .describe(
              'The directory of the location inside the repository (. at its root), the path input of the paved:* actions',
            ),
      },
    },
    async handler(ctx) {
      if (!localPublish.root) {
        throw new InputError(
          `paved:fetch:local is not configured: set ${LOCAL_PUBLISH_ROOT_KEY} in app-config to the absolute directory that local repositories are published under`,
        );
      }
      if (typeof ctx.input.location !== 'string') {
        throw new InputError(`Invalid input 'location': it is required`);
      }
      const wanted = locationPath(ctx.input.location);
      const root = path.resolve(localPublish.root);
      const realRoot = await fs.promises.realpath(root).catch(() => {
        throw new InputError(
          `paved:fetch:local is misconfigured: ${LOCAL_PUBLISH_ROOT_KEY} (${localPublish.root}) does not exist`,
        );
      });
      const resolved = await resolveLocation(wanted, root, realRoot);
      if (resolved === 'missing') {
        throw new NotFoundError(
          `Invalid input 'location': ${wanted} does not exist`,
        );
      }
      if (resolved === 'outside') {
        throw new InputError(
          `Invalid input 'location': ${wanted} is not a repository published under ${LOCAL_PUBLISH_ROOT_KEY} (${localPublish.root}); only repositories published there can be fetched`,
        );
      }
      const [repoName, ...rest] = path
        .relative(realRoot, resolved.real)
        .split(path.sep);
      const repository = path.join(realRoot, repoName);
      const stat = await fs.promises.stat(resolved.real);
      const inner = stat.isDirectory() ? rest : rest.slice(0, -1);

      const targetPath = ctx.input.targetPath || '.';
      const target = safeChildPath(ctx.workspacePath, 'targetPath', targetPath);
      const subject = `Cannot fetch ${repoName}`;
      const tree = await planTreeCopy(repository, {
        subject,
        exclude: ['.git'],
        treeName: 'the repository',
      });
      await copyPlannedTree(tree, target, subject);
      const servicePath = inner.length > 0 ? inner.join('/') : '.';
      ctx.logger.info(
        `Fetched ${repository} into ${targetPath}${
          servicePath === '.' ? '' : ` (the location is in ${servicePath})`
        }`,
      );
      ctx.output('repoName', repoName);
      ctx.output('path', servicePath);
    },
  });
}
