import { ConfigReader } from '@backstage/config';
import yaml from 'yaml';
import { actionWorkspace } from '../__testUtils__/runAction';
import { GOLDEN_PATH_LOCK_FILE } from '../lib/workspace';
import { createGoldenPathInspectAction } from './goldenPathInspect';
import { createGoldenPathStampAction } from './goldenPathStamp';

const config = new ConfigReader({});
const catalogInfo = (annotations: Record<string, string> = {}) =>
  yaml.stringify({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'orders', annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-orders' },
  });

describe('paved:golden-path:stamp', () => {
  const action = createGoldenPathStampAction({ config });
  const { mockDir, run, read, expectSecondRunChangesNothing } =
    actionWorkspace(action);

  it('stamps the release in force, lists the skipped files as conflicts, and a second run changes nothing', async () => {
    mockDir.setContent({
      'catalog-info.yaml': catalogInfo({
        'paved.dev/golden-path-version': '0.9.0',
      }),
    });
    const input = {
      results: [
        [
          { path: 'Dockerfile', change: 'skipped', reason: 'kept it' },
          { path: 'RUNBOOK.md', change: 'updated' },
        ],
        '', // a step that did not run
      ],
    };
    const { outputs } = await run(input);
    expect(yaml.parse(read('catalog-info.yaml')).metadata.annotations).toEqual({
      'paved.dev/golden-path-version': '1.0.0',
      'paved.dev/golden-path-source': 'paved',
    });
    expect(outputs.conflicts).toEqual([
      { path: 'Dockerfile', reason: 'kept it' },
    ]);
    expect(outputs.summary).toBe(
      'On the golden path paved 1.0.0, except for 1 file its owner changed, left as they are (run again with "Overwrite files their owner changed" to replace them):\n\n- `Dockerfile`: kept it',
    );
    await expectSecondRunChangesNothing(input);
  });

  it('names the input or the file that is wrong', async () => {
    mockDir.setContent({ 'catalog-info.yaml': catalogInfo() });
    await expect(run({ results: [[{ file: 'x' }]] })).rejects.toThrow(
      "Invalid input 'results[0]': must be the files output of a golden-path step, a list of { path, change, reason }",
    );
    await expect(run({ name: 'billing' })).rejects.toThrow(
      "Invalid input 'name': catalog-info.yaml has no Component named billing",
    );
    mockDir.setContent({});
    await expect(run({})).rejects.toThrow(
      'The workspace has no catalog-info.yaml to stamp',
    );
  });
});

describe('paved:golden-path:inspect', () => {
  const action = createGoldenPathInspectAction({ config });
  const { mockDir, run } = actionWorkspace(action);

  it('says where the service stands and what the lock file records', async () => {
    mockDir.setContent({
      'catalog-info.yaml': catalogInfo({
        'paved.dev/golden-path-version': '1.0.0',
      }),
      [GOLDEN_PATH_LOCK_FILE]: JSON.stringify({
        sets: {
          'build/node-container': {
            values: { image: 'ghcr.io/${{ github.repository }}' },
          },
          'deploy/runbook': { values: { image: 'ghcr.io/acme/orders' } },
        },
        files: {
          Dockerfile: { set: 'build/node-container', sha256: 'a' },
          'RUNBOOK.md': { set: 'deploy/runbook', sha256: 'b' },
        },
      }),
    });
    const { outputs } = await run({});
    expect(outputs).toEqual({
      entityName: 'orders',
      fromVersion: '1.0.0',
      fromSource: 'paved',
      toVersion: '1.0.0',
      toSource: 'paved',
      upToDate: true,
      changes: [],
      capabilities: ['build', 'deploy'],
      image: 'ghcr.io/acme/orders',
    });
  });

  it('refuses a service it cannot upgrade, saying why', async () => {
    mockDir.setContent({ 'catalog-info.yaml': catalogInfo() });
    await expect(run({})).rejects.toThrow(
      'orders was not made from a golden path: its Component has no paved.dev/golden-path-version annotation. Add capabilities with the add-capabilities template instead.',
    );
    mockDir.setContent({
      'catalog-info.yaml': catalogInfo({
        'paved.dev/golden-path-version': '1.0.0',
      }),
    });
    await expect(run({})).rejects.toThrow(
      'orders has no golden-path files recorded in .paved/golden-path.lock.json, so what to upgrade is not known.',
    );
    await expect(run({ name: 'billing' })).rejects.toThrow(
      "Invalid input 'name': catalog-info.yaml has no Component named billing",
    );
  });

  it('refuses a malformed CHANGELOG.yaml at start, naming the file', () => {
    mockDir.setContent({
      'team/CHANGELOG.yaml': 'source: acme\nreleases:\n  - version: latest\n',
    });
    expect(() =>
      createGoldenPathInspectAction({
        config: new ConfigReader({
          goldenPath: { content: { directory: mockDir.resolve('team') } },
        }),
      }),
    ).toThrow(
      `${mockDir.resolve(
        'team/CHANGELOG.yaml',
      )}: 'releases.0.version' must be a version like 1.2.0`,
    );
  });
});
