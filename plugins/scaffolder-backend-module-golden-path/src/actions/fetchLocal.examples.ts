import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/**
 * Examples of `paved:fetch:local`, shown on the scaffolder's actions page.
 *
 * @public
 */
export const examples: TemplateExample[] = [
  {
    description:
      'Fetch the repository of a locally published entity (its backstage.io/managed-by-location), retrofit it and publish it again as a new commit',
    example: yaml.stringify({
      steps: [
        {
          id: 'entity',
          name: 'Read the entity',
          action: 'catalog:fetch',
          input: { entityRef: 'component:default/orders' },
        },
        {
          id: 'fetch',
          name: 'Fetch its repository',
          action: 'paved:fetch:local',
          input: {
            location:
              "${{ steps.entity.output.entity.metadata.annotations['backstage.io/managed-by-location'] }}",
          },
        },
        {
          id: 'publish',
          name: 'Publish the retrofit',
          action: 'paved:publish:local',
          input: {
            repoName: '${{ steps.fetch.output.repoName }}',
            overwrite: true,
          },
        },
      ],
    }),
  },
  {
    description:
      'Fetch a published repository by its file URL into a sub-directory of the workspace',
    example: yaml.stringify({
      steps: [
        {
          id: 'fetch',
          name: 'Fetch the repository',
          action: 'paved:fetch:local',
          input: {
            location: 'file:///var/lib/paved/repositories/orders',
            targetPath: 'repository',
          },
        },
      ],
    }),
  },
];
