import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/**
 * Examples of `paved:capacity:add`, shown on the scaffolder's actions page.
 *
 * @public
 */
export const examples: TemplateExample[] = [
  {
    description:
      "Autoscale a service and size its pods with the defaults (2-10 pods at 80% CPU; 100m CPU and 128Mi memory requested, 500m and 512Mi limits), in its Helm chart's values when it has one",
    example: yaml.stringify({
      steps: [
        {
          id: 'capacity',
          name: 'Add autoscaling and resources',
          action: 'paved:capacity:add',
          input: { name: 'orders' },
        },
      ],
    }),
  },
  {
    description:
      'Size a busy service: 3 to 30 pods kept at 70% CPU, each requesting a quarter CPU and 256Mi and limited to one CPU and 1Gi',
    example: yaml.stringify({
      steps: [
        {
          id: 'capacity',
          name: 'Add autoscaling and resources',
          action: 'paved:capacity:add',
          input: {
            name: 'checkout',
            minReplicas: 3,
            maxReplicas: 30,
            targetCpuUtilization: 70,
            cpuRequest: '250m',
            memoryRequest: '256Mi',
            cpuLimit: '1',
            memoryLimit: '1Gi',
          },
        },
      ],
    }),
  },
  {
    description:
      'Add capacity to a service in a sub-directory of a monorepo, replacing an earlier setting',
    example: yaml.stringify({
      steps: [
        {
          id: 'capacity',
          name: 'Raise the ceiling of the payments service',
          action: 'paved:capacity:add',
          input: {
            name: 'payments',
            path: 'services/payments',
            maxReplicas: 50,
          },
        },
      ],
    }),
  },
];
