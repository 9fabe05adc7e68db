import { remediationTemplateUrl } from './remediation';

const entityRef = 'component:default/orders';

describe('remediationTemplateUrl', () => {
  it('opens the template below the scaffolder root with the form prefilled', () => {
    const url = remediationTemplateUrl({
      scaffolderRoot: '/create',
      remediation: {
        templateRef: 'template:default/add-capabilities',
        values: { capabilities: ['observe'] },
      },
      entityRef,
    });
    expect(url).toBe(
      `/create/templates/default/add-capabilities?formData=${encodeURIComponent(
        '{"capabilities":["observe"],"entity":"component:default/orders"}',
      )}`,
    );
  });

  it('defaults the kind to template and the namespace to default', () => {
    expect(
      remediationTemplateUrl({
        scaffolderRoot: '/create/',
        remediation: { templateRef: 'add-tests' },
        entityRef,
      }),
    ).toBe(
      `/create/templates/default/add-tests?formData=${encodeURIComponent(
        '{"entity":"component:default/orders"}',
      )}`,
    );
  });

  it('sets the entity itself, whatever the configured values say', () => {
    const url = remediationTemplateUrl({
      scaffolderRoot: '/create',
      remediation: {
        templateRef: 'golden/fix',
        values: { entity: 'component:default/other', depth: 2 },
      },
      entityRef,
    })!;
    const formData = new URL(url, 'http://x').searchParams.get('formData');
    expect(JSON.parse(formData!)).toEqual({ entity: entityRef, depth: 2 });
    expect(url.startsWith('/create/templates/golden/fix?')).toBe(true);
  });

  it('gives no link without a template or with a template ref that does not parse', () => {
    expect(
      remediationTemplateUrl({
        scaffolderRoot: '/create',
        remediation: { docsUrl: 'https://example.com' },
        entityRef,
      }),
    ).toBeUndefined();
    expect(
      remediationTemplateUrl({
        scaffolderRoot: '/create',
        remediation: { templateRef: 'template:default/' },
        entityRef,
      }),
    ).toBeUndefined();
  });
});
