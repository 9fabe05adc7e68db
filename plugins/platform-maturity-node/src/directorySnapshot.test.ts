import {
  compileRuleset,
  evaluate,
} from '@paved/plugin-platform-maturity-common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readDirectorySnapshot } from './directorySnapshot';

function writeTree(root: string, files: Record<string, string | Buffer>) {
  for (const [relative, content] of Object.entries(files)) {
    const target = path.join(root, relative);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  }
}

describe('readDirectorySnapshot', () => {
  let base: string;
  let repo: string;

  beforeEach(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-snapshot-'));
    repo = path.join(base, 'repo');
    fs.mkdirSync(repo);
  });

  afterEach(() => {
    fs.rmSync(base, { recursive: true, force: true });
  });

  it('lists files with posix paths, skipping version control, dependencies and vendored trees', async () => {
    writeTree(repo, {
      '.github/workflows/ci.yml': 'run: npm test',
      'src/index.ts': 'export {}',
      '.git/config': '[core]',
      'node_modules/left-pad/package.json': '{}',
      'vendor/github.com/x/y.go': 'package y',
      'services/api/node_modules/z/index.js': '',
    });
    const snapshot = await readDirectorySnapshot(repo);
    expect(snapshot.paths).toEqual([
      '.github/workflows/ci.yml',
      'src/index.ts',
    ]);
    expect(snapshot.read('.github/workflows/ci.yml')).toBe('run: npm test');
    expect(snapshot.truncated).toBe(false);
  });

  it('reads only listed files, never large or binary ones', async () => {
    writeTree(repo, {
      'big.json': 'x'.repeat(2048),
      'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]),
      'small.txt': 'ok',
    });
    fs.writeFileSync(path.join(base, 'outside.txt'), 'secret');
    const snapshot = await readDirectorySnapshot(repo, { maxFileSize: 1024 });
    expect(snapshot.paths).toEqual(['big.json', 'logo.png', 'small.txt']);
    expect(snapshot.read('big.json')).toBeUndefined();
    expect(snapshot.read('logo.png')).toBeUndefined();
    expect(snapshot.read('small.txt')).toBe('ok');
    expect(snapshot.read('../outside.txt')).toBeUndefined();
    expect(snapshot.read('missing.txt')).toBeUndefined();
  });

  it('never follows a symbolic link out of the directory, and follows links inside it once', async () => {
    writeTree(repo, { 'charts/orders/Chart.yaml': 'name: orders' });
    writeTree(base, {
      'elsewhere/secret.yaml': 'password: x',
      'elsewhere/dir/a.txt': 'a',
    });
    fs.symlinkSync(
      path.join(base, 'elsewhere/secret.yaml'),
      path.join(repo, 'secret.yaml'),
    );
    fs.symlinkSync(
      path.join(base, 'elsewhere/dir'),
      path.join(repo, 'linked-dir'),
    );
    fs.symlinkSync(path.join(repo, 'charts'), path.join(repo, 'deploy'));
    fs.symlinkSync(repo, path.join(repo, 'charts/loop'));
    fs.symlinkSync(path.join(repo, 'nowhere'), path.join(repo, 'dangling'));
    const snapshot = await readDirectorySnapshot(repo);
    expect(snapshot.paths).toEqual(['charts/orders/Chart.yaml']);
    expect(snapshot.read('secret.yaml')).toBeUndefined();
  });

  it('follows a symlinked file that stays inside the directory', async () => {
    writeTree(repo, { 'helm/values.yaml': 'replicaCount: 2' });
    fs.symlinkSync(
      path.join(repo, 'helm/values.yaml'),
      path.join(repo, 'values.yaml'),
    );
    const snapshot = await readDirectorySnapshot(repo);
    expect(snapshot.paths).toEqual(['helm/values.yaml', 'values.yaml']);
    expect(snapshot.read('values.yaml')).toBe('replicaCount: 2');
  });

  it('stops at maxFiles and says so', async () => {
    writeTree(repo, { 'a.txt': '', 'b.txt': '', 'c.txt': '' });
    const snapshot = await readDirectorySnapshot(repo, { maxFiles: 2 });
    expect(snapshot.paths).toEqual(['a.txt', 'b.txt']);
    expect(snapshot.truncated).toBe(true);
  });

  it('rejects a path that is not a directory', async () => {
    writeTree(repo, { 'file.txt': '' });
    await expect(
      readDirectorySnapshot(path.join(repo, 'file.txt')),
    ).rejects.toThrow('is not a directory');
    await expect(
      readDirectorySnapshot(path.join(repo, 'missing')),
    ).rejects.toThrow('ENOENT');
  });

  it('gives the engine the same result as the same files in memory', async () => {
    const files = {
      '.github/workflows/ci.yml':
        'on: push\njobs:\n  build:\n    steps:\n      - run: npm test\n      - uses: docker/build-push-action@v6\n',
      'src/orders.test.ts': 'test("x", () => {})',
      'package.json': '{"dependencies":{"@opentelemetry/sdk-node":"^0.200.0"}}',
      'renovate.json': '{}',
    };
    writeTree(repo, { ...files, 'node_modules/x/package.json': '{}' });
    const ruleset = compileRuleset({});
    const entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'orders' },
      spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
    };
    const now = new Date('2026-11-25T00:00:00Z');
    const fromDisk = evaluate(ruleset, {
      entity,
      repository: await readDirectorySnapshot(repo),
      now,
    });
    const inMemory = evaluate(ruleset, {
      entity,
      repository: {
        paths: Object.keys(files),
        read: p => (files as Record<string, string>)[p],
      },
      now,
    });
    expect(fromDisk).toEqual(inMemory);
    expect(
      fromDisk.results.find(r => r.checkId === 'build.tests')?.status,
    ).toBe('pass');
  });
});
