import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/**
 * Examples of `paved:observe:add`, shown on the scaffolder's actions page.
 *
 * @public
 */
export const examples: TemplateExample[] = [
  {
    description:
      'Instrument a new TypeScript service with OpenTelemetry, page its PagerDuty service and show the Grafana dashboards tagged with its name',
    example: yaml.stringify({
      steps: [
        {
          id: 'observe',
          name: 'Add OpenTelemetry, dashboards and on-call',
          action: 'paved:observe:add',
          input: {
            name: 'orders',
            stack: 'node',
            pagerDutyServiceId: 'PX1A2B3',
          },
        },
      ],
    }),
  },
  {
    description:
      'Retrofit a Go service in a sub-directory of a monorepo: its own Grafana selector and Opsgenie team',
    example: yaml.stringify({
      steps: [
        {
          id: 'observe',
          name: 'Add OpenTelemetry to the payments service',
          action: 'paved:observe:add',
          input: {
            name: 'payments',
            stack: 'go',
            path: 'services/payments',
            dashboardSelector: "tags @> 'payments' && tags @> 'slo'",
            opsgenieTeam: 'team-payments',
          },
        },
      ],
    }),
  },
  {
    description:
      'Instrument a Python service whose stack is detected from pyproject.toml or requirements.txt, linking a dashboard of any monitoring tool',
    example: yaml.stringify({
      steps: [
        {
          id: 'observe',
          name: 'Add OpenTelemetry',
          action: 'paved:observe:add',
          input: {
            name: 'recommendations',
            stack: 'python',
            dashboardUrl:
              'https://app.datadoghq.com/dashboard/abc-123/recommendations',
            opsgenieTeam: 'team-ml',
          },
        },
      ],
    }),
  },
];
