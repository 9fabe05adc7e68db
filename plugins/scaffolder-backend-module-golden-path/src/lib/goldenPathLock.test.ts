import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import fs from 'node:fs';
import type { RenderedFile } from './content';
import { planContentFiles } from './contentPlan';
import { GOLDEN_PATH_LOCK_FILE, WorkspaceFiles } from './workspace';

describe('the golden-path lock file', () => {
  const mockDir = createMockDirectory();
  const logger = mockServices.logger.mock();
  beforeEach(() => mockDir.clear());

  const file = (
    content: string,
    image = 'ghcr.io/acme/orders',
  ): RenderedFile => ({
    set: 'build/node-container',
    values: { name: 'orders', image },
    source: 'Dockerfile',
    path: 'Dockerfile',
    content,
    merge: 'keep-if-present',
    reason: 'kept the existing Dockerfile',
  });

  async function apply(content: string, overwrite = false, image?: string) {
    const files = new WorkspaceFiles({
      workspacePath: mockDir.path,
      path: 'svc',
      logger,
      overwrite,
    });
    planContentFiles(files, [file(content, image)]);
    return files.apply();
  }
  const read = (p: string) =>
    fs.readFileSync(mockDir.resolve(`svc/${p}`), 'utf8');
  const lock = () => JSON.parse(read(GOLDEN_PATH_LOCK_FILE));

  it('records what the golden path wrote, and replaces it with newer content while its owner has not changed it', async () => {
    expect(await apply('FROM node:20\n')).toEqual([
      { path: 'svc/Dockerfile', change: 'created' },
    ]);
    expect(lock()).toEqual({
      sets: {
        'build/node-container': {
          values: { name: 'orders', image: 'ghcr.io/acme/orders' },
        },
      },
      files: {
        Dockerfile: {
          set: 'build/node-container',
          // sha256 of "FROM node:20\n"
          sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        },
      },
    });
    const first = lock().files.Dockerfile.sha256;

    // A newer golden path: the file is as we wrote it, so it is replaced and recorded again.
    expect(await apply('FROM node:22\n')).toEqual([
      {
        path: 'svc/Dockerfile',
        change: 'updated',
        reason:
          'the golden path wrote it and it was not changed since, so its current content replaces it',
      },
    ]);
    expect(read('Dockerfile')).toBe('FROM node:22\n');
    expect(lock().files.Dockerfile.sha256).not.toBe(first);

    // Again: nothing changes, the lock file neither.
    const before = read(GOLDEN_PATH_LOCK_FILE);
    expect(await apply('FROM node:22\n')).toEqual([
      { path: 'svc/Dockerfile', change: 'unchanged' },
    ]);
    expect(read(GOLDEN_PATH_LOCK_FILE)).toBe(before);
  });

  it('keeps a file its owner changed and says so, unless asked to overwrite it', async () => {
    await apply('FROM node:20\n');
    fs.writeFileSync(mockDir.resolve('svc/Dockerfile'), 'FROM node:20-slim\n');
    const recorded = read(GOLDEN_PATH_LOCK_FILE);

    expect(await apply('FROM node:22\n')).toEqual([
      {
        path: 'svc/Dockerfile',
        change: 'skipped',
        reason:
          'kept the existing Dockerfile; set overwrite: true to replace it',
      },
    ]);
    expect(read('Dockerfile')).toBe('FROM node:20-slim\n');
    expect(read(GOLDEN_PATH_LOCK_FILE)).toBe(recorded);

    expect(await apply('FROM node:22\n', true)).toMatchObject([
      { path: 'svc/Dockerfile', change: 'overwritten' },
    ]);
    expect(read('Dockerfile')).toBe('FROM node:22\n');
  });

  it('replaces nothing when the values differ from those it was made with: only new content may replace it', async () => {
    await apply('FROM node:20\n');
    expect(
      await apply('FROM node:22\n', false, 'ghcr.io/acme/other'),
    ).toMatchObject([{ change: 'skipped' }]);
    expect(read('Dockerfile')).toBe('FROM node:20\n');
  });

  it('never treats a file the golden path did not write as its own', async () => {
    mockDir.setContent({ 'svc/Dockerfile': 'FROM mine\n' });
    expect(await apply('FROM node:22\n')).toMatchObject([
      { change: 'skipped' },
    ]);
    expect(fs.existsSync(mockDir.resolve(`svc/${GOLDEN_PATH_LOCK_FILE}`))).toBe(
      false,
    );
  });
});
