import { createMockDirectory } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { ORGANISATION, writeFiles } from './__testUtils__/pavedRepository';
import { runAction } from './__testUtils__/runAction';
import {
  directoryContents,
  dryRun,
  DryRunResult,
  startScaffolder,
  stepLog,
} from './__testUtils__/scaffolderBackend';
import { createPublishLocalAction } from './actions/publishLocal';
import { GOLDEN_PATH_LOCK_FILE } from './lib/workspace';

jest.setTimeout(300_000);

const TEMPLATES = path.resolve(__dirname, '../../../templates');
const OURS = path.resolve(__dirname, '../content');

/**
 * The upgrade-golden-path template end to end on the real scaffolder: a service made with the
 * platform team's content 1.0.0, the team releases 1.1.0 (its runbook gains a line), the owner
 * had changed the Dockerfile the golden path wrote.
 */
describe('upgrade-golden-path (real scaffolder)', () => {
  const mockDir = createMockDirectory();
  const root = () => mockDir.resolve('repositories');
  const content = () => mockDir.resolve('platform-content');
  const config = () => ({
    goldenPath: {
      localPublish: { root: root() },
      content: { directory: content() },
    },
  });

  /** The platform team's content: our runbook set, and its changelog up to `version`. */
  function release(version: '1.0.0' | '1.1.0') {
    fs.cpSync(
      path.join(OURS, 'deploy/runbook'),
      path.join(content(), 'deploy/runbook'),
      { recursive: true },
    );
    const notes = [{ version: '1.0.0', changes: ['First release.'] }];
    if (version === '1.1.0') {
      notes.unshift({
        version: '1.1.0',
        changes: ['The runbook says where the dashboards are.'],
      });
      fs.appendFileSync(
        path.join(content(), 'deploy/runbook/RUNBOOK.md'),
        '\n## Dashboards\n\nIn Grafana, folder `${{ values.name }}`.\n',
      );
    }
    fs.writeFileSync(
      path.join(content(), 'CHANGELOG.yaml'),
      yaml.stringify({ source: 'acme-platform', releases: notes }),
    );
  }

  async function runTemplate(
    name: string,
    values: Record<string, unknown>,
    entities: Entity[] = ORGANISATION,
  ): Promise<DryRunResult> {
    const { server } = await startScaffolder({ config: config(), entities });
    const dir = path.join(TEMPLATES, name);
    return dryRun(
      server,
      yaml.parse(fs.readFileSync(path.join(dir, 'template.yaml'), 'utf8')),
      values,
      directoryContents(dir),
    );
  }

  /** Commits a workspace to the service's local repository, as the template's last step does. */
  async function publish(files: Record<string, string>) {
    const workspacePath = mockDir.resolve(`workspace-${Date.now()}`);
    writeFiles(workspacePath, files);
    await runAction(
      createPublishLocalAction({
        catalog: catalogServiceMock.mock({
          addLocation: jest.fn(async () => ({} as any)),
          refreshEntity: jest.fn(async () => undefined),
        }),
        config: new ConfigReader(config()),
      }),
      { input: { repoName: 'orders', overwrite: true }, workspacePath },
    );
  }

  /** The service's entity, as the catalog serves it from its file location. */
  function entity(files: Record<string, string>): Entity {
    const component = yaml
      .parseAllDocuments(files['catalog-info.yaml'])
      .map(d => d.toJS() as Entity)
      .find(e => e.kind === 'Component')!;
    const location = `file:${path.join(root(), 'orders/catalog-info.yaml')}`;
    component.metadata.namespace = 'default';
    component.metadata.annotations = {
      ...component.metadata.annotations,
      'backstage.io/managed-by-location': location,
      'backstage.io/managed-by-origin-location': location,
    };
    return component;
  }

  const upgrade = (files: Record<string, string>, overwriteChanged = false) =>
    runTemplate(
      'upgrade-golden-path',
      {
        entity: 'component:default/orders',
        publishTarget: 'local',
        overwriteChanged,
      },
      [...ORGANISATION, entity(files)],
    );

  /** The workspace files of a run, without the git directory. */
  const tree = (result: DryRunResult) =>
    Object.fromEntries(
      Object.entries(result.files).filter(([f]) => !f.startsWith('.git/')),
    );

  it('re-applies the new content, lists what the owner changed, stamps the version, and changes nothing the second time', async () => {
    release('1.0.0');
    const created = await runTemplate('typescript-service', {
      name: 'orders',
      description: 'Takes orders',
      owner: 'group:default/team-orders',
      system: 'system:default/commerce',
      lifecycle: 'production',
      ciProvider: 'github-actions',
      onCallProvider: 'pagerduty',
      pagerDutyServiceId: 'PX1A2B3',
      publishTarget: 'local',
      repoUrl: 'github.com?',
    });
    expect(created.body.error).toBeUndefined();
    const v1 = tree(created);
    expect(entity(v1).metadata.annotations).toMatchObject({
      'paved.dev/golden-path-version': '1.0.0',
      'paved.dev/golden-path-source': 'acme-platform',
    });
    const lock = JSON.parse(v1[GOLDEN_PATH_LOCK_FILE]).files;
    expect(lock['RUNBOOK.md']).toMatchObject({ set: 'deploy/runbook' });
    expect(lock.Dockerfile).toMatchObject({ set: 'build/node-container' });
    // The owner changes the Dockerfile the golden path wrote.
    v1.Dockerfile = v1.Dockerfile.replace(/^FROM .*$/m, '$& AS base');
    await publish(v1);

    // The platform team releases 1.1.0.
    release('1.1.0');
    const first = await upgrade(v1);
    expect(first.body.error).toBeUndefined();
    const v2 = tree(first);
    expect(v2['RUNBOOK.md']).toContain(
      '## Dashboards\n\nIn Grafana, folder `orders`.',
    );
    expect(v2.Dockerfile).toBe(v1.Dockerfile);
    expect(entity(v2).metadata.annotations).toMatchObject({
      'paved.dev/golden-path-version': '1.1.0',
      'paved.dev/golden-path-source': 'acme-platform',
    });
    expect(stepLog(first, 'inspect').join('\n')).toContain(
      'orders is on acme-platform 1.0.0; the current golden path is acme-platform 1.1.0. Re-applying build, deploy, observe, data',
    );
    const text = first.output.text.map((t: any) => t.content).join('\n');
    expect(text).toContain('From acme-platform 1.0.0 to acme-platform 1.1.0.');
    expect(text).toContain(
      '- `Dockerfile`: kept the existing Dockerfile, which the pipeline builds; set overwrite: true to replace it',
    );
    // The files the owner did not touch are as they were, apart from the runbook and stamp.
    const changed = Object.keys(v2).filter(f => v2[f] !== v1[f]);
    expect(changed.sort()).toEqual(
      ['RUNBOOK.md', 'catalog-info.yaml', GOLDEN_PATH_LOCK_FILE].sort(),
    );

    // Committed, and run again: nothing changes; the conflict is still listed.
    await publish(v2);
    const second = await upgrade(v2);
    expect(second.body.error).toBeUndefined();
    expect(tree(second)).toEqual(v2);
    expect(stepLog(second, 'inspect').join('\n')).toContain(
      'orders is on the current golden path (acme-platform 1.1.0)',
    );
    expect(second.output.text.map((t: any) => t.content).join('\n')).toContain(
      '- `Dockerfile`',
    );

    // Asked to, it replaces the file its owner changed.
    const forced = await upgrade(v2, true);
    expect(forced.body.error).toBeUndefined();
    expect(tree(forced).Dockerfile).not.toBe(v1.Dockerfile);
    expect(forced.output.text.map((t: any) => t.content).join('\n')).toContain(
      'no file its owner changed was in the way',
    );
  });

  it('refuses a service not made from a golden path, naming why', async () => {
    release('1.0.0');
    const files = {
      'catalog-info.yaml': yaml.stringify({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'orders' },
        spec: {
          type: 'service',
          lifecycle: 'production',
          owner: 'team-orders',
        },
      }),
    };
    await publish(files);
    const result = await upgrade(files);
    expect(JSON.stringify(result.body)).toContain(
      'orders was not made from a golden path: its Component has no paved.dev/golden-path-version annotation. Add capabilities with the add-capabilities template instead.',
    );
  });
});
