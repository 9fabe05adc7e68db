import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import {
  compileRuleset,
  evaluate,
  RepositorySnapshot,
  withRootPipelines,
} from '@paved/plugin-platform-maturity-common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readBackendConfig } from '../config';
import { RepositoryEvidence } from './RepositoryEvidence';

const ruleset = compileRuleset({});
const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders', namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner: 'group:team-a' },
};
const now = new Date('2026-12-01T00:00:00Z');

/** A repository whose only test file sorts after the other files. */
const tree: Record<string, string> = {
  '.github/workflows/ci.yml':
    'jobs:\n  t:\n    steps:\n      - run: npm test\n',
  'src/a.ts': '',
  'src/b.ts': '',
  'src/c.ts': '',
  'src/z.test.ts': "test('x', () => {});",
};

function urlReaderOf(files: Record<string, string>) {
  return mockServices.urlReader.mock({
    readTree: async (_url, options) => {
      const kept = Object.keys(files).filter(p =>
        options?.filter ? options.filter(p, { size: 10 }) : true,
      );
      return {
        etag: 'etag-1',
        files: async () =>
          kept.map(p => ({
            path: p,
            content: async () => Buffer.from(files[p]),
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
}

function evidence(options: {
  maxFiles?: number;
  allowedLocalRoots?: string[];
}) {
  return new RepositoryEvidence({
    urlReader: urlReaderOf(tree),
    logger: mockServices.logger.mock(),
    timeoutMs: 10_000,
    maxFileSize: 10_000,
    allowedLocalRoots: options.allowedLocalRoots ?? [],
    maxFiles: options.maxFiles,
  });
}

function snapshotOf(result: Awaited<ReturnType<RepositoryEvidence['read']>>) {
  if (result.type !== 'snapshot') {
    throw new Error(`expected a snapshot, got ${JSON.stringify(result)}`);
  }
  return result.snapshot;
}

function testsResult(snapshot: RepositorySnapshot) {
  const card = evaluate(ruleset, { entity, repository: snapshot, now });
  return {
    card,
    tests: card.results.find(r => r.checkId === 'build.tests')!,
  };
}

describe('repositories over the file cap', () => {
  it('marks a URL tree over platformMaturity.repository.maxFiles truncated, and its missing test file is unknown', async () => {
    const snapshot = snapshotOf(
      await evidence({ maxFiles: 3 }).read(
        { type: 'url', target: 'https://github.com/acme/orders' },
        ruleset,
      ),
    );
    expect(snapshot.truncated).toBe(true);
    expect(snapshot.paths).toHaveLength(3);
    const { card, tests } = testsResult(snapshot);
    expect(tests).toMatchObject({
      status: 'unknown',
      message: expect.stringContaining(
        'The repository was only partly read: first 3 of more files.',
      ),
    });
    expect(card.partialRepository).toEqual({ filesRead: 3 });
  });

  it('reads a URL tree under the cap whole', async () => {
    const snapshot = snapshotOf(
      await evidence({}).read(
        { type: 'url', target: 'https://github.com/acme/orders' },
        ruleset,
      ),
    );
    expect(snapshot.truncated).toBe(false);
    expect(testsResult(snapshot).tests.status).toBe('pass');
  });

  describe('on disk', () => {
    let base: string;

    beforeEach(() => {
      base = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-truncated-'));
      for (const [file, content] of Object.entries(tree)) {
        fs.mkdirSync(path.dirname(path.join(base, 'orders', file)), {
          recursive: true,
        });
        fs.writeFileSync(path.join(base, 'orders', file), content);
      }
    });

    afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

    it('marks a local directory over the cap truncated', async () => {
      const snapshot = snapshotOf(
        await evidence({ maxFiles: 2, allowedLocalRoots: [base] }).read(
          { type: 'file', target: path.join(base, 'orders') },
          ruleset,
        ),
      );
      expect(snapshot.truncated).toBe(true);
      expect(testsResult(snapshot).tests.status).toBe('unknown');
    });
  });

  it('keeps the truncation of either tree when a monorepo directory gets its root pipelines', () => {
    const own: RepositorySnapshot = {
      paths: ['package.json'],
      read: () => '{}',
    };
    const root: RepositorySnapshot = {
      paths: ['.github/workflows/ci.yml'],
      read: () => 'run: npm test',
      truncated: true,
    };
    expect(withRootPipelines(own, root).truncated).toBe(true);
    expect(
      withRootPipelines({ ...own, truncated: true }, { ...root, paths: [] })
        .truncated,
    ).toBe(true);
  });

  it.each([0, -1, 1.5, 2_000_000, 'many'])(
    'refuses platformMaturity.repository.maxFiles: %j, naming the key',
    maxFiles => {
      expect(() =>
        readBackendConfig(
          new ConfigReader({
            platformMaturity: { repository: { maxFiles } },
          }),
        ),
      ).toThrow(/platformMaturity\.repository\.maxFiles/);
    },
  );

  it('reads platformMaturity.repository.maxFiles, default 100,000', () => {
    expect(readBackendConfig(new ConfigReader({})).repository.maxFiles).toBe(
      100_000,
    );
    expect(
      readBackendConfig(
        new ConfigReader({
          platformMaturity: { repository: { maxFiles: 250_000 } },
        }),
      ).repository.maxFiles,
    ).toBe(250_000);
  });
});
