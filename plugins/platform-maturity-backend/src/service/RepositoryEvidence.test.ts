import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { compileRuleset } from '@paved/plugin-platform-maturity-common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RepositoryEvidence, repositoryLocationOf } from './RepositoryEvidence';

const ruleset = compileRuleset({});

function entityAt(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'orders', annotations },
    spec: { type: 'service' },
  };
}

describe('repositoryLocationOf', () => {
  it('uses the source location, else the directory of the catalog file', () => {
    expect(
      repositoryLocationOf(
        entityAt({
          'backstage.io/source-location':
            'url:https://github.com/acme/orders/tree/main/',
        }),
      ),
    ).toEqual({
      type: 'url',
      target: 'https://github.com/acme/orders/tree/main/',
    });
    expect(
      repositoryLocationOf(
        entityAt({
          'backstage.io/managed-by-location':
            'url:https://github.com/acme/orders/blob/main/catalog-info.yaml',
        }),
      ),
    ).toEqual({
      type: 'url',
      target: 'https://github.com/acme/orders/blob/main/',
    });
    expect(
      repositoryLocationOf(
        entityAt({
          'backstage.io/managed-by-location':
            'file:/srv/repos/orders/catalog-info.yaml',
        }),
      ),
    ).toEqual({ type: 'file', target: '/srv/repos/orders' });
    expect(repositoryLocationOf(entityAt({}))).toBeUndefined();
  });
});

describe('RepositoryEvidence for local directories', () => {
  let base: string;

  beforeEach(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-evidence-'));
    for (const dir of ['allowed/orders', 'elsewhere/billing']) {
      fs.mkdirSync(path.join(base, dir, '.github/workflows'), {
        recursive: true,
      });
      fs.writeFileSync(
        path.join(base, dir, '.github/workflows/ci.yml'),
        'run: npm test',
      );
    }
    fs.symlinkSync(
      path.join(base, 'elsewhere/billing'),
      path.join(base, 'allowed/escape'),
    );
  });

  afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

  function reader(allowedLocalRoots: string[]) {
    const logger = mockServices.logger.mock();
    const evidence = new RepositoryEvidence({
      urlReader: mockServices.urlReader.mock(),
      logger,
      timeoutMs: 1000,
      maxFileSize: 1000,
      allowedLocalRoots,
    });
    return { evidence, logger };
  }

  it('reads a directory inside an allowed root', async () => {
    const { evidence } = reader([path.join(base, 'allowed')]);
    const result = await evidence.read(
      { type: 'file', target: path.join(base, 'allowed/orders') },
      ruleset,
    );
    expect(result).toMatchObject({
      type: 'snapshot',
      snapshot: { paths: ['.github/workflows/ci.yml'] },
    });
    expect(
      (
        result as { snapshot: { read(p: string): string | undefined } }
      ).snapshot.read('.github/workflows/ci.yml'),
    ).toBe('run: npm test');
  });

  it.each([
    ['outside every root', 'elsewhere/billing'],
    ['a link out of the root', 'allowed/escape'],
    ['a path that climbs out', 'allowed/../elsewhere/billing'],
    // Refused, not "could not read": the answer does not tell whether the path exists.
    ['a missing path outside every root', 'elsewhere/missing'],
  ])('refuses %s and reports it', async (_case, target) => {
    const { evidence, logger } = reader([path.join(base, 'allowed')]);
    const result = await evidence.read(
      { type: 'file', target: path.join(base, target) },
      ruleset,
    );
    expect(result).toEqual({
      type: 'failed',
      reason: expect.stringMatching(
        /^The backend cannot read file:.*: it is outside platformMaturity\.repository\.allowedLocalRoots.*Who can fix it: your Backstage admins/,
      ),
    });
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('Refused to read'),
    );
  });

  it('logs a problem that stays once, and again after it changed or a read succeeded', async () => {
    const { evidence, logger } = reader([path.join(base, 'allowed')]);
    const outside = {
      type: 'file',
      target: path.join(base, 'elsewhere/billing'),
    } as const;
    const missing = {
      type: 'file',
      target: path.join(base, 'allowed/gone'),
    } as const;
    for (let run = 0; run < 3; run++) {
      await evidence.read(outside, ruleset);
    }
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.debug).toHaveBeenCalledTimes(2);

    // Another location's problem is its own.
    await evidence.read(missing, ruleset);
    await evidence.read(missing, ruleset);
    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(logger.warn).toHaveBeenLastCalledWith(
      expect.stringContaining(`Could not read ${missing.target}`),
    );

    // Fixed, then broken again: a warning again.
    fs.mkdirSync(missing.target);
    expect((await evidence.read(missing, ruleset)).type).toBe('snapshot');
    fs.rmdirSync(missing.target);
    await evidence.read(missing, ruleset);
    expect(logger.warn).toHaveBeenCalledTimes(3);
  });

  it('refuses every local directory by default', async () => {
    const { evidence } = reader([]);
    const result = await evidence.read(
      { type: 'file', target: path.join(base, 'allowed/orders') },
      ruleset,
    );
    expect(result.type).toBe('failed');
  });
});

describe('RepositoryEvidence for a component in a monorepo', () => {
  function reader(allowedLocalRoots: string[] = []) {
    return new RepositoryEvidence({
      urlReader: mockServices.urlReader.mock(),
      logger: mockServices.logger.mock(),
      timeoutMs: 1000,
      maxFileSize: 1000,
      allowedLocalRoots,
    });
  }

  it.each([
    [
      'https://github.com/acme/mono/tree/main/services/orders/',
      'https://github.com/acme/mono/tree/main/',
    ],
    [
      'https://gitlab.com/acme/mono/-/tree/main/services/orders',
      'https://gitlab.com/acme/mono/-/tree/main/',
    ],
    [
      'https://bitbucket.org/acme/mono/src/main/services/orders/',
      'https://bitbucket.org/acme/mono/src/main/',
    ],
  ])('finds the repository root of %s', async (target, root) => {
    await expect(reader().rootOf({ type: 'url', target })).resolves.toEqual({
      type: 'url',
      target: root,
    });
  });

  it.each([
    'https://github.com/acme/orders/tree/main/',
    'https://github.com/acme/orders/blob/main/',
    'not a url',
  ])('has no separate root for %s', async target => {
    await expect(
      reader().rootOf({ type: 'url', target }),
    ).resolves.toBeUndefined();
  });

  it('reads only the pipelines and the update-bot configuration at the root of a repository URL', async () => {
    const tree: Record<string, string> = {
      '.github/workflows/ci.yml': 'run: npm test',
      '.github/dependabot.yml': 'version: 2',
      Jenkinsfile: 'sh "make test"',
      'services/billing/Jenkinsfile': 'sh "go test"',
      'services/orders/package.json': '{}',
    };
    const urlReader = mockServices.urlReader.mock({
      readTree: async (_url, options) => {
        const kept = Object.keys(tree).filter(p =>
          options?.filter ? options.filter(p, { size: 10 }) : true,
        );
        return {
          etag: 'root-1',
          files: async () =>
            kept.map(p => ({
              path: p,
              content: async () => Buffer.from(tree[p]),
            })),
          archive: async () => {
            throw new Error('not used');
          },
          dir: async () => {
            throw new Error('not used');
          },
        };
      },
    });
    const evidence = new RepositoryEvidence({
      urlReader,
      logger: mockServices.logger.mock(),
      timeoutMs: 1000,
      maxFileSize: 1000,
      allowedLocalRoots: [],
    });
    const result = await evidence.readRootPipelines({
      type: 'url',
      target: 'https://github.com/acme/mono/tree/main/',
    });
    if (result.type !== 'snapshot') {
      throw new Error(`expected a snapshot, got ${result.type}`);
    }
    expect(result.etag).toBe('root-1');
    expect(result.snapshot.paths).toEqual([
      '.github/workflows/ci.yml',
      '.github/dependabot.yml',
      'Jenkinsfile',
    ]);
    expect(result.snapshot.read('.github/workflows/ci.yml')).toBe(
      'run: npm test',
    );
  });

  describe('on disk', () => {
    let base: string;

    beforeEach(() => {
      base = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-monorepo-'));
      const files: Record<string, string> = {
        'mono/.git/HEAD': 'ref: refs/heads/main',
        'mono/.github/workflows/ci.yml': 'run: npm test',
        'mono/.venv/lib/Jenkinsfile': 'not a pipeline of the repository',
        'mono/Jenkinsfile': 'sh "make test"',
        'mono/services/billing/Jenkinsfile': 'sh "go test"',
        'mono/services/orders/package.json': '{}',
        'plain/orders/package.json': '{}',
      };
      for (const [file, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(base, file)), { recursive: true });
        fs.writeFileSync(path.join(base, file), content);
      }
    });

    afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

    it('finds the Git work tree around a directory, inside the allowed roots', async () => {
      const evidence = reader([base]);
      const realBase = fs.realpathSync(base);
      await expect(
        evidence.rootOf({
          type: 'file',
          target: path.join(base, 'mono/services/orders'),
        }),
      ).resolves.toEqual({ type: 'file', target: path.join(realBase, 'mono') });
      await expect(
        evidence.rootOf({ type: 'file', target: path.join(base, 'mono') }),
      ).resolves.toBeUndefined();
      await expect(
        evidence.rootOf({
          type: 'file',
          target: path.join(base, 'plain/orders'),
        }),
      ).resolves.toBeUndefined();
      // The work tree's root is outside the allowed root: it is not looked for there.
      await expect(
        reader([path.join(base, 'mono/services')]).rootOf({
          type: 'file',
          target: path.join(base, 'mono/services/orders'),
        }),
      ).resolves.toBeUndefined();
    });

    it("reads the root's pipelines, not other components' or skipped directories' files", async () => {
      const result = await reader([base]).readRootPipelines({
        type: 'file',
        target: path.join(base, 'mono'),
      });
      if (result.type !== 'snapshot') {
        throw new Error(`expected a snapshot, got ${result.type}`);
      }
      expect([...result.snapshot.paths].sort()).toEqual([
        '.github/workflows/ci.yml',
        'Jenkinsfile',
      ]);
      expect(result.snapshot.read('Jenkinsfile')).toBe('sh "make test"');
      expect(result.snapshot.read('.github/workflows/ci.yml')).toBe(
        'run: npm test',
      );
    });
  });
});

describe('RepositoryEvidence when a URL cannot be read', () => {
  const failingWith = (error: Error) =>
    new RepositoryEvidence({
      urlReader: mockServices.urlReader.mock({
        readTree: async () => {
          throw error;
        },
      }),
      logger: mockServices.logger.mock(),
      timeoutMs: 1000,
      maxFileSize: 1000,
      allowedLocalRoots: [],
    });
  const named = (name: string, message: string) =>
    Object.assign(new Error(message), { name });

  it.each([
    [
      'a host without an integration',
      'https://git.internal.example/acme/orders',
      named('NotAllowedError', 'Reading is not allowed'),
      /there is no integration \(and so no credentials\) for git\.internal\.example\. Who can fix it: your Backstage admins, by configuring an integration for git\.internal\.example/,
    ],
    [
      'refused credentials',
      'https://github.com/acme/orders/tree/main/',
      named('Error', 'Request failed with 401 Unauthorized'),
      /github\.com refused the integration's credentials\. Who can fix it: your Backstage admins, by checking the credentials of the integration for github\.com/,
    ],
    [
      'a location that does not exist',
      'https://github.com/acme/gone/tree/main/',
      named('NotFoundError', 'Not found'),
      /it was not found on github\.com\. Who can fix it: the entity's owner, by correcting its backstage\.io\/source-location/,
    ],
  ])(
    'says why for %s, and who can fix it',
    async (_, target, error, reason) => {
      const result = await failingWith(error).read(
        { type: 'url', target },
        ruleset,
      );
      expect(result).toEqual({
        type: 'failed',
        reason: expect.stringMatching(reason),
      });
    },
  );
});
