import type { ScorecardListItem } from '@paved/plugin-platform-maturity-common';
import { csvField, fetchAllScorecards, scorecardsToCsv, toCsv } from './csv';
import {
  FakePlatformMaturityApi,
  fakeScorecards,
} from './__testUtils__/fakePlatformMaturityApi';

const CAPABILITIES = [
  'build',
  'deploy',
  'observe',
  'data',
  'capacity',
  'as-code',
] as const;

function item(overrides: Partial<ScorecardListItem> = {}): ScorecardListItem {
  return {
    entityRef: 'component:default/payments-api',
    kind: 'component',
    namespace: 'default',
    name: 'payments-api',
    title: 'Payments API',
    owner: 'group:default/payments',
    system: 'system:default/checkout',
    domain: 'domain:default/commerce',
    lifecycle: 'production',
    type: 'service',
    score: 66.7,
    level: 2,
    levelName: 'Ships',
    capabilities: {
      build: 100,
      deploy: 100,
      observe: 50,
      data: null,
      capacity: 0,
      'as-code': 83.3,
    },
    capabilityStatuses: {
      build: 'complete',
      deploy: 'complete',
      observe: 'partial',
      data: 'not-applicable',
      capacity: 'missing',
      'as-code': 'partial',
    },
    coverage: { share: 100, checkedCapabilities: 5, applicableCapabilities: 5 },
    evaluatedAt: '2025-03-01T08:00:00.000Z',
    ...overrides,
  };
}

describe('csvField', () => {
  it('writes plain text, numbers and missing values as they are', () => {
    expect(csvField('payments')).toBe('payments');
    expect(csvField(66.7)).toBe('66.7');
    expect(csvField(0)).toBe('0');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(Number.NaN)).toBe('');
  });

  it('quotes commas, double quotes and line breaks', () => {
    expect(csvField('Payments, core')).toBe('"Payments, core"');
    expect(csvField('The "core" API')).toBe('"The ""core"" API"');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('carriage\rreturn')).toBe('"carriage\rreturn"');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvField('=HYPERLINK("http://evil")')).toBe(
      `"'=HYPERLINK(""http://evil"")"`,
    );
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\tcmd')).toBe("'\tcmd");
    // Numbers are not text: a negative number stays a number.
    expect(csvField(-1)).toBe('-1');
    // Only the first character matters.
    expect(csvField('a=b')).toBe('a=b');
  });
});

describe('toCsv', () => {
  it('joins fields with commas and ends every row with CRLF', () => {
    expect(
      toCsv([
        ['a', 'b'],
        [1, null],
      ]),
    ).toBe('a,b\r\n1,\r\n');
  });
});

describe('scorecardsToCsv', () => {
  it('writes a header named after the API fields and one row per entity', () => {
    const csv = scorecardsToCsv(
      [
        item(),
        item({
          entityRef: 'component:default/legacy',
          name: 'legacy',
          title: '=cmd|"/c calc"!A1, "old"',
          owner: undefined,
          system: undefined,
          domain: undefined,
          lifecycle: undefined,
          type: undefined,
          score: null,
          level: null,
          levelName: null,
          capabilities: {
            build: null,
            deploy: null,
            observe: null,
            data: null,
            capacity: null,
            'as-code': null,
          },
          capabilityStatuses: {},
          coverage: null,
        }),
      ],
      [...CAPABILITIES],
    );
    expect(csv.split('\r\n')).toEqual([
      'entityRef,title,kind,owner,system,domain,lifecycle,type,level,levelName,score,coverage,build,deploy,observe,data,capacity,as-code,evaluatedAt',
      'component:default/payments-api,Payments API,component,group:default/payments,system:default/checkout,domain:default/commerce,production,service,2,Ships,66.7,100,100,100,50,not-applicable,0,83.3,2025-03-01T08:00:00.000Z',
      `component:default/legacy,"'=cmd|""/c calc""!A1, ""old""",component,,,,,,,,,,,,,,,,2025-03-01T08:00:00.000Z`,
      '',
    ]);
  });

  it('writes unknown (could not check) apart from not-applicable, with the coverage and the score rounded once', () => {
    const csv = scorecardsToCsv(
      [
        item({
          score: 100,
          level: 0,
          levelName: 'Unpaved',
          capabilities: {
            build: null,
            deploy: null,
            observe: 100,
            data: null,
            capacity: null,
            'as-code': null,
          },
          capabilityStatuses: {
            build: 'unknown',
            deploy: 'unknown',
            observe: 'complete',
            data: 'not-applicable',
            capacity: 'unknown',
            'as-code': 'unknown',
          },
          coverage: {
            share: 33.33333,
            checkedCapabilities: 1,
            applicableCapabilities: 5,
          },
        }),
      ],
      [...CAPABILITIES],
    );
    const [, row] = csv.split('\r\n');
    expect(row.split(',').slice(8)).toEqual([
      '0',
      'Unpaved',
      '100',
      '33.3',
      'unknown',
      'unknown',
      '100',
      'not-applicable',
      'unknown',
      'unknown',
      '2025-03-01T08:00:00.000Z',
    ]);
  });

  it('writes the capability columns in the order given', () => {
    const csv = scorecardsToCsv([item()], ['observe', 'build']);
    const [header, row] = csv.split('\r\n');
    expect(header.split(',').slice(12, 14)).toEqual(['observe', 'build']);
    expect(row.split(',').slice(12, 14)).toEqual(['50', '100']);
  });

  it('writes only a header for an empty list', () => {
    expect(scorecardsToCsv([], ['build'])).toBe(
      'entityRef,title,kind,owner,system,domain,lifecycle,type,level,levelName,score,coverage,build,evaluatedAt\r\n',
    );
  });
});

describe('fetchAllScorecards', () => {
  it('follows the cursors with pages of 100, keeping the filters and sort', async () => {
    const api = new FakePlatformMaturityApi(fakeScorecards(250));
    const progress: Array<{ loaded: number; totalCount: number }> = [];

    const items = await fetchAllScorecards(
      api,
      {
        lifecycle: ['production', 'experimental'],
        orderBy: 'score',
        order: 'desc',
        limit: 10,
        cursor: 'a cursor of the page on screen',
      },
      p => progress.push(p),
    );

    const expected = fakeScorecards(250).filter(
      s => s.lifecycle === 'production' || s.lifecycle === 'experimental',
    );
    expect(items).toHaveLength(expected.length);
    expect(new Set(items.map(i => i.entityRef)).size).toBe(expected.length);
    // By score means by level, then score, then coverage.
    const ranks = items.map(i => (i.level ?? -1) * 1000 + (i.score ?? -1));
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));

    expect(api.listRequests).toHaveLength(2);
    expect(api.listRequests[0]).toEqual({
      lifecycle: ['production', 'experimental'],
      orderBy: 'score',
      order: 'desc',
      limit: 100,
    });
    expect(api.listRequests[1]).toEqual({
      lifecycle: ['production', 'experimental'],
      orderBy: 'score',
      order: 'desc',
      limit: 100,
      cursor: expect.any(String),
    });
    expect(progress).toEqual([
      { loaded: 100, totalCount: expected.length },
      { loaded: expected.length, totalCount: expected.length },
    ]);
  });

  it('stops instead of looping when the server repeats a cursor', async () => {
    const api = {
      listScorecards: async () => ({
        items: [item()],
        totalCount: 10,
        nextCursor: 'same',
      }),
    };
    await expect(fetchAllScorecards(api, {})).rejects.toThrow(
      "The scorecard list returned the cursor 'same' twice; the export stopped",
    );
  });
});
