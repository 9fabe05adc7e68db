import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/**
 * Examples of `paved:policy:check`, shown on the scaffolder's actions page.
 *
 * @public
 */
export const examples: TemplateExample[] = [
  {
    description:
      'Check the inputs of a new service before anything is created: the owner is a Group in the catalog, the system exists, the name follows the naming rule, and the stack and CI provider are allowed',
    example: yaml.stringify({
      steps: [
        {
          id: 'policy',
          name: 'Check the paved-road policy',
          action: 'paved:policy:check',
          input: {
            name: 'orders',
            owner: 'group:default/team-orders',
            system: 'system:default/commerce',
            stack: 'node',
            ciProvider: 'github-actions',
          },
        },
      ],
    }),
  },
  {
    description:
      'Check only the name and the owner (a short group name is read as group:default/<name>)',
    example: yaml.stringify({
      steps: [
        {
          id: 'policy',
          name: 'Check the paved-road policy',
          action: 'paved:policy:check',
          input: {
            name: 'orders',
            owner: 'team-orders',
          },
        },
      ],
    }),
  },
];
