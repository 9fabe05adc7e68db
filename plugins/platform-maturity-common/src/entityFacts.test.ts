import type { Entity } from '@backstage/catalog-model';
import {
  checksWithStatus,
  entityFactsOf,
  remediationTemplatePath,
} from './entityFacts';

const entityRef = 'component:default/orders';

describe('remediationTemplatePath', () => {
  it('opens the template below the scaffolder root with the entity first, then the values', () => {
    expect(
      remediationTemplatePath(
        {
          templateRef: 'template:platform/add-capabilities',
          values: { capabilities: ['observe'] },
        },
        entityRef,
      ),
    ).toBe(
      `/create/templates/platform/add-capabilities?formData=${encodeURIComponent(
        '{"entity":"component:default/orders","capabilities":["observe"]}',
      )}`,
    );
  });

  it('takes another scaffolder root, with or without a trailing slash', () => {
    expect(
      remediationTemplatePath({ templateRef: 'add-tests' }, entityRef, {
        scaffolderRoot: 'https://backstage.example.com/create/',
      }),
    ).toBe(
      `https://backstage.example.com/create/templates/default/add-tests?formData=${encodeURIComponent(
        '{"entity":"component:default/orders"}',
      )}`,
    );
  });

  it('sets the entity itself, whatever the configured values say', () => {
    const url = remediationTemplatePath(
      {
        templateRef: 'golden/fix',
        values: { entity: 'component:default/other', depth: 2 },
      },
      entityRef,
    )!;
    const formData = new URL(url, 'http://x').searchParams.get('formData');
    expect(formData).toBe(JSON.stringify({ entity: entityRef, depth: 2 }));
    expect(url.startsWith('/create/templates/golden/fix?')).toBe(true);
  });

  it('gives no link without a template or with a template ref that does not parse', () => {
    expect(
      remediationTemplatePath({ docsUrl: 'https://example.com' }, entityRef),
    ).toBeUndefined();
    expect(
      remediationTemplatePath({ templateRef: 'template:default/' }, entityRef),
    ).toBeUndefined();
  });
});

describe('entityFactsOf', () => {
  const system: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'shop', namespace: 'Retail' },
    spec: { owner: 'team-a', domain: 'commerce' },
  };

  it('gives full refs relative to the entity namespace, and the domain of its system', () => {
    expect(
      entityFactsOf(
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'orders', namespace: 'Retail', title: 'Orders' },
          spec: {
            type: 'service',
            lifecycle: 'production',
            owner: 'team-a',
            system: 'shop',
          },
        },
        ref => (ref === 'system:retail/shop' ? system : undefined),
      ),
    ).toEqual({
      entityRef: 'component:retail/orders',
      kind: 'component',
      namespace: 'retail',
      name: 'orders',
      title: 'Orders',
      owner: 'group:retail/team-a',
      system: 'system:retail/shop',
      domain: 'domain:retail/commerce',
      lifecycle: 'production',
      type: 'service',
    });
  });

  it('leaves out what is missing or not a valid ref', () => {
    expect(
      entityFactsOf(
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'bare' },
          spec: { owner: 'group:default/', system: 42 },
        },
        () => undefined,
      ),
    ).toEqual({
      entityRef: 'component:default/bare',
      kind: 'component',
      namespace: 'default',
      name: 'bare',
      title: undefined,
      owner: undefined,
      system: undefined,
      domain: undefined,
      lifecycle: undefined,
      type: undefined,
    });
  });
});

describe('checksWithStatus', () => {
  const ruleset = {
    checks: [
      {
        definition: {
          id: 'build.tests',
          title: 'Tests run in the pipeline',
          remediation: { templateRef: 'add-tests' },
        },
      },
    ],
  } as any;
  const scorecard = {
    results: [
      {
        checkId: 'build.pipeline',
        capability: 'build',
        status: 'pass',
        message: 'ok',
      },
      {
        checkId: 'build.tests',
        capability: 'build',
        status: 'fail',
        message: 'no tests',
      },
      {
        checkId: 'gone.check',
        capability: 'build',
        status: 'fail',
        message: 'old',
      },
      {
        checkId: 'observe.metrics',
        capability: 'observe',
        status: 'unknown',
        message: 'unreadable',
      },
    ],
  } as any;

  it('lists the failing checks with the title and remediation of their definition, in order', () => {
    expect(checksWithStatus(ruleset, scorecard)).toEqual([
      {
        checkId: 'build.tests',
        capability: 'build',
        title: 'Tests run in the pipeline',
        message: 'no tests',
        remediation: { templateRef: 'add-tests' },
      },
      {
        checkId: 'gone.check',
        capability: 'build',
        title: 'gone.check',
        message: 'old',
        remediation: {},
      },
    ]);
  });

  it('lists the checks of another status', () => {
    expect(
      checksWithStatus(ruleset, scorecard, 'unknown').map(c => c.checkId),
    ).toEqual(['observe.metrics']);
  });
});
