import { mockServices } from '@backstage/backend-test-utils';
import { compileRuleset } from '@paved/plugin-platform-maturity-common';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { recordReliability } from '../__testUtils__/reliability';
import { RepositoryEvidence } from './RepositoryEvidence';

// A hang shows as this test timeout, never as a timing assertion.
jest.setTimeout(20_000);

describe('hostile files in a local repository read as evidence', () => {
  const figures = { tried: 0, failedSafe: 0, failedUnsafe: 0 };
  const writers: ChildProcess[] = [];
  let base: string;
  let repo: string;

  beforeEach(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-local-hostile-'));
    repo = path.join(base, 'allowed/orders');
    fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
    fs.mkdirSync(path.join(base, 'elsewhere'));
    fs.writeFileSync(path.join(base, 'elsewhere/secret.yml'), 'secret: 1\n');
  });

  afterEach(() => {
    for (const writer of writers.splice(0)) {
      writer.kill('SIGKILL');
    }
    fs.rmSync(base, { recursive: true, force: true });
  });

  afterAll(() => {
    recordReliability({ area: 'evidence files', ...figures });
  });

  function reader() {
    const logger = mockServices.logger.mock();
    const evidence = new RepositoryEvidence({
      urlReader: mockServices.urlReader.mock(),
      logger,
      timeoutMs: 1000,
      maxFileSize: 1000,
      allowedLocalRoots: [path.join(base, 'allowed')],
    });
    return { evidence, logger };
  }

  it('scores what it can read, and names the FIFOs, links out and loops it left out', async () => {
    fs.writeFileSync(path.join(repo, 'README.md'), '# orders\n');
    for (const file of ['Dockerfile', 'package.json', 'catalog-info.yaml']) {
      execFileSync('mkfifo', [path.join(repo, file)]);
    }
    fs.symlinkSync('../../elsewhere/secret.yml', path.join(repo, 'ci.yml'));
    fs.symlinkSync('loop', path.join(repo, 'loop'));
    fs.writeFileSync(path.join(repo, 'big.yml'), 'x'.repeat(5000));
    fs.writeFileSync(path.join(repo, 'logo.png'), Buffer.from([1, 0, 2, 0]));

    const { evidence, logger } = reader();
    const result = await evidence.read(
      { type: 'file', target: repo },
      compileRuleset({}),
    );
    if (result.type !== 'snapshot') {
      throw new Error(`expected a snapshot, got ${JSON.stringify(result)}`);
    }
    expect(result.snapshot.paths).toEqual(['README.md', 'big.yml', 'logo.png']);
    for (const file of [
      'Dockerfile',
      'package.json',
      'catalog-info.yaml',
      'ci.yml',
      'loop',
      'big.yml',
      'logo.png',
    ]) {
      const content = result.snapshot.read(file);
      figures.tried++;
      if (content === undefined) {
        figures.failedSafe++;
      } else {
        figures.failedUnsafe++;
      }
      expect({ file, content }).toEqual({ file, content: undefined });
    }
    expect(logger.warn).toHaveBeenCalledWith(
      `Left out of the evidence of ${repo}: Dockerfile (a FIFO (named pipe), not a regular file), catalog-info.yaml (a FIFO (named pipe), not a regular file), ci.yml (a symbolic link that points outside the directory), loop (a symbolic link that points nowhere or into a loop), package.json (a FIFO (named pipe), not a regular file)`,
    );
  });

  it('does not block on a file that became a FIFO after the walk', async () => {
    fs.writeFileSync(path.join(repo, 'Dockerfile'), 'FROM node:20\n');
    const { evidence } = reader();
    const result = await evidence.read(
      { type: 'file', target: repo },
      compileRuleset({}),
    );
    if (result.type !== 'snapshot') {
      throw new Error(`expected a snapshot, got ${JSON.stringify(result)}`);
    }
    fs.rmSync(path.join(repo, 'Dockerfile'));
    execFileSync('mkfifo', [path.join(repo, 'Dockerfile')]);
    // Were the FIFO opened, this writer would release it after a while, and its text would be
    // read as the Dockerfile.
    writers.push(
      spawn('sh', ['-c', 'sleep 2; echo FROM scratch > Dockerfile'], {
        cwd: repo,
        stdio: 'ignore',
      }),
    );
    const content = result.snapshot.read('Dockerfile');
    figures.tried++;
    if (content === undefined) {
      figures.failedSafe++;
    } else {
      figures.failedUnsafe++;
    }
    expect(content).toBeUndefined();
  });
});
