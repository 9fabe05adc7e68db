import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/**
 * Examples of `paved:golden-path:inspect`, shown on the scaffolder's actions page.
 *
 * @public
 */
export const examples: TemplateExample[] = [
  {
    description:
      'Read where the service in the workspace stands against the golden path, then re-apply the capabilities it was made with',
    example: yaml.stringify({
      steps: [
        {
          id: 'inspect',
          name: 'Where the service stands',
          action: 'paved:golden-path:inspect',
        },
        {
          id: 'build',
          name: 'Re-apply CI and the container image',
          if: "${{ 'build' in steps.inspect.output.capabilities }}",
          action: 'paved:build:add',
          input: { name: '${{ steps.inspect.output.entityName }}' },
        },
      ],
    }),
  },
];
