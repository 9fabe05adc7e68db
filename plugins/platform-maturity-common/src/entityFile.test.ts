import type { Entity } from '@backstage/catalog-model';
import { chooseScoredEntity, entityDocumentProblem } from './entityFile';

const entity = (kind: string, name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name },
});

describe('chooseScoredEntity', () => {
  const file = 'catalog-info.yaml';

  it('takes the entity a ref names, with component and default as the defaults', () => {
    const entities = [entity('Component', 'orders'), entity('API', 'orders')];
    expect(chooseScoredEntity(entities, file, 'api:orders')).toEqual({
      entity: entities[1],
    });
    expect(chooseScoredEntity(entities, file, 'Orders')).toEqual({
      entity: entities[0],
    });
  });

  it('takes the only Component, else the only document', () => {
    const component = entity('Component', 'orders');
    expect(
      chooseScoredEntity([entity('Resource', 'db'), component], file),
    ).toEqual({ entity: component });
    const system = entity('System', 'shop');
    expect(chooseScoredEntity([system], file)).toEqual({ entity: system });
  });

  it.each([
    [[entity('Component', 'a')], 'x:y:z/', 'invalid-ref', /not an entity ref/],
    [
      [entity('Component', 'a')],
      'component:default/b',
      'not-found',
      /^catalog-info\.yaml has no entity component:default\/b; it declares component:default\/a$/,
    ],
    [[], undefined, 'empty', /declares no entity/],
    [
      [entity('Component', 'a'), entity('Component', 'b')],
      undefined,
      'ambiguous',
      /declares 2 Components \(component:default\/a, component:default\/b\)/,
    ],
    [
      [entity('System', 'a'), entity('API', 'b')],
      undefined,
      'ambiguous',
      /declares no Component but 2 entities/,
    ],
  ])('says why it cannot choose (%#)', (entities, ref, problem, message) => {
    const choice = chooseScoredEntity(entities, file, ref);
    expect(choice).toEqual({
      problem,
      message: expect.stringMatching(message),
    });
  });
});

describe('entityDocumentProblem', () => {
  it.each([
    ['a list', [], /expected an entity/],
    [
      'no apiVersion',
      { kind: 'Component', metadata: { name: 'a' } },
      /apiVersion is missing/,
    ],
    [
      'no name',
      { apiVersion: 'v1', kind: 'Component', metadata: {} },
      /metadata\.name is missing/,
    ],
    [
      'an empty namespace',
      {
        apiVersion: 'v1',
        kind: 'Component',
        metadata: { name: 'a', namespace: '' },
      },
      /namespace must be a non-empty string/,
    ],
  ])('names what is wrong with %s', (_case, value, message) => {
    expect(entityDocumentProblem(value)).toMatch(message);
  });

  it('accepts an entity', () => {
    expect(entityDocumentProblem(entity('Component', 'a'))).toBeUndefined();
  });
});
