import type { Entity } from '@backstage/catalog-model';
import {
  compileRuleset,
  evaluate,
} from '@paved/plugin-platform-maturity-common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { recordReliability } from './__testUtils__/reliability';
import { readDirectorySnapshot } from './directorySnapshot';

const DIRECTORIES = 1_000;
const FILES_PER_DIRECTORY = 200;

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'monolith', namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner: 'group:team-a' },
};
const now = new Date('2026-12-01T00:00:00Z');

describe('a repository of 200,000 files, over the file cap', () => {
  let root: string;

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-200k-'));
    // Sorted first, so among the files read: a pipeline that runs the tests.
    fs.mkdirSync(path.join(root, '.github/workflows'), { recursive: true });
    fs.writeFileSync(
      path.join(root, '.github/workflows/ci.yml'),
      'jobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n',
    );
    for (let d = 0; d < DIRECTORIES; d++) {
      const dir = path.join(root, `d${String(d).padStart(4, '0')}`);
      fs.mkdirSync(dir);
      for (let f = 0; f < FILES_PER_DIRECTORY; f++) {
        fs.writeFileSync(
          path.join(dir, `f${String(f).padStart(3, '0')}.txt`),
          '',
        );
      }
    }
    // Sorted last, so beyond the cap: the only test file.
    fs.mkdirSync(path.join(root, 'zz-service/src'), { recursive: true });
    fs.writeFileSync(
      path.join(root, 'zz-service/src/app.test.ts'),
      "test('works', () => {});\n",
    );
  }, 300_000);

  afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
  }, 300_000);

  it('gives unknown, not fail, for a test file beyond the cap, and keeps the pass found among the files read', async () => {
    const ruleset = compileRuleset({});
    const snapshot = await readDirectorySnapshot(root);
    expect(snapshot.truncated).toBe(true);
    expect(snapshot.paths).toHaveLength(100_000);
    expect(snapshot.paths).not.toContain('zz-service/src/app.test.ts');

    // A budget far beyond the default: this is about truncation, and a loaded CI machine may take
    // seconds over 100,000 paths.
    const card = evaluate(
      ruleset,
      { entity, repository: snapshot, now },
      { timeBudgetMs: 120_000 },
    );
    const tests = card.results.find(r => r.checkId === 'build.tests')!;
    const repositoryFails = card.results.filter(
      r =>
        r.status === 'fail' &&
        ruleset.checks.find(c => c.definition.id === r.checkId)!.definition
          .evidence === 'entity+repository',
    );
    recordReliability({
      area: 'truncated evidence',
      tried: 1,
      failedSafe: repositoryFails.length === 0 ? 1 : 0,
      failedUnsafe: repositoryFails.length === 0 ? 0 : 1,
    });
    expect(repositoryFails).toEqual([]);
    expect(tests).toMatchObject({
      status: 'unknown',
      message: expect.stringContaining(
        'The repository was only partly read: first 100000 of more files.',
      ),
    });
    expect(card.results.find(r => r.checkId === 'build.pipeline')!.status).toBe(
      'pass',
    );
    expect(card.partialRepository).toEqual({ filesRead: 100_000 });
  }, 300_000);

  it('reads the whole repository with a higher cap, and then finds the test file', async () => {
    const snapshot = await readDirectorySnapshot(root, { maxFiles: 250_000 });
    expect(snapshot.truncated).toBe(false);
    const card = evaluate(
      compileRuleset({}),
      { entity, repository: snapshot, now },
      { timeBudgetMs: 120_000 },
    );
    expect(card.results.find(r => r.checkId === 'build.tests')).toMatchObject({
      status: 'pass',
    });
    expect(card.partialRepository).toBeUndefined();
  }, 300_000);
});
