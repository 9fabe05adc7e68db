import { recordReliability } from '../__testUtils__/reliability';
import type { CheckImplementation } from './checkTypes';
import { compileRuleset } from '../ruleset/compileRuleset';
import { RulesetConfigError } from '../ruleset/errors';
import { serviceEntity, snapshotOf } from '../testing/fixtures';
import { evaluate } from './evaluate';

/** The `javascript:` scheme of the hostile links under test, in two parts: lint refuses it whole. */
const SCRIPT = ['java', 'script:'].join('');

const now = new Date('2026-12-01T00:00:00Z');
const tenOptions = '{a,b,c,d,e,f,g,h,i,j}';

/** A configured check in the `build` capability with these settings. */
function configured(settings: Record<string, unknown>) {
  return {
    checks: { build: { custom: { title: 'Custom', ...settings } } },
  };
}

/** Hostile configuration: what a careless or hostile operator could put in app-config. */
const hostileConfigs: Array<[string, unknown, string]> = [
  ...[
    '(a+)+$',
    '(a|a)*b',
    '(a|aa)+$',
    '^(\\w+\\s?)*$',
    '(.*a){12}x',
    '([a-zA-Z]+)*x',
    '(x+x+)+y',
    'a.*b.*c.*d',
    '\\d+\\d+\\d+x',
    '(\\s*,\\s*)*$',
  ].map((content): [string, unknown, string] => [
    `content /${content}/`,
    configured({ files: ['**/*.txt'], content }),
    'platformMaturity.checks.build.custom.content',
  ]),
  [
    'eight brace groups of ten',
    configured({ files: [tenOptions.repeat(8)] }),
    'platformMaturity.checks.build.custom.files.0',
  ],
  [
    'three brace groups of ten',
    configured({ files: [`src/${tenOptions.repeat(3)}.ts`] }),
    'platformMaturity.checks.build.custom.files.0',
  ],
  [
    'nested extglobs of options',
    configured({ files: ['@(a|b|c|d)@(a|b|c|d)@(a|b|c|d)@(a|b|c|d)x{1,2}'] }),
    'platformMaturity.checks.build.custom.files.0',
  ],
  [
    'a glob of 100,000 characters',
    configured({ files: ['*'.repeat(100_000)] }),
    'platformMaturity.checks.build.custom.files.0',
  ],
  [
    'a content pattern of 10,000 characters',
    configured({ files: ['a'], content: 'a'.repeat(10_000) }),
    'platformMaturity.checks.build.custom.content',
  ],
  [
    'check name __proto__',
    JSON.parse(
      '{"checks":{"build":{"__proto__":{"title":"P","entity":{"kind":"Component"}}}}}',
    ),
    'platformMaturity.checks.build.__proto__',
  ],
  [
    'capability __proto__',
    JSON.parse('{"checks":{"__proto__":{"x":{"enabled":false}}}}'),
    'platformMaturity.checks.__proto__',
  ],
  [
    'check name constructor',
    { checks: { build: { constructor: { title: 'C', entity: {} } } } },
    'platformMaturity.checks.build.constructor',
  ],
  [
    'check name prototype',
    { checks: { build: { prototype: { title: 'P', entity: {} } } } },
    'platformMaturity.checks.build.prototype',
  ],
  [
    'docsBaseUrl javascript:',
    { remediation: { docsBaseUrl: `${SCRIPT}alert(document.cookie)` } },
    'platformMaturity.remediation.docsBaseUrl',
  ],
  [
    'docsBaseUrl data:',
    {
      remediation: { docsBaseUrl: 'data:text/html,<script>alert(1)</script>' },
    },
    'platformMaturity.remediation.docsBaseUrl',
  ],
  [
    'docsUrl javascript:',
    {
      checks: {
        build: { tests: { remediation: { docsUrl: `${SCRIPT}void(0)` } } },
      },
    },
    'platformMaturity.checks.build.tests.remediation.docsUrl',
  ],
];

/** Code checks with unsafe ids, as an adopter's module could register them. */
const hostileCodeCheckIds = ['build.__proto__', 'build.constructor', 'build.'];

function codeCheck(
  id: string,
  evaluateCheck: CheckImplementation['evaluate'] = () => ({
    status: 'pass',
    message: 'ok',
  }),
): CheckImplementation {
  return {
    id,
    capability: 'build',
    title: id,
    description: '',
    evidence: 'entity',
    evaluate: evaluateCheck,
  };
}

/** Spins until the clock has moved on by `ms`: a check slower than any budget under test. */
function spin(ms: number) {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy
  }
}

describe('configured checks under hostile configuration', () => {
  it('refuses catastrophic regexes, unbounded globs, unsafe ids and URLs at compile, naming the key', () => {
    let failedSafe = 0;
    const unsafe: string[] = [];
    for (const [name, config, key] of hostileConfigs) {
      try {
        compileRuleset(config);
        unsafe.push(`${name}: accepted`);
      } catch (error) {
        if (error instanceof RulesetConfigError && error.key === key) {
          failedSafe++;
        } else {
          unsafe.push(`${name}: ${(error as Error).message}`);
        }
      }
    }
    for (const id of hostileCodeCheckIds) {
      try {
        compileRuleset({}, { extraChecks: [codeCheck(id)] });
        unsafe.push(`code check ${id}: accepted`);
      } catch (error) {
        if (
          error instanceof RulesetConfigError &&
          error.message.includes(`'${id}'`)
        ) {
          failedSafe++;
        } else {
          unsafe.push(`code check ${id}: ${(error as Error).message}`);
        }
      }
    }
    try {
      compileRuleset(
        {},
        {
          extraChecks: [
            {
              ...codeCheck('build.braces'),
              reads: [`${tenOptions.repeat(8)}.yaml`],
            },
          ],
        },
      );
      unsafe.push('code check reading eight brace groups: accepted');
    } catch (error) {
      if (
        error instanceof RulesetConfigError &&
        error.message.includes('expands into more than 256 globs')
      ) {
        failedSafe++;
      } else {
        unsafe.push(`code check reading eight brace groups: ${error}`);
      }
    }
    recordReliability({
      area: 'configured checks',
      tried: hostileConfigs.length + hostileCodeCheckIds.length + 1,
      failedSafe,
      failedUnsafe: unsafe.length,
    });
    expect(unsafe).toEqual([]);
  });

  it('gives an entity whose checks overrun the time budget unknown results, and goes on with the next entity', () => {
    const slow = codeCheck('build.slow', () => {
      spin(30);
      return { status: 'pass', message: 'slow but fine' };
    });
    const after = codeCheck('build.after');
    const ruleset = compileRuleset({}, { extraChecks: [slow, after] });
    const entities = Array.from({ length: 5 }, (_, i) =>
      serviceEntity({ metadata: { name: `svc-${i}` } }),
    );
    const unsafe: string[] = [];
    for (const entity of entities) {
      const card = evaluate(
        ruleset,
        { entity, repository: snapshotOf({}), now },
        { timeBudgetMs: 10 },
      );
      const result = card.results.find(r => r.checkId === 'build.after');
      if (
        result?.status !== 'unknown' ||
        !/time budget of 10 ms/.test(result.message) ||
        !card.notices.some(n => n.type === 'time-budget')
      ) {
        unsafe.push(`${card.entityRef}: ${JSON.stringify(result)}`);
      }
    }
    recordReliability({
      area: 'configured checks',
      tried: entities.length,
      failedSafe: entities.length - unsafe.length,
      failedUnsafe: unsafe.length,
    });
    expect(unsafe).toEqual([]);
  });

  it('gives unknown, not an out-of-memory crash, for a code check that looks for a glob of eight brace groups', () => {
    const check: CheckImplementation = {
      ...codeCheck('build.braces'),
      evidence: 'entity+repository',
      evaluate: ({ repository }) =>
        repository!.has(`${tenOptions.repeat(8)}.yaml`)
          ? { status: 'pass', message: 'found' }
          : { status: 'fail', message: 'not found' },
    };
    const ruleset = compileRuleset({}, { extraChecks: [check] });
    const card = evaluate(ruleset, {
      entity: serviceEntity(),
      repository: snapshotOf({ 'aaaaaaaa.yaml': '' }),
      now,
    });
    const result = card.results.find(r => r.checkId === 'build.braces')!;
    const unsafe = result.status === 'unknown' ? 0 : 1;
    recordReliability({
      area: 'configured checks',
      tried: 1,
      failedSafe: 1 - unsafe,
      failedUnsafe: unsafe,
    });
    expect(result).toMatchObject({
      status: 'unknown',
      message: expect.stringContaining('expands into more than 256 globs'),
    });
  });

  it('stops a repository search at the time budget with unknown, not fail', () => {
    const ruleset = compileRuleset(
      configured({ files: ['**/*.txt'], content: 'needle' }),
    );
    // 5,000 files of 50 KB without the needle: far more than a 1 ms budget can search.
    const haystack = 'a'.repeat(50_000);
    const files: Record<string, string> = {};
    for (let i = 0; i < 5_000; i++) {
      files[`docs/${String(i).padStart(4, '0')}.txt`] = haystack;
    }
    const card = evaluate(
      ruleset,
      { entity: serviceEntity(), repository: snapshotOf(files), now },
      { timeBudgetMs: 1 },
    );
    const result = card.results.find(r => r.checkId === 'build.custom')!;
    const unsafe = result.status === 'unknown' ? 0 : 1;
    recordReliability({
      area: 'configured checks',
      tried: 1,
      failedSafe: 1 - unsafe,
      failedUnsafe: unsafe,
    });
    expect(result).toMatchObject({
      status: 'unknown',
      message: expect.stringMatching(/time budget/),
    });
  });
});

describe('truncated evidence', () => {
  const ruleset = compileRuleset(
    configured({ files: ['docs/**/*.md'], content: '^# Runbook' }),
  );
  /** The first files of a repository whose test file and runbook lie beyond the reader's cap. */
  const firstFiles = {
    '.github/workflows/ci.yml':
      'jobs:\n  test:\n    steps:\n      - run: npm test\n',
    'src/index.ts': 'export {};\n',
  };

  it('gives unknown, never fail, for what the files beyond the cap could change; a pass stays a pass', () => {
    const card = evaluate(ruleset, {
      entity: serviceEntity({ spec: { system: undefined } }),
      repository: { ...snapshotOf(firstFiles), truncated: true },
      now,
    });
    const byId = new Map(card.results.map(r => [r.checkId, r]));
    const repositoryChecks = card.results.filter(
      r =>
        ruleset.checks.find(c => c.definition.id === r.checkId)!.definition
          .evidence === 'entity+repository',
    );
    const unsafe = repositoryChecks.filter(r => r.status === 'fail');
    recordReliability({
      area: 'truncated evidence',
      tried: repositoryChecks.length,
      failedSafe: repositoryChecks.length - unsafe.length,
      failedUnsafe: unsafe.length,
    });
    expect(unsafe).toEqual([]);
    expect(byId.get('build.tests')).toMatchObject({
      status: 'unknown',
      message: expect.stringContaining(
        'The repository was only partly read: first 2 of more files.',
      ),
    });
    expect(byId.get('build.custom')!.status).toBe('unknown');
    expect(byId.get('build.pipeline')!.status).toBe('pass');
    expect(card.partialRepository).toEqual({ filesRead: 2 });
    expect(card.notices).toContainEqual({
      type: 'repository-truncated',
      message: expect.stringContaining('first 2 of more files'),
    });
  });

  it('keeps entity-only results and complete repositories as they are', () => {
    const complete = evaluate(ruleset, {
      entity: serviceEntity(),
      repository: snapshotOf(firstFiles),
      now,
    });
    expect(
      complete.results.find(r => r.checkId === 'build.tests')!.status,
    ).toBe('fail');
    expect(complete.partialRepository).toBeUndefined();

    const truncated = evaluate(ruleset, {
      entity: serviceEntity({ spec: { owner: undefined } }),
      repository: { ...snapshotOf(firstFiles), truncated: true },
      now,
    });
    const entityOnly = truncated.results.filter(
      r =>
        ruleset.checks.find(c => c.definition.id === r.checkId)!.definition
          .evidence === 'entity' && r.status === 'fail',
    );
    expect(entityOnly.length).toBeGreaterThan(0);
  });
});
