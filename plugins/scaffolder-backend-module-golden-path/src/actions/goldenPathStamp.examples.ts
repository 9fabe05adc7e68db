import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/**
 * Examples of `paved:golden-path:stamp`, shown on the scaffolder's actions page.
 *
 * @public
 */
export const examples: TemplateExample[] = [
  {
    description:
      'After re-applying the golden path, stamp the service with the current version and list the files its owner changed',
    example: yaml.stringify({
      steps: [
        {
          id: 'build',
          name: 'Re-apply CI and the container image',
          action: 'paved:build:add',
        },
        {
          id: 'stamp',
          name: 'Stamp the current golden-path version',
          action: 'paved:golden-path:stamp',
          input: { results: ['${{ steps.build.output.files }}'] },
        },
      ],
    }),
  },
];
