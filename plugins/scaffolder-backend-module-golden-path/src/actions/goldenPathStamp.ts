import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { GOLDEN_PATH_VERSION_ANNOTATION } from '@paved/plugin-platform-maturity-common';
import { readGoldenPathRelease } from '@paved/plugin-platform-maturity-node';
import { CATALOG_INFO_FILE, planCatalogInfo } from '../lib/catalogInfo';
import { stampGoldenPath } from '../lib/goldenPathStamp';
import { commonInputSchema, filesOutputSchema } from '../lib/inputs';
import type { FileResult } from '../lib/workspace';
import { WorkspaceFiles } from '../lib/workspace';
import { examples } from './goldenPathStamp.examples';

/**
 * Options of {@link createGoldenPathStampAction}.
 *
 * @public
 */
export interface GoldenPathStampActionOptions {
  /** The root config: the golden-path content in force (`goldenPath.content.directory`). */
  config: Config;
}

/** The files the earlier steps left alone: each step's `files` output, skipped entries. */
function conflictsOf(results: unknown[] | undefined): FileResult[] {
  const conflicts: FileResult[] = [];
  (results ?? []).forEach((result, i) => {
    // A step that did not run (its `if` was false) has no output.
    if (result === undefined || result === null || result === '') {
      return;
    }
    if (
      !Array.isArray(result) ||
      !result.every(
        f => typeof f?.path === 'string' && typeof f?.change === 'string',
      )
    ) {
      throw new InputError(
        `Invalid input 'results[${i}]': must be the files output of a golden-path step, a list of { path, change, reason }`,
      );
    }
    conflicts.push(...result.filter(f => f.change === 'skipped'));
  });
  return conflicts;
}

/**
 * Creates the `paved:golden-path:stamp` action, the last step of an upgrade: stamps the
 * workspace's Component with the golden-path release in force and lists the files the earlier
 * steps left alone because their owner changed them (the conflicts).
 *
 * @public
 */
export function createGoldenPathStampAction(
  options: GoldenPathStampActionOptions,
) {
  const release = readGoldenPathRelease(options.config);
  return createTemplateAction({
    id: 'paved:golden-path:stamp',
    description: `Stamps the Component of catalog-info.yaml with the golden-path release in force (${GOLDEN_PATH_VERSION_ANNOTATION} and its source), and lists the conflicts: the files the earlier steps left alone because their owner changed them.`,
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
        // Checked by conflictsOf, naming the entry; `any` keeps the input type JSON for the
        // scaffolder's action typings.
        results: z =>
          z
            .array(z.any())
            .optional()
            .describe(
              'The files outputs of the steps that re-applied the golden path (a step that did not run gives nothing); their skipped files are the conflicts',
            ),
      },
      output: {
        version: z => z.string().describe('The version stamped'),
        source: z => z.string().describe('The golden-path content stamped'),
        conflicts: z =>
          z
            .array(z.object({ path: z.string(), reason: z.string() }))
            .describe(
              'The files left alone because their owner changed them, with the reason',
            ),
        summary: z =>
          z
            .string()
            .describe(
              'The outcome in Markdown: the version, and each conflict with its reason',
            ),
        ...filesOutputSchema,
      },
    },
    async handler(ctx) {
      const conflicts = conflictsOf(ctx.input.results);
      const files = WorkspaceFiles.forAction(ctx);
      if (!(await files.exists(CATALOG_INFO_FILE))) {
        throw new InputError(
          `The workspace has no ${CATALOG_INFO_FILE} to stamp${
            ctx.input.path ? ` under '${ctx.input.path}'` : ''
          }`,
        );
      }
      await planCatalogInfo(files, catalog => {
        const components = catalog.entities.filter(
          e =>
            e.kind.toLowerCase() === 'component' &&
            (ctx.input.name === undefined || e.name === ctx.input.name),
        );
        if (components.length !== 1) {
          throw new InputError(
            ctx.input.name
              ? `Invalid input 'name': ${CATALOG_INFO_FILE} has no Component named ${ctx.input.name}`
              : `${CATALOG_INFO_FILE} has no single Component; set the input 'name'`,
          );
        }
        stampGoldenPath(components[0], release, { replace: true });
      });
      const results = await files.apply();
      const version = `${release.source} ${release.version}`;
      const summary =
        conflicts.length === 0
          ? `On the golden path ${version}; no file its owner changed was in the way.`
          : [
              `On the golden path ${version}, except for ${
                conflicts.length
              } file${
                conflicts.length === 1 ? '' : 's'
              } its owner changed, left as they are (run again with "Overwrite files their owner changed" to replace them):`,
              '',
              ...conflicts.map(c => `- \`${c.path}\`: ${c.reason ?? 'kept'}`),
            ].join('\n');
      for (const conflict of conflicts) {
        ctx.logger.warn(`Conflict: ${conflict.path}: ${conflict.reason}`);
      }
      ctx.output('version', release.version);
      ctx.output('source', release.source);
      ctx.output(
        'conflicts',
        conflicts.map(c => ({ path: c.path, reason: c.reason ?? 'kept' })),
      );
      ctx.output('summary', summary);
      ctx.output('files', results);
    },
  });
}
