import type { CheckDefinition } from '@paved/plugin-platform-maturity-common';
import path from 'node:path';
import { renderMarkdown } from '../format/markdown';
import { renderTable } from '../format/table';
import {
  readBaselineFile,
  scoreRevision,
  type Baseline,
} from '../lib/baseline';
import { loadCheckModules } from '../lib/checks';
import { loadCliConfiguration } from '../lib/config';
import { diffScorecards, evaluateGates } from '../lib/diff';
import { readCatalogFile, type Entity } from '../lib/entities';
import { ExitCode, usageError } from '../lib/errors';
import type { RenderContext, ScoreReport } from '../lib/report';
import { scoreDirectoryEntities, type DirectoryScore } from '../lib/score';

/**
 * The output formats of `paved score`.
 *
 * @internal
 */
export const FORMATS = ['table', 'json', 'markdown'] as const;

/**
 * The options of `paved score`, as parsed from the command line.
 *
 * @internal
 */
export interface ScoreCommandOptions {
  format: (typeof FORMATS)[number];
  config: string[];
  checks: string[];
  entity?: string;
  entityRef?: string;
  catalog: string[];
  maxFiles?: number;
  backstageUrl?: string;
  minLevel?: number;
  baseline?: string;
  baselineRef?: string;
  failOnRegression?: boolean;
  allowOutOfScope?: boolean;
}

/**
 * Where the command writes and what it knows of its terminal.
 *
 * @internal
 */
export interface CommandIO {
  stdout: { write(text: string): unknown };
  /** Whether the table may use colour (stdout is a terminal and NO_COLOR is unset). */
  color: boolean;
}

/**
 * `paved score [directory]`: scores the directory, compares it with a baseline when asked,
 * applies the gates and prints the report. Returns the exit code.
 *
 * @internal
 */
export async function scoreCommand(
  directory: string,
  options: ScoreCommandOptions,
  io: CommandIO,
): Promise<number> {
  if (options.failOnRegression && !options.baseline && !options.baselineRef) {
    throw usageError(
      '--fail-on-regression',
      'needs --baseline or --baseline-ref to compare with',
    );
  }

  const configuration = await loadCliConfiguration({
    configFiles: options.config,
    extraChecks: await loadCheckModules(options.checks),
  });
  const { ruleset } = configuration;
  if (options.minLevel !== undefined) {
    const levels = ruleset.levels.map(l => l.level);
    if (!levels.includes(options.minLevel)) {
      throw usageError(
        '--min-level',
        `${
          options.minLevel
        } is not a level of the ladder (levels are ${levels.join(', ')})`,
      );
    }
  }

  let catalogEntities: Entity[] | undefined;
  if (options.catalog.length > 0) {
    catalogEntities = [];
    for (const file of options.catalog) {
      catalogEntities.push(...(await readCatalogFile(file, '--catalog')));
    }
  }

  const scoreOptions = {
    directory,
    entityFile: options.entity,
    entityRef: options.entityRef,
    catalogEntities,
    maxFiles: options.maxFiles,
    ruleset,
    now: new Date(),
  };
  const scores = await scoreDirectoryEntities(scoreOptions);
  if (scores.length > 1 && (options.baseline || options.baselineRef)) {
    throw usageError(
      options.baseline ? '--baseline' : '--baseline-ref',
      `compares one entity, and ${directory} has ${scores.length} (${scores
        .map(s => s.entity.entityRef)
        .join(', ')}); choose one with --entity-ref or --entity`,
    );
  }

  const reportOf = async (current: DirectoryScore): Promise<ScoreReport> => {
    let baseline: Baseline | undefined;
    if (options.baseline) {
      baseline = await readBaselineFile(options.baseline);
    } else if (options.baselineRef) {
      baseline = await scoreRevision({
        ...scoreOptions,
        revision: options.baselineRef,
      });
    }
    const diff = baseline
      ? diffScorecards(baseline, current.scorecard)
      : undefined;
    const gate = evaluateGates({
      scorecard: current.scorecard,
      levels: ruleset.levels,
      minLevel: options.minLevel,
      failOnRegression: Boolean(options.failOnRegression),
      diff,
    });
    return {
      entity: current.entity,
      scorecard: current.scorecard,
      run: {
        directory,
        entityFile: current.entityFile
          ? path
              .relative(path.resolve(directory), current.entityFile)
              .split(path.sep)
              .join('/')
          : null,
        files: current.files,
        truncated: current.truncated,
        catalog: catalogEntities !== undefined,
        notes: current.notes,
      },
      ...(diff ? { diff } : {}),
      gate,
    };
  };
  const reports: ScoreReport[] = [];
  for (const current of scores) {
    reports.push(await reportOf(current));
  }
  const contextOf = (report: ScoreReport): RenderContext => ({
    report,
    checks: new Map<string, CheckDefinition>(
      ruleset.checks.map(c => [c.definition.id, c.definition]),
    ),
    backstageUrl: options.backstageUrl ?? configuration.appBaseUrl,
  });

  switch (options.format) {
    case 'json':
      // One entity: its report; a monorepo's several entities: `{ reports: [...] }`.
      io.stdout.write(
        `${JSON.stringify(
          reports.length === 1 ? reports[0] : { reports },
          null,
          2,
        )}\n`,
      );
      break;
    case 'markdown':
      io.stdout.write(
        reports.map(r => renderMarkdown(contextOf(r))).join('\n'),
      );
      break;
    default:
      io.stdout.write(
        reports.map(r => renderTable(contextOf(r), io.color)).join('\n'),
      );
  }
  if (reports.some(r => !r.gate.passed)) {
    return ExitCode.GateFailed;
  }
  if (!options.allowOutOfScope && reports.some(r => r.gate.outOfScope)) {
    return ExitCode.OutOfScope;
  }
  return ExitCode.Pass;
}
