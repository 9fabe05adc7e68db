import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  DEFAULT_NAMESPACE,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import { ConflictError, InputError, isError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { readRegularFile } from '@paved/plugin-platform-maturity-node';
import git from 'isomorphic-git';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import yaml from 'yaml';
import { LOCAL_PUBLISH_ROOT_KEY, readGoldenPathConfig } from '../config';
import { copyPlannedTree, planTreeCopy } from '../lib/copyTree';
import { inlineRelativePlaceholders } from '../lib/placeholders';
import { PUBLISHED_BY_KEY, PUBLISHED_BY_VALUE } from '../lib/published';
import { MAX_WORKSPACE_FILE_SIZE, safeChildPath } from '../lib/workspace';
import { examples } from './publishLocal.examples';

/**
 * Options of {@link createPublishLocalAction}.
 *
 * @public
 */
export interface PublishLocalActionOptions {
  /** The catalog, where the published catalog-info.yaml is registered. */
  catalog: CatalogService;
  /**
   * The root config; the action reads `goldenPath.localPublish.root` and the scaffolder's
   * `scaffolder.defaultAuthor` and `scaffolder.defaultCommitMessage`.
   */
  config: Config;
}

const REPO_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/** Whether a directory entry at the top of a published tree is git's own. */
const isGitDir = (name: string) => name === '.git';

type TargetState = 'absent' | 'empty' | 'published';

async function targetState(
  target: string,
  overwrite: boolean,
): Promise<TargetState> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(target);
  } catch {
    return 'absent';
  }
  if (!stat.isDirectory()) {
    throw new ConflictError(
      `Cannot publish to ${target}: it exists and is not a directory`,
    );
  }
  const entries = await fs.promises.readdir(target);
  if (entries.length === 0) {
    return 'empty';
  }
  let marker: unknown;
  try {
    marker = await git.getConfig({ fs, dir: target, path: PUBLISHED_BY_KEY });
  } catch {
    marker = undefined; // not a git repository
  }
  if (marker !== PUBLISHED_BY_VALUE) {
    throw new ConflictError(
      `Cannot publish to ${target}: it exists, is not empty and was not published by paved:publish:local, so it is left alone; choose another repoName`,
    );
  }
  if (!overwrite) {
    throw new ConflictError(
      `Cannot publish to ${target}: it was published before; set overwrite: true to publish the workspace as a new commit`,
    );
  }
  return 'published';
}

/** The entity that the published catalog-info.yaml registers: its Component, else its first entity. */
/** Writes the published catalog file with its relative placeholders inlined, when it had any. */
async function writeInlined(
  file: string,
  published: { text: string; inlined: string[] } | undefined,
): Promise<void> {
  if (published && published.inlined.length > 0) {
    await fs.promises.writeFile(file, published.text);
  }
}

function mainEntity(text: string, displayPath: string): Entity {
  const entities: Entity[] = [];
  for (const doc of yaml.parseAllDocuments(text)) {
    if (doc.errors.length > 0) {
      throw new InputError(
        `Invalid input 'catalogInfoPath': ${displayPath} is not valid YAML: ${doc.errors[0].message}`,
      );
    }
    const value = doc.toJS();
    if (
      value &&
      typeof value.kind === 'string' &&
      typeof value.metadata?.name === 'string'
    ) {
      entities.push(value as Entity);
    }
  }
  const entity =
    entities.find(e => e.kind.toLocaleLowerCase('en-US') === 'component') ??
    entities[0];
  if (!entity) {
    throw new InputError(
      `Invalid input 'catalogInfoPath': ${displayPath} declares no catalog entity`,
    );
  }
  return entity;
}

const PUBLISH_SUBJECT = 'Cannot publish the workspace';

/** Stages every change of the working tree (new, modified and deleted files). */
async function stageAll(dir: string): Promise<number> {
  const matrix = await git.statusMatrix({ fs, dir });
  let changes = 0;
  for (const [filepath, head, workdir, stage] of matrix) {
    if (workdir === 0) {
      if (head !== 0 || stage !== 0) {
        await git.remove({ fs, dir, filepath });
        changes++;
      }
    } else if (!(head === 1 && workdir === 1 && stage === 1)) {
      await git.add({ fs, dir, filepath });
      changes++;
    }
  }
  return changes;
}

/**
 * The error the catalog answered: the catalog service throws it directly in process, or as the
 * `cause` of a `ResponseError` when it answered over HTTP.
 */
function catalogError(error: unknown): { name: string; message: string } {
  if (!isError(error)) {
    return { name: 'Error', message: String(error) };
  }
  const cause = (error as { cause?: unknown }).cause;
  if (error.name === 'ResponseError' && isError(cause)) {
    return { name: cause.name, message: cause.message };
  }
  return { name: error.name, message: error.message };
}

/**
 * Creates the `paved:publish:local` action: for local trials and air-gapped demos it publishes
 * the workspace as a git repository under `goldenPath.localPublish.root` and registers its
 * catalog-info.yaml in the catalog (as a `file` location), so that a template run ends with a
 * real catalog entity that the platform maturity backend then scores.
 *
 * @public
 */
export function createPublishLocalAction(options: PublishLocalActionOptions) {
  const { catalog, config } = options;
  const { localPublish } = readGoldenPathConfig(config);
  const defaultAuthorName =
    config.getOptionalString('scaffolder.defaultAuthor.name') ?? 'Scaffolder';
  const defaultAuthorEmail =
    config.getOptionalString('scaffolder.defaultAuthor.email') ??
    'scaffolder@backstage.io';
  const defaultCommitMessage =
    config.getOptionalString('scaffolder.defaultCommitMessage') ??
    'Initial commit';

  return createTemplateAction({
    id: 'paved:publish:local',
    description: `Publishes the workspace as a git repository under ${LOCAL_PUBLISH_ROOT_KEY} (for local trials and air-gapped demos) and registers its catalog-info.yaml in the catalog.`,
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoName: z =>
          z
            .string()
            .describe(
              `The repository's directory name under ${LOCAL_PUBLISH_ROOT_KEY}, for example orders`,
            ),
        sourcePath: z =>
          z
            .string()
            .optional()
            .describe(
              'The directory of the workspace to publish (default: the whole workspace)',
            ),
        overwrite: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Publish again to a repository this action published before, as a new commit (default false). Directories not published by this action are never touched.',
            ),
        defaultBranch: z =>
          z
            .string()
            .optional()
            .describe('The branch of a new repository (default main)'),
        gitCommitMessage: z =>
          z
            .string()
            .optional()
            .describe(
              'The commit message (default scaffolder.defaultCommitMessage, else "Initial commit"; "Update from the scaffolder" when publishing again)',
            ),
        gitAuthorName: z =>
          z
            .string()
            .optional()
            .describe(
              'The commit author (default scaffolder.defaultAuthor.name, else Scaffolder)',
            ),
        gitAuthorEmail: z =>
          z
            .string()
            .optional()
            .describe(
              "The commit author's email (default scaffolder.defaultAuthor.email, else scaffolder@backstage.io)",
            ),
        catalogInfoPath: z =>
          z
            .string()
            .optional()
            .describe(
              'The catalog file inside the published repository (default /catalog-info.yaml)',
            ),
        register: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Register the catalog file in the catalog (default true)',
            ),
      },
      output: {
        remoteUrl: z =>
          z.string().describe('The file: URL of the published repository'),
        repoContentsUrl: z =>
          z
            .string()
            .describe(
              "The file: URL of the repository's contents (its directory)",
            ),
        catalogInfoUrl: z =>
          z.string().describe('The file: URL of the published catalog file'),
        entityRef: z =>
          z
            .string()
            .optional()
            .describe(
              "The ref of the catalog file's main entity (its Component), for the template's output links",
            ),
        commitHash: z =>
          z
            .string()
            .optional()
            .describe('The commit published (absent in a dry run)'),
      },
    },
    async handler(ctx) {
      const { repoName } = ctx.input;
      const overwrite = ctx.input.overwrite ?? false;
      const register = ctx.input.register ?? true;
      const defaultBranch = ctx.input.defaultBranch || 'main';
      const catalogInfoPath = ctx.input.catalogInfoPath || '/catalog-info.yaml';

      if (!localPublish.root) {
        throw new InputError(
          `paved:publish:local is not configured: set ${LOCAL_PUBLISH_ROOT_KEY} in app-config to the absolute directory that local repositories are published under`,
        );
      }
      if (
        typeof repoName !== 'string' ||
        !REPO_NAME.test(repoName) ||
        repoName === '..'
      ) {
        throw new InputError(
          `Invalid input 'repoName': ${JSON.stringify(
            repoName,
          )} must be a directory name (letters, digits, '.', '_' and '-'), for example orders`,
        );
      }
      const sourcePath = ctx.input.sourcePath || '.';
      const sourceRoot = safeChildPath(
        ctx.workspacePath,
        'sourcePath',
        sourcePath,
      );
      const sourceStat = await fs.promises
        .stat(sourceRoot)
        .catch(() => undefined);
      if (!sourceStat?.isDirectory()) {
        throw new InputError(
          `Invalid input 'sourcePath': '${ctx.input.sourcePath}' is not a directory of the workspace`,
        );
      }
      let catalogFile: string;
      try {
        catalogFile = resolveSafeChildPath(
          sourceRoot,
          catalogInfoPath.replace(/^\/+/, ''),
        );
      } catch {
        throw new InputError(
          `Invalid input 'catalogInfoPath': '${catalogInfoPath}' is outside the repository`,
        );
      }
      const relativeCatalogFile = path.relative(sourceRoot, catalogFile);
      const catalogText = await readRegularFile(catalogFile, {
        root: sourceRoot,
        maxSize: MAX_WORKSPACE_FILE_SIZE,
        displayPath: relativeCatalogFile,
      }).then(
        content => content.toString('utf8'),
        error => {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
            return undefined;
          }
          throw error;
        },
      );
      if (catalogText === undefined && register) {
        throw new InputError(
          `Invalid input 'catalogInfoPath': the workspace has no ${relativeCatalogFile} to register; write it first (paved:catalog:write) or set register: false`,
        );
      }
      const entity =
        catalogText === undefined
          ? undefined
          : mainEntity(catalogText, relativeCatalogFile);
      const entityRef = entity
        ? stringifyEntityRef({
            kind: entity.kind,
            namespace: entity.metadata.namespace ?? DEFAULT_NAMESPACE,
            name: entity.metadata.name,
          })
        : undefined;

      // The catalog cannot resolve `$text: ./openapi.yaml` from a file location: the published
      // catalog file carries such content inline (worked out before anything is written).
      const published =
        catalogText === undefined || !register
          ? undefined
          : await inlineRelativePlaceholders(catalogText, {
              dir: path.dirname(catalogFile),
              root: sourceRoot,
              displayPath: relativeCatalogFile,
            });

      const tree = await planTreeCopy(sourceRoot, {
        subject: PUBLISH_SUBJECT,
        exclude: ['.git'],
        treeName: 'the workspace',
      });
      const target = path.join(localPublish.root, repoName);
      const targetCatalogFile = path.join(target, relativeCatalogFile);
      const state = await targetState(target, overwrite);
      const author = {
        name: ctx.input.gitAuthorName || defaultAuthorName,
        email: ctx.input.gitAuthorEmail || defaultAuthorEmail,
      };
      const message =
        ctx.input.gitCommitMessage ||
        (state === 'published'
          ? 'Update from the scaffolder'
          : defaultCommitMessage);

      ctx.output('remoteUrl', pathToFileURL(target).href);
      ctx.output('repoContentsUrl', `${pathToFileURL(target).href}/`);
      ctx.output('catalogInfoUrl', pathToFileURL(targetCatalogFile).href);
      if (entityRef) {
        ctx.output('entityRef', entityRef);
      }

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would ${
            state === 'published' ? 'publish a new commit to' : 'create'
          } the git repository ${target} (branch ${defaultBranch}, author ${
            author.name
          } <${author.email}>, message "${message}")${
            register
              ? ` and register ${targetCatalogFile} (${entityRef}) in the catalog`
              : ''
          }`,
        );
        return;
      }

      let changes: number;
      if (state === 'published') {
        for (const entry of await fs.promises.readdir(target)) {
          if (!isGitDir(entry)) {
            await fs.promises.rm(path.join(target, entry), {
              recursive: true,
              force: true,
            });
          }
        }
        await copyPlannedTree(tree, target, PUBLISH_SUBJECT);
        await writeInlined(targetCatalogFile, published);
        changes = await stageAll(target);
      } else {
        await fs.promises.mkdir(target, { recursive: true });
        await git.init({ fs, dir: target, defaultBranch });
        await git.setConfig({
          fs,
          dir: target,
          path: PUBLISHED_BY_KEY,
          value: PUBLISHED_BY_VALUE,
        });
        await copyPlannedTree(tree, target, PUBLISH_SUBJECT);
        await writeInlined(targetCatalogFile, published);
        changes = await stageAll(target);
      }

      let commitHash: string;
      if (changes === 0 && state === 'published') {
        commitHash = await git.resolveRef({ fs, dir: target, ref: 'HEAD' });
        ctx.logger.info(
          `${target} already has the workspace's content; no new commit (HEAD ${commitHash})`,
        );
      } else {
        commitHash = await git.commit({
          fs,
          dir: target,
          message,
          author,
        });
        ctx.logger.info(
          `Published ${changes} file change${
            changes === 1 ? '' : 's'
          } to ${target} as commit ${commitHash}`,
        );
      }
      ctx.output('commitHash', commitHash);

      if (!register) {
        return;
      }
      const credentials = await ctx.getInitiatorCredentials();
      const existing = entityRef
        ? await catalog.getEntityByRef(entityRef, { credentials })
        : undefined;
      if (
        existing?.metadata.annotations?.[ANNOTATION_LOCATION] ===
        `file:${targetCatalogFile}`
      ) {
        // Registered from this file already, for example as a target of a Location entity:
        // ask the catalog to read the new commit now.
        await catalog.refreshEntity(entityRef!, { credentials });
        ctx.logger.info(
          `${targetCatalogFile} is already in the catalog; refreshed ${entityRef}`,
        );
        return;
      }
      try {
        await catalog.addLocation(
          { type: 'file', target: targetCatalogFile },
          { credentials },
        );
        ctx.logger.info(
          `Registered ${targetCatalogFile} in the catalog (${entityRef})`,
        );
      } catch (error) {
        const answered = catalogError(error);
        if (answered.name === 'ConflictError') {
          // Registered by an earlier run: ask the catalog to read the new commit now.
          await catalog.refreshEntity(entityRef!, { credentials });
          ctx.logger.info(
            `${targetCatalogFile} was already registered; refreshed ${entityRef}`,
          );
        } else if (/allowed type/.test(answered.message)) {
          throw new InputError(
            `The catalog refused to register ${targetCatalogFile}: ${answered.message}. Allow 'file' locations in the catalog (a catalog module calling catalogLocationsExtensionPoint.setAllowedLocationTypes(['url', 'file']); see the README of @paved/plugin-scaffolder-backend-module-golden-path)`,
          );
        } else {
          throw error;
        }
      }
    },
  });
}
