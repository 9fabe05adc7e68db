import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { ORGANISATION } from '../__testUtils__/pavedRepository';
import { RunnableAction, runAction } from '../__testUtils__/runAction';
import { createPolicyCheckAction } from './policyCheck';
import { examples } from './policyCheck.examples';

const entities: Entity[] = [
  ...ORGANISATION,
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'jane', namespace: 'default' },
    spec: { memberOf: ['team-orders'] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments', namespace: 'default' },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-orders' },
  },
];

function setup(goldenPath: object = {}) {
  const catalog = catalogServiceMock({ entities });
  const action = createPolicyCheckAction({
    catalog,
    config: new ConfigReader({ goldenPath }),
  });
  return { action, catalog };
}

/** Runs the action with inputs only, as a template step does; returns its context. */
async function run(action: RunnableAction, input: Record<string, unknown>) {
  return (await runAction(action, { input })).ctx;
}

describe('paved:policy:check', () => {
  it('passes inputs on the paved road and outputs the full entity refs', async () => {
    const { action } = setup();
    const ctx = await run(action, {
      name: 'orders',
      owner: 'team-orders',
      system: 'commerce',
      stack: 'node',
      ciProvider: 'github-actions',
    });
    expect(ctx.output).toHaveBeenCalledWith(
      'ownerRef',
      'group:default/team-orders',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'systemRef',
      'system:default/commerce',
    );
  });

  it('needs only a name and an owner', async () => {
    const { action } = setup();
    const ctx = await run(action, {
      name: 'orders',
      owner: 'group:default/team-orders',
    });
    expect(ctx.output).toHaveBeenCalledTimes(2);
    expect(ctx.output).toHaveBeenCalledWith(
      'ownerRef',
      'group:default/team-orders',
    );
  });

  it("outputs the golden path's runtime versions from content/versions.yaml, for skeletons", async () => {
    const { action } = setup();
    const ctx = await run(action, { name: 'orders', owner: 'team-orders' });
    const versions = yaml.parse(
      fs.readFileSync(
        path.resolve(__dirname, '../../content/versions.yaml'),
        'utf8',
      ),
    );
    const output = (ctx.output as jest.Mock).mock.calls.find(
      ([name]) => name === 'versions',
    )?.[1];
    expect(Object.keys(output).sort()).toEqual(['go', 'node', 'python']);
    for (const [name, version] of Object.entries(versions)) {
      expect(output[name]).toBe(String(version));
    }
  });

  it('lists every violation at once, each naming its input', async () => {
    const { action } = setup({
      policy: {
        allowedStacks: ['node', 'go'],
        allowedCiProviders: ['gitlab-ci'],
      },
    });
    const error = await run(action, {
      name: 'Orders_Service',
      owner: 'team-nobody',
      system: 'system:default/nowhere',
      stack: 'python',
      ciProvider: 'github-actions',
    }).catch(e => e);
    expect(error.name).toBe('InputError');
    expect(error.message.split('\n')).toEqual([
      "The template's inputs are off the paved road (5 problems):",
      "- name: 'Orders_Service' is not a valid service name: use lower-case letters, digits and dashes, starting and ending with a letter or digit (like orders-api).",
      '- owner: group:default/team-nobody does not exist in the catalog',
      '- system: system:default/nowhere does not exist in the catalog',
      "- stack: 'python' is not allowed; allowed stacks: node, go (goldenPath.policy.allowedStacks)",
      "- ciProvider: 'github-actions' is not allowed; allowed CI providers: gitlab-ci (goldenPath.policy.allowedCiProviders)",
    ]);
  });

  it('requires the owner to be a Group, not a User', async () => {
    const { action } = setup();
    await expect(
      run(action, { name: 'orders', owner: 'user:default/jane' }),
    ).rejects.toThrow(
      '- owner: user:default/jane is a User; the owner must be a Group',
    );
  });

  it('refuses a name that is already taken in the catalog', async () => {
    const { action } = setup();
    await expect(
      run(action, { name: 'payments', owner: 'team-orders' }),
    ).rejects.toThrow(
      '- name: component:default/payments already exists in the catalog; choose another name',
    );
  });

  it('rejects malformed refs, a non-System system and over-long names', async () => {
    const { action } = setup();
    const error = await run(action, {
      name: `a${'b'.repeat(63)}`,
      owner: 'group:',
      system: 'component:default/payments',
    }).catch(e => e);
    const lines: string[] = error.message.split('\n');
    expect(lines[0]).toMatch(/3 problems/);
    expect(lines[1]).toBe(
      '- name: The name is 64 characters long; use at most 63.',
    );
    expect(lines[2]).toMatch(/^- owner: 'group:' is not a valid entity ref/);
    expect(lines[3]).toBe(
      '- system: component:default/payments is not a System entity ref',
    );
  });

  it('applies a configured naming rule, and still the catalog rule for names', async () => {
    const { action } = setup({ policy: { namePattern: '^svc-[a-z-]+$' } });
    await expect(
      run(action, { name: 'orders', owner: 'team-orders' }),
    ).rejects.toThrow(
      "- name: 'orders' is not a valid service name: use names matching `^svc-[a-z-]+$`.",
    );
    const described = setup({
      policy: {
        namePattern: '^svc-[a-z-]+$',
        namePatternDescription: 'svc- followed by lower-case words',
      },
    }).action;
    await expect(
      run(described, { name: 'orders', owner: 'team-orders' }),
    ).rejects.toThrow(
      "- name: 'orders' is not a valid service name: use svc- followed by lower-case words.",
    );
    const ctx = await run(action, { name: 'svc-orders', owner: 'team-orders' });
    expect(ctx.output).toHaveBeenCalledWith(
      'ownerRef',
      'group:default/team-orders',
    );

    const loose = setup({ policy: { namePattern: '.*' } }).action;
    await expect(
      run(loose, { name: 'orders!', owner: 'team-orders' }),
    ).rejects.toThrow(
      "- name: 'orders!' is not a valid service name: use names matching `.*`.",
    );
  });

  it('looks entities up with the credentials of the user who runs the template', async () => {
    const catalog = catalogServiceMock.mock({
      getEntityByRef: jest.fn(async (ref: any) =>
        entities.find(
          e => `${e.kind.toLowerCase()}:default/${e.metadata.name}` === ref,
        ),
      ),
    });
    const action = createPolicyCheckAction({
      catalog,
      config: new ConfigReader({}),
    });
    const ctx = await run(action, { name: 'orders', owner: 'team-orders' });
    const credentials = await ctx.getInitiatorCredentials();
    expect(catalog.getEntityByRef).toHaveBeenCalledWith(
      'group:default/team-orders',
      { credentials },
    );
  });

  it('rejects invalid goldenPath.policy configuration at creation, naming the key', () => {
    expect(() => setup({ policy: { allowedStacks: ['rust'] } })).toThrow(
      "Invalid configuration at 'goldenPath.policy.allowedStacks.0': must be one of node, go, python",
    );
    expect(() => setup({ policy: { namePattern: '([' } })).toThrow(
      "Invalid configuration at 'goldenPath.policy.namePattern': must be a valid regular expression",
    );
    expect(() => setup({ policy: { allowedStack: ['node'] } })).toThrow(
      "Invalid configuration at 'goldenPath.policy': unknown key 'allowedStack'",
    );
  });

  describe('examples', () => {
    it.each(examples.map(e => [e.description, e]))(
      '%s',
      async (_description, example) => {
        const step = yaml.parse(example.example).steps[0];
        const ctx = await run(setup().action, step.input);
        expect(ctx.output).toHaveBeenCalledWith(
          'ownerRef',
          'group:default/team-orders',
        );
      },
    );
  });
});
