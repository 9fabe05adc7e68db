import type { SummaryGroup } from '@paved/plugin-platform-maturity-common';
import { combineGroups, levelCounts } from './summary';

function group(overrides: Partial<SummaryGroup>): SummaryGroup {
  return {
    key: 'component',
    count: 0,
    meanScore: null,
    meanCoverage: null,
    partlyChecked: 0,
    levels: {},
    capabilityCompletion: {
      build: null,
      deploy: null,
      observe: null,
      data: null,
      capacity: null,
      'as-code': null,
    },
    ...overrides,
  };
}

const LADDER = [
  { level: 0, name: 'Unpaved', requires: [] },
  { level: 1, name: 'Builds', requires: ['build' as const] },
  { level: 2, name: 'Ships', requires: ['build' as const, 'deploy' as const] },
];

describe('combineGroups', () => {
  it('uses the only group as it is, which is exact', () => {
    const totals = combineGroups(
      [
        group({
          count: 8,
          levels: { '0': 3, '2': 5 },
          capabilityCompletion: {
            ...group({}).capabilityCompletion,
            build: 62.5,
            data: 33.3,
          },
        }),
      ],
      ['build', 'data', 'observe'],
    );
    expect(totals).toEqual({
      count: 8,
      levels: { 0: 3, 2: 5 },
      capabilityCompletion: { build: 62.5, data: 33.3, observe: null },
      exact: true,
    });
  });

  it('adds counts and levels, and weights completion by entity count', () => {
    const totals = combineGroups(
      [
        group({
          key: 'component',
          count: 30,
          levels: { '1': 10, '2': 20 },
          capabilityCompletion: {
            ...group({}).capabilityCompletion,
            build: 100,
            deploy: 50,
          },
        }),
        group({
          key: 'api',
          count: 10,
          levels: { '0': 4, '1': 6 },
          capabilityCompletion: {
            ...group({}).capabilityCompletion,
            build: 60,
            // The capability applies to no API: the group does not weigh in.
            deploy: null,
          },
        }),
      ],
      ['build', 'deploy', 'data'],
    );
    expect(totals.count).toBe(40);
    expect(totals.levels).toEqual({ 0: 4, 1: 16, 2: 20 });
    // (100 * 30 + 60 * 10) / 40 = 90; deploy only from the components.
    expect(totals.capabilityCompletion).toEqual({
      build: 90,
      deploy: 50,
      data: null,
    });
    expect(totals.exact).toBe(false);
  });

  it('gives zeros and no completion for an empty catalog', () => {
    expect(combineGroups([], ['build'])).toEqual({
      count: 0,
      levels: {},
      capabilityCompletion: { build: null },
      exact: true,
    });
  });
});

describe('levelCounts', () => {
  it('lists every level of the ladder in order, with zeros', () => {
    expect(levelCounts({ 2: 5 }, LADDER)).toEqual([
      { level: 0, name: 'Unpaved', count: 0 },
      { level: 1, name: 'Builds', count: 0 },
      { level: 2, name: 'Ships', count: 5 },
    ]);
  });

  it('keeps a level the ladder no longer defines', () => {
    expect(levelCounts({ 1: 2, 4: 1 }, LADDER)).toEqual([
      { level: 0, name: 'Unpaved', count: 0 },
      { level: 1, name: 'Builds', count: 2 },
      { level: 2, name: 'Ships', count: 0 },
      { level: 4, name: 'Level 4', count: 1 },
    ]);
  });
});
