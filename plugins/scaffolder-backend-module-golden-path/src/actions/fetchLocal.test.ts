import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import yaml from 'yaml';
import { PAVED_REPOSITORY, writeFiles } from '../__testUtils__/pavedRepository';
import { runAction } from '../__testUtils__/runAction';
import { createFetchLocalAction } from './fetchLocal';
import { examples } from './fetchLocal.examples';

describe('paved:fetch:local', () => {
  const mockDir = createMockDirectory();
  let workspacePath: string;
  let root: string;

  beforeEach(() => {
    mockDir.clear();
    workspacePath = mockDir.resolve('workspace');
    root = mockDir.resolve('published');
    fs.mkdirSync(workspacePath, { recursive: true });
    writeFiles(path.join(root, 'orders'), {
      ...PAVED_REPOSITORY,
      '.git/HEAD': 'ref: refs/heads/main\n',
    });
  });

  async function run(
    input: Record<string, unknown>,
    config: object = { goldenPath: { localPublish: { root } } },
  ) {
    const action = createFetchLocalAction({
      config: new ConfigReader(config),
    });
    return (await runAction(action, { input, workspacePath })).outputs;
  }

  const listed = (dir: string) =>
    fs
      .readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter(e => e.isFile())
      .map(e => path.relative(dir, path.join(e.parentPath, e.name)))
      .sort();

  it("copies the repository of an entity's managed-by-location into the workspace, without .git", async () => {
    const outputs = await run({
      location: `file:${path.join(root, 'orders/catalog-info.yaml')}`,
    });
    expect(outputs).toEqual({ repoName: 'orders', path: '.' });
    expect(listed(workspacePath)).toEqual(Object.keys(PAVED_REPOSITORY).sort());
    expect(
      fs.readFileSync(path.join(workspacePath, 'catalog-info.yaml'), 'utf8'),
    ).toBe(PAVED_REPOSITORY['catalog-info.yaml']);
  });

  it('accepts a file URL or an absolute path, and reports where in the repository the location is', async () => {
    writeFiles(path.join(root, 'orders/services/api'), {
      'catalog-info.yaml': 'kind: Component\n',
    });
    expect(
      await run({
        location: pathToFileURL(
          path.join(root, 'orders/services/api/catalog-info.yaml'),
        ).href,
        targetPath: 'repo',
      }),
    ).toEqual({ repoName: 'orders', path: 'services/api' });
    expect(
      fs.existsSync(
        path.join(workspacePath, 'repo/services/api/catalog-info.yaml'),
      ),
    ).toBe(true);
    expect(await run({ location: path.join(root, 'orders/services') })).toEqual(
      { repoName: 'orders', path: 'services' },
    );
  });

  it('reads nothing outside the configured root', async () => {
    const outside = mockDir.resolve('elsewhere');
    writeFiles(outside, { 'secret.txt': 'no\n' });
    await expect(
      run({ location: `file:${outside}/secret.txt` }),
    ).rejects.toThrow(
      `Invalid input 'location': ${outside}/secret.txt is not a repository published under goldenPath.localPublish.root (${root}); only repositories published there can be fetched`,
    );
    // Not through .. either, nor through a link out of the root.
    await expect(
      run({ location: `${root}/orders/../../elsewhere/secret.txt` }),
    ).rejects.toThrow(
      /is not a repository published under goldenPath\.localPublish\.root/,
    );
    fs.symlinkSync(outside, path.join(root, 'link'));
    await expect(run({ location: `${root}/link/secret.txt` })).rejects.toThrow(
      /is not a repository published under goldenPath\.localPublish\.root/,
    );
    await expect(run({ location: root })).rejects.toThrow(
      /is not a repository published under goldenPath\.localPublish\.root/,
    );
    expect(fs.readdirSync(workspacePath)).toEqual([]);
  });

  it('copies links inside the repository as they are, and refuses links out of it', async () => {
    fs.symlinkSync('package.json', path.join(root, 'orders/manifest.json'));
    await run({ location: path.join(root, 'orders') });
    expect(fs.readlinkSync(path.join(workspacePath, 'manifest.json'))).toBe(
      'package.json',
    );
    expect(
      fs.readFileSync(path.join(workspacePath, 'manifest.json'), 'utf8'),
    ).toBe(PAVED_REPOSITORY['package.json']);

    const outside = mockDir.resolve('elsewhere');
    writeFiles(outside, { 'secret.txt': 'no\n' });
    fs.symlinkSync(
      '../../elsewhere/secret.txt',
      path.join(root, 'orders/leak.txt'),
    );
    await expect(
      run({ location: path.join(root, 'orders'), targetPath: 'again' }),
    ).rejects.toThrow(
      'Cannot fetch orders: leak.txt is a symbolic link that points outside the repository (../../elsewhere/secret.txt)',
    );
    expect(fs.existsSync(path.join(workspacePath, 'again'))).toBe(false);
  });

  it('rejects bad input and missing configuration, naming them', async () => {
    await expect(run({ location: 'orders' })).rejects.toThrow(
      "Invalid input 'location': 'orders' is not a file location; use the entity's backstage.io/managed-by-location (file:/…), a file:// URL or an absolute path",
    );
    await expect(
      run({ location: 'url:https://github.com/acme/orders' }),
    ).rejects.toThrow(/is not a file location/);
    await expect(run({ location: `${root}/nope` })).rejects.toThrow(
      `Invalid input 'location': ${root}/nope does not exist`,
    );
    await expect(
      run({ location: `${root}/orders`, targetPath: '../x' }),
    ).rejects.toThrow(
      "Invalid input 'targetPath': '../x' is outside the workspace",
    );
    await expect(run({ location: `${root}/orders` }, {})).rejects.toThrow(
      'paved:fetch:local is not configured: set goldenPath.localPublish.root in app-config',
    );
  });

  describe('examples', () => {
    it.each(examples.map(e => [e.description, e]))(
      '%s',
      async (_description, example) => {
        const step = yaml
          .parse(example.example)
          .steps.find((s: any) => s.action === 'paved:fetch:local');
        const location = String(step.input.location).includes('${{')
          ? `file:${path.join(root, 'orders/catalog-info.yaml')}`
          : String(step.input.location).replace(
              'file:///var/lib/paved/repositories',
              pathToFileURL(root).href,
            );
        const outputs = await run({ ...step.input, location });
        expect(outputs.repoName).toBe('orders');
        expect(
          fs.existsSync(
            path.join(
              workspacePath,
              step.input.targetPath ?? '.',
              'catalog-info.yaml',
            ),
          ),
        ).toBe(true);
      },
    );
  });
});
