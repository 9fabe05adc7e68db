import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/**
 * Examples of `paved:maturity:verify`, shown on the scaffolder's actions page.
 *
 * @public
 */
export const examples: TemplateExample[] = [
  {
    description:
      'Require the top level of the default ladder (4, Self-serve) before the service is published',
    example: yaml.stringify({
      steps: [
        {
          id: 'verify',
          name: 'Verify the platform maturity',
          action: 'paved:maturity:verify',
          input: { minLevel: 4 },
        },
      ],
    }),
  },
  {
    description:
      'Score a service in a sub-directory of the workspace without failing the run, and report its level',
    example: yaml.stringify({
      steps: [
        {
          id: 'verify',
          name: 'Score the service',
          action: 'paved:maturity:verify',
          input: { path: 'services/orders' },
        },
      ],
      output: {
        text: [
          {
            title: 'Platform maturity',
            content:
              'Level ${{ steps.verify.output.level }} (${{ steps.verify.output.levelName }}), score ${{ steps.verify.output.score }}',
          },
        ],
      },
    }),
  },
  {
    description:
      'Score one entity of a catalog-info.yaml that declares several Components',
    example: yaml.stringify({
      steps: [
        {
          id: 'verify',
          name: 'Verify the API gateway',
          action: 'paved:maturity:verify',
          input: {
            entityRef: 'component:default/orders-gateway',
            minLevel: 2,
          },
        },
      ],
    }),
  },
];
