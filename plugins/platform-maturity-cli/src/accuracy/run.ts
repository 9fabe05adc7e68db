import type { Evidence, Ruleset } from '@paved/plugin-platform-maturity-common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scoreDirectory } from '../lib/score';
import { snapshotDirectoryName, type Corpus, type CorpusEntry } from './corpus';
import {
  computeMetrics,
  percent,
  type AccuracyReport,
  type Comparison,
} from './metrics';

/**
 * The environment variable naming the directory that holds the corpus' snapshots.
 *
 * @internal
 */
export const SNAPSHOTS_ENV = 'PAVED_ACCURACY_SNAPSHOTS';

/**
 * Where the snapshots are: `$PAVED_ACCURACY_SNAPSHOTS`, else `$XDG_CACHE_HOME/paved/accuracy`,
 * else `~/.cache/paved/accuracy`: outside any checkout, so that third-party code never lands in
 * ours.
 *
 * @internal
 */
export function snapshotsRoot(
  env: Record<string, string | undefined> = process.env,
): string {
  if (env[SNAPSHOTS_ENV]) {
    return path.resolve(env[SNAPSHOTS_ENV]!);
  }
  const cache = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cache, 'paved', 'accuracy');
}

/** @internal */
export interface AccuracyRun {
  report: AccuracyReport;
  /** Entries scored. */
  scored: CorpusEntry[];
  /** Entries whose snapshot is not on the machine. */
  missing: Array<{ entry: CorpusEntry; directory: string }>;
  /** Entries whose scope (in or out of the checks' scope) the scorer got wrong. */
  scopeErrors: Array<{ entry: CorpusEntry; inScope: boolean }>;
}

/**
 * Scores every entry whose snapshot is present through the CLI's `scoreDirectory` (the default
 * ruleset, the entity from the entry's `catalog-info.yaml` or an unregistered service Component)
 * and sets the results against the labels.
 *
 * @internal
 */
export async function runAccuracy(options: {
  corpus: Corpus;
  root: string;
  ruleset: Ruleset;
  now?: Date;
}): Promise<AccuracyRun> {
  const { corpus, root, ruleset } = options;
  const now = options.now ?? new Date();
  const comparisons: Comparison[] = [];
  const run: Omit<AccuracyRun, 'report'> = {
    scored: [],
    missing: [],
    scopeErrors: [],
  };
  for (const entry of corpus.entries) {
    const snapshot = path.join(root, snapshotDirectoryName(entry));
    if (!fs.existsSync(snapshot)) {
      run.missing.push({ entry, directory: snapshot });
      continue;
    }
    // A monorepo's service is scored as the backend scores it: its own directory's files plus
    // the pipelines at the repository's root.
    const { scorecard } = await scoreDirectory({
      directory: snapshot,
      subdirectory: entry.directory,
      ruleset,
      now,
    });
    run.scored.push(entry);
    if (scorecard.inScope === Boolean(entry.outOfScope)) {
      run.scopeErrors.push({ entry, inScope: scorecard.inScope });
    }
    const results = new Map(scorecard.results.map(r => [r.checkId, r]));
    for (const [checkId, label] of Object.entries(entry.labels)) {
      const result = results.get(checkId);
      comparisons.push({
        entryId: entry.id,
        checkId,
        label,
        scored: result?.status ?? 'missing',
        message: result?.message ?? 'The scorer gave no result for this check.',
        evidence: result?.evidence ?? [],
      });
    }
  }
  return { ...run, report: computeMetrics(corpus.checks, comparisons) };
}

function formatEvidence(evidence: readonly Evidence[]): string {
  if (evidence.length === 0) {
    return '(none)';
  }
  return evidence
    .map(e => {
      const where = e.line ? `${e.ref}:${e.line}` : e.ref;
      return e.detail ? `${where} (${e.detail.slice(0, 100)})` : where;
    })
    .join('; ');
}

/**
 * How to bring a missing snapshot onto the machine: a shallow fetch of the pinned commit, its
 * files written out with `git archive`. `export-ignore` attributes are switched off: repositories
 * mark `.github/` or `tests/` export-ignore for their release archives, and those are evidence.
 *
 * @internal
 */
export function fetchInstructions(
  entry: CorpusEntry,
  directory: string,
): string {
  return [
    `git init -q /tmp/paved-src && git -C /tmp/paved-src fetch -q --depth 1 https://github.com/${entry.repository} ${entry.commit}`,
    `echo '* -export-ignore -export-subst' > /tmp/paved-src/.git/info/attributes`,
    `mkdir -p '${directory}' && git -C /tmp/paved-src archive ${entry.commit} | tar -x -C '${directory}' && rm -rf /tmp/paved-src`,
  ].join(' && \\\n    ');
}

/**
 * The report as plain text: missing snapshots, the table per check, and every disagreement with
 * the label's evidence and the scorer's.
 *
 * @internal
 */
export function renderText(run: AccuracyRun, root: string): string {
  const lines: string[] = [];
  if (run.missing.length > 0) {
    lines.push(
      `${run.missing.length} snapshot(s) missing under ${root} (set ${SNAPSHOTS_ENV} to use another directory); fetch each with:`,
    );
    for (const { entry, directory } of run.missing) {
      lines.push(
        `  ${entry.id}:`,
        `    ${fetchInstructions(entry, directory)}`,
      );
    }
    lines.push('');
  }
  lines.push(
    `Scored ${run.scored.length} of ${
      run.scored.length + run.missing.length
    } corpus entries from ${root}.`,
    '',
    renderTable(run.report),
  );
  for (const { entry, inScope } of run.scopeErrors) {
    lines.push(
      `SCOPE ${entry.id}: the scorer says the entity is ${
        inScope ? 'in' : 'out of'
      } scope; the label says the opposite.`,
    );
  }
  const disagreements = run.report.checks.flatMap(c => c.disagreements);
  if (disagreements.length > 0) {
    lines.push('', `Disagreements (${disagreements.length}):`);
    for (const d of disagreements) {
      lines.push(
        `- ${d.entryId} ${d.checkId}: labelled ${d.label.status}, scored ${d.scored}`,
        `    label: ${d.label.reason} [${
          d.label.evidence.join('; ') || 'no evidence'
        }]`,
        `    scorer: ${d.message.slice(0, 300)} [${formatEvidence(
          d.evidence,
        )}]`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The per-check table, as Markdown (which reads as a plain-text table too).
 *
 * @internal
 */
export function renderTable(report: AccuracyReport): string {
  const rows = report.checks.map(
    c =>
      `| ${c.checkId} | ${c.total} | ${percent(c.agreement)} | ${percent(
        c.precision,
      )} | ${percent(c.recall)} | ${c.disagreements.length} |`,
  );
  return [
    '| check | labels | agreement | precision | recall | disagreements |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    `| **all** | ${report.total} | ${percent(report.agreement)} | | | ${
      report.total - report.agreed
    } |`,
  ].join('\n');
}
