import { ConfigReader } from '@backstage/config';
import { PAVED_GOLDEN_PATH_RELEASE } from '@paved/plugin-platform-maturity-common';
import fs from 'node:fs';
import yaml, { parseAllDocuments } from 'yaml';
import { actionWorkspace, runAction } from '../__testUtils__/runAction';
import {
  capabilityStatuses,
  readTree,
  scoreWorkspace,
} from '../__testUtils__/scoreWorkspace';
import { validateEntities } from '../lib/catalogInfo';
import { createCatalogWriteAction } from './catalogWrite';
import { createDataAddAction } from './dataAdd';
import { examples } from './catalogWrite.examples';

const EXISTING = `# Orders service. Questions: #team-orders on Slack.
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orders
  description: Takes orders # keep this short
  annotations:
    pagerduty.com/service-id: PX1234
spec:
  type: service
  lifecycle: production
  owner: team-orders # the team, not a person
`;

describe('paved:catalog:write', () => {
  const action = createCatalogWriteAction();
  const { mockDir, run, read } = actionWorkspace(action);

  function entities(file = 'catalog-info.yaml') {
    return parseAllDocuments(read(file)).map((d: any) => d.toJS());
  }

  it('writes a complete catalog entry on an empty workspace that passes the as-code catalog checks', async () => {
    const { ctx } = await run({
      name: 'orders',
      owner: 'team-orders',
      system: 'commerce',
      lifecycle: 'production',
      description: 'Takes orders',
      repoUrl: 'github.com?owner=acme&repo=orders',
      dependsOn: ['resource:orders-db'],
      consumesApis: ['payments-api'],
    });

    const [component] = entities();
    expect(component).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'orders',
        description: 'Takes orders',
        annotations: {
          'backstage.io/source-location': 'url:https://github.com/acme/orders/',
          'github.com/project-slug': 'acme/orders',
          // Stamped with the golden-path content it was made with.
          'paved.dev/golden-path-version': PAVED_GOLDEN_PATH_RELEASE.version,
          'paved.dev/golden-path-source': 'paved',
        },
      },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: 'group:default/team-orders',
        system: 'system:default/commerce',
        dependsOn: ['resource:default/orders-db'],
        consumesApis: ['api:default/payments-api'],
      },
    });
    await expect(validateEntities(entities())).resolves.toBeUndefined();
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'component:default/orders',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'catalogInfoPath',
      'catalog-info.yaml',
    );
    expect(ctx.output).toHaveBeenCalledWith('infrastructure', 'infra');
    expect(ctx.output).toHaveBeenCalledWith('files', [
      { path: 'catalog-info.yaml', change: 'created' },
      { path: 'infra/main.tf', change: 'created' },
      { path: 'infra/variables.tf', change: 'created' },
      { path: 'infra/outputs.tf', change: 'created' },
      { path: 'infra/README.md', change: 'created' },
    ]);
    // The Terraform module labels the namespace with the Component's name, owner and system.
    expect(
      fs.readFileSync(mockDir.resolve('infra/variables.tf'), 'utf8'),
    ).toMatch(/variable "owner" \{[\s\S]*?default {5}= "team-orders"/);

    const results = await scoreWorkspace(mockDir.path);
    expect(capabilityStatuses(results, 'as-code')).toEqual({
      'as-code.ownership': 'pass',
      'as-code.relations': 'pass',
      'as-code.infrastructure': 'pass',
      'as-code.golden-path-current': 'pass',
    });
  });

  it("keeps a service's golden-path stamp and stamps the platform team's release on a new one", async () => {
    const content = mockDir.resolve('team-content');
    const config = new ConfigReader({
      goldenPath: { content: { directory: content } },
    });
    mockDir.setContent({
      'team-content/CHANGELOG.yaml':
        'source: acme-platform\nreleases:\n  - version: 2.0.0\n    changes: [Our chart.]\n',
      'catalog-info.yaml': EXISTING.replace(
        '    pagerduty.com/service-id: PX1234',
        "    pagerduty.com/service-id: PX1234\n    paved.dev/golden-path-version: '1.0.0'",
      ),
    });
    await runAction(createCatalogWriteAction({ config }), {
      workspacePath: mockDir.path,
      input: { owner: 'team-orders', system: 'commerce' },
    });
    expect(entities()[0].metadata.annotations).toMatchObject({
      'paved.dev/golden-path-version': '1.0.0',
    });
    expect(
      entities()[0].metadata.annotations?.['paved.dev/golden-path-source'],
    ).toBeUndefined();

    fs.rmSync(mockDir.resolve('catalog-info.yaml'));
    await runAction(createCatalogWriteAction({ config }), {
      workspacePath: mockDir.path,
      input: { name: 'orders', owner: 'team-orders', system: 'commerce' },
    });
    expect(entities()[0].metadata.annotations).toMatchObject({
      'paved.dev/golden-path-version': '2.0.0',
      'paved.dev/golden-path-source': 'acme-platform',
    });
  });

  it("merges into the user's file, keeping keys and comments, and a second run changes nothing", async () => {
    mockDir.setContent({ 'catalog-info.yaml': EXISTING });
    const input = {
      owner: 'group:default/team-orders',
      system: 'system:commerce',
      tags: ['typescript'],
      annotations: { 'argocd/app-name': 'orders' },
      resources: [{ name: 'orders-db' }],
    };
    const first = await run(input);
    expect(first.ctx.output).toHaveBeenCalledWith(
      'files',
      expect.arrayContaining([
        { path: 'catalog-info.yaml', change: 'updated' },
        { path: 'infra/main.tf', change: 'created' },
      ]),
    );
    const text = fs.readFileSync(mockDir.resolve('catalog-info.yaml'), 'utf8');
    expect(text).toContain(
      '# Orders service. Questions: #team-orders on Slack.',
    );
    expect(text).toContain('description: Takes orders # keep this short');
    // The short owner means the same group, so the user's spelling stays.
    expect(text).toContain('owner: team-orders # the team, not a person');
    const [component, resource] = entities();
    expect(component.metadata).toEqual({
      name: 'orders',
      description: 'Takes orders',
      annotations: {
        'pagerduty.com/service-id': 'PX1234',
        'argocd/app-name': 'orders',
        'paved.dev/golden-path-version': PAVED_GOLDEN_PATH_RELEASE.version,
        'paved.dev/golden-path-source': 'paved',
      },
      tags: ['typescript'],
    });
    expect(component.spec).toEqual({
      type: 'service',
      lifecycle: 'production',
      owner: 'team-orders',
      system: 'system:default/commerce',
      dependsOn: ['resource:default/orders-db'],
    });
    expect(resource).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: { name: 'orders-db' },
      spec: {
        owner: 'group:default/team-orders',
        system: 'system:default/commerce',
        type: 'database',
      },
    });

    const before = readTree(mockDir.path);
    const second = await run(input);
    expect(second.ctx.output).toHaveBeenCalledWith('files', [
      { path: 'catalog-info.yaml', change: 'unchanged' },
      { path: 'infra/main.tf', change: 'unchanged' },
      { path: 'infra/variables.tf', change: 'unchanged' },
      { path: 'infra/outputs.tf', change: 'unchanged' },
      { path: 'infra/README.md', change: 'unchanged' },
    ]);
    expect(readTree(mockDir.path)).toEqual(before);
  });

  it('writes System, API and Resource entities related to the Component', async () => {
    const { ctx } = await run({
      name: 'orders',
      owner: 'user:jane',
      system: 'commerce',
      systemEntity: { description: 'Sells things', domain: 'retail' },
      apis: [
        { name: 'orders-api', definitionPath: './openapi.yaml' },
        {
          name: 'orders-events',
          type: 'asyncapi',
          definition: 'asyncapi: 2.6.0',
        },
      ],
      resources: [
        { name: 'orders-db', type: 'database', description: 'Orders' },
      ],
    });
    const all = entities();
    expect(all.map(e => `${e.kind}:${e.metadata.name}`)).toEqual([
      'Component:orders',
      'System:commerce',
      'API:orders-api',
      'API:orders-events',
      'Resource:orders-db',
    ]);
    expect(all[0].spec).toMatchObject({
      owner: 'user:default/jane',
      providesApis: ['api:default/orders-api', 'api:default/orders-events'],
      dependsOn: ['resource:default/orders-db'],
    });
    expect(all[1].spec).toEqual({
      owner: 'user:default/jane',
      domain: 'domain:default/retail',
    });
    expect(all[2].spec).toEqual({
      owner: 'user:default/jane',
      system: 'system:default/commerce',
      lifecycle: 'experimental',
      type: 'openapi',
      definition: { $text: './openapi.yaml' },
    });
    expect(all[3].spec.definition).toBe('asyncapi: 2.6.0');
    await expect(validateEntities(all)).resolves.toBeUndefined();
    expect(ctx.output).toHaveBeenCalledWith('entityRefs', [
      'component:default/orders',
      'system:default/commerce',
      'api:default/orders-api',
      'api:default/orders-events',
      'resource:default/orders-db',
    ]);
  });

  it('takes the name from the manifest and writes under the path input', async () => {
    mockDir.setContent({ 'svc/package.json': '{"name": "@acme/billing"}' });
    const { ctx } = await run({ path: 'svc', owner: 'team-billing' });
    expect(entities('svc/catalog-info.yaml')[0].metadata.name).toBe('billing');
    expect(ctx.output).toHaveBeenCalledWith(
      'catalogInfoPath',
      'svc/catalog-info.yaml',
    );
  });

  it.each([
    [
      { name: 'Orders', owner: 'a' },
      "Invalid input 'name': 'Orders' must match",
    ],
    [
      { name: 'orders', owner: 'component:x' },
      "Invalid input 'owner': 'component:x' is a component, but must be one of group, user",
    ],
    [{ name: 'orders', owner: 'group:' }, "Invalid input 'owner'"],
    [
      { name: 'orders', owner: 'a', system: 'group:x' },
      "Invalid input 'system'",
    ],
    [
      { name: 'orders', owner: 'a', dependsOn: ['orders-db'] },
      "Invalid input 'dependsOn[0]': 'orders-db' is not an entity ref",
    ],
    [
      { name: 'orders', owner: 'a', lifecycle: 'In Production' },
      "Invalid input 'lifecycle'",
    ],
    [
      { name: 'orders', owner: 'a', apis: [{ name: 'x' }] },
      "Invalid input 'apis[0]': give either 'definition'",
    ],
    [
      {
        name: 'orders',
        owner: 'a',
        apis: [{ name: 'x', type: 'soap', definition: 'x' }],
      },
      "Invalid input 'apis[0].type': 'soap' is not one of openapi, asyncapi, graphql, grpc, trpc",
    ],
    [
      { name: 'orders', owner: 'a', resources: [{ name: 'bad name' }] },
      "Invalid input 'resources[0].name'",
    ],
    [
      { name: 'orders', owner: 'a', annotations: { 'bad key!': 'x' } },
      "Invalid input 'annotations': 'bad key!'",
    ],
    [
      { name: 'orders', owner: 'a', repoUrl: 'github.com/acme/orders' },
      "Invalid input 'repoUrl'",
    ],
    [
      { name: 'orders', owner: 'a', systemEntity: {} },
      "Input 'system' is required with 'systemEntity'",
    ],
    [
      { name: 'orders', owner: 'a', path: '../up' },
      "Invalid input 'path': '../up' is outside the workspace",
    ],
    [
      { name: 'orders', owner: 'a', infrastructure: 'pulumi' },
      "Invalid input 'infrastructure': 'pulumi' is not one of terraform, none",
    ],
    [
      { name: 'orders' },
      "Input 'owner' is required: the Component orders has no owner yet",
    ],
  ])('rejects %j before writing anything', async (input, message) => {
    await expect(run(input)).rejects.toThrow(message);
    expect(fs.readdirSync(mockDir.path)).toEqual([]);
  });

  it('rejects an unparsable catalog file unless overwrite is true', async () => {
    mockDir.setContent({ 'catalog-info.yaml': 'kind: [Component\n' });
    await expect(run({ name: 'orders', owner: 'a' })).rejects.toThrow(
      'catalog-info.yaml is not valid YAML',
    );
    const { ctx } = await run({
      name: 'orders',
      owner: 'a',
      overwrite: true,
      infrastructure: 'none',
    });
    expect(ctx.output).toHaveBeenCalledWith('files', [
      expect.objectContaining({
        path: 'catalog-info.yaml',
        change: 'overwritten',
      }),
    ]);
    expect(entities()[0].spec.owner).toBe('group:default/a');
  });

  it('applies the configured naming rule', async () => {
    const strict = createCatalogWriteAction({
      config: new ConfigReader({
        goldenPath: { policy: { namePattern: '^svc-[a-z]+$' } },
      }),
    });
    await expect(run({ name: 'orders', owner: 'a' }, strict)).rejects.toThrow(
      "Invalid input 'name': 'orders' must match ^svc-[a-z]+$",
    );
  });

  describe('infrastructure as code', () => {
    const input = {
      name: 'orders',
      owner: 'team-orders',
      system: 'commerce',
    };

    it('writes no Terraform with infrastructure: none', async () => {
      const { ctx } = await run({ ...input, infrastructure: 'none' });
      expect(ctx.output).toHaveBeenCalledWith('infrastructure', 'none');
      expect(ctx.output).toHaveBeenCalledWith('files', [
        { path: 'catalog-info.yaml', change: 'created' },
      ]);
      expect(fs.existsSync(mockDir.resolve('infra'))).toBe(false);
      expect(
        capabilityStatuses(await scoreWorkspace(mockDir.path), 'as-code')[
          'as-code.infrastructure'
        ],
      ).toMatch(/^fail: No infrastructure as code found/);
    });

    it.each([
      [
        'Terraform the user wrote in infra/',
        {
          'infra/main.tf':
            'resource "aws_db_instance" "orders" {\n  engine = "postgres"\n}\n',
        },
      ],
      [
        'Pulumi',
        { 'Pulumi.yaml': 'name: orders\nruntime: nodejs\n', 'index.ts': '' },
      ],
      [
        'AWS CDK',
        { 'infra/cdk.json': '{"app": "npx ts-node bin/orders.ts"}\n' },
      ],
    ])(
      'writes nothing next to %s, even with overwrite: true',
      async (_tool, repository) => {
        mockDir.setContent(repository);
        const { ctx } = await run({ ...input, overwrite: true });
        expect(ctx.output).toHaveBeenCalledWith('infrastructure', 'existing');
        expect(ctx.output).toHaveBeenCalledWith('files', [
          { path: 'catalog-info.yaml', change: 'created' },
        ]);
        const { 'catalog-info.yaml': _catalog, ...rest } = readTree(
          mockDir.path,
        );
        expect(rest).toEqual(repository);
        expect(
          capabilityStatuses(await scoreWorkspace(mockDir.path), 'as-code')[
            'as-code.infrastructure'
          ],
        ).toBe('pass');
      },
    );

    it('writes the same module whether paved:data:add runs before or after, and a second run changes nothing', async () => {
      const dataAdd = createDataAddAction();
      const addDatabase = () =>
        run({ name: 'orders', stack: 'node', owner: 'team-orders' }, dataAdd);

      await run(input);
      const catalogFirst = readTree(mockDir.path);
      await addDatabase();
      const second = await run(input);
      expect(entities().map(e => `${e.kind}:${e.metadata.name}`)).toEqual([
        'Component:orders',
        'Resource:orders-db',
      ]);
      const infraFiles = (result: typeof second) =>
        result.outputs.files.filter((f: any) => f.path.startsWith('infra/'));
      expect(infraFiles(second).map((f: any) => f.change)).toEqual([
        'unchanged',
        'unchanged',
        'unchanged',
        'unchanged',
      ]);
      const after = readTree(mockDir.path);

      mockDir.clear();
      await addDatabase();
      await run(input);
      const dataFirst = readTree(mockDir.path);
      for (const file of Object.keys(catalogFirst).filter(f =>
        f.startsWith('infra/'),
      )) {
        expect(dataFirst[file]).toBe(catalogFirst[file]);
        expect(after[file]).toBe(catalogFirst[file]);
      }
      expect(
        capabilityStatuses(await scoreWorkspace(mockDir.path), 'as-code')[
          'as-code.infrastructure'
        ],
      ).toBe('pass');
    });

    it('writes the module under the path input, and in a dry run', async () => {
      const { ctx } = await runAction(action, {
        workspacePath: mockDir.path,
        input: { ...input, path: 'svc' },
        isDryRun: true,
      });
      expect(ctx.output).toHaveBeenCalledWith('infrastructure', 'svc/infra');
      expect(
        fs.readFileSync(mockDir.resolve('svc/infra/main.tf'), 'utf8'),
      ).toContain('resource "kubernetes_namespace_v1" "service" {');
    });
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_description, example) => {
      const step = yaml.parse(example).steps[0];
      expect(step.action).toBe(action.id);
      const { outputs } = await run(step.input);
      const files = outputs.files;
      expect(files[0]).toMatchObject({ change: 'created' });
      expect(files.every((f: any) => f.change === 'created')).toBe(true);
      const root = step.input.path
        ? mockDir.resolve(step.input.path)
        : mockDir.path;
      const infrastructure = capabilityStatuses(
        await scoreWorkspace(root),
        'as-code',
      )['as-code.infrastructure'];
      // With infrastructure: none, the check is left to the repository.
      const expected =
        step.input.infrastructure === 'none' ? /^fail/ : /^pass$/;
      expect(infrastructure).toMatch(expected);
    },
  );
});
