import fs from 'node:fs';
import path from 'node:path';
import {
  EARLY_SERVICE,
  gitRepository,
  temporaryDirectory,
  writeFiles,
} from './__testUtils__/fixtures';
import { runPaved, STACK_TRACE } from './__testUtils__/runPaved';

// Each run of the binary starts Node.js and compiles the workspace packages it uses; CI machines are slow.
jest.setTimeout(180_000);

// Fixtures are written while the tests are collected: concurrent tests may start before beforeAll.
const tmp = temporaryDirectory();
const service = path.join(tmp.dir, 'ledger');
const repo = path.join(tmp.dir, 'repo');
writeFiles(service, EARLY_SERVICE);
fs.mkdirSync(repo);
gitRepository(repo, [EARLY_SERVICE]);

function file(name: string, content: string): string {
  const target = path.join(tmp.dir, name);
  writeFiles(tmp.dir, { [name]: content });
  return target;
}

const brokenYamlDir = path.join(tmp.dir, 'broken');
writeFiles(brokenYamlDir, {
  'catalog-info.yaml':
    'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: [broken\n',
});
const twoComponentsDir = path.join(tmp.dir, 'two');
writeFiles(twoComponentsDir, {
  'catalog-info.yaml':
    'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: a }\nspec: { type: service }\n---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: b }\nspec: { type: service }\n',
});
const notAnEntityDir = path.join(tmp.dir, 'not-entity');
writeFiles(notAnEntityDir, {
  'catalog-info.yaml': 'kind: Component\nmetadata:\n  name: x\n',
});

afterAll(() => tmp.remove());

/** [description, arguments, the message on stderr] — every one exits 2 without a stack trace. */
const USAGE_ERRORS: Array<[string, () => string[], string]> = [
  [
    'an unknown option',
    () => ['score', service, '--frobnicate'],
    "error: unknown option '--frobnicate'",
  ],
  [
    'an unknown command',
    () => ['scroe', service],
    "error: unknown command 'scroe'",
  ],
  [
    'a missing directory',
    () => ['score', path.join(tmp.dir, 'nope')],
    `paved: directory: ${path.join(tmp.dir, 'nope')} does not exist`,
  ],
  [
    'a file as the directory',
    () => ['score', path.join(service, 'go.mod')],
    `paved: directory: ${path.join(service, 'go.mod')} is not a directory`,
  ],
  [
    'a non-numeric --min-level',
    () => ['score', service, '--min-level', 'two'],
    "error: option '--min-level <level>' argument 'two' is invalid. must be a whole number, such as 2.",
  ],
  [
    'a --min-level that is not on the ladder',
    () => ['score', service, '--min-level', '9'],
    'paved: --min-level: 9 is not a level of the ladder (levels are 0, 1, 2, 3, 4)',
  ],
  [
    'an unknown format',
    () => ['score', service, '--format', 'xml'],
    "error: option '-f, --format <format>' argument 'xml' is invalid. Allowed choices are table, json, markdown.",
  ],
  [
    'a Backstage URL that is not a URL',
    () => ['score', service, '--backstage-url', 'backstage.example.com'],
    "error: option '--backstage-url <url>' argument 'backstage.example.com' is invalid. must be an absolute URL",
  ],
  [
    'a baseline that is not JSON',
    () => ['score', service, '--baseline', file('bad.json', '{ "scorecard": ')],
    `paved: --baseline: ${path.join(tmp.dir, 'bad.json')} is not valid JSON (`,
  ],
  [
    'a baseline that is not a scorecard',
    () => [
      'score',
      service,
      '--baseline',
      file('other.json', '{ "items": [] }'),
    ],
    `paved: --baseline: ${path.join(
      tmp.dir,
      'other.json',
    )} is not a scorecard ('results' is missing); give the JSON output of an earlier 'paved score --format json'`,
  ],
  [
    'a missing baseline file',
    () => ['score', service, '--baseline', path.join(tmp.dir, 'none.json')],
    `paved: --baseline: ${path.join(tmp.dir, 'none.json')} does not exist`,
  ],
  [
    'an unknown git revision',
    () => ['score', repo, '--baseline-ref', 'no-such-branch'],
    "paved: --baseline-ref: unknown revision 'no-such-branch' in ",
  ],
  [
    'a git revision outside a repository',
    () => ['score', service, '--baseline-ref', 'main'],
    `paved: --baseline-ref: ${service} is not inside a git repository`,
  ],
  [
    '--fail-on-regression without a baseline',
    () => ['score', service, '--fail-on-regression'],
    'paved: --fail-on-regression: needs --baseline or --baseline-ref to compare with',
  ],
  [
    'both kinds of baseline',
    () => ['score', repo, '--baseline', 'a.json', '--baseline-ref', 'main'],
    "error: option '--baseline <file>' cannot be used with option '--baseline-ref <revision>'",
  ],
  [
    'an invalid configuration value',
    () => [
      'score',
      service,
      '--config',
      file(
        'weight.yaml',
        'platformMaturity:\n  checks:\n    build:\n      tests:\n        weight: -1\n',
      ),
    ],
    "paved: Invalid configuration at 'platformMaturity.checks.build.tests.weight': must be a positive number",
  ],
  [
    'an unknown check in the configuration',
    () => [
      'score',
      service,
      '--config',
      file(
        'typo.yaml',
        'platformMaturity:\n  checks:\n    build:\n      test:\n        weight: 2\n',
      ),
    ],
    "paved: Invalid configuration at 'platformMaturity.checks.build.test': no such check",
  ],
  [
    'a missing configuration file',
    () => [
      'score',
      service,
      '--config',
      path.join(tmp.dir, 'app-config.nope.yaml'),
    ],
    `paved: --config: ${path.join(
      tmp.dir,
      'app-config.nope.yaml',
    )} does not exist`,
  ],
  [
    'a configuration file that is not YAML',
    () => [
      'score',
      service,
      '--config',
      file('broken.yaml', 'platformMaturity: [\n'),
    ],
    'paved: --config: the configuration could not be read: ',
  ],
  [
    'a catalog-info.yaml that is not YAML',
    () => ['score', brokenYamlDir],
    `paved: catalog-info.yaml: ${path.join(
      brokenYamlDir,
      'catalog-info.yaml',
    )} is not valid YAML (document 1): `,
  ],
  [
    'a catalog-info.yaml document that is not an entity',
    () => ['score', notAnEntityDir],
    `paved: catalog-info.yaml: ${path.join(
      notAnEntityDir,
      'catalog-info.yaml',
    )}: document 1 is not a catalog entity: apiVersion is missing`,
  ],
  [
    'a catalog-info.yaml with two Components',
    () => ['score', twoComponentsDir],
    `paved: --entity-ref: ${path.join(
      twoComponentsDir,
      'catalog-info.yaml',
    )} declares 2 Components (component:default/a, component:default/b); choose one with --entity-ref`,
  ],
  [
    'an --entity-ref the file does not declare',
    () => ['score', twoComponentsDir, '--entity-ref', 'c'],
    `paved: --entity-ref: ${path.join(
      twoComponentsDir,
      'catalog-info.yaml',
    )} has no entity component:default/c; it declares component:default/a, component:default/b`,
  ],
  [
    'a missing --entity file',
    () => ['score', service, '--entity', path.join(tmp.dir, 'none.yaml')],
    `paved: --entity: ${path.join(tmp.dir, 'none.yaml')} does not exist`,
  ],
  [
    'a --catalog file with something that is not an entity',
    () => [
      'score',
      service,
      '--catalog',
      file('catalog.json', '[{ "kind": "Group" }]'),
    ],
    `paved: --catalog: ${path.join(
      tmp.dir,
      'catalog.json',
    )}: document 1 is not a catalog entity: apiVersion is missing`,
  ],
  [
    'a --checks module that cannot be found',
    () => ['score', service, '--checks', './no-such-checks.js'],
    'paved: --checks: cannot find the module ./no-such-checks.js',
  ],
  [
    'a --checks module without checks',
    () => [
      'score',
      service,
      '--checks',
      file('empty-checks.js', 'exports.other = 1;\n'),
    ],
    `paved: --checks: ${path.join(
      tmp.dir,
      'empty-checks.js',
    )} must export its checks as 'checks' or as the default export; the export has no id`,
  ],
  ['no command', () => [], 'Usage: paved [options] [command]'],
];

describe('paved: usage and configuration errors exit 2 with a message naming the option or key', () => {
  it.concurrent.each(USAGE_ERRORS)('%s', async (_, args, message) => {
    const run = await runPaved(args(), { cwd: tmp.dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });
});

describe('paved: configuration', () => {
  it.concurrent(
    'reads several files in order, with environment substitution',
    async () => {
      const first = file(
        'app-config.yaml',
        'app:\n  baseUrl: https://first.example.com\nplatformMaturity:\n  remediation:\n    docsBaseUrl: ${PAVED_TEST_DOCS}\n',
      );
      const second = file(
        'app-config.production.yaml',
        'app:\n  baseUrl: https://second.example.com\n',
      );
      const run = await runPaved(
        [
          'score',
          service,
          '--format',
          'markdown',
          '--config',
          first,
          '--config',
          second,
        ],
        { env: { PAVED_TEST_DOCS: 'https://docs.example.com/checks' } },
      );
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(
        '[Fix in Backstage](https://second.example.com/create/templates/default/add-capabilities?formData=',
      );
      expect(run.stdout).toContain(
        '[How to](https://docs.example.com/checks#buildartifact)',
      );
    },
  );

  it.concurrent(
    'applies APP_CONFIG_ variables, as the backend does',
    async () => {
      const run = await runPaved(['score', service, '--format', 'json'], {
        env: {
          APP_CONFIG_platformMaturity_levels:
            '[{"level":0,"name":"Bronze"},{"level":1,"name":"Silver","requires":["build"]}]',
        },
      });
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout).scorecard.level).toEqual({
        level: 0,
        name: 'Bronze',
      });
    },
  );

  it.concurrent('prints help and the version with exit 0', async () => {
    const [help, version] = await Promise.all([
      runPaved(['score', '--help']),
      runPaved(['--version']),
    ]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: paved score [options] [directory]');
    expect(help.stdout).toContain('--fail-on-regression');
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
