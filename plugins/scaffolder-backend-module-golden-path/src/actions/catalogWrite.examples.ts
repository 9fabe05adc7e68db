import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/**
 * Examples of `paved:catalog:write`, shown on the scaffolder's actions page.
 *
 * @public
 */
export const examples: TemplateExample[] = [
  {
    description:
      'Write the catalog entry of a new service (owner, system, lifecycle, the repository annotations and its dependencies) and, since its repository has no infrastructure as code yet, a Terraform module for its namespace and service account in infra/',
    example: yaml.stringify({
      steps: [
        {
          id: 'catalog',
          name: 'Write catalog-info.yaml',
          action: 'paved:catalog:write',
          input: {
            name: 'orders',
            owner: 'group:default/team-orders',
            system: 'commerce',
            lifecycle: 'production',
            description: 'Takes and tracks customer orders',
            repoUrl: 'github.com?owner=acme&repo=orders',
            dependsOn: ['component:default/payments'],
            consumesApis: ['payments-api'],
          },
        },
      ],
    }),
  },
  {
    description:
      'Describe the whole system as code: a new System, the API the service provides and the database it depends on',
    example: yaml.stringify({
      steps: [
        {
          id: 'catalog',
          name: 'Write catalog-info.yaml',
          action: 'paved:catalog:write',
          input: {
            name: 'orders',
            owner: 'team-orders',
            system: 'commerce',
            systemEntity: { description: 'Everything that sells things' },
            apis: [
              {
                name: 'orders-api',
                type: 'openapi',
                definitionPath: './openapi.yaml',
              },
            ],
            resources: [
              {
                name: 'orders-db',
                type: 'database',
                description: 'PostgreSQL database of orders',
              },
            ],
          },
        },
      ],
    }),
  },
  {
    description:
      "Complete the catalog entry of an existing repository checked out into `service`: its Component keeps the user's keys and comments and gets an owner, a system and the on-call annotation",
    example: yaml.stringify({
      steps: [
        {
          id: 'catalog',
          name: 'Complete catalog-info.yaml',
          action: 'paved:catalog:write',
          input: {
            path: 'service',
            name: 'orders',
            owner: 'team-orders',
            system: 'system:default/commerce',
            annotations: { 'pagerduty.com/service-id': 'PX1234' },
          },
        },
      ],
    }),
  },
  {
    description:
      'Write only the catalog entry, for a service whose namespace the platform team provisions from its own repository: no Terraform module is written (as-code.infrastructure then fails for this repository)',
    example: yaml.stringify({
      steps: [
        {
          id: 'catalog',
          name: 'Write catalog-info.yaml',
          action: 'paved:catalog:write',
          input: {
            name: 'orders',
            owner: 'team-orders',
            system: 'commerce',
            infrastructure: 'none',
          },
        },
      ],
    }),
  },
];
