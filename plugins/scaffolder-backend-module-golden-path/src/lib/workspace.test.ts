import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import fs from 'node:fs';
import { WorkspaceFiles } from './workspace';

describe('WorkspaceFiles', () => {
  const mockDir = createMockDirectory();
  const logger = mockServices.logger.mock();

  beforeEach(() => {
    mockDir.clear();
    jest.clearAllMocks();
  });

  function files(options: { path?: string; overwrite?: boolean } = {}) {
    return new WorkspaceFiles({
      workspacePath: mockDir.path,
      logger,
      ...options,
    });
  }

  it('creates absent files, keeps identical ones and reports paths from the workspace root', async () => {
    mockDir.setContent({ 'svc/same.txt': 'same\n' });
    const ws = files({ path: 'svc' });
    ws.plan('new/deep/file.txt', 'hello\n');
    ws.plan('same.txt', 'same\n');
    expect(ws.plannedPaths).toEqual(['svc/new/deep/file.txt', 'svc/same.txt']);

    await expect(ws.apply()).resolves.toEqual([
      { path: 'svc/new/deep/file.txt', change: 'created' },
      { path: 'svc/same.txt', change: 'unchanged' },
    ]);
    expect(
      fs.readFileSync(mockDir.resolve('svc/new/deep/file.txt'), 'utf8'),
    ).toBe('hello\n');
  });

  it('leaves a different file alone with a warning unless overwrite is true', async () => {
    mockDir.setContent({ Dockerfile: 'FROM mine\n' });
    const ws = files();
    ws.plan('Dockerfile', 'FROM ours\n', { keepReason: 'a Dockerfile exists' });
    const [result] = await ws.apply();
    expect(result).toEqual({
      path: 'Dockerfile',
      change: 'skipped',
      reason: 'a Dockerfile exists; set overwrite: true to replace it',
    });
    expect(fs.readFileSync(mockDir.resolve('Dockerfile'), 'utf8')).toBe(
      'FROM mine\n',
    );
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('Left Dockerfile alone'),
    );

    const forced = files({ overwrite: true });
    forced.plan('Dockerfile', 'FROM ours\n');
    await expect(forced.apply()).resolves.toEqual([
      expect.objectContaining({ path: 'Dockerfile', change: 'overwritten' }),
    ]);
    expect(fs.readFileSync(mockDir.resolve('Dockerfile'), 'utf8')).toBe(
      'FROM ours\n',
    );
  });

  it('merges into an existing file, and reports unchanged when the merge changes nothing', async () => {
    mockDir.setContent({ 'list.txt': 'a\n' });
    const merge = (existing: string) =>
      existing.includes('b\n') ? existing : `${existing}b\n`;
    const first = files();
    first.plan('list.txt', 'b\n', { merge });
    await expect(first.apply()).resolves.toEqual([
      { path: 'list.txt', change: 'updated' },
    ]);
    expect(fs.readFileSync(mockDir.resolve('list.txt'), 'utf8')).toBe('a\nb\n');

    const second = files();
    second.plan('list.txt', 'b\n', { merge });
    await expect(second.apply()).resolves.toEqual([
      { path: 'list.txt', change: 'unchanged' },
    ]);
  });

  it('treats a merge conflict like an unmergeable file', async () => {
    mockDir.setContent({ 'a.yaml': ': broken' });
    const ws = files();
    ws.plan('a.yaml', 'ok: true\n', {
      merge: () => ({ conflict: 'a.yaml is not valid YAML' }),
    });
    await expect(ws.apply()).resolves.toEqual([
      {
        path: 'a.yaml',
        change: 'skipped',
        reason: 'a.yaml is not valid YAML; set overwrite: true to replace it',
      },
    ]);
  });

  it('writes nothing when any merge fails', async () => {
    mockDir.setContent({ 'b.txt': 'b' });
    const ws = files();
    ws.plan('a.txt', 'a');
    ws.plan('b.txt', 'c', {
      merge: () => {
        throw new Error('cannot merge b.txt');
      },
    });
    await expect(ws.apply()).rejects.toThrow('cannot merge b.txt');
    expect(fs.existsSync(mockDir.resolve('a.txt'))).toBe(false);
  });

  it('rejects paths that escape the workspace, naming the input', () => {
    expect(() => files({ path: '../elsewhere' })).toThrow(
      "Invalid input 'path': '../elsewhere' is outside the workspace",
    );
    const ws = files();
    expect(() => ws.plan('../../etc/passwd', 'x', {}, 'chartPath')).toThrow(
      "Invalid input 'chartPath': '../../etc/passwd' is outside the workspace",
    );
    expect(() => ws.resolve('dir', '/etc')).toThrow("Invalid input 'dir'");
  });

  it('rejects planning the same file twice', () => {
    const ws = files();
    ws.plan('a.txt', 'a');
    expect(() => ws.plan('./a.txt', 'b')).toThrow('planned twice');
  });

  it('reads, tests and lists existing files relative to the service directory', async () => {
    mockDir.setContent({
      'svc/package.json': '{}',
      'svc/.github/workflows/ci.yml': '',
    });
    const ws = files({ path: 'svc' });
    await expect(ws.read('package.json')).resolves.toBe('{}');
    await expect(ws.read('missing.json')).resolves.toBeUndefined();
    await expect(ws.exists('.github/workflows')).resolves.toBe(true);
    await expect(ws.exists('go.mod')).resolves.toBe(false);
    await expect(ws.list('.github/workflows')).resolves.toEqual(['ci.yml']);
    await expect(ws.list('nowhere')).resolves.toEqual([]);
  });
});
