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
      reason: expect.stringContaining(
        'outside platformMaturity.repository.allowedLocalRoots',
      ),
    });
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('Refused to read'),
    );
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
