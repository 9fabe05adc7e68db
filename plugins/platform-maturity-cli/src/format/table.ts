import type { CheckChange, ScorecardDiff } from '../lib/diff';
import type { CheckStatus } from '@paved/plugin-platform-maturity-common';
import type { RenderContext } from '../lib/report';
import {
  capabilityTitle,
  describeEvidence,
  describeMovement,
  formatScore,
} from './common';

type Paint = (text: string) => string;

interface Palette {
  bold: Paint;
  dim: Paint;
  green: Paint;
  red: Paint;
  yellow: Paint;
}

function ansi(open: number, close: number): Paint {
  return text => `\u001b[${open}m${text}\u001b[${close}m`;
}

const COLOURS: Palette = {
  bold: ansi(1, 22),
  dim: ansi(2, 22),
  green: ansi(32, 39),
  red: ansi(31, 39),
  yellow: ansi(33, 39),
};

const PLAIN: Palette = {
  bold: t => t,
  dim: t => t,
  green: t => t,
  red: t => t,
  yellow: t => t,
};

const STATUS_LABELS: Record<CheckStatus, string> = {
  pass: 'pass',
  fail: 'FAIL',
  waived: 'waived',
  'not-applicable': 'n/a',
  unknown: 'unknown',
};

function statusLabel(status: CheckStatus, p: Palette): string {
  const label = STATUS_LABELS[status].padEnd(8);
  switch (status) {
    case 'pass':
      return p.green(label);
    case 'fail':
      return p.red(label);
    case 'waived':
    case 'unknown':
      return p.yellow(label);
    default:
      return p.dim(label);
  }
}

function changeLines(
  title: string,
  changes: readonly CheckChange[],
  paint: Paint,
): string[] {
  if (changes.length === 0) {
    return [];
  }
  return [
    `  ${paint(title)}`,
    ...changes.map(c => `    ${c.checkId} (${c.before} → ${c.after})`),
  ];
}

function diffLines(diff: ScorecardDiff, p: Palette): string[] {
  if (!diff.baseline.found) {
    return [
      p.bold(`Changes since ${diff.baseline.source}`),
      `  Nothing to compare with: ${diff.baseline.reason}.`,
    ];
  }
  const lines = [
    p.bold(`Changes since ${diff.baseline.source}: ${describeMovement(diff)}`),
  ];
  if (diff.baseline.sameRuleset === false) {
    lines.push(
      '  The baseline was scored with a different ruleset, so some changes may come from the configuration.',
    );
  }
  const changed =
    diff.newlyPassing.length +
    diff.newlyFailing.length +
    diff.otherChanges.length;
  if (changed === 0) {
    lines.push('  No check changed status.');
  }
  lines.push(
    ...changeLines('Newly failing:', diff.newlyFailing, p.red),
    ...changeLines('Newly passing:', diff.newlyPassing, p.green),
    ...changeLines('Other changes:', diff.otherChanges, p.yellow),
  );
  return lines;
}

/**
 * The readable report: by capability, each check's status, message and evidence; then the
 * changes since the baseline, notes and the gate.
 *
 * @internal
 */
export function renderTable(context: RenderContext, color: boolean): string {
  const p = color ? COLOURS : PLAIN;
  const { report, checks } = context;
  const { scorecard, entity } = report;
  const lines: string[] = [];

  lines.push(
    p.bold(`${entity.entityRef}${entity.title ? ` — ${entity.title}` : ''}`),
  );
  if (!scorecard.inScope) {
    lines.push(
      `Out of scope: no check of the ruleset applies to this ${entity.kind}${
        entity.type ? ` of type ${entity.type}` : ''
      }, so it has no score or level.`,
    );
  } else {
    lines.push(
      `Level ${scorecard.level?.level} · ${
        scorecard.level?.name
      }    Score ${formatScore(scorecard.score)}/100`,
    );
    if (scorecard.nextLevel) {
      const next = scorecard.nextLevel;
      const needs = [
        next.missingCapabilities.length > 0
          ? `complete ${next.missingCapabilities.join(', ')}`
          : undefined,
        next.minScore !== undefined ? `a score of ${next.minScore}` : undefined,
      ].filter(Boolean);
      lines.push(
        `Next: level ${next.level} · ${next.name} needs ${needs.join(' and ')}`,
      );
    }

    const idWidth = Math.max(...scorecard.results.map(r => r.checkId.length));
    for (const capability of scorecard.capabilities) {
      lines.push(
        '',
        p.bold(
          `${capabilityTitle(capability.capability)} (${
            capability.capability
          }) — ${capability.status}${
            capability.score !== null ? `, ${capability.score}%` : ''
          }`,
        ),
      );
      const indent = ' '.repeat(2 + 8 + 1);
      for (const result of scorecard.results) {
        if (result.capability !== capability.capability) {
          continue;
        }
        const title = checks.get(result.checkId)?.title ?? '';
        lines.push(
          `  ${statusLabel(result.status, p)} ${result.checkId.padEnd(
            idWidth,
          )}  ${title}`,
          `${indent}${result.message}`,
          ...result.evidence.map(e =>
            p.dim(`${indent}evidence: ${describeEvidence(e)}`),
          ),
          ...(result.nearMisses ?? []).map(n =>
            p.dim(`${indent}rejected: ${describeEvidence(n)}: ${n.reason}`),
          ),
        );
      }
    }
    if (scorecard.notices.length > 0) {
      lines.push('', p.bold('Notices'));
      lines.push(...scorecard.notices.map(n => `  - ${n.message}`));
    }
  }

  if (report.diff) {
    lines.push('', ...diffLines(report.diff, p));
  }
  if (report.run.notes.length > 0) {
    lines.push('', p.bold('Notes'));
    lines.push(...report.run.notes.map(n => `  - ${n}`));
  }
  const { gate } = report;
  if (gate.minLevel !== undefined || gate.failOnRegression) {
    lines.push(
      '',
      gate.passed
        ? p.green(p.bold('Gate passed.'))
        : p.red(p.bold(`Gate failed: ${gate.failures.join(' ')}`)),
    );
  }
  if (gate.outOfScope) {
    lines.push('', p.red(p.bold(`OUT OF SCOPE: ${gate.outOfScope}`)));
  }
  return `${lines.join('\n')}\n`;
}
