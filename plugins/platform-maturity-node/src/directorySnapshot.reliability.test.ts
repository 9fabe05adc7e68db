import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { recordReliability } from './__testUtils__/reliability';
import { readDirectorySnapshot } from './directorySnapshot';
import { readRegularFile, readRegularFileSync } from './regularFile';

// A hang shows as this test timeout, never as a timing assertion.
jest.setTimeout(20_000);

describe('hostile files in an evidence directory', () => {
  let base: string;
  let repo: string;
  const servers: net.Server[] = [];
  const writers: ChildProcess[] = [];
  const figures = { tried: 0, failedSafe: 0, failedUnsafe: 0 };

  /** Counts one hostile case, which must have been answered safely. */
  function record(safe: boolean) {
    figures.tried++;
    if (safe) {
      figures.failedSafe++;
    } else {
      figures.failedUnsafe++;
    }
    expect(safe).toBe(true);
  }

  beforeEach(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-hostile-'));
    repo = path.join(base, 'repo');
    fs.mkdirSync(repo);
  });

  afterEach(async () => {
    for (const writer of writers.splice(0)) {
      writer.kill('SIGKILL');
    }
    await Promise.all(
      servers.splice(0).map(s => new Promise(resolve => s.close(resolve))),
    );
    fs.rmSync(base, { recursive: true, force: true });
  });

  afterAll(() => {
    recordReliability({ area: 'evidence files', ...figures });
  });

  const mkfifo = (file: string) => execFileSync('mkfifo', [file]);
  /** A character device like /dev/null; only root may make one. */
  const mknod = (file: string) => {
    try {
      execFileSync('mknod', [file, 'c', '1', '3'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
  const listen = async (file: string) => {
    const server = net.createServer();
    servers.push(server);
    await new Promise<void>(resolve => server.listen(file, resolve));
  };

  it('lists FIFOs, sockets and devices as skipped, never as evidence, and reads none of them', async () => {
    fs.writeFileSync(path.join(repo, 'README.md'), '# orders\n');
    mkfifo(path.join(repo, 'Dockerfile'));
    mkfifo(path.join(repo, 'package.json'));
    mkfifo(path.join(repo, 'catalog-info.yaml'));
    await listen(path.join(repo, 'app.sock'));
    const device = mknod(path.join(repo, 'null'));
    // A link to a FIFO is no better than the FIFO.
    fs.symlinkSync('Dockerfile', path.join(repo, 'Containerfile'));

    const snapshot = await readDirectorySnapshot(repo);
    expect(snapshot.paths).toEqual(['README.md']);
    const skipped = Object.fromEntries(
      snapshot.skipped.map(s => [s.path, s.reason]),
    );
    expect(skipped).toMatchObject({
      Dockerfile: 'a FIFO (named pipe), not a regular file',
      'package.json': 'a FIFO (named pipe), not a regular file',
      'catalog-info.yaml': 'a FIFO (named pipe), not a regular file',
      'app.sock': 'a socket, not a regular file',
      Containerfile: 'a FIFO (named pipe), not a regular file',
      ...(device ? { null: 'a character device, not a regular file' } : {}),
    });
    for (const file of Object.keys(skipped)) {
      record(snapshot.read(file) === undefined);
    }
  });

  it('does not block on a listed file that became a FIFO after the walk', async () => {
    fs.writeFileSync(path.join(repo, 'Dockerfile'), 'FROM node:20\n');
    const snapshot = await readDirectorySnapshot(repo);
    fs.rmSync(path.join(repo, 'Dockerfile'));
    mkfifo(path.join(repo, 'Dockerfile'));
    // Were the FIFO opened for reading, this writer would release it after a while and its text
    // would be read as the Dockerfile.
    writers.push(
      spawn('sh', ['-c', 'sleep 2; echo FROM scratch > Dockerfile'], {
        cwd: repo,
        stdio: 'ignore',
      }),
    );
    const read = snapshot.read('Dockerfile');
    expect(read).toBeUndefined();
    record(read === undefined);
  });

  it('never follows a link out, and stops at link loops', async () => {
    const outside = path.join(base, 'outside');
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'secret\n');
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(repo, 'abs'));
    fs.symlinkSync('../outside/secret.txt', path.join(repo, 'rel'));
    fs.symlinkSync('../outside', path.join(repo, 'dir'));
    fs.symlinkSync('loop-b', path.join(repo, 'loop-a'));
    fs.symlinkSync('loop-a', path.join(repo, 'loop-b'));
    fs.mkdirSync(path.join(repo, 'sub'));
    fs.symlinkSync('..', path.join(repo, 'sub/up'));
    fs.symlinkSync('.', path.join(repo, 'sub/self'));
    fs.writeFileSync(path.join(repo, 'sub/file.txt'), 'in\n');

    const snapshot = await readDirectorySnapshot(repo);
    expect(snapshot.paths).toEqual(['sub/file.txt']);
    for (const file of ['abs', 'rel', 'dir/secret.txt', 'loop-a', 'loop-b']) {
      record(snapshot.read(file) === undefined);
    }
    expect(snapshot.skipped.map(s => s.path).sort()).toEqual([
      'abs',
      'dir',
      'loop-a',
      'loop-b',
      'rel',
    ]);
    // A link in the tree swapped for a link out after the walk is not read either.
    fs.rmSync(path.join(repo, 'sub/file.txt'));
    fs.symlinkSync(
      path.join(outside, 'secret.txt'),
      path.join(repo, 'sub/file.txt'),
    );
    const swapped = snapshot.read('sub/file.txt');
    expect(swapped).toBeUndefined();
    record(swapped === undefined);
  });

  it('lists huge and binary files without reading them', async () => {
    const huge = path.join(repo, 'huge.log');
    fs.closeSync(fs.openSync(huge, 'w'));
    fs.truncateSync(huge, 8 * 1024 ** 3); // sparse: 8 GiB on paper, nothing on disk
    fs.writeFileSync(
      path.join(repo, 'image.png'),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]),
    );
    const snapshot = await readDirectorySnapshot(repo);
    expect(snapshot.paths).toEqual(['huge.log', 'image.png']);
    for (const file of snapshot.paths) {
      record(snapshot.read(file) === undefined);
    }
  });
});

describe('readRegularFile', () => {
  let base: string;

  beforeEach(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-regular-'));
  });

  afterEach(() => {
    fs.rmSync(base, { recursive: true, force: true });
  });

  it('reads a regular file, through a link inside the root', async () => {
    fs.writeFileSync(path.join(base, 'a.txt'), 'text');
    fs.symlinkSync('a.txt', path.join(base, 'b.txt'));
    expect((await readRegularFile(path.join(base, 'b.txt'))).toString()).toBe(
      'text',
    );
    expect(
      readRegularFileSync(path.join(base, 'a.txt'), { root: base }).toString(),
    ).toBe('text');
  });

  it('refuses FIFOs, links out, loops and files over the size limit, naming the path', async () => {
    execFileSync('mkfifo', [path.join(base, 'pipe')]);
    fs.mkdirSync(path.join(base, 'root'));
    fs.writeFileSync(path.join(base, 'secret'), 'secret');
    fs.symlinkSync('../secret', path.join(base, 'root/out'));
    fs.symlinkSync('loop', path.join(base, 'loop'));
    fs.writeFileSync(path.join(base, 'big'), 'x'.repeat(100));

    await expect(
      readRegularFile(path.join(base, 'pipe'), { displayPath: 'pipe' }),
    ).rejects.toThrow(
      'Cannot read pipe: it is a FIFO (named pipe), not a regular file',
    );
    expect(() => readRegularFileSync(path.join(base, 'pipe'))).toThrow(
      `Cannot read ${path.join(
        base,
        'pipe',
      )}: it is a FIFO (named pipe), not a regular file`,
    );
    await expect(
      readRegularFile(path.join(base, 'root/out'), {
        root: path.join(base, 'root'),
        displayPath: 'out',
      }),
    ).rejects.toThrow(
      'Cannot read out: it is a symbolic link that points outside the directory',
    );
    await expect(
      readRegularFile(path.join(base, 'loop'), { displayPath: 'loop' }),
    ).rejects.toThrow('Cannot read loop: it is a loop of symbolic links');
    await expect(
      readRegularFile(path.join(base, 'big'), {
        maxSize: 10,
        displayPath: 'big',
      }),
    ).rejects.toThrow(
      'Cannot read big: it is larger than the limit of 10 bytes',
    );
    await expect(
      readRegularFile(path.join(base, 'missing')),
    ).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
