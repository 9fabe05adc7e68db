import type { Entity } from '@backstage/catalog-model';
import { catalogOf, checkResult, serviceEntity } from '../testing/fixtures';

const entityOf = (
  kind: string,
  name: string,
  namespace = 'default',
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace },
  spec: {},
});

const catalog = catalogOf([
  entityOf('Group', 'team-a'),
  entityOf('Group', 'sre', 'platform'),
  entityOf('User', 'jane'),
  entityOf('Component', 'payments'),
]);

describe('as-code checks', () => {
  describe('as-code.ownership', () => {
    it.each([
      ['group:default/team-a', 'group:default/team-a', 'Group'],
      ['team-a', 'group:default/team-a', 'Group'],
      ['group:platform/sre', 'group:platform/sre', 'Group'],
      ['user:jane', 'user:default/jane', 'User'],
    ])('passes when the owner %s exists', (owner, ref, kind) => {
      const result = checkResult('as-code.ownership', {
        entity: serviceEntity({ spec: { owner, system: 'shop' } }),
        catalog,
      });
      expect(result.status).toBe('pass');
      expect(result.message).toBe(
        `Owned by ${ref}, lifecycle production, part of system shop.`,
      );
      expect(result.evidence).toEqual([
        { type: 'field', ref: 'spec.owner', detail: owner },
        { type: 'field', ref: 'spec.lifecycle', detail: 'production' },
        { type: 'field', ref: 'spec.system', detail: 'shop' },
        { type: 'catalog', ref, detail: kind },
      ]);
    });

    it('fails listing every missing field', () => {
      const result = checkResult('as-code.ownership', {
        entity: serviceEntity({ spec: { lifecycle: '', system: undefined } }),
        catalog,
      });
      expect(result.status).toBe('fail');
      expect(result.message).toMatch(
        /^The catalog entry does not set spec\.lifecycle, spec\.system\./,
      );
    });

    it('fails when the owner is a Component', () => {
      const result = checkResult('as-code.ownership', {
        entity: serviceEntity({
          spec: { owner: 'component:payments', system: 'shop' },
        }),
        catalog,
      });
      expect(result.status).toBe('fail');
      expect(result.message).toBe(
        'The owner component:default/payments is a Component, not a Group or User.',
      );
      expect(result.nearMisses).toEqual([
        {
          type: 'catalog',
          ref: 'component:default/payments',
          detail: 'Component',
          reason: 'is a Component, not a Group or User',
        },
      ]);
    });

    it('fails when the owner does not exist, and reports missing fields too', () => {
      const result = checkResult('as-code.ownership', {
        entity: serviceEntity({ spec: { owner: 'team-gone' } }),
        catalog,
      });
      expect(result.status).toBe('fail');
      expect(result.message).toContain('does not set spec.system');
      expect(result.message).toContain(
        'The owner group:default/team-gone does not exist in the catalog.',
      );
    });

    it('fails when the owner is not a string', () => {
      const result = checkResult('as-code.ownership', {
        entity: serviceEntity({
          spec: { owner: { name: 'team-a' }, lifecycle: 3, system: 'shop' },
        }),
        catalog,
      });
      expect(result.status).toBe('fail');
      expect(result.message).toBe(
        'The catalog entry does not set spec.owner, spec.lifecycle.',
      );
    });

    it('fails when the owner is not a valid entity ref', () => {
      const result = checkResult('as-code.ownership', {
        entity: serviceEntity({ spec: { owner: 'group:', system: 'shop' } }),
      });
      expect(result.status).toBe('fail');
      expect(result.message).toBe(
        "The owner 'group:' is not a valid entity ref.",
      );
    });

    it('is unknown when all fields are set but no catalog lookup is available', () => {
      const result = checkResult('as-code.ownership', {
        entity: serviceEntity({ spec: { system: 'shop' } }),
      });
      expect(result.status).toBe('unknown');
      expect(result.message).toContain('group:default/team-a');
    });
  });

  describe('as-code.relations', () => {
    it.each([
      [
        'spec.dependsOn',
        { dependsOn: ['component:default/payments', 'resource:orders-db'] },
        ['component:default/payments', 'resource:default/orders-db'],
        /^Depends on component:default\/payments, resource:default\/orders-db\.$/,
      ],
      [
        'spec.providesApis',
        { providesApis: ['orders-api'] },
        ['api:default/orders-api'],
        /^Provides api:default\/orders-api\.$/,
      ],
      [
        'spec.consumesApis',
        { consumesApis: ['api:payments/payments-api'] },
        ['api:payments/payments-api'],
        /^Consumes api:payments\/payments-api\.$/,
      ],
    ])('passes with %s', (_, spec, refs, message) => {
      const result = checkResult('as-code.relations', {
        entity: serviceEntity({ spec }),
      });
      expect(result.status).toBe('pass');
      expect(result.message).toMatch(message);
      expect(result.evidence.map(e => e.ref)).toEqual(refs);
    });

    it("passes with the catalog's relations and reports the system as supporting evidence", () => {
      const result = checkResult('as-code.relations', {
        entity: serviceEntity({
          spec: { system: 'shop' },
          relations: [
            { type: 'ownedBy', targetRef: 'group:default/team-a' },
            { type: 'partOf', targetRef: 'system:default/shop' },
            { type: 'providesApi', targetRef: 'api:default/orders-api' },
          ],
        }),
      });
      expect(result.status).toBe('pass');
      expect(result.evidence).toEqual([
        {
          type: 'relation',
          ref: 'api:default/orders-api',
          detail: 'providesApi (relations)',
        },
        {
          type: 'relation',
          ref: 'system:default/shop',
          detail: 'partOf (spec.system)',
        },
      ]);
    });

    it('fails when only the system is declared', () => {
      const result = checkResult('as-code.relations', {
        entity: serviceEntity({ spec: { system: 'shop' } }),
      });
      expect(result.status).toBe('fail');
      expect(result.message).toMatch(
        /part of system:default\/shop, but declares no dependencies or APIs/,
      );
      expect(result.evidence.map(e => e.ref)).toEqual(['system:default/shop']);
    });

    it('fails, and explains why, when dependsOn has no kind', () => {
      const result = checkResult('as-code.relations', {
        entity: serviceEntity({ spec: { dependsOn: ['orders-db'] } }),
      });
      expect(result.status).toBe('fail');
      expect(result.message).toContain(
        "spec.dependsOn 'orders-db' is not a valid entity ref",
      );
      expect(result.message).toContain('resource:orders-db');
    });

    it('fails with no relations, tolerating malformed fields', () => {
      const result = checkResult('as-code.relations', {
        entity: serviceEntity({
          spec: { dependsOn: 'not-a-list', providesApis: [null, 3] },
          relations: [{ type: 'dependsOn' } as never],
        }),
      });
      expect(result.status).toBe('fail');
      expect(result.message).toMatch(/declares no dependencies or APIs/);
    });
  });

  describe('as-code.infrastructure', () => {
    it.each([
      ['Terraform', 'infra/main.tf'],
      ['Terraform', 'terraform/orders.tf.json'],
      ['OpenTofu', 'tofu/main.tofu'],
      ['Terragrunt', 'live/prod/terragrunt.hcl'],
      ['Pulumi', 'infra/Pulumi.yaml'],
      ['AWS CDK', 'cdk/cdk.json'],
      ['CDK for Terraform', 'cdktf.json'],
      ['Bicep', 'infra/main.bicep'],
      ['ARM template', 'azuredeploy.json'],
    ])('passes with %s (%s)', (tool, path) => {
      const result = checkResult('as-code.infrastructure', {
        files: { [path]: '', 'src/index.ts': '' },
      });
      expect(result.status).toBe('pass');
      expect(result.message).toContain(tool);
      expect(result.evidence).toEqual([
        { type: 'file', ref: path, detail: tool },
      ]);
    });

    it.each([
      [
        'CloudFormation',
        'cloudformation/orders.yaml',
        'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  OrdersTable:\n    Type: AWS::DynamoDB::Table\n',
        1,
      ],
      [
        'CloudFormation',
        'template.yaml',
        'AWSTemplateFormatVersion: 2010-09-09\nTransform: AWS::Serverless-2016-10-31\n',
        1,
      ],
      [
        'CloudFormation',
        'infra/orders.template.json',
        '{\n  "Transform": "AWS::Serverless-2016-10-31",\n  "Resources": {}\n}',
        2,
      ],
      [
        'Crossplane',
        'crossplane/composition.yaml',
        'apiVersion: apiextensions.crossplane.io/v1\nkind: Composition\nmetadata:\n  name: xpostgres.aws\n',
        1,
      ],
      [
        'Crossplane',
        'k8s/database-claim.yaml',
        'apiVersion: database.acme.io/v1alpha1\nkind: PostgreSQLInstance\nspec:\n  parameters:\n    storageGB: 20\n  writeConnectionSecretToRef:\n    name: orders-db\n',
        6,
      ],
      [
        'Config Connector',
        'infra/bucket.yaml',
        'apiVersion: storage.cnrm.cloud.google.com/v1beta1\nkind: StorageBucket\n',
        1,
      ],
    ])('passes with %s found by content (%s)', (tool, path, content, line) => {
      const result = checkResult('as-code.infrastructure', {
        files: { [path]: content },
      });
      expect(result.status).toBe('pass');
      expect(result.message).toContain(tool);
      expect(result.evidence).toEqual([
        expect.objectContaining({ type: 'file', ref: path, line }),
      ]);
    });

    it('fails with Kubernetes manifests, an Ansible playbook and vendored Terraform only', () => {
      const result = checkResult('as-code.infrastructure', {
        files: {
          'k8s/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\n',
          'ansible/site.yml': '- hosts: all\n  roles:\n    - orders\n',
          '.terraform/modules/vpc/main.tf': 'resource "aws_vpc" "this" {}',
          'template.yaml': 'name: orders\nversion: 1\n',
        },
      });
      expect(result.status).toBe('fail');
      expect(result.message).toMatch(/No infrastructure as code/);
    });

    it('is unknown when the repository could not be read', () => {
      expect(checkResult('as-code.infrastructure', {}).status).toBe('unknown');
    });
  });
});
