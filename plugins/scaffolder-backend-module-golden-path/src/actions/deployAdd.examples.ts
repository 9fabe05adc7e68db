import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/**
 * Examples of `paved:deploy:add`, shown on the scaffolder's actions page.
 *
 * @public
 */
export const examples: TemplateExample[] = [
  {
    description:
      'Deploy a new service with a Helm chart on GitHub: release-please versions the releases, a rollback workflow runs helm rollback, and Argo CD is linked in the catalog',
    example: yaml.stringify({
      steps: [
        {
          id: 'deploy',
          name: 'Add deployment as code',
          action: 'paved:deploy:add',
          input: {
            name: 'orders',
            method: 'helm',
            image: 'ghcr.io/acme/orders',
            port: 8080,
            stack: 'node',
            versioning: 'release-please',
            argocdApp: 'orders-production',
          },
        },
      ],
    }),
  },
  {
    description:
      'Deploy with Kustomize from GitLab CI: a base and staging and production overlays, a release per version tag, and a manual rollback job',
    example: yaml.stringify({
      steps: [
        {
          id: 'deploy',
          name: 'Add deployment as code',
          action: 'paved:deploy:add',
          input: {
            name: 'payments',
            method: 'kustomize',
            image: 'registry.gitlab.com/acme/payments',
            ciProvider: 'gitlab-ci',
            versioning: 'git-tags',
            namespace: 'payments',
          },
        },
      ],
    }),
  },
  {
    description:
      'Version a Node.js service with Changesets, taking the image from the catalog entity (github.com/project-slug) written by an earlier step',
    example: yaml.stringify({
      steps: [
        {
          id: 'catalog',
          name: 'Write catalog-info.yaml',
          action: 'paved:catalog:write',
          input: {
            name: 'web',
            owner: 'team-web',
            system: 'storefront',
            repoUrl: 'github.com?owner=acme&repo=web',
          },
        },
        {
          id: 'deploy',
          name: 'Add deployment as code',
          action: 'paved:deploy:add',
          input: { name: 'web', stack: 'node', versioning: 'changesets' },
        },
      ],
    }),
  },
];
