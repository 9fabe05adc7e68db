import {
  CheckStatus,
  remediationTemplatePath,
} from '@paved/plugin-platform-maturity-common';
import type { RenderContext } from '../lib/report';
import {
  capabilityTitle,
  checkCounts,
  describeMovement,
  formatScore,
} from './common';

/**
 * The first line of every Markdown report, followed by the entity ref and ` -->`: a pipeline
 * finds its earlier comment by it and updates it instead of adding one per push.
 *
 * @internal
 */
export const MARKDOWN_MARKER = '<!-- paved-scorecard';

const STATUS_ICONS: Record<CheckStatus, string> = {
  pass: '✅ pass',
  fail: '❌ fail',
  waived: '☑️ waived',
  'not-applicable': '➖ n/a',
  unknown: '❔ unknown',
};

const CAPABILITY_ICONS: Record<string, string> = {
  complete: '✅',
  partial: '🟡',
  missing: '❌',
  'not-applicable': '➖',
  unknown: '❔',
};

/**
 * Text for a table cell: one line, pipes escaped, and `&` and `<` escaped outside code spans (inside
 * them Markdown shows entities literally, and HTML is inert).
 */
function cell(text: string): string {
  const parts = text.replace(/\r?\n/g, ' ').split('`');
  return parts
    .map((part, i) =>
      // Odd parts are code spans, unless the backtick before them is never closed.
      i % 2 === 1 && i < parts.length - 1
        ? part
        : part.replace(/&/g, '&amp;').replace(/</g, '&lt;'),
    )
    .join('`')
    .replace(/\|/g, '\\|');
}

function checkLabel(context: RenderContext, checkId: string): string {
  const title = context.checks.get(checkId)?.title;
  return title ? `\`${checkId}\` ${cell(title)}` : `\`${checkId}\``;
}

function fixLinks(context: RenderContext, checkId: string): string {
  const remediation = context.checks.get(checkId)?.remediation;
  if (!remediation) {
    return '';
  }
  const links: string[] = [];
  const template = context.backstageUrl
    ? remediationTemplatePath(remediation, context.report.entity.entityRef, {
        scaffolderRoot: `${context.backstageUrl.replace(/\/+$/, '')}/create`,
      })
    : undefined;
  if (template) {
    links.push(`[Fix in Backstage](${template})`);
  } else if (remediation.templateRef) {
    links.push(`template \`${remediation.templateRef}\``);
  }
  if (remediation.docsUrl) {
    links.push(`[How to](${remediation.docsUrl})`);
  }
  return links.join(' · ');
}

function failingTable(
  context: RenderContext,
  rows: ReadonlyArray<{ checkId: string; message: string; before?: string }>,
  withBefore: boolean,
): string[] {
  return [
    withBefore ? '| Check | Was | Why | Fix |' : '| Check | Why | Fix |',
    withBefore ? '| --- | --- | --- | --- |' : '| --- | --- | --- |',
    ...rows.map(
      r =>
        `| ${checkLabel(context, r.checkId)} |${
          withBefore ? ` ${r.before} |` : ''
        } ${cell(r.message)} | ${fixLinks(context, r.checkId)} |`,
    ),
  ];
}

/**
 * The report as a pull-request comment: a summary line, the capability table, what changed since
 * the baseline, and the failing checks with their Fix links.
 *
 * @internal
 */
export function renderMarkdown(context: RenderContext): string {
  const { report } = context;
  const { scorecard, entity, gate, diff } = report;
  const gated = gate.minLevel !== undefined || gate.failOnRegression;
  const lines: string[] = [`${MARKDOWN_MARKER} ${entity.entityRef} -->`];

  let icon = '';
  if (gated) {
    icon = gate.passed ? '✅ ' : '❌ ';
  }
  const summary = scorecard.inScope
    ? `level ${scorecard.level?.level} · ${
        scorecard.level?.name
      }, score ${formatScore(scorecard.score)}/100`
    : 'out of scope (no check applies)';
  lines.push(
    `### ${icon}Platform maturity of \`${entity.entityRef}\`: ${summary}`,
    '',
  );

  if (diff) {
    lines.push(
      diff.baseline.found
        ? `Since \`${diff.baseline.source}\`: ${describeMovement(diff)} · ${
            diff.newlyPassing.length
          } newly passing · ${diff.newlyFailing.length} newly failing`
        : `Since \`${diff.baseline.source}\`: nothing to compare with (${diff.baseline.reason}).`,
      '',
    );
  }
  if (gated) {
    lines.push(
      gate.passed
        ? `**Gate passed**${
            gate.minLevel !== undefined
              ? ` (minimum level ${gate.minLevel})`
              : ''
          }${gate.failOnRegression ? ' (no check got worse)' : ''}.`
        : `**Gate failed:** ${gate.failures.join(' ')}`,
      '',
    );
  }
  if (gate.outOfScope) {
    lines.push(`> [!WARNING]`, `> **Out of scope:** ${gate.outOfScope}`, '');
  }

  if (scorecard.inScope) {
    lines.push(
      '| Capability | Status | Score | Checks passed |',
      '| --- | --- | ---: | ---: |',
      ...scorecard.capabilities.map(c => {
        const counts = checkCounts(c, scorecard.results);
        return `| ${capabilityTitle(c.capability)} | ${
          CAPABILITY_ICONS[c.status] ?? ''
        } ${c.status} | ${c.score === null ? '–' : `${c.score}%`} | ${
          counts.applicable > 0 ? `${counts.passed}/${counts.applicable}` : '–'
        } |`;
      }),
      '',
    );
    if (scorecard.nextLevel) {
      const next = scorecard.nextLevel;
      const needs = [
        next.missingCapabilities.length > 0
          ? `complete ${next.missingCapabilities
              .map(c => capabilityTitle(c))
              .join(', ')}`
          : undefined,
        next.minScore !== undefined ? `a score of ${next.minScore}` : undefined,
      ].filter(Boolean);
      lines.push(
        `**Next:** level ${next.level} · ${next.name} needs ${needs.join(
          ' and ',
        )}.`,
        '',
      );
    }
  }

  if (diff && diff.newlyFailing.length > 0) {
    lines.push(
      `#### Newly failing (${diff.newlyFailing.length})`,
      '',
      ...failingTable(context, diff.newlyFailing, true),
      '',
    );
  }
  if (diff && diff.newlyPassing.length > 0) {
    lines.push(
      `#### Newly passing (${diff.newlyPassing.length})`,
      '',
      ...diff.newlyPassing.map(c => `- ${checkLabel(context, c.checkId)}`),
      '',
    );
  }

  const newlyFailing = new Set(diff?.newlyFailing.map(c => c.checkId));
  const failing = scorecard.results.filter(
    r => r.status === 'fail' && !newlyFailing.has(r.checkId),
  );
  if (failing.length > 0) {
    lines.push(
      `#### ${newlyFailing.size > 0 ? 'Also failing' : 'Failing checks'} (${
        failing.length
      })`,
      '',
      ...failingTable(context, failing, false),
      '',
    );
  }

  if (scorecard.inScope) {
    lines.push(
      `<details><summary>All ${scorecard.results.length} checks</summary>`,
      '',
      '| Check | Status | Result |',
      '| --- | --- | --- |',
      ...scorecard.results.map(
        r =>
          `| ${checkLabel(context, r.checkId)} | ${
            STATUS_ICONS[r.status]
          } | ${cell(r.message)} |`,
      ),
      '',
      '</details>',
      '',
    );
  }

  const notes = [...report.run.notes, ...scorecard.notices.map(n => n.message)];
  if (notes.length > 0) {
    lines.push(
      ...notes
        .map(n => `> ${cell(n)}`)
        .join('\n>\n')
        .split('\n'),
      '',
    );
  }
  lines.push(
    `<sub>Scored by \`paved score\` · ${report.run.files} files · ruleset \`${scorecard.rulesetHash}\`</sub>`,
  );
  return `${lines.join('\n')}\n`;
}
