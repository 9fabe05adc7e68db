import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ScorecardAccess } from './access';

const entities: Entity[] = ['a', 'b'].map(name => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'Default' },
  spec: {},
}));

/** An access whose catalog read decision is conditional, with the conditions of `label`. */
function setUp() {
  let label = 'one';
  let clock = 0;
  const permissions = mockServices.permissions.mock({
    authorize: async requests =>
      requests.map(() => ({ result: AuthorizeResult.ALLOW })),
    authorizeConditional: async requests =>
      requests.map(() => ({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          rule: 'HAS_LABEL',
          resourceType: 'catalog-entity',
          params: { label },
        },
      })) as any,
  });
  const catalog = catalogServiceMock({ entities });
  const streamEntities = jest.spyOn(catalog, 'streamEntities');
  const access = new ScorecardAccess({
    permissions,
    catalog,
    now: () => clock,
  });
  return {
    access,
    streamEntities,
    setLabel: (value: string) => {
      label = value;
    },
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

describe('ScorecardAccess', () => {
  const credentials = mockCredentials.user();

  it('reads the refs of a conditional decision from the catalog once per conditions and 10 seconds', async () => {
    const { access, streamEntities, setLabel, advance } = setUp();

    expect(await access.visibleEntityRefs(credentials)).toEqual([
      'component:default/a',
      'component:default/b',
    ]);
    expect(streamEntities).toHaveBeenCalledWith(
      expect.objectContaining({
        fields: ['kind', 'metadata.namespace', 'metadata.name'],
      }),
      { credentials },
    );
    await access.visibleEntityRefs(mockCredentials.user('user:default/other'));
    expect(streamEntities).toHaveBeenCalledTimes(1);

    // Other conditions are another caller's view: never shared.
    setLabel('two');
    await access.visibleEntityRefs(credentials);
    expect(streamEntities).toHaveBeenCalledTimes(2);

    advance(10_000);
    await access.visibleEntityRefs(credentials);
    expect(streamEntities).toHaveBeenCalledTimes(3);
  });

  it('does not keep a failed read', async () => {
    const { access, streamEntities } = setUp();
    streamEntities.mockImplementationOnce(() => {
      throw new Error('catalog down');
    });
    await expect(access.visibleEntityRefs(credentials)).rejects.toThrow(
      'catalog down',
    );
    expect(await access.visibleEntityRefs(credentials)).toHaveLength(2);
    expect(streamEntities).toHaveBeenCalledTimes(2);
  });
});
