import {
  compileRuleset,
  evaluate,
  type ScorecardResponse,
} from '@paved/plugin-platform-maturity-common';
import { readDirectorySnapshot } from '@paved/plugin-platform-maturity-node';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  EARLY_SERVICE,
  PAVED_SERVICE,
  temporaryDirectory,
  writeFiles,
} from './__testUtils__/fixtures';
import { runPaved, STACK_TRACE } from './__testUtils__/runPaved';

// Each run of the binary starts Node.js and compiles the workspace packages it uses; CI machines are slow.
jest.setTimeout(180_000);

const ORG = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: payments
spec:
  type: team
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata:
  name: payments
spec:
  owner: payments
  domain: commerce
`;

describe('paved score: formats', () => {
  const tmp = temporaryDirectory();
  const paved = path.join(tmp.dir, 'billing');
  const early = path.join(tmp.dir, 'ledger');
  const unregistered = path.join(tmp.dir, 'orders-api');
  const org = path.join(tmp.dir, 'org.yaml');

  beforeAll(() => {
    writeFiles(paved, PAVED_SERVICE);
    writeFiles(early, EARLY_SERVICE);
    const { 'catalog-info.yaml': _, ...withoutCatalog } = PAVED_SERVICE;
    writeFiles(unregistered, withoutCatalog);
    fs.writeFileSync(org, ORG);
  });
  afterAll(() => tmp.remove());

  it('prints a table by capability with each check, its message and evidence', async () => {
    const run = await runPaved(['score', paved]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const out = run.stdout;
    expect(out).toContain('component:default/billing — Billing service');
    expect(out).toContain('Level 3 · Operable    Score 100/100');
    expect(out).toContain('Build & test (build) — complete, 100%');
    expect(out).toMatch(
      /pass {5}build\.tests +Pipeline runs the tests\n +\.github\/workflows\/ci\.yml runs `- run: npm test`/,
    );
    expect(out).toContain(
      'evidence: .github/workflows/ci.yml:13 (- run: npm test)',
    );
    expect(out).toMatch(/unknown +as-code\.ownership/);
    // Piped output has no colour.
    expect(out).not.toContain('\u001b[');
    // Without a catalog, the output says why the owner was not checked.
    expect(out).toContain(
      'Scored without a catalog: whether the owner and the Resources that component:default/billing depends on exist in the catalog was not checked, so as-code.ownership is unknown',
    );
  });

  it('prints the near-misses a failing check rejected, with why', async () => {
    const run = await runPaved(['score', early]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /FAIL {5}observe\.instrumentation .*\n.*\n +rejected: go\.mod: declares no OpenTelemetry SDK or instrumentation\n/,
    );
  });

  it('prints JSON in the shape of the backend API, with the engine result for the same files', async () => {
    const run = await runPaved(['score', paved, '--format', 'json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    const response: ScorecardResponse = report;
    expect(response.entity).toEqual({
      entityRef: 'component:default/billing',
      kind: 'component',
      namespace: 'default',
      name: 'billing',
      title: 'Billing service',
      owner: 'group:default/payments',
      system: 'system:default/payments',
      lifecycle: 'production',
      type: 'service',
    });

    const entity = parseAllDocuments(
      fs.readFileSync(path.join(paved, 'catalog-info.yaml'), 'utf8'),
    )[0].toJS();
    const expected = evaluate(compileRuleset({}), {
      entity,
      repository: await readDirectorySnapshot(paved),
      now: new Date(response.scorecard.evaluatedAt),
    });
    expect(response.scorecard).toEqual(expected);
    expect(report.run).toEqual({
      directory: paved,
      entityFile: 'catalog-info.yaml',
      files: Object.keys(PAVED_SERVICE).length,
      truncated: false,
      catalog: false,
      notes: [expect.stringContaining('Scored without a catalog')],
    });
    expect(report.gate).toEqual({
      failOnRegression: false,
      passed: true,
      failures: [],
    });
  });

  it('checks the owner and the Resource against --catalog, with the other documents of the entity file', async () => {
    const run = await runPaved([
      'score',
      paved,
      '--format',
      'json',
      '--catalog',
      org,
    ]);
    expect(run.code).toBe(0);
    const { entity, scorecard, run: info } = JSON.parse(run.stdout);
    expect(entity.domain).toBe('domain:default/commerce');
    expect(scorecard.level).toEqual({ level: 4, name: 'Self-serve' });
    const result = (id: string) =>
      scorecard.results.find((r: { checkId: string }) => r.checkId === id);
    expect(result('as-code.ownership')).toMatchObject({
      status: 'pass',
      message:
        'Owned by group:default/payments, lifecycle production, part of system payments.',
    });
    // The Resource is declared in catalog-info.yaml beside the Component.
    expect(result('data.declared').message).toBe(
      'Depends on the catalog Resource resource:default/billing-db (database).',
    );
    expect(info.catalog).toBe(true);
    expect(info.notes).toEqual([]);
  });

  it('fails the owner check when the catalog has no such owner', async () => {
    const other = path.join(tmp.dir, 'other-org.json');
    fs.writeFileSync(
      other,
      JSON.stringify({
        items: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Group',
            metadata: { name: 'platform' },
            spec: { type: 'team', children: [] },
          },
        ],
      }),
    );
    const run = await runPaved([
      'score',
      paved,
      '--format',
      'json',
      '--catalog',
      other,
    ]);
    const { scorecard } = JSON.parse(run.stdout);
    expect(
      scorecard.results.find(
        (r: { checkId: string }) => r.checkId === 'as-code.ownership',
      ),
    ).toMatchObject({
      status: 'fail',
      message:
        'The owner group:default/payments does not exist in the catalog.',
    });
  });

  it('prints Markdown for a pull-request comment with the summary, capabilities and Fix links', async () => {
    const run = await runPaved([
      'score',
      early,
      '--format',
      'markdown',
      '--backstage-url',
      'https://backstage.example.com/',
    ]);
    expect(run.code).toBe(0);
    const md = run.stdout;
    const lines = md.split('\n');
    expect(lines[0]).toBe('<!-- paved-scorecard component:default/ledger -->');
    expect(lines[1]).toBe(
      '### Platform maturity of `component:default/ledger`: level 0 · Unpaved, score 13.3/100',
    );
    expect(md).toContain(
      '| Capability | Status | Score | Checks passed |\n| --- | --- | ---: | ---: |\n| Build & test | 🟡 partial | 66.7% | 2/4 |',
    );
    expect(md).toContain(
      '| Data & schema migrations | ➖ not-applicable | – | – |',
    );
    expect(md).toContain(
      '**Next:** level 1 · Builds needs complete Build & test.',
    );
    expect(md).toContain('#### Failing checks (13)');
    const formData = encodeURIComponent(
      JSON.stringify({
        entity: 'component:default/ledger',
        capabilities: ['capacity'],
      }),
    );
    expect(md).toContain(
      `| \`capacity.autoscaling\` Autoscaling is configured | No autoscaling found`,
    );
    expect(md).toContain(
      `[Fix in Backstage](https://backstage.example.com/create/templates/default/add-capabilities?formData=${formData}) · [How to](https://github.com/paved-dev/paved/blob/main/docs/checks.md#capacityautoscaling) |`,
    );
    expect(md).toContain('<details><summary>All 18 checks</summary>');
  });

  it('takes the Fix links base from app.baseUrl and the docs from the configuration', async () => {
    const config = path.join(tmp.dir, 'app-config.yaml');
    fs.writeFileSync(
      config,
      `app:
  baseUrl: https://portal.example.com
platformMaturity:
  remediation:
    templateRef: template:platform/retrofit
    docsBaseUrl: https://docs.example.com/paved
`,
    );
    const run = await runPaved([
      'score',
      early,
      '--format',
      'markdown',
      '--config',
      config,
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      '[Fix in Backstage](https://portal.example.com/create/templates/platform/retrofit?formData=',
    );
    expect(run.stdout).toContain(
      '[How to](https://docs.example.com/paved#observeoncall)',
    );
  });

  it('names the template when there is no Backstage URL', async () => {
    const run = await runPaved(['score', early, '--format', 'markdown']);
    expect(run.stdout).toContain(
      'template `template:default/add-capabilities` · [How to](',
    );
    expect(run.stdout).not.toContain('Fix in Backstage');
  });

  it('scores a directory without catalog-info.yaml as an unregistered service and says why entity checks fail', async () => {
    const run = await runPaved(['score', unregistered, '--format', 'json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const { entity, scorecard, run: info } = JSON.parse(run.stdout);
    expect(entity.entityRef).toBe('component:default/orders-api');
    expect(info.entityFile).toBeNull();
    expect(info.notes[0]).toBe(
      `${unregistered} has no catalog-info.yaml: scored as an unregistered service Component named 'orders-api'. The checks that read the catalog entry (owner, system, lifecycle, relations, on-call) fail because there is none; add catalog-info.yaml or point --entity at the entity file.`,
    );
    const status = (id: string) =>
      scorecard.results.find((r: { checkId: string }) => r.checkId === id)
        .status;
    // Repository evidence still counts; the entity checks fail and say what is missing.
    expect(status('build.pipeline')).toBe('pass');
    expect(status('observe.oncall')).toBe('fail');
    expect(
      scorecard.results.find(
        (r: { checkId: string }) => r.checkId === 'as-code.ownership',
      ).message,
    ).toBe(
      'The catalog entry does not set spec.owner, spec.lifecycle, spec.system.',
    );

    const table = await runPaved(['score', unregistered]);
    expect(table.stdout).toContain(
      'has no catalog-info.yaml: scored as an unregistered service Component',
    );
  });

  it('reads the entity from --entity and chooses with --entity-ref', async () => {
    const entities = path.join(tmp.dir, 'entities.yaml');
    fs.writeFileSync(
      entities,
      `apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: web }
spec: { type: website, owner: team-web, lifecycle: production }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: worker, namespace: jobs }
spec: { type: service, owner: team-jobs, lifecycle: production }
`,
    );
    const run = await runPaved([
      'score',
      early,
      '--entity',
      entities,
      '--entity-ref',
      'jobs/worker',
      '--format',
      'json',
    ]);
    expect(run.code).toBe(0);
    const { entity, run: info } = JSON.parse(run.stdout);
    expect(entity.entityRef).toBe('component:jobs/worker');
    expect(info.entityFile).toBe('../entities.yaml');
  });

  it('says loudly, in every format and by exit code 3, that an entity is out of scope', async () => {
    const library = path.join(tmp.dir, 'lib');
    writeFiles(library, {
      'catalog-info.yaml':
        'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: utils\nspec:\n  type: library\n',
    });
    const warning =
      'component:default/utils is out of scope: no check of the ruleset applies to it';
    const run = await runPaved(['score', library]);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain(
      'Out of scope: no check of the ruleset applies to this component of type library, so it has no score or level.',
    );
    expect(run.stdout).toContain(`OUT OF SCOPE: ${warning}`);
    const markdown = await runPaved(['score', library, '--format', 'markdown']);
    expect(markdown.code).toBe(3);
    expect(markdown.stdout).toContain(`> **Out of scope:** ${warning}`);
    const json = await runPaved(['score', library, '--format', 'json']);
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout).gate.outOfScope).toContain(warning);

    const allowed = await runPaved(['score', library, '--allow-out-of-scope']);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain(`OUT OF SCOPE: ${warning}`);

    const gated = await runPaved(['score', library, '--min-level', '1']);
    expect(gated.code).toBe(1);
    expect(gated.stdout).toContain(
      'Gate failed: component:default/utils is out of scope (no check applies to it), so it has no level; --min-level asks for level 1 (Builds).',
    );
    expect(gated.stderr).not.toMatch(STACK_TRACE);
  });
});
