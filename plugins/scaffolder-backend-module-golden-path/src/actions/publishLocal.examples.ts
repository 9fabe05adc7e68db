import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/**
 * Examples of `paved:publish:local`, shown on the scaffolder's actions page.
 *
 * @public
 */
export const examples: TemplateExample[] = [
  {
    description:
      'Publish the workspace as a git repository under goldenPath.localPublish.root and register its catalog-info.yaml, then link to both',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          name: 'Publish locally',
          action: 'paved:publish:local',
          input: { repoName: 'orders' },
        },
      ],
      output: {
        links: [
          { title: 'Repository', url: '${{ steps.publish.output.remoteUrl }}' },
          {
            title: 'Open in catalog',
            icon: 'catalog',
            entityRef: '${{ steps.publish.output.entityRef }}',
          },
        ],
      },
    }),
  },
  {
    description:
      'Publish a retrofit of a repository published before as a new commit, with a chosen author and message',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          name: 'Publish the new capabilities',
          action: 'paved:publish:local',
          input: {
            repoName: 'orders',
            overwrite: true,
            gitCommitMessage: 'Add observability and autoscaling',
            gitAuthorName: 'Platform Team',
            gitAuthorEmail: 'platform@example.com',
          },
        },
      ],
    }),
  },
  {
    description:
      'Publish only a sub-directory of the workspace, without registering it in the catalog',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          name: 'Publish the service directory',
          action: 'paved:publish:local',
          input: {
            repoName: 'orders-service',
            sourcePath: 'services/orders',
            defaultBranch: 'trunk',
            register: false,
          },
        },
      ],
    }),
  },
];
