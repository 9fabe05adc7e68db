import picomatch from 'picomatch';
import { BUILTIN_CHECKS } from '../checks';
import { checkResult, serviceEntity } from '../testing/fixtures';
import { compileRuleset } from './compileRuleset';
import { RulesetConfigError } from './errors';

/** The `javascript:` scheme of the hostile links under test, in two parts: lint refuses it whole. */
const SCRIPT = ['java', 'script:'].join('');

describe('compileRuleset', () => {
  it('compiles the built-in catalogue with defaults', () => {
    const ruleset = compileRuleset(undefined);
    expect(ruleset.checks.map(c => c.definition.id)).toEqual(
      BUILTIN_CHECKS.map(c => c.id),
    );
    expect(ruleset.checks.length).toBeGreaterThanOrEqual(17);
    expect(ruleset.levels.map(l => l.name)).toEqual([
      'Unpaved',
      'Builds',
      'Ships',
      'Operable',
      'Self-serve',
    ]);
    expect(ruleset.rulesetHash).toMatch(/^[0-9a-f]{16}$/);
    expect(ruleset.kinds).toEqual(['component']);
    const pipeline = ruleset.checks[0].definition;
    expect(pipeline.remediation).toEqual({
      templateRef: 'template:default/add-capabilities',
      values: { capabilities: ['build'] },
      docsUrl:
        'https://github.com/paved-dev/paved/blob/main/docs/checks.md#buildpipeline',
    });
    expect(ruleset.needsContent('.github/workflows/ci.yml')).toBe(true);
    expect(ruleset.needsContent('assets/logo.svg')).toBe(false);
    expect(ruleset.isInScope(serviceEntity())).toBe(true);
    expect(
      ruleset.isInScope(serviceEntity({ spec: { type: 'library' } })),
    ).toBe(false);
  });

  it('needs the content of exactly the paths that some check reads', () => {
    const ruleset = compileRuleset({
      checks: {
        build: {
          docs: {
            title: 'Docs site',
            files: ['mkdocs.{yml,yaml}', 'docs/**/*.md'],
            content: 'site_name',
          },
        },
      },
    });
    const reads = picomatch([...ruleset.contentGlobs], { dot: true });
    const directories = [
      '',
      'charts/svc/',
      'charts/svc/templates/',
      '.github/workflows/',
      '.gitlab/ci/',
      'deploy/k8s/overlays/prod/',
      'migrations/',
      'db/migrations/versions/',
      'src/',
      'infra/',
      'docs/',
      'docs/runbooks/',
      'scripts/',
      'cloudformation/',
      'node_modules/pkg/',
    ];
    const basenames = [
      'values.yaml',
      'values-prod.yaml',
      'values.schema.json',
      'Chart.yaml',
      'ci.yml',
      '.gitlab-ci.yml',
      'package.json',
      'main.tf',
      '001_init.sql',
      '20240101_init.ts',
      'index.ts',
      'a.test.ts',
      'README.md',
      'RUNBOOK.md',
      'Dockerfile',
      'api.Dockerfile',
      'go.mod',
      'requirements-dev.txt',
      'pyproject.toml',
      'app.yaml',
      'serverless.yml',
      'x.template.json',
      'hpa.yaml',
      'Jenkinsfile',
      'Jenkinsfile.deploy',
      'rollback.sh',
      'mkdocs.yml',
      'fly.toml',
      'dashboard.json',
      'alerts.yaml',
    ];
    for (const directory of directories) {
      for (const basename of basenames) {
        const path = `${directory}${basename}`;
        expect([path, ruleset.needsContent(path)]).toEqual([path, reads(path)]);
      }
    }
  });

  it('gives the same hash for the same configuration and a new one when it changes', () => {
    expect(compileRuleset({}).rulesetHash).toBe(
      compileRuleset({ remediation: {} }).rulesetHash,
    );
    const weighted = compileRuleset({
      checks: { build: { tests: { weight: 5 } } },
    });
    expect(weighted.rulesetHash).not.toBe(compileRuleset({}).rulesetHash);
    expect(
      weighted.checks.find(c => c.definition.id === 'build.tests')?.definition
        .weight,
    ).toBe(5);
  });

  it('disables checks, changes appliesTo and overrides remediation', () => {
    const ruleset = compileRuleset({
      checks: {
        build: { 'dependency-updates': { enabled: false } },
        observe: {
          oncall: {
            appliesTo: { kind: 'Component', 'spec.lifecycle': 'production' },
            remediation: { docsUrl: 'https://wiki.example.com/oncall' },
          },
        },
      },
      remediation: {
        templateRef: 'template:platform/retrofit',
        docsBaseUrl: 'https://docs.example.com/checks',
      },
    });
    const ids = ruleset.checks.map(c => c.definition.id);
    expect(ids).not.toContain('build.dependency-updates');
    const oncall = ruleset.checks.find(
      c => c.definition.id === 'observe.oncall',
    )!;
    expect(oncall.definition.remediation).toEqual({
      templateRef: 'template:platform/retrofit',
      values: { capabilities: ['observe'] },
      docsUrl: 'https://wiki.example.com/oncall',
    });
    expect(
      oncall.appliesTo(serviceEntity({ spec: { lifecycle: 'experimental' } })),
    ).toBe(false);
    expect(
      ruleset.checks.find(c => c.definition.id === 'build.tests')!.definition
        .remediation.docsUrl,
    ).toBe('https://docs.example.com/checks#buildtests');
  });

  it('declares new checks in configuration without code', () => {
    const ruleset = compileRuleset({
      checks: {
        'as-code': {
          techdocs: {
            title: 'TechDocs published',
            description: 'Docs live next to the code',
            entity: {
              'metadata.annotations.backstage.io/techdocs-ref': {
                $exists: true,
              },
            },
            files: ['mkdocs.{yml,yaml}'],
            content: '^nav:',
            weight: 2,
          },
        },
      },
    });
    const check = ruleset.checks.find(
      c => c.definition.id === 'as-code.techdocs',
    )!;
    expect(check.definition).toMatchObject({
      capability: 'as-code',
      weight: 2,
      evidence: 'entity+repository',
    });
    const documented = serviceEntity({
      metadata: { annotations: { 'backstage.io/techdocs-ref': 'dir:.' } },
    });
    expect(
      checkResult('as-code.techdocs', {
        ruleset,
        entity: documented,
        files: { 'mkdocs.yml': 'site_name: orders\nnav:\n  - Home: index.md' },
      }),
    ).toMatchObject({
      status: 'pass',
      evidence: [
        { type: 'field', ref: 'entity', detail: 'matches the predicate' },
        { type: 'file', ref: 'mkdocs.yml', line: 2, detail: 'nav:' },
      ],
    });
    expect(
      checkResult('as-code.techdocs', {
        ruleset,
        entity: documented,
        files: { 'mkdocs.yml': 'site_name: x' },
      }).status,
    ).toBe('fail');
    expect(
      checkResult('as-code.techdocs', {
        ruleset,
        files: { 'mkdocs.yml': 'nav:' },
      }).status,
    ).toBe('fail');
    expect(
      checkResult('as-code.techdocs', { ruleset, entity: documented }).status,
    ).toBe('unknown');
    expect(ruleset.needsContent('mkdocs.yml')).toBe(true);
  });

  it.each([
    [
      { checks: { build: { tests: { weight: -1 } } } },
      'platformMaturity.checks.build.tests.weight',
      'must be a positive number',
    ],
    [
      { checks: { build: { tests: { weight: 'heavy' } } } },
      'platformMaturity.checks.build.tests.weight',
      'must be a number',
    ],
    [
      { checks: { build: { pipelin: { enabled: false } } } },
      'platformMaturity.checks.build.pipelin',
      'no such check',
    ],
    [
      { checks: { building: { tests: {} } } },
      'platformMaturity.checks.building',
      'unknown capability',
    ],
    [
      { checks: { build: { tests: { enabeld: false } } } },
      'platformMaturity.checks.build.tests',
      'enabeld',
    ],
    [
      { checks: { build: { tests: { appliesTo: { $all: 'x' } } } } },
      'platformMaturity.checks.build.tests.appliesTo',
      'not a valid filter predicate',
    ],
    [
      { checks: { build: { tests: { files: ['x'] } } } },
      'platformMaturity.checks.build.tests',
      'built-in check',
    ],
    [
      {
        checks: {
          build: {
            lint: { title: 'Lint', files: ['.eslintrc*'], content: '([' },
          },
        },
      },
      'platformMaturity.checks.build.lint.content',
      'not a valid regular expression',
    ],
    [
      {
        checks: {
          build: { lint: { title: 'Lint', content: 'x', entity: {} } },
        },
      },
      'platformMaturity.checks.build.lint.content',
      "needs 'files'",
    ],
    [
      {
        checks: { build: { tests: { remediation: { docsUrl: 'not a url' } } } },
      },
      'platformMaturity.checks.build.tests.remediation.docsUrl',
      'must be an absolute http(s) URL',
    ],
    [
      {
        checks: {
          build: {
            tests: { remediation: { docsUrl: `${SCRIPT}alert(1)` } },
          },
        },
      },
      'platformMaturity.checks.build.tests.remediation.docsUrl',
      'must be an absolute http(s) URL',
    ],
    [
      { remediation: { docsBaseUrl: `${SCRIPT}alert(document.cookie)` } },
      'platformMaturity.remediation.docsBaseUrl',
      'must be an absolute http(s) URL',
    ],
    [
      JSON.parse(
        '{"checks":{"build":{"__proto__":{"title":"P","entity":{}}}}}',
      ),
      'platformMaturity.checks.build.__proto__',
      'lower-case letters and digits',
    ],
    [
      { checks: { build: { Lint: { title: 'Lint', entity: {} } } } },
      'platformMaturity.checks.build.Lint',
      'lower-case letters and digits',
    ],
    [
      {
        checks: {
          build: {
            lint: {
              title: 'Lint',
              files: ['{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b}'],
            },
          },
        },
      },
      'platformMaturity.checks.build.lint.files.0',
      'expands into more than 256 globs',
    ],
    [
      {
        checks: {
          build: {
            lint: { title: 'Lint', files: ['.eslintrc*'], content: '(a+)+$' },
          },
        },
      },
      'platformMaturity.checks.build.lint.content',
      'backtracks catastrophically (exponential',
    ],
    [{ levels: [] }, 'platformMaturity.levels', 'at least one level'],
    [
      {
        levels: [
          { level: 0, name: 'A' },
          { level: 2 ** 31, name: 'B' },
        ],
      },
      'platformMaturity.levels.1.level',
      'must be at most 1000',
    ],
    [
      {
        levels: [
          { level: 0, name: 'A' },
          { level: 1, name: 'B', requires: ['bild'] },
        ],
      },
      'platformMaturity.levels.1.requires.0',
      'must be one of',
    ],
    [
      { levels: [{ level: 0, name: 'A', requires: ['build'] }] },
      'platformMaturity.levels',
      'must not require anything',
    ],
    [
      {
        levels: [
          { level: 0, name: 'A' },
          { level: 0, name: 'B' },
        ],
      },
      'platformMaturity.levels',
      'declared twice',
    ],
    [
      {
        waivers: [
          {
            entity: 'orders',
            check: 'build.tests',
            reason: 'r',
            waivedBy: 'me',
            until: '2027-01-01',
          },
        ],
      },
      'platformMaturity.waivers.0.entity',
      'must be an entity ref',
    ],
    [
      {
        waivers: [
          {
            entity: 'component:orders',
            check: 'build.tests',
            reason: 'r',
            waivedBy: 'me',
            until: 'soon',
          },
        ],
      },
      'platformMaturity.waivers.0.until',
      'ISO 8601',
    ],
    [
      {
        waivers: [
          {
            entity: 'component:orders',
            check: 'build.test',
            reason: 'r',
            waivedBy: 'me',
            until: '2027-01-01',
          },
        ],
      },
      'platformMaturity.waivers.0.check',
      'no such check',
    ],
    [
      {
        waivers: [
          {
            entity: 'component:orders',
            check: 'build.tests',
            waivedBy: 'me',
            until: '2027-01-01',
          },
        ],
      },
      'platformMaturity.waivers.0.reason',
      'must give a reason',
    ],
    [
      { allowEntityWaivers: 'yes' },
      'platformMaturity.allowEntityWaivers',
      'must be true or false',
    ],
  ])(
    'rejects invalid configuration %j naming the key',
    (config, key, problem) => {
      let error: unknown;
      try {
        compileRuleset(config);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(RulesetConfigError);
      expect((error as RulesetConfigError).key).toBe(key);
      expect((error as Error).message).toContain(
        `Invalid configuration at '${key}'`,
      );
      expect((error as Error).message).toContain(problem);
    },
  );

  it('rejects code checks with a bad id or a duplicate id', () => {
    const check = BUILTIN_CHECKS[0];
    expect(() => compileRuleset({}, { extraChecks: [check] })).toThrow(
      "check 'build.pipeline' is defined twice",
    );
    expect(() =>
      compileRuleset({}, { extraChecks: [{ ...check, id: 'pipeline' }] }),
    ).toThrow('must have an id of the form <capability>.<name>');
  });

  it('knows the kinds its checks apply to, when every predicate restricts the kind', () => {
    expect(
      compileRuleset({
        checks: {
          build: {
            pipeline: {
              appliesTo: { kind: { $in: ['Component', 'Resource'] } },
            },
          },
        },
      }).kinds,
    ).toEqual(['component', 'resource']);
    expect(
      compileRuleset({
        checks: {
          build: { pipeline: { appliesTo: { 'spec.type': 'service' } } },
        },
      }).kinds,
    ).toBeUndefined();
  });
});
