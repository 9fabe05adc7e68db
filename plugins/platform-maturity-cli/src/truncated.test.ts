import path from 'node:path';
import { temporaryDirectory, writeFiles } from './__testUtils__/fixtures';
import { main } from './program';

/** Runs `paved` in this process, capturing what it prints. */
async function paved(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(['node', 'paved', ...args], {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    color: false,
  });
  return { code, stdout, stderr };
}

describe('paved score on a repository over the file cap', () => {
  const tmp = temporaryDirectory();
  const service = path.join(tmp.dir, 'orders');

  beforeAll(() => {
    writeFiles(service, {
      '.github/workflows/ci.yml':
        'jobs:\n  test:\n    steps:\n      - run: npm test\n',
      'catalog-info.yaml':
        'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: orders\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n',
      'src/a.ts': '',
      'src/b.ts': '',
      // Sorted last: beyond a cap of 3 files.
      'src/z.test.ts': "test('x', () => {});\n",
    });
  });

  afterAll(() => tmp.remove());

  it('says the repository was only partly read, and a test file beyond --max-files gives unknown, not fail', async () => {
    const run = await paved([
      'score',
      service,
      '--max-files',
      '3',
      '--format',
      'json',
    ]);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout);
    expect(report.run).toMatchObject({ files: 3, truncated: true });
    expect(report.run.notes).toContainEqual(
      expect.stringContaining(
        'The repository was only partly read: first 3 of more files',
      ),
    );
    expect(
      report.scorecard.results.find(
        (r: { checkId: string }) => r.checkId === 'build.tests',
      ),
    ).toMatchObject({ status: 'unknown' });

    const table = await paved(['score', service, '--max-files', '3']);
    expect(table.stdout).toContain('The repository was only partly read');
  });

  it('reads the whole directory under the cap', async () => {
    const run = await paved(['score', service, '--format', 'json']);
    const report = JSON.parse(run.stdout);
    expect(report.run.truncated).toBe(false);
    expect(
      report.scorecard.results.find(
        (r: { checkId: string }) => r.checkId === 'build.tests',
      ).status,
    ).toBe('pass');
  });

  it('refuses a --max-files that is not a whole number of files', async () => {
    const run = await paved(['score', service, '--max-files', '0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      "option '--max-files <count>' argument '0' is invalid. must be a whole number of files",
    );
  });
});
