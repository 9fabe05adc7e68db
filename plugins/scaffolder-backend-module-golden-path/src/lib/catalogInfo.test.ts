import fs from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { mockWorkspace } from '../__testUtils__/runAction';
import {
  CatalogInfo,
  guessServiceName,
  normalizeEntityRef,
  planCatalogInfo,
  validateEntities,
  validateEntityName,
} from './catalogInfo';

const USER_FILE = `# Owned by the orders team; ask in #orders.
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orders # do not rename: dashboards use it
  annotations:
    github.com/project-slug: acme/orders
  tags: [java, legacy]
spec:
  type: service
  lifecycle: production
  owner: team-orders
  dependsOn:
    - resource:default/orders-db
---
# The group is defined here for now.
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-orders
spec:
  type: team
  children: []
`;

describe('CatalogInfo', () => {
  it('returns the original text byte for byte when nothing changes', () => {
    const catalog = CatalogInfo.parse(USER_FILE);
    const component = catalog.ensureComponent();
    expect(component.name).toBe('orders');
    expect(
      component.setRef(['spec', 'owner'], 'group:default/team-orders', 'group'),
    ).toBe(false);
    expect(component.addRelations('dependsOn', ['resource:orders-db'])).toBe(
      false,
    );
    expect(
      component.setAnnotation('github.com/project-slug', 'acme/orders'),
    ).toBe(false);
    expect(catalog.changed).toBe(false);
    expect(catalog.toString()).toBe(USER_FILE);
  });

  it('edits keep the user keys, order, comments and other documents', () => {
    const catalog = CatalogInfo.parse(USER_FILE);
    const component = catalog.ensureComponent({ name: 'orders' });
    component.setAnnotation('argocd/app-name', 'orders');
    component.setRef(['spec', 'system'], 'system:default/commerce', 'system');
    component.addRelations('dependsOn', [
      'resource:orders-db',
      'component:payments',
    ]);
    component.addRelations('providesApis', ['orders-api']);
    catalog
      .upsert('System', 'commerce')
      .set(['spec', 'owner'], 'group:default/team-orders');

    const text = catalog.toString();
    expect(text).toContain('# Owned by the orders team; ask in #orders.');
    expect(text).toContain('name: orders # do not rename: dashboards use it');
    expect(text).toContain('# The group is defined here for now.');
    const docs = parseAllDocuments(text) as any[];
    expect(docs.map(d => d.toJS().kind)).toEqual([
      'Component',
      'Group',
      'System',
    ]);
    const entity = docs[0].toJS();
    expect(Object.keys(entity.metadata)).toEqual([
      'name',
      'annotations',
      'tags',
    ]);
    expect(entity.metadata.annotations).toEqual({
      'github.com/project-slug': 'acme/orders',
      'argocd/app-name': 'orders',
    });
    expect(entity.spec).toEqual({
      type: 'service',
      lifecycle: 'production',
      owner: 'team-orders',
      dependsOn: ['resource:default/orders-db', 'component:payments'],
      system: 'system:default/commerce',
      providesApis: ['orders-api'],
    });
    expect(docs[2].toJS()).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: { name: 'commerce' },
      spec: { owner: 'group:default/team-orders' },
    });
  });

  it('creates a minimal Component, and sets defaults only when absent', () => {
    const catalog = CatalogInfo.empty();
    expect(() => catalog.ensureComponent()).toThrow(
      "Input 'name' is required: catalog-info.yaml has no Component to add to",
    );
    const component = catalog.ensureComponent({
      name: 'orders',
      owner: 'group:default/a',
    });
    expect(
      component.set(['spec', 'lifecycle'], 'production', { ifAbsent: true }),
    ).toBe(false);
    expect(catalog.toEntities()).toEqual([
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'orders' },
        spec: {
          type: 'service',
          lifecycle: 'experimental',
          owner: 'group:default/a',
        },
      },
    ]);
  });

  it('asks for the name when several Components are in the file', () => {
    const catalog = CatalogInfo.parse(
      'kind: Component\nmetadata: {name: a}\n---\nkind: Component\nmetadata: {name: b}\n',
    );
    expect(() => catalog.ensureComponent()).toThrow(
      "Input 'name' is required: catalog-info.yaml has several Components (a, b)",
    );
    expect(catalog.ensureComponent({ name: 'b' }).name).toBe('b');
  });

  it('rejects files that are not YAML mappings', () => {
    expect(() => CatalogInfo.parse('a: [\n')).toThrow(
      'catalog-info.yaml is not valid YAML',
    );
    expect(() => CatalogInfo.parse('- a\n- b\n')).toThrow('is not an entity');
  });

  it('treats an empty file as no entities', () => {
    const catalog = CatalogInfo.parse('');
    expect(catalog.entities).toEqual([]);
    catalog.ensureComponent({ name: 'x' });
    expect(catalog.toString()).toContain('name: x');
  });
});

describe('normalizeEntityRef', () => {
  it('returns full refs', () => {
    expect(
      normalizeEntityRef('owner', 'team-a', { defaultKind: 'group' }),
    ).toBe('group:default/team-a');
    expect(
      normalizeEntityRef('owner', 'User:ops/Jane', { defaultKind: 'group' }),
    ).toBe('user:ops/Jane');
    expect(normalizeEntityRef('dependsOn', 'resource:orders-db')).toBe(
      'resource:default/orders-db',
    );
  });

  it('rejects malformed refs, naming the input', () => {
    expect(() => normalizeEntityRef('dependsOn', 'orders-db')).toThrow(
      "Invalid input 'dependsOn': 'orders-db' is not an entity ref",
    );
    expect(() =>
      normalizeEntityRef('owner', 'group:team a', { defaultKind: 'group' }),
    ).toThrow(
      "Invalid input 'owner': 'group:team a' has an invalid name 'team a'",
    );
    expect(() =>
      normalizeEntityRef('owner', 'component:x', {
        defaultKind: 'group',
        allowedKinds: ['group', 'user'],
      }),
    ).toThrow(
      "Invalid input 'owner': 'component:x' is a component, but must be one of group, user",
    );
  });

  it('validates entity names', () => {
    expect(validateEntityName('name', 'orders_v2.api')).toBe('orders_v2.api');
    expect(() => validateEntityName('name', 'orders!')).toThrow(
      "Invalid input 'name': 'orders!' is not a valid entity name",
    );
  });
});

describe('validateEntities', () => {
  it('accepts valid entities and the user own kinds', async () => {
    await expect(
      validateEntities([
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'a' },
          spec: {
            type: 'service',
            lifecycle: 'production',
            owner: 'group:default/x',
          },
        },
        {
          apiVersion: 'acme.io/v1',
          kind: 'Database',
          metadata: { name: 'db' },
          spec: {},
        },
      ]),
    ).resolves.toBeUndefined();
  });

  it('rejects an entity the catalog would reject, naming it', async () => {
    await expect(
      validateEntities([
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'a' },
          spec: { type: 'service', owner: 'x' },
        },
      ]),
    ).rejects.toThrow(
      /catalog-info.yaml: Component 'a' is not a valid entity: .*lifecycle/,
    );
    await expect(
      validateEntities([
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'System',
          metadata: { name: 'bad name' },
          spec: { owner: 'x' },
        },
      ]),
    ).rejects.toThrow("System 'bad name' is not a valid entity");
  });
});

describe('planCatalogInfo', () => {
  const { mockDir, files } = mockWorkspace();

  it('creates, then updates, then leaves the file unchanged', async () => {
    let ws = files();
    await planCatalogInfo(ws, c => c.ensureComponent({ name: 'orders' }));
    await expect(ws.apply()).resolves.toEqual([
      { path: 'catalog-info.yaml', change: 'created' },
    ]);

    ws = files();
    await planCatalogInfo(ws, c =>
      c.ensureComponent().setAnnotation('argocd/app-name', 'orders'),
    );
    await expect(ws.apply()).resolves.toEqual([
      { path: 'catalog-info.yaml', change: 'updated' },
    ]);
    const text = fs.readFileSync(mockDir.resolve('catalog-info.yaml'), 'utf8');

    ws = files();
    await planCatalogInfo(ws, c =>
      c.ensureComponent().setAnnotation('argocd/app-name', 'orders'),
    );
    await expect(ws.apply()).resolves.toEqual([
      { path: 'catalog-info.yaml', change: 'unchanged' },
    ]);
    expect(fs.readFileSync(mockDir.resolve('catalog-info.yaml'), 'utf8')).toBe(
      text,
    );
  });

  it('throws before planning anything when the result is invalid', async () => {
    const ws = files();
    await expect(
      planCatalogInfo(ws, c =>
        c.ensureComponent({ name: 'orders' }).set(['spec', 'type'], 42),
      ),
    ).rejects.toThrow("Component 'orders' is not a valid entity");
    expect(ws.plannedPaths).toEqual([]);
  });
});

describe('guessServiceName', () => {
  const { mockDir, files } = mockWorkspace();

  it.each([
    [{ 'package.json': '{"name": "@acme/Orders_API"}' }, 'orders-api'],
    [{ 'pyproject.toml': '[project]\nname = "billing"\n' }, 'billing'],
    [{ 'go.mod': 'module github.com/acme/payments\n\ngo 1.22\n' }, 'payments'],
    [{ 'README.md': '' }, undefined],
  ])('reads %j', async (content, name) => {
    mockDir.setContent(content);
    await expect(guessServiceName(files())).resolves.toBe(name);
  });

  it('falls back to the service directory name', async () => {
    mockDir.setContent({ 'services/Shipping/README.md': '' });
    await expect(guessServiceName(files('services/Shipping'))).resolves.toBe(
      'shipping',
    );
  });
});
