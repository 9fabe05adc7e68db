import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  compareGoldenPathVersions,
  GOLDEN_PATH_SOURCE_ANNOTATION,
  GOLDEN_PATH_VERSION_ANNOTATION,
  isGoldenPathVersion,
  PAVED_GOLDEN_PATH_SOURCE,
} from '@paved/plugin-platform-maturity-common';
import { readGoldenPathRelease } from '@paved/plugin-platform-maturity-node';
import { CATALOG_INFO_FILE, existingComponent } from '../lib/catalogInfo';
import { lockedCapabilities } from '../lib/goldenPathStamp';
import { commonInputSchema } from '../lib/inputs';
import {
  GOLDEN_PATH_LOCK_FILE,
  GoldenPathLock,
  WorkspaceFiles,
} from '../lib/workspace';
import { examples } from './goldenPathInspect.examples';

/**
 * The image the deploy (else the build) content was rendered with; a CI expression such as
 * `ghcr.io/${{ github.repository }}` is not an image an action takes.
 */
function recordedImage(lock: GoldenPathLock): string | undefined {
  const images = Object.entries(lock.sets)
    .sort(
      ([a], [b]) =>
        Number(b.startsWith('deploy/')) - Number(a.startsWith('deploy/')),
    )
    .map(([, { values }]) => values.image)
    .filter(
      (image): image is string =>
        typeof image === 'string' && image !== '' && !image.includes('${{'),
    );
  return images[0];
}

/**
 * Options of {@link createGoldenPathInspectAction}.
 *
 * @public
 */
export interface GoldenPathInspectActionOptions {
  /** The root config: the golden-path content in force (`goldenPath.content.directory`). */
  config: Config;
}

/**
 * Creates the `paved:golden-path:inspect` action: where a service stands against the golden path
 * in force — the version it is stamped with, the current version, what changed since, and the
 * capabilities whose golden-path files its lock file records (what an upgrade re-applies).
 *
 * @public
 */
export function createGoldenPathInspectAction(
  options: GoldenPathInspectActionOptions,
) {
  // Checked at start: a malformed CHANGELOG.yaml stops the module with the file named.
  const release = readGoldenPathRelease(options.config);
  return createTemplateAction({
    id: 'paved:golden-path:inspect',
    description: `Reads where a service stands against the golden path in force: the version and source its catalog-info.yaml Component is stamped with (${GOLDEN_PATH_VERSION_ANNOTATION}), the current version and the changes since, and the capabilities whose golden-path files ${GOLDEN_PATH_LOCK_FILE} records, which an upgrade re-applies.`,
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        path: commonInputSchema.path,
        name: z =>
          z
            .string()
            .optional()
            .describe(
              'The Component of catalog-info.yaml (default: its only Component)',
            ),
      },
      output: {
        entityName: z => z.string().describe('The Component inspected'),
        fromVersion: z =>
          z.string().describe('The golden-path version the service is on'),
        fromSource: z =>
          z.string().describe('The golden-path content it was made from'),
        toVersion: z =>
          z.string().describe('The current version of the golden path'),
        toSource: z => z.string().describe('The golden-path content in force'),
        upToDate: z =>
          z.boolean().describe('Whether the service is on the current version'),
        changes: z =>
          z
            .array(z.string())
            .describe(
              'What changed since its version, oldest first, each as "<version>: <change>"',
            ),
        image: z =>
          z
            .string()
            .optional()
            .describe(
              'The container image repository the golden-path files were rendered with, when the lock file records one; pass it to the build and deploy steps so that they render the same files',
            ),
        capabilities: z =>
          z
            .array(z.string())
            .describe(
              'The capabilities whose golden-path files the lock file records, in checklist order',
            ),
      },
    },
    async handler(ctx) {
      const files = WorkspaceFiles.forAction(ctx);
      const component = await existingComponent(files, ctx.input.name);
      if (!component) {
        throw new InputError(
          ctx.input.name
            ? `Invalid input 'name': ${CATALOG_INFO_FILE} has no Component named ${ctx.input.name}`
            : `${CATALOG_INFO_FILE} has no single Component; set the input 'name'`,
        );
      }
      const annotations = component.metadata.annotations ?? {};
      const fromVersion = annotations[GOLDEN_PATH_VERSION_ANNOTATION];
      if (fromVersion === undefined) {
        throw new InputError(
          `${component.metadata.name} was not made from a golden path: its Component has no ${GOLDEN_PATH_VERSION_ANNOTATION} annotation. Add capabilities with the add-capabilities template instead.`,
        );
      }
      const lock = await files.readLock();
      const capabilities = lockedCapabilities(lock);
      if (capabilities.length === 0) {
        throw new InputError(
          `${component.metadata.name} has no golden-path files recorded in ${GOLDEN_PATH_LOCK_FILE}, so what to upgrade is not known. Add capabilities with the add-capabilities template instead.`,
        );
      }
      const fromSource =
        annotations[GOLDEN_PATH_SOURCE_ANNOTATION] ?? PAVED_GOLDEN_PATH_SOURCE;
      const comparable =
        fromSource === release.source && isGoldenPathVersion(fromVersion);
      const changes = release.notes
        .filter(
          note =>
            !comparable ||
            compareGoldenPathVersions(note.version, fromVersion) > 0,
        )
        .reverse()
        .flatMap(note => note.changes.map(c => `${note.version}: ${c}`));
      const upToDate = comparable && fromVersion === release.version;
      ctx.logger.info(
        upToDate
          ? `${component.metadata.name} is on the current golden path (${release.source} ${release.version}); re-applying it changes only what is missing`
          : `${
              component.metadata.name
            } is on ${fromSource} ${fromVersion}; the current golden path is ${
              release.source
            } ${release.version}. Re-applying ${capabilities.join(', ')}`,
      );
      ctx.output('entityName', component.metadata.name);
      ctx.output('fromVersion', fromVersion);
      ctx.output('fromSource', fromSource);
      ctx.output('toVersion', release.version);
      ctx.output('toSource', release.source);
      ctx.output('upToDate', upToDate);
      ctx.output('changes', changes);
      ctx.output('capabilities', capabilities);
      const image = recordedImage(lock);
      if (image) {
        ctx.output('image', image);
      }
    },
  });
}
