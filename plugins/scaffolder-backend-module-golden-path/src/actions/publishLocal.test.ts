import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import git from 'isomorphic-git';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import yaml from 'yaml';
import { PAVED_REPOSITORY, writeFiles } from '../__testUtils__/pavedRepository';
import { runAction } from '../__testUtils__/runAction';
import { createPublishLocalAction } from './publishLocal';
import { examples } from './publishLocal.examples';

describe('paved:publish:local', () => {
  const mockDir = createMockDirectory();
  let workspacePath: string;
  let root: string;

  beforeEach(() => {
    mockDir.clear();
    workspacePath = mockDir.resolve('workspace');
    root = mockDir.resolve('published');
    writeFiles(workspacePath, PAVED_REPOSITORY);
  });

  function setup(
    config: object = { goldenPath: { localPublish: { root } } },
    catalogImpl: object = {},
  ) {
    const catalog = catalogServiceMock.mock({
      addLocation: jest.fn(async (location: { target: string }) => ({
        location: { id: 'l1', type: 'file', target: location.target },
        entities: [],
      })) as any,
      refreshEntity: jest.fn(async () => undefined),
      ...catalogImpl,
    });
    const action = createPublishLocalAction({
      catalog,
      config: new ConfigReader(config),
    });
    return { catalog, action };
  }

  async function run(
    action: ReturnType<typeof createPublishLocalAction>,
    input: Record<string, unknown>,
    extra: { isDryRun?: boolean } = {},
  ) {
    const { ctx, outputs } = await runAction(action, {
      input,
      workspacePath,
      ...extra,
    });
    return { outputs, ctx, info: ctx.logger.info as jest.Mock };
  }

  const target = () => path.join(root, 'orders');
  const commits = () => git.log({ fs, dir: target() });
  const headFiles = async () =>
    (await git.listFiles({ fs, dir: target(), ref: 'HEAD' })).sort();

  it('publishes the workspace as a git repository and registers its catalog-info.yaml', async () => {
    const { action, catalog } = setup({
      goldenPath: { localPublish: { root } },
      scaffolder: {
        defaultAuthor: { name: 'Platform Bot', email: 'bot@example.com' },
      },
    });
    fs.mkdirSync(path.join(workspacePath, '.git'));
    fs.writeFileSync(path.join(workspacePath, '.git/HEAD'), 'not ours\n');

    const { outputs, ctx } = await run(action, { repoName: 'orders' });

    const log = await commits();
    expect(log).toHaveLength(1);
    expect(log[0].commit).toMatchObject({
      message: 'Initial commit\n',
      author: expect.objectContaining({
        name: 'Platform Bot',
        email: 'bot@example.com',
      }),
    });
    expect(await headFiles()).toEqual(Object.keys(PAVED_REPOSITORY).sort());
    expect(
      fs.readFileSync(path.join(target(), 'catalog-info.yaml'), 'utf8'),
    ).toBe(PAVED_REPOSITORY['catalog-info.yaml']);
    expect(await git.currentBranch({ fs, dir: target() })).toBe('main');

    const catalogFile = path.join(target(), 'catalog-info.yaml');
    expect(catalog.addLocation).toHaveBeenCalledWith(
      { type: 'file', target: catalogFile },
      { credentials: await ctx.getInitiatorCredentials() },
    );
    expect(outputs).toEqual({
      remoteUrl: pathToFileURL(target()).href,
      repoContentsUrl: `${pathToFileURL(target()).href}/`,
      catalogInfoUrl: pathToFileURL(catalogFile).href,
      entityRef: 'component:default/orders',
      commitHash: log[0].oid,
    });
  });

  it('refuses to publish twice without overwrite, and leaves the repository alone', async () => {
    const { action } = setup();
    await run(action, { repoName: 'orders' });
    const before = await commits();
    await expect(run(action, { repoName: 'orders' })).rejects.toThrow(
      new ConflictError(
        `Cannot publish to ${target()}: it was published before; set overwrite: true to publish the workspace as a new commit`,
      ),
    );
    expect(await commits()).toEqual(before);
  });

  it('publishes again as a new commit with overwrite: additions, changes and deletions', async () => {
    const conflict = new ConflictError('Location already exists');
    const { action, catalog } = setup(undefined, {
      addLocation: jest
        .fn()
        .mockResolvedValueOnce({ location: {}, entities: [] })
        .mockRejectedValueOnce(conflict),
    });
    const first = await run(action, { repoName: 'orders' });

    fs.rmSync(path.join(workspacePath, 'renovate.json'));
    fs.writeFileSync(path.join(workspacePath, 'src/index.ts'), 'export {};\n');
    writeFiles(workspacePath, { 'docs/index.md': '# Orders\n' });
    const second = await run(action, {
      repoName: 'orders',
      overwrite: true,
      gitCommitMessage: 'Add docs',
    });

    const log = await commits();
    expect(log.map(c => c.commit.message)).toEqual([
      'Add docs\n',
      'Initial commit\n',
    ]);
    expect(log[0].commit.parent).toEqual([first.outputs.commitHash]);
    expect(second.outputs.commitHash).toBe(log[0].oid);
    const files = await headFiles();
    expect(files).toContain('docs/index.md');
    expect(files).not.toContain('renovate.json');
    expect(fs.existsSync(path.join(target(), 'renovate.json'))).toBe(false);
    expect(fs.readFileSync(path.join(target(), 'src/index.ts'), 'utf8')).toBe(
      'export {};\n',
    );
    // Already registered: the catalog is asked to read the new commit.
    expect(catalog.refreshEntity).toHaveBeenCalledWith(
      'component:default/orders',
      expect.anything(),
    );
  });

  it('refreshes an entity already registered from the published file (a Location target), without adding a location', async () => {
    const { action, catalog } = setup(undefined, {
      getEntityByRef: jest.fn(async () => ({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: 'orders',
          annotations: {
            'backstage.io/managed-by-location': `file:${path.join(
              target(),
              'catalog-info.yaml',
            )}`,
          },
        },
      })),
    });
    await run(action, { repoName: 'orders' });
    expect(catalog.addLocation).not.toHaveBeenCalled();
    expect(catalog.refreshEntity).toHaveBeenCalledWith(
      'component:default/orders',
      expect.anything(),
    );
  });

  it('makes no commit when publishing again changes nothing', async () => {
    const { action } = setup();
    const first = await run(action, { repoName: 'orders' });
    const second = await run(action, { repoName: 'orders', overwrite: true });
    expect(await commits()).toHaveLength(1);
    expect(second.outputs.commitHash).toBe(first.outputs.commitHash);
  });

  it('never touches a directory it did not publish, even with overwrite', async () => {
    const { action, catalog } = setup();
    writeFiles(target(), { 'precious.txt': 'mine\n' });
    await expect(
      run(action, { repoName: 'orders', overwrite: true }),
    ).rejects.toThrow(
      `Cannot publish to ${target()}: it exists, is not empty and was not published by paved:publish:local, so it is left alone; choose another repoName`,
    );
    // Another tool's git repository is not ours either.
    await git.init({ fs, dir: target() });
    await expect(
      run(action, { repoName: 'orders', overwrite: true }),
    ).rejects.toThrow(/was not published by paved:publish:local/);
    expect(fs.readdirSync(target()).sort()).toEqual(['.git', 'precious.txt']);
    expect(catalog.addLocation).not.toHaveBeenCalled();
  });

  it('publishes into an existing empty directory', async () => {
    const { action } = setup();
    fs.mkdirSync(target(), { recursive: true });
    await run(action, { repoName: 'orders' });
    expect(await commits()).toHaveLength(1);
  });

  it('in a dry run writes nothing, registers nothing and says what it would do', async () => {
    const { action, catalog } = setup();
    const { outputs, info } = await run(
      action,
      { repoName: 'orders' },
      { isDryRun: true },
    );
    expect(fs.existsSync(root)).toBe(false);
    expect(catalog.addLocation).not.toHaveBeenCalled();
    expect(outputs).toEqual({
      remoteUrl: pathToFileURL(target()).href,
      repoContentsUrl: `${pathToFileURL(target()).href}/`,
      catalogInfoUrl: pathToFileURL(path.join(target(), 'catalog-info.yaml'))
        .href,
      entityRef: 'component:default/orders',
    });
    expect(info).toHaveBeenCalledWith(
      `Dry run: would create the git repository ${target()} (branch main, author Scaffolder <scaffolder@backstage.io>, message "Initial commit") and register ${path.join(
        target(),
        'catalog-info.yaml',
      )} (component:default/orders) in the catalog`,
    );
  });

  it('fails with the config key named when no local root is configured', async () => {
    const { action } = setup({});
    await expect(run(action, { repoName: 'orders' })).rejects.toThrow(
      new InputError(
        'paved:publish:local is not configured: set goldenPath.localPublish.root in app-config to the absolute directory that local repositories are published under',
      ),
    );
    expect(() =>
      setup({ goldenPath: { localPublish: { root: 'relative/dir' } } }),
    ).toThrow(
      "Invalid configuration at 'goldenPath.localPublish.root': must be an absolute directory path",
    );
  });

  it('rejects bad input before writing anything, naming the input', async () => {
    const { action } = setup();
    for (const repoName of ['../escape', 'a/b', '..', '']) {
      await expect(run(action, { repoName })).rejects.toThrow(
        `Invalid input 'repoName': ${JSON.stringify(
          repoName,
        )} must be a directory name`,
      );
    }
    await expect(
      run(action, { repoName: 'orders', sourcePath: '../..' }),
    ).rejects.toThrow(
      "Invalid input 'sourcePath': '../..' is outside the workspace",
    );
    await expect(
      run(action, { repoName: 'orders', sourcePath: 'nope' }),
    ).rejects.toThrow(
      "Invalid input 'sourcePath': 'nope' is not a directory of the workspace",
    );
    await expect(
      run(action, { repoName: 'orders', catalogInfoPath: '../x.yaml' }),
    ).rejects.toThrow(
      "Invalid input 'catalogInfoPath': '../x.yaml' is outside the repository",
    );
    fs.rmSync(path.join(workspacePath, 'catalog-info.yaml'));
    await expect(run(action, { repoName: 'orders' })).rejects.toThrow(
      "Invalid input 'catalogInfoPath': the workspace has no catalog-info.yaml to register; write it first (paved:catalog:write) or set register: false",
    );
    expect(fs.existsSync(root)).toBe(false);
  });

  it('publishes without registering when register is false', async () => {
    const { action, catalog } = setup();
    fs.rmSync(path.join(workspacePath, 'catalog-info.yaml'));
    const { outputs } = await run(action, {
      repoName: 'orders',
      register: false,
    });
    expect(outputs.entityRef).toBeUndefined();
    expect(outputs.commitHash).toMatch(/^[0-9a-f]{40}$/);
    expect(catalog.addLocation).not.toHaveBeenCalled();
  });

  it('explains how to let the catalog accept file locations when it refuses them', async () => {
    const { action } = setup(undefined, {
      addLocation: jest
        .fn()
        .mockRejectedValue(
          new InputError(
            'Registered locations must be of an allowed type ["url"]',
          ),
        ),
    });
    await expect(run(action, { repoName: 'orders' })).rejects.toThrow(
      /The catalog refused to register .*catalog-info\.yaml: Registered locations must be of an allowed type \["url"\]\. Allow 'file' locations in the catalog \(a catalog module calling catalogLocationsExtensionPoint\.setAllowedLocationTypes\(\['url', 'file'\]\)/,
    );
  });

  describe('examples', () => {
    it.each(examples.map(e => [e.description, e]))(
      '%s',
      async (_description, example) => {
        const step = yaml.parse(example.example).steps[0];
        const { action } = setup();
        if (step.input.overwrite) {
          await run(action, { repoName: step.input.repoName });
          writeFiles(workspacePath, { 'otel.ts': 'export {};\n' });
        }
        if (step.input.sourcePath) {
          writeFiles(
            path.join(workspacePath, step.input.sourcePath),
            PAVED_REPOSITORY,
          );
        }
        const { outputs } = await run(action, step.input);
        const dir = path.join(root, step.input.repoName);
        const log = await git.log({ fs, dir });
        expect(log[0].oid).toBe(outputs.commitHash);
        expect(log[0].commit.message).toBe(
          `${step.input.gitCommitMessage ?? 'Initial commit'}\n`,
        );
        expect(await git.currentBranch({ fs, dir })).toBe(
          step.input.defaultBranch ?? 'main',
        );
      },
    );
  });
});
