import type {
  CheckResult,
  CheckStatus,
  Scorecard,
} from '@paved/plugin-platform-maturity-common';
import { DEFAULT_LEVELS } from '@paved/plugin-platform-maturity-common';
import { diffScorecards, evaluateGates } from './diff';

function card(
  statuses: Record<string, CheckStatus>,
  overrides: Partial<Scorecard> = {},
): Scorecard {
  return {
    entityRef: 'component:default/billing',
    evaluatedAt: '2026-11-25T12:00:00.000Z',
    inScope: true,
    score: 50,
    level: { level: 1, name: 'Builds' },
    capabilities: [],
    results: Object.entries(statuses).map(
      ([checkId, status]): CheckResult => ({
        checkId,
        capability: checkId.split('.')[0] as CheckResult['capability'],
        status,
        message: `${checkId} is ${status}`,
        evidence: [],
      }),
    ),
    notices: [],
    rulesetHash: 'r1',
    evidenceDigest: 'e1',
    ...overrides,
  };
}

describe('diffScorecards', () => {
  it('classifies each status change as newly passing, newly failing or other', () => {
    const before = card({
      'build.pipeline': 'pass',
      'build.tests': 'waived',
      'data.migrations': 'not-applicable',
      'deploy.rollback': 'unknown',
      'observe.oncall': 'fail',
      'observe.dashboards': 'unknown',
      'capacity.resources': 'pass',
      'as-code.infrastructure': 'pass',
      'as-code.relations': 'fail',
    });
    const after = card(
      {
        'build.pipeline': 'fail', // got worse
        'build.tests': 'fail', // the waiver lapsed: worse
        'data.migrations': 'fail', // a data store arrived without migrations: worse
        'deploy.rollback': 'fail', // unknown before: nobody knows whether it got worse
        'observe.oncall': 'pass',
        'observe.dashboards': 'waived',
        'capacity.resources': 'unknown',
        'as-code.relations': 'fail', // unchanged
        'capacity.autoscaling': 'fail', // a check the baseline did not have
      },
      { score: 40.5, level: { level: 0, name: 'Unpaved' }, rulesetHash: 'r2' },
    );
    const diff = diffScorecards({ source: 'main', scorecard: before }, after);
    const ids = (changes: { checkId: string }[]) => changes.map(c => c.checkId);
    expect(ids(diff.newlyFailing)).toEqual([
      'build.pipeline',
      'build.tests',
      'data.migrations',
    ]);
    expect(ids(diff.newlyPassing)).toEqual([
      'observe.oncall',
      'observe.dashboards',
    ]);
    expect(diff.otherChanges).toEqual([
      expect.objectContaining({
        checkId: 'deploy.rollback',
        before: 'unknown',
        after: 'fail',
      }),
      expect.objectContaining({
        checkId: 'capacity.resources',
        before: 'pass',
        after: 'unknown',
      }),
      expect.objectContaining({
        checkId: 'capacity.autoscaling',
        before: 'absent',
        after: 'fail',
      }),
      expect.objectContaining({
        checkId: 'as-code.infrastructure',
        before: 'pass',
        after: 'absent',
        message: 'as-code.infrastructure is pass',
      }),
    ]);
    expect(diff.score).toEqual({ before: 50, after: 40.5, change: -9.5 });
    expect(diff.level).toEqual({
      before: { level: 1, name: 'Builds' },
      after: { level: 0, name: 'Unpaved' },
    });
    expect(diff.baseline).toEqual({
      source: 'main',
      found: true,
      evaluatedAt: '2026-11-25T12:00:00.000Z',
      sameRuleset: false,
    });
  });

  it('has nothing to compare with when the baseline has no scorecard', () => {
    const diff = diffScorecards(
      { source: 'main (abc)', reason: 'services/new did not exist at main' },
      card({ 'build.pipeline': 'fail' }),
    );
    expect(diff.baseline).toEqual({
      source: 'main (abc)',
      found: false,
      reason: 'services/new did not exist at main',
    });
    expect(diff.newlyFailing).toEqual([]);
    expect(diff.score).toEqual({ before: null, after: 50, change: null });
    expect(
      evaluateGates({
        scorecard: card({ 'build.pipeline': 'fail' }),
        levels: DEFAULT_LEVELS,
        failOnRegression: true,
        diff,
      }).passed,
    ).toBe(true);
  });
});

describe('evaluateGates', () => {
  const regression = diffScorecards(
    { source: 'main', scorecard: card({ 'build.pipeline': 'pass' }) },
    card({ 'build.pipeline': 'fail' }),
  );

  it('applies every gate that is asked for', () => {
    expect(
      evaluateGates({
        scorecard: card({}),
        levels: DEFAULT_LEVELS,
        minLevel: 2,
        failOnRegression: true,
        diff: regression,
      }),
    ).toEqual({
      minLevel: 2,
      failOnRegression: true,
      passed: false,
      failures: [
        'Level 1 (Builds) is below the required level 2 (Ships).',
        '1 check got worse since main: build.pipeline.',
      ],
    });
  });

  it('ignores regressions without --fail-on-regression and passes at the level', () => {
    expect(
      evaluateGates({
        scorecard: card({}),
        levels: DEFAULT_LEVELS,
        minLevel: 1,
        failOnRegression: false,
        diff: regression,
      }),
    ).toEqual({
      minLevel: 1,
      failOnRegression: false,
      passed: true,
      failures: [],
    });
  });
});
