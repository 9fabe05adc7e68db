import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/**
 * Examples of `paved:delivery:resolve`, shown on the scaffolder's actions page.
 *
 * @public
 */
export const examples: TemplateExample[] = [
  {
    description:
      'Check that the change can be delivered as a commit in the local repository root, then fetch the repository',
    example: yaml.stringify({
      steps: [
        {
          id: 'delivery',
          name: 'Check the delivery target',
          action: 'paved:delivery:resolve',
          input: { entityRef: 'component:default/orders', target: 'local' },
        },
        {
          id: 'fetch',
          name: 'Fetch the local repository',
          action: 'paved:fetch:local',
          input: { location: '${{ steps.delivery.output.location }}' },
        },
      ],
    }),
  },
  {
    description:
      "Check that a pull request can be opened on the entity's GitHub repository, then fetch it",
    example: yaml.stringify({
      steps: [
        {
          id: 'delivery',
          name: 'Check the delivery target',
          action: 'paved:delivery:resolve',
          input: { entityRef: 'component:default/orders', target: 'scm' },
        },
        {
          id: 'fetch',
          name: 'Fetch the repository',
          action: 'fetch:plain',
          input: { url: '${{ steps.delivery.output.fetchUrl }}' },
        },
      ],
    }),
  },
];
