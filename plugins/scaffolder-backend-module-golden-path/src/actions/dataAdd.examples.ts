import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/**
 * Examples of `paved:data:add`, shown on the scaffolder's actions page.
 *
 * @public
 */
export const examples: TemplateExample[] = [
  {
    description:
      'Give a new TypeScript service a PostgreSQL database: the orders-db Resource, knex migrations and a migrate workflow',
    example: yaml.stringify({
      steps: [
        {
          id: 'data',
          name: 'Add a database',
          action: 'paved:data:add',
          input: {
            name: 'orders',
            stack: 'node',
            owner: 'group:default/team-orders',
            system: 'commerce',
          },
        },
      ],
    }),
  },
  {
    description:
      'A Go service on GitLab: golang-migrate migrations applied by a migrate job, the database owned by the data team',
    example: yaml.stringify({
      steps: [
        {
          id: 'data',
          name: 'Add a database',
          action: 'paved:data:add',
          input: {
            name: 'payments',
            stack: 'go',
            ciProvider: 'gitlab-ci',
            database: 'payments-ledger',
            owner: 'group:default/team-data',
          },
        },
      ],
    }),
  },
  {
    description:
      "A Python service deployed with a Helm chart: Alembic migrations applied by the chart's pre-upgrade hook Job, with the connection URL from an existing Secret",
    example: yaml.stringify({
      steps: [
        {
          id: 'data',
          name: 'Add a database',
          action: 'paved:data:add',
          input: {
            name: 'recommendations',
            stack: 'python',
            owner: 'team-ml',
            credentialsSecret: 'recommendations-pg-app',
            credentialsSecretKey: 'uri',
          },
        },
      ],
    }),
  },
];
