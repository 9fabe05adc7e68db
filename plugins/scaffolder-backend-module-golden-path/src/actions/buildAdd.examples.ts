import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/**
 * Examples of `paved:build:add`, shown on the scaffolder's actions page.
 *
 * @public
 */
export const examples: TemplateExample[] = [
  {
    description:
      'Add a GitHub Actions pipeline to a new Node.js service: tests, a Dockerfile and an image pushed to GitHub Container Registry, tagged with the commit SHA and the release version',
    example: yaml.stringify({
      steps: [
        {
          id: 'build',
          name: 'Add the build pipeline',
          action: 'paved:build:add',
          input: {
            name: 'orders',
            stack: 'node',
            ciProvider: 'github-actions',
            image: 'ghcr.io/acme/orders',
          },
        },
      ],
    }),
  },
  {
    description:
      "Add a GitLab CI pipeline to a Go service, pushing to the project's own container registry, with Renovate for dependency updates",
    example: yaml.stringify({
      steps: [
        {
          id: 'build',
          name: 'Add the build pipeline',
          action: 'paved:build:add',
          input: {
            name: 'payments',
            stack: 'go',
            ciProvider: 'gitlab-ci',
            port: 9000,
          },
        },
      ],
    }),
  },
  {
    description:
      'Retrofit the build capability to an existing Python repository checked out into `service`: only the missing parts are added, and its own Dockerfile is kept',
    example: yaml.stringify({
      steps: [
        {
          id: 'build',
          name: 'Add what the build checks miss',
          action: 'paved:build:add',
          input: {
            path: 'service',
            name: 'billing',
            stack: 'python',
            image: 'registry.example.com/team/billing',
            dependencyUpdates: true,
          },
        },
      ],
    }),
  },
];
