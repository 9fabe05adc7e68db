import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PAVED_REPOSITORY, writeFiles } from '../__testUtils__/pavedRepository';
import { recordReliability } from '../__testUtils__/reliability';
import { runAction } from '../__testUtils__/runAction';
import { createFetchLocalAction } from './fetchLocal';

// A hang shows as this test timeout, never as a timing assertion.
jest.setTimeout(30_000);

describe('paved:fetch:local against hostile locations and repositories', () => {
  const mockDir = createMockDirectory();
  const figures = { tried: 0, failedSafe: 0, failedUnsafe: 0 };
  let workspacePath: string;
  let root: string;
  let outside: string;

  beforeEach(() => {
    mockDir.clear();
    workspacePath = mockDir.resolve('workspace');
    root = mockDir.resolve('published');
    outside = mockDir.resolve('elsewhere');
    fs.mkdirSync(workspacePath, { recursive: true });
    writeFiles(path.join(root, 'orders'), PAVED_REPOSITORY);
    writeFiles(outside, { 'secret.txt': 'secret\n', 'dir/file.txt': 'x\n' });
  });

  afterAll(() => {
    recordReliability({ area: 'fetch:local', ...figures });
  });

  /** Counts one hostile case, which must have been answered safely. */
  function count(safe: boolean) {
    figures.tried++;
    if (safe) {
      figures.failedSafe++;
    } else {
      figures.failedUnsafe++;
    }
    expect(safe).toBe(true);
  }

  async function fetch(location: string): Promise<Error | undefined> {
    const action = createFetchLocalAction({
      config: new ConfigReader({ goldenPath: { localPublish: { root } } }),
    });
    try {
      await runAction(action, { input: { location }, workspacePath });
      return undefined;
    } catch (error) {
      return error as Error;
    }
  }

  it('answers every location outside the root with one error, whether or not anything is there', async () => {
    fs.symlinkSync(outside, path.join(root, 'to-outside'));
    fs.symlinkSync(path.join(outside, 'gone'), path.join(root, 'dangling'));
    fs.symlinkSync('missing-repo', path.join(root, 'orders-next'));
    const locations = [
      path.join(outside, 'secret.txt'), // an existing file
      path.join(outside, 'dir'), // an existing directory
      path.join(outside, 'missing.txt'), // nothing
      path.join(outside, 'missing/deeper/file'), // nothing, deeper
      '/etc/passwd',
      '/no/such/path',
      `file:${outside}/secret.txt`,
      `file://${outside}/missing.txt`,
      `${root}/orders/../../elsewhere/secret.txt`,
      `${root}/orders/../../elsewhere/nothing.txt`,
      `${root}/to-outside/secret.txt`, // a link in the root to an existing file out
      `${root}/to-outside/nothing.txt`, // a link in the root to nothing out
      `${root}/dangling`, // a dangling link in the root pointing out
      `${root}/dangling/catalog-info.yaml`,
      `${root}/orders-next/catalog-info.yaml`, // a link to a repository that is not there
      root,
    ];
    const answers = new Set<string>();
    for (const location of locations) {
      const error = await fetch(location);
      const answer = `${error?.name}: ${error?.message.replace(
        /'location': \S+ /,
        "'location': <location> ",
      )}`;
      answers.add(answer);
      count(
        error?.name === 'InputError' && !/exist|found|missing/i.test(answer),
      );
    }
    expect([...answers]).toEqual([
      `InputError: Invalid input 'location': <location> is not a repository published under goldenPath.localPublish.root (${root}); only repositories published there can be fetched`,
    ]);
    expect(fs.readdirSync(workspacePath)).toEqual([]);
  });

  it('still tells a missing repository under the root apart', async () => {
    const error = await fetch(`${root}/payments/catalog-info.yaml`);
    expect(error?.name).toBe('NotFoundError');
    expect(error?.message).toBe(
      `Invalid input 'location': ${root}/payments/catalog-info.yaml does not exist`,
    );
  });

  it('copies relative links verbatim, so that they stay inside the workspace', async () => {
    const repo = path.join(root, 'orders');
    fs.symlinkSync('package.json', path.join(repo, 'manifest.json'));
    fs.symlinkSync('../src', path.join(repo, 'charts/src'));
    fs.symlinkSync('src', path.join(repo, 'lib'));
    expect(await fetch(repo)).toBeUndefined();
    const links = {
      'manifest.json': 'package.json',
      'charts/src': '../src',
      lib: 'src',
    };
    for (const [link, target] of Object.entries(links)) {
      const copied = fs.readlinkSync(path.join(workspacePath, link));
      expect(copied).toBe(target);
      count(copied === target);
    }
    expect(
      fs.readFileSync(path.join(workspacePath, 'lib/index.ts'), 'utf8'),
    ).toBe(PAVED_REPOSITORY['src/index.ts']);
  });

  it.each([
    [
      'an absolute link out',
      (repo: string) => [
        path.join(outside, 'secret.txt'),
        path.join(repo, 'leak.txt'),
      ],
      'leak.txt',
    ],
    [
      'a relative link out',
      (repo: string) => [
        '../../elsewhere/secret.txt',
        path.join(repo, 'leak.txt'),
      ],
      'leak.txt',
    ],
    [
      'a link to a directory out',
      (repo: string) => ['../../elsewhere', path.join(repo, 'docs')],
      'docs',
    ],
    [
      'an absolute link inside the repository',
      (repo: string) => [
        path.join(repo, 'package.json'),
        path.join(repo, 'abs.json'),
      ],
      'abs.json',
    ],
    [
      'a link through a linked directory out',
      (repo: string) => [
        'self/../../../elsewhere/secret.txt',
        path.join(repo, 'src/sneaky'),
      ],
      'src/sneaky',
    ],
    [
      'a link loop',
      (repo: string) => ['loop', path.join(repo, 'loop')],
      'loop',
    ],
  ] as const)(
    'refuses %s, naming it, and copies nothing',
    async (_name, link, named) => {
      const repo = path.join(root, 'orders');
      fs.symlinkSync('.', path.join(repo, 'src/self'));
      const [target, at] = link(repo);
      fs.symlinkSync(target, at);
      const error = await fetch(repo);
      expect(error?.name).toBe('InputError');
      expect(error?.message).toContain(`Cannot fetch orders: ${named} is`);
      expect(fs.readdirSync(workspacePath)).toEqual([]);
      count(
        error?.name === 'InputError' &&
          error.message.includes(named) &&
          fs.readdirSync(workspacePath).length === 0,
      );
    },
  );

  it.each(['Dockerfile', 'package.json', 'catalog-info.yaml'])(
    'refuses a FIFO at %s in the repository, naming it, without hanging',
    async file => {
      const repo = path.join(root, 'orders');
      fs.rmSync(path.join(repo, file));
      execFileSync('mkfifo', [path.join(repo, file)]);
      const error = await fetch(repo);
      expect(error?.message).toBe(
        `Cannot fetch orders: ${file} is a FIFO (named pipe), not a regular file; only regular files, directories and links are copied`,
      );
      expect(fs.readdirSync(workspacePath)).toEqual([]);
      count(error !== undefined && fs.readdirSync(workspacePath).length === 0);
    },
  );
});
