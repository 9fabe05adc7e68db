import fs from 'node:fs';
import path from 'node:path';
import {
  EARLY_SERVICE,
  git,
  gitRepository,
  PAVED_SERVICE,
  temporaryDirectory,
  writeFiles,
} from './__testUtils__/fixtures';
import { runPaved } from './__testUtils__/runPaved';

// Each run of the binary starts Node.js and compiles the workspace packages it uses; CI machines are slow.
jest.setTimeout(180_000);

/** The paved service without its rollback workflow and autoscaler. */
const {
  '.github/workflows/rollback.yml': _rollback,
  'k8s/hpa.yaml': _hpa,
  ...WORSE_SERVICE
} = PAVED_SERVICE;

/** The early service with a Renovate config and an OpenTelemetry dependency added. */
const IMPROVED_EARLY_SERVICE = {
  ...EARLY_SERVICE,
  'renovate.json': '{}\n',
  'go.mod':
    'module example.com/ledger\n\ngo 1.22\n\nrequire go.opentelemetry.io/otel/sdk v1.33.0\n',
};

function byId(changes: Array<{ checkId: string }>): string[] {
  return changes.map(c => c.checkId);
}

describe('paved score: gates', () => {
  const tmp = temporaryDirectory();
  const early = path.join(tmp.dir, 'ledger');
  const paved = path.join(tmp.dir, 'billing');

  beforeAll(() => {
    writeFiles(early, EARLY_SERVICE);
    writeFiles(paved, PAVED_SERVICE);
  });
  afterAll(() => tmp.remove());

  it('passes --min-level at or below the level and fails (exit 1) above it', async () => {
    const [atLevel, above, aboveJson] = await Promise.all([
      runPaved(['score', paved, '--min-level', '3']),
      runPaved(['score', paved, '--min-level', '4']),
      runPaved(['score', paved, '--min-level', '4', '--format', 'json']),
    ]);
    expect(atLevel.code).toBe(0);
    expect(atLevel.stdout).toContain('Gate passed.');
    expect(above.code).toBe(1);
    expect(above.stdout).toContain(
      'Gate failed: Level 3 (Operable) is below the required level 4 (Self-serve).',
    );
    expect(above.stderr).toBe('');
    expect(JSON.parse(aboveJson.stdout).gate).toEqual({
      minLevel: 4,
      failOnRegression: false,
      passed: false,
      failures: [
        'Level 3 (Operable) is below the required level 4 (Self-serve).',
      ],
    });
  });

  describe('with a baseline file', () => {
    const baselineFile = path.join(tmp.dir, 'baseline.json');
    const improved = path.join(tmp.dir, 'ledger-improved');

    beforeAll(async () => {
      const baseline = await runPaved(['score', early, '--format', 'json']);
      fs.writeFileSync(baselineFile, baseline.stdout);
      writeFiles(improved, IMPROVED_EARLY_SERVICE);
    });

    it('shows the checks newly passing and the score change in every format', async () => {
      const args = ['score', improved, '--baseline', baselineFile];
      const [json, table, markdown] = await Promise.all([
        runPaved([...args, '--format', 'json']),
        runPaved(args),
        runPaved([...args, '--format', 'markdown']),
      ]);
      expect(json.code).toBe(0);
      const { diff } = JSON.parse(json.stdout);
      expect(diff.baseline).toMatchObject({
        source: baselineFile,
        found: true,
        sameRuleset: true,
      });
      expect(byId(diff.newlyPassing)).toEqual([
        'build.dependency-updates',
        'observe.instrumentation',
      ]);
      expect(diff.newlyPassing[0]).toMatchObject({
        capability: 'build',
        before: 'fail',
        after: 'pass',
      });
      expect(diff.newlyFailing).toEqual([]);
      expect(diff.score).toEqual({ before: 13.3, after: 24.7, change: 11.4 });
      expect(diff.level.before).toEqual({ level: 0, name: 'Unpaved' });

      expect(table.stdout).toContain(
        `Changes since ${baselineFile}: score 13.3 → 24.7 (+11.4), level unchanged (0 Unpaved)\n  Newly passing:\n    build.dependency-updates (fail → pass)\n    observe.instrumentation (fail → pass)`,
      );
      expect(markdown.stdout).toContain(
        `Since \`${baselineFile}\`: score 13.3 → 24.7 (+11.4), level unchanged (0 Unpaved) · 2 newly passing · 0 newly failing`,
      );
      expect(markdown.stdout).toContain(
        '#### Newly passing (2)\n\n- `build.dependency-updates` Dependencies are kept up to date\n- `observe.instrumentation` Instrumented with OpenTelemetry',
      );
    });

    it('fails on regression only when a check got worse, however many checks fail', async () => {
      const [improvement, unchanged, withMinLevel] = await Promise.all([
        runPaved([
          'score',
          improved,
          '--baseline',
          baselineFile,
          '--fail-on-regression',
        ]),
        runPaved([
          'score',
          early,
          '--baseline',
          baselineFile,
          '--fail-on-regression',
        ]),
        runPaved([
          'score',
          improved,
          '--baseline',
          baselineFile,
          '--fail-on-regression',
          '--min-level',
          '1',
          '--format',
          'json',
        ]),
      ]);
      // 11 checks still fail, but none got worse: the gate passes.
      expect(improvement.code).toBe(0);
      expect(improvement.stdout).toContain('Gate passed.');
      expect(unchanged.code).toBe(0);
      expect(unchanged.stdout).toContain('No check changed status.');
      // Each gate applies: no regression, but the level is below 1.
      expect(withMinLevel.code).toBe(1);
      expect(JSON.parse(withMinLevel.stdout).gate.failures).toEqual([
        'Level 0 (Unpaved) is below the required level 1 (Builds).',
      ]);

      // The improved service as the baseline: the early one lost two checks.
      const improvedBaseline = path.join(tmp.dir, 'improved.json');
      fs.writeFileSync(
        improvedBaseline,
        (await runPaved(['score', improved, '--format', 'json'])).stdout,
      );
      const worse = await runPaved([
        'score',
        early,
        '--baseline',
        improvedBaseline,
        '--fail-on-regression',
        '--format',
        'markdown',
      ]);
      expect(worse.code).toBe(1);
      expect(worse.stdout).toContain(
        `**Gate failed:** 2 checks got worse since ${improvedBaseline}: build.dependency-updates, observe.instrumentation.`,
      );
      expect(worse.stdout).toContain(
        '#### Newly failing (2)\n\n| Check | Was | Why | Fix |\n| --- | --- | --- | --- |\n| `build.dependency-updates` Dependencies are kept up to date | pass | No dependency update bot is configured',
      );
      expect(worse.stdout).toContain('#### Also failing (11)');

      // Without --fail-on-regression the diff is shown and the run passes.
      const reportOnly = await runPaved([
        'score',
        early,
        '--baseline',
        improvedBaseline,
      ]);
      expect(reportOnly.code).toBe(0);
      expect(reportOnly.stdout).toContain('Newly failing:');
    });
  });

  describe('with a git revision', () => {
    const repo = path.join(tmp.dir, 'repo');

    beforeAll(() => {
      fs.mkdirSync(repo);
      // Commit 1: the paved service; commit 2: its rollback workflow and autoscaler removed.
      gitRepository(repo, [PAVED_SERVICE, WORSE_SERVICE]);
    });

    it('scores the same directory at the revision and reports what got worse', async () => {
      const run = await runPaved(
        [
          'score',
          '--baseline-ref',
          'HEAD~1',
          '--format',
          'json',
          '--fail-on-regression',
        ],
        { cwd: repo },
      );
      expect(run.code).toBe(1);
      const { diff, gate } = JSON.parse(run.stdout);
      const commit = git(repo, 'rev-parse', 'HEAD~1').trim();
      expect(diff.baseline).toMatchObject({
        source: `HEAD~1 (${commit.slice(0, 12)})`,
        found: true,
        sameRuleset: true,
      });
      expect(byId(diff.newlyFailing)).toEqual([
        'deploy.rollback',
        'capacity.autoscaling',
      ]);
      expect(diff.level).toEqual({
        before: { level: 3, name: 'Operable' },
        after: { level: 1, name: 'Builds' },
      });
      expect(gate.failures).toEqual([
        `2 checks got worse since HEAD~1 (${commit.slice(
          0,
          12,
        )}): deploy.rollback, capacity.autoscaling.`,
      ]);
      // The repository is left as it was: no worktree, no index change, no temporary files.
      expect(git(repo, 'status', '--porcelain')).toBe('');
      expect(git(repo, 'worktree', 'list').trim().split('\n')).toHaveLength(1);
    });

    it('reports newly passing checks from the other direction, and passes', async () => {
      git(repo, 'checkout', '--quiet', 'HEAD~1');
      try {
        const run = await runPaved(
          ['score', '.', '--baseline-ref', 'main', '--fail-on-regression'],
          { cwd: repo },
        );
        expect(run.code).toBe(0);
        const main = git(repo, 'rev-parse', 'main').trim().slice(0, 12);
        expect(run.stdout).toContain(
          `Changes since main (${main}): score 87.5 → 100 (+12.5), level 1 Builds → 3 Operable\n  Newly passing:\n    deploy.rollback (fail → pass)\n    capacity.autoscaling (fail → pass)`,
        );
      } finally {
        git(repo, 'checkout', '--quiet', 'main');
      }
    });

    it('scores a sub-directory of the repository at the revision, and a new one has nothing to compare with', async () => {
      const mono = path.join(tmp.dir, 'mono');
      fs.mkdirSync(mono);
      gitRepository(mono, [
        prefixed('services/billing', PAVED_SERVICE),
        {
          ...prefixed('services/billing', WORSE_SERVICE),
          ...prefixed('services/ledger', EARLY_SERVICE),
        },
      ]);
      const [billing, ledger] = await Promise.all([
        runPaved(
          [
            'score',
            'services/billing',
            '--baseline-ref',
            'HEAD~1',
            '--format',
            'json',
          ],
          { cwd: mono },
        ),
        runPaved(
          [
            'score',
            'services/ledger',
            '--baseline-ref',
            'HEAD~1',
            '--fail-on-regression',
          ],
          { cwd: mono },
        ),
      ]);
      expect(byId(JSON.parse(billing.stdout).diff.newlyFailing)).toEqual([
        'deploy.rollback',
        'capacity.autoscaling',
      ]);
      expect(ledger.code).toBe(0);
      expect(ledger.stdout).toContain(
        'Nothing to compare with: services/ledger did not exist at HEAD~1.',
      );
    });
  });
});

function prefixed(
  prefix: string,
  files: Record<string, string>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(files).map(([file, content]) => [
      `${prefix}/${file}`,
      content,
    ]),
  );
}
