import { mockCredentials } from '@backstage/backend-test-utils';
import { CAPABILITY_IDS } from '@paved/plugin-platform-maturity-common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import yaml from 'yaml';
import {
  dryRun,
  startScaffolder,
  stepLog,
} from './__testUtils__/scaffolderBackend';

jest.setTimeout(120_000);

const PAVED_ACTIONS = [
  'paved:build:add',
  'paved:capacity:add',
  'paved:catalog:write',
  'paved:data:add',
  'paved:delivery:resolve',
  'paved:deploy:add',
  'paved:fetch:local',
  'paved:golden-path:inspect',
  'paved:golden-path:stamp',
  'paved:maturity:verify',
  'paved:observe:add',
  'paved:policy:check',
  'paved:publish:local',
];

/** An inline template whose steps add capabilities to an empty workspace, then verify. */
function everyCapabilityTemplate(minLevel: number, capabilities: string[]) {
  const steps = [
    {
      id: 'catalog',
      action: 'paved:catalog:write',
      input: {
        name: 'orders',
        owner: 'group:default/team-orders',
        system: 'system:default/commerce',
        lifecycle: 'production',
      },
    },
    {
      id: 'build',
      action: 'paved:build:add',
      input: { name: 'orders', stack: 'node', image: 'ghcr.io/acme/orders' },
    },
    {
      id: 'deploy',
      action: 'paved:deploy:add',
      input: { name: 'orders', image: 'ghcr.io/acme/orders' },
    },
    {
      id: 'observe',
      action: 'paved:observe:add',
      input: { name: 'orders', pagerDutyServiceId: 'PX1A2B3' },
    },
    { id: 'data', action: 'paved:data:add', input: { name: 'orders' } },
    { id: 'capacity', action: 'paved:capacity:add', input: { name: 'orders' } },
  ].filter(s => s.id === 'catalog' || capabilities.includes(s.id));
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name: 'every-capability' },
    spec: {
      owner: 'group:default/team-orders',
      type: 'service',
      parameters: [],
      steps: [
        ...steps,
        {
          id: 'verify',
          action: 'paved:maturity:verify',
          input: { minLevel },
        },
      ],
      output: {
        level: '${{ steps.verify.output.level }}',
        levelName: '${{ steps.verify.output.levelName }}',
        score: '${{ steps.verify.output.score }}',
        failing: '${{ steps.verify.output.failingChecks | length }}',
      },
    },
  };
}

describe('scaffolderModuleGoldenPath', () => {
  it('registers every golden-path action with the real scaffolder, each with examples', async () => {
    const { server } = await startScaffolder();
    const res = await request(server)
      .get('/api/scaffolder/v2/actions')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    const paved = res.body.filter((a: any) => a.id.startsWith('paved:'));
    expect(paved.map((a: any) => a.id)).toEqual(PAVED_ACTIONS);
    for (const action of paved) {
      expect(action.description).toBeTruthy();
      expect(action.examples.length).toBeGreaterThan(0);
      for (const example of action.examples) {
        expect(example.description).toBeTruthy();
        // Every example is a template fragment whose steps use the action.
        const parsed = yaml.parse(example.example);
        expect(parsed.steps.map((s: any) => s.action)).toContain(action.id);
      }
      expect(action.schema.input.type).toBe('object');
    }
  });

  const ALL = ['build', 'deploy', 'observe', 'data', 'capacity'];

  it('takes an empty workspace to the top level with the capability actions and paved:catalog:write', async () => {
    const { server } = await startScaffolder();
    const result = await dryRun(server, everyCapabilityTemplate(4, ALL), {});
    expect(result.body.error).toBeUndefined();
    expect(result.status).toBe(200);
    expect(result.output).toEqual({
      level: 4,
      levelName: 'Self-serve',
      score: 100,
      failing: 0,
    });
    const log = stepLog(result, 'verify').join('\n');
    expect(log).toContain(
      'Scored component:default/orders: level 4 (Self-serve), score 100',
    );
    for (const capability of CAPABILITY_IDS) {
      expect(log).toMatch(new RegExp(`${capability}\\s+complete\\s+100%`));
    }
    // The verified workspace is what the run produced.
    expect(Object.keys(result.files)).toEqual(
      expect.arrayContaining(['catalog-info.yaml', 'package.json']),
    );
  });

  it('fails the run below minLevel, naming it and the failing checks', async () => {
    const { server } = await startScaffolder();
    const result = await dryRun(
      server,
      everyCapabilityTemplate(4, ['build', 'deploy']),
      {},
    );
    expect(result.status).toBe(400);
    expect(result.body.error.message).toMatch(
      /component:default\/orders reached level 2 \(Ships\), below minLevel 4 \(Self-serve\)\.\nFailing checks:\n- observe\.instrumentation/,
    );
  });

  it('stops the backend at start when the goldenPath configuration is invalid, naming the key', async () => {
    await expect(
      startScaffolder({
        config: { goldenPath: { policy: { allowedStacks: ['cobol'] } } },
      }),
    ).rejects.toThrow(
      "Invalid configuration at 'goldenPath.policy.allowedStacks.0': must be one of node, go, python",
    );
  });

  it("stops the backend at start when the platform team's content is malformed, naming the file", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-content-'));
    try {
      fs.mkdirSync(path.join(dir, 'build', 'go-container'), {
        recursive: true,
      });
      fs.writeFileSync(
        path.join(dir, 'build', 'go-container', 'manifest.yaml'),
        'version: 1.0.0\nfiles:\n  Dockerfile: { merge: overwrite }\n',
      );
      fs.writeFileSync(
        path.join(dir, 'build', 'go-container', 'Dockerfile'),
        'FROM golang:1.25\n',
      );
      await expect(
        startScaffolder({
          config: { goldenPath: { content: { directory: dir } } },
        }),
      ).rejects.toThrow(
        `${path.join(
          dir,
          'build',
          'go-container',
          'manifest.yaml',
        )}: 'files.Dockerfile.merge' `,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
