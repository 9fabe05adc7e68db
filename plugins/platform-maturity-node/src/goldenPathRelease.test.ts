import { mockServices } from '@backstage/backend-test-utils';
import { PAVED_GOLDEN_PATH_RELEASE } from '@paved/plugin-platform-maturity-common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readGoldenPathRelease } from './goldenPathRelease';

describe('readGoldenPathRelease', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-release-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const config = (directory?: string) =>
    mockServices.rootConfig({
      data: directory ? { goldenPath: { content: { directory } } } : {},
    });

  it("is Paved's release without a content directory, or when the directory has no changelog", () => {
    expect(readGoldenPathRelease(config())).toBe(PAVED_GOLDEN_PATH_RELEASE);
    expect(readGoldenPathRelease(config(dir))).toBe(PAVED_GOLDEN_PATH_RELEASE);
  });

  it("is the platform team's CHANGELOG.yaml when there is one", () => {
    fs.writeFileSync(
      path.join(dir, 'CHANGELOG.yaml'),
      [
        'source: acme-platform',
        'releases:',
        '  - version: 1.1.0',
        '    changes: [CI caches dependencies.]',
        '  - version: 1.0.0',
        '    changes: [First release.]',
      ].join('\n'),
    );
    expect(readGoldenPathRelease(config(dir))).toEqual({
      source: 'acme-platform',
      version: '1.1.0',
      notes: [
        { version: '1.1.0', changes: ['CI caches dependencies.'] },
        { version: '1.0.0', changes: ['First release.'] },
      ],
    });
  });

  it('names the key or the file when something is wrong', () => {
    expect(() => readGoldenPathRelease(config(path.join(dir, 'nope')))).toThrow(
      `Invalid configuration at 'goldenPath.content.directory': ${path.join(
        dir,
        'nope',
      )} is not a directory`,
    );
    fs.writeFileSync(path.join(dir, 'CHANGELOG.yaml'), 'source: acme\n');
    expect(() => readGoldenPathRelease(config(dir))).toThrow(
      `${path.join(
        dir,
        'CHANGELOG.yaml',
      )}: 'releases' must be a list of releases, newest first`,
    );
  });
});
