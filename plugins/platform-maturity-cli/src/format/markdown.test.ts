import {
  compileRuleset,
  evaluate,
} from '@paved/plugin-platform-maturity-common';
import type { ScoreReport } from '../lib/report';
import { renderMarkdown } from './markdown';
import { renderTable } from './table';

const ruleset = compileRuleset({});

function reportFor(message: string): ScoreReport {
  const scorecard = evaluate(ruleset, {
    entity: {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'billing' },
      spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
    },
    repository: { paths: [], read: () => undefined },
    now: new Date('2026-11-25T12:00:00Z'),
  });
  scorecard.results[0] = { ...scorecard.results[0], message };
  return {
    entity: {
      entityRef: 'component:default/billing',
      kind: 'component',
      namespace: 'default',
      name: 'billing',
    },
    scorecard,
    run: {
      directory: '.',
      entityFile: 'catalog-info.yaml',
      files: 0,
      truncated: false,
      catalog: false,
      notes: [],
    },
    gate: { failOnRegression: false, passed: true, failures: [] },
  };
}

const checks = new Map(
  ruleset.checks.map(c => [c.definition.id, c.definition]),
);

describe('renderMarkdown', () => {
  it('keeps messages inside their table cell and leaves code spans as written', () => {
    const md = renderMarkdown({
      report: reportFor(
        'Line one\nhas a | pipe, <b>tags</b> & `a <= b | c` and a lone ` backtick <x>',
      ),
      checks,
    });
    expect(md).toContain(
      '| Line one has a \\| pipe, &lt;b>tags&lt;/b> &amp; `a <= b \\| c` and a lone ` backtick &lt;x> |',
    );
  });
});

describe('renderTable', () => {
  it('colours the statuses only when asked to', () => {
    const context = { report: reportFor('No pipeline.'), checks };
    expect(renderTable(context, true)).toContain(
      '\u001b[31mFAIL    \u001b[39m',
    );
    expect(renderTable(context, false)).not.toContain('\u001b[');
  });
});
