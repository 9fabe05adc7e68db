import type { Entity } from '@backstage/catalog-model';
import { entityRefKey } from './entityRef';

describe('entityRefKey', () => {
  it('keys an entity by its kind, namespace and name, lower-cased', () => {
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'Orders', namespace: 'Shop' },
    };
    expect(entityRefKey(entity)).toBe('component:shop/orders');
    expect(entityRefKey({ ...entity, metadata: { name: 'orders' } })).toBe(
      'component:default/orders',
    );
  });

  it.each([
    ['Component:Shop/Orders', {}, 'component:shop/orders'],
    ['  api:orders-api ', {}, 'api:default/orders-api'],
    ['orders', { defaultKind: 'component' }, 'component:default/orders'],
    [
      'team-a',
      { defaultKind: 'group', defaultNamespace: 'people' },
      'group:people/team-a',
    ],
    ['other/team-a', { defaultKind: 'group' }, 'group:other/team-a'],
  ])('keys the ref %j with defaults %j as %s', (ref, defaults, key) => {
    expect(entityRefKey(ref, defaults)).toBe(key);
  });

  it('gives an entity and a ref naming it the same key', () => {
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: { name: 'orders-db' },
    };
    expect(entityRefKey('resource:Orders-DB')).toBe(entityRefKey(entity));
  });

  it.each([
    ['', { defaultKind: 'component' }],
    ['   ', { defaultKind: 'component' }],
    ['orders', {}],
    ['component:', {}],
    [':orders', { defaultKind: 'component' }],
    ['component:/orders', {}],
    ['x:y:z/', {}],
    ['component:default/orders/extra', {}],
    ['component:default/my orders', {}],
    ['component:default/a:b', {}],
  ])('answers undefined for %j, which is not a ref', (ref, defaults) => {
    expect(entityRefKey(ref, defaults)).toBeUndefined();
  });
});
