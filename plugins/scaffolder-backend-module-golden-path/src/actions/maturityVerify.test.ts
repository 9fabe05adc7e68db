import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import {
  ORGANISATION,
  PAVED_REPOSITORY,
  writeFiles,
} from '../__testUtils__/pavedRepository';
import { mockActionContext } from '../__testUtils__/runAction';
import { createMaturityVerifyAction } from './maturityVerify';
import { examples } from './maturityVerify.examples';

describe('paved:maturity:verify', () => {
  const mockDir = createMockDirectory();
  let workspacePath: string;

  beforeEach(() => {
    mockDir.clear();
    workspacePath = mockDir.resolve('workspace');
    fs.mkdirSync(workspacePath, { recursive: true });
  });

  function createAction(config: object = {}, entities = ORGANISATION) {
    return createMaturityVerifyAction({
      catalog: catalogServiceMock({ entities }),
      config: new ConfigReader(config),
    });
  }

  async function run(input: Record<string, unknown>, action = createAction()) {
    const { ctx, outputs } = mockActionContext({ input, workspacePath });
    let error: Error | undefined;
    try {
      await action.handler(ctx as any);
    } catch (e) {
      error = e as Error;
    }
    return {
      outputs,
      error,
      log: (ctx.logger.info as jest.Mock).mock.calls
        .map(c => String(c[0]))
        .join('\n'),
    };
  }

  it('reports the top level for a service that meets every check, using the catalog for owner and system', async () => {
    writeFiles(workspacePath, PAVED_REPOSITORY);
    const { outputs, error, log } = await run({ minLevel: 4 });
    expect(error).toBeUndefined();
    expect(outputs).toMatchObject({
      score: 100,
      level: 4,
      levelName: 'Self-serve',
      failingChecks: [],
    });
    expect(outputs.scorecard.entityRef).toBe('component:default/orders');
    // data.declared passes through the Resource declared beside the Component.
    expect(
      outputs.scorecard.results.find((r: any) => r.checkId === 'data.declared'),
    ).toMatchObject({ status: 'pass' });
    expect(log).toContain(
      'Scored component:default/orders: level 4 (Self-serve), score 100',
    );
    expect(log).toMatch(/as-code\s+complete\s+100%/);
  });

  it('fails below minLevel, naming minLevel, the level reached and the failing checks with their fixes', async () => {
    const files = { ...PAVED_REPOSITORY };
    delete files['charts/orders/templates/hpa.yaml'];
    writeFiles(workspacePath, files);
    const { outputs, error } = await run({ minLevel: 4 });
    expect(error?.name).toBe('InputError');
    expect(error?.message).toMatch(
      /^component:default\/orders reached level 3 \(Operable\), below minLevel 4 \(Self-serve\)\.\nFailing checks:\n- capacity\.autoscaling \(Autoscaling is configured\): /,
    );
    expect(outputs.level).toBe(3);
    expect(outputs.failingChecks).toEqual([
      expect.objectContaining({
        id: 'capacity.autoscaling',
        capability: 'capacity',
        title: 'Autoscaling is configured',
        remediation: expect.objectContaining({
          templateRef: 'template:default/add-capabilities',
          values: { capabilities: ['capacity'] },
        }),
      }),
    ]);
  });

  it('does not fail without minLevel, and scores an owner missing from the catalog as a failure', async () => {
    writeFiles(workspacePath, PAVED_REPOSITORY);
    const { outputs, error } = await run(
      {},
      createAction(
        {},
        ORGANISATION.filter(e => e.kind !== 'Group'),
      ),
    );
    expect(error).toBeUndefined();
    expect(outputs.level).toBe(3);
    expect(outputs.failingChecks.map((c: any) => c.id)).toEqual([
      'as-code.ownership',
    ]);
    expect(outputs.failingChecks[0].message).toContain(
      'The owner group:default/team-orders does not exist in the catalog.',
    );
  });

  it('finds the owner among the other documents of catalog-info.yaml', async () => {
    writeFiles(workspacePath, {
      ...PAVED_REPOSITORY,
      'catalog-info.yaml': `${PAVED_REPOSITORY['catalog-info.yaml']}---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-orders
spec:
  type: team
  children: []
`,
    });
    const { outputs } = await run({ minLevel: 4 }, createAction({}, []));
    // The catalog is empty: the owner comes from catalog-info.yaml; the system need only be declared.
    expect(outputs.level).toBe(4);
  });

  it('scores against the configured ruleset (platformMaturity)', async () => {
    const files = { ...PAVED_REPOSITORY };
    delete files['charts/orders/templates/hpa.yaml'];
    writeFiles(workspacePath, files);
    const { outputs, error } = await run(
      { minLevel: 4 },
      createAction({
        platformMaturity: {
          checks: { capacity: { autoscaling: { enabled: false } } },
        },
      }),
    );
    expect(error).toBeUndefined();
    expect(outputs.level).toBe(4);
  });

  it('scores the entity named by entityRef in a sub-directory', async () => {
    const service = path.join(workspacePath, 'services/orders');
    writeFiles(service, {
      ...PAVED_REPOSITORY,
      'catalog-info.yaml': `${PAVED_REPOSITORY['catalog-info.yaml']}---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orders-docs
spec:
  type: documentation
  lifecycle: production
  owner: team-orders
`,
    });
    const unnamed = await run({ path: 'services/orders' });
    expect(unnamed.error?.message).toBe(
      "services/orders/catalog-info.yaml declares 2 Components (component:default/orders, component:default/orders-docs); set the 'entityRef' input to the entity to score",
    );
    const docs = await run({
      path: 'services/orders',
      entityRef: 'orders-docs',
    });
    // Documentation is out of scope of every check: no level.
    expect(docs.error).toBeUndefined();
    expect(docs.outputs).toMatchObject({ level: null, score: null });
    const withMin = await run({
      path: 'services/orders',
      entityRef: 'orders-docs',
      minLevel: 1,
    });
    expect(withMin.error?.message).toMatch(
      /^component:default\/orders-docs is not in scope of any check .* so it cannot reach minLevel 1$/,
    );
    const orders = await run({
      path: 'services/orders',
      entityRef: 'component:default/orders',
      minLevel: 4,
    });
    expect(orders.outputs.level).toBe(4);
  });

  it('rejects bad input before scoring, naming the input', async () => {
    writeFiles(workspacePath, PAVED_REPOSITORY);
    expect((await run({ minLevel: 5 })).error?.message).toBe(
      "Invalid input 'minLevel': 5 is not a level of the ladder (0 Unpaved, 1 Builds, 2 Ships, 3 Operable, 4 Self-serve)",
    );
    expect((await run({ path: '../outside' })).error?.message).toBe(
      "Invalid input 'path': '../outside' is outside the workspace",
    );
    expect(
      (await run({ entityRef: 'component:default/nope' })).error?.message,
    ).toBe(
      "Invalid input 'entityRef': catalog-info.yaml has no entity component:default/nope; it declares component:default/orders, resource:default/orders-db",
    );
    expect((await run({ entityRef: 'component:' })).error?.message).toMatch(
      /^Invalid input 'entityRef': 'component:' is not an entity ref/,
    );
  });

  it('explains a missing or broken catalog-info.yaml', async () => {
    expect((await run({})).error?.message).toBe(
      "Invalid input 'path': there is no catalog-info.yaml to score; run paved:catalog:write first",
    );
    writeFiles(workspacePath, { 'catalog-info.yaml': 'kind: [\n' });
    expect((await run({})).error?.message).toMatch(
      /^catalog-info\.yaml is not valid YAML \(document 1\)/,
    );
    writeFiles(workspacePath, { 'catalog-info.yaml': 'just: text\n' });
    expect((await run({})).error?.message).toBe(
      'catalog-info.yaml document 1 is not a catalog entity: apiVersion is missing',
    );
  });

  it('rejects an invalid platformMaturity configuration at creation, naming the key', () => {
    expect(() =>
      createAction({
        platformMaturity: { checks: { build: { tests: { weight: -1 } } } },
      }),
    ).toThrow(
      "Invalid configuration at 'platformMaturity.checks.build.tests.weight': must be a positive number",
    );
  });

  describe('examples', () => {
    const workspaces: Record<number, () => void> = {
      0: () => writeFiles(workspacePath, PAVED_REPOSITORY),
      1: () =>
        writeFiles(
          path.join(workspacePath, 'services/orders'),
          PAVED_REPOSITORY,
        ),
      2: () =>
        writeFiles(workspacePath, {
          ...PAVED_REPOSITORY,
          'catalog-info.yaml': `${PAVED_REPOSITORY['catalog-info.yaml']}---
${PAVED_REPOSITORY['catalog-info.yaml']
  .split('---')[0]
  .replace('name: orders', 'name: orders-gateway')}`,
        }),
    };

    it.each(examples.map((example, index) => [example.description, index]))(
      '%s',
      async (_description, index) => {
        workspaces[index as number]();
        const step = yaml.parse(examples[index as number].example).steps[0];
        const { error, outputs } = await run(step.input);
        expect(error).toBeUndefined();
        expect(outputs.level).toBe(4);
      },
    );
  });
});
