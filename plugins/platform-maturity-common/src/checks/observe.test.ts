import { checkResult, serviceEntity } from '../testing/fixtures';

const annotated = (annotations: Record<string, string>) =>
  serviceEntity({ metadata: { annotations } });

describe('observe checks', () => {
  describe('observe.instrumentation', () => {
    it.each([
      [
        'package.json',
        '{\n  "name": "orders",\n  "dependencies": {\n    "express": "^4.19.2",\n    "@opentelemetry/sdk-node": "^0.52.1"\n  }\n}',
        5,
      ],
      [
        'package.json',
        '{\n  "dependencies": {\n    "@opentelemetry/api": "^1.9.0"\n  }\n}',
        3,
      ],
      [
        'services/orders/package.json',
        '{\n  "dependencies": {\n    "@opentelemetry/auto-instrumentations-node": "^0.48.0"\n  }\n}',
        3,
      ],
      [
        'package.json',
        '{\n  "dependencies": {\n    "next": "14.2.0",\n    "@vercel/otel": "^1.9.1"\n  }\n}',
        4,
      ],
      [
        'go.mod',
        'module github.com/acme/orders\n\ngo 1.22\n\nrequire (\n\tgithub.com/go-chi/chi/v5 v5.0.12\n\tgo.opentelemetry.io/otel v1.28.0\n\tgo.opentelemetry.io/otel/sdk v1.28.0\n)\n',
        7,
      ],
      [
        'requirements.txt',
        'flask==3.0.3\nopentelemetry-distro[otlp]==0.47b0\n',
        2,
      ],
      [
        'pyproject.toml',
        '[project]\nname = "orders"\ndependencies = [\n    "fastapi>=0.110",\n    "opentelemetry-sdk>=1.25",\n]\n',
        5,
      ],
      [
        'Pipfile',
        '[packages]\ndjango = "*"\nopentelemetry-instrumentation-django = "*"\n',
        3,
      ],
      [
        'setup.py',
        'setup(name="orders", install_requires=["flask", "opentelemetry-sdk"])\n',
        1,
      ],
      [
        'pom.xml',
        '<project>\n  <dependencies>\n    <dependency>\n      <groupId>io.opentelemetry</groupId>\n      <artifactId>opentelemetry-api</artifactId>\n    </dependency>\n  </dependencies>\n</project>\n',
        4,
      ],
      [
        'build.gradle.kts',
        'dependencies {\n    implementation("io.opentelemetry.instrumentation:opentelemetry-spring-boot-starter")\n}\n',
        2,
      ],
      [
        'src/Orders.Api/Orders.Api.csproj',
        '<Project Sdk="Microsoft.NET.Sdk.Web">\n  <ItemGroup>\n    <PackageReference Include="OpenTelemetry.Extensions.Hosting" Version="1.9.0" />\n  </ItemGroup>\n</Project>\n',
        3,
      ],
      [
        'Cargo.toml',
        '[dependencies]\naxum = "0.7"\nopentelemetry = "0.24"\nopentelemetry_sdk = { version = "0.24", features = ["rt-tokio"] }\n',
        3,
      ],
      [
        'Gemfile',
        "source 'https://rubygems.org'\ngem 'rails', '~> 7.1'\ngem 'opentelemetry-sdk'\n",
        3,
      ],
      [
        'composer.json',
        '{\n  "require": {\n    "open-telemetry/sdk": "^1.0"\n  }\n}',
        3,
      ],
      [
        'mix.exs',
        'defp deps do\n  [\n    {:opentelemetry, "~> 1.4"},\n  ]\nend\n',
        3,
      ],
    ])(
      'passes when %s declares an OpenTelemetry SDK',
      (path, content, line) => {
        const result = checkResult('observe.instrumentation', {
          files: { [path]: content, 'README.md': '# orders' },
        });
        expect(result.status).toBe('pass');
        expect(result.message).toContain(path);
        expect(result.evidence).toEqual([
          expect.objectContaining({ type: 'file', ref: path, line }),
        ]);
      },
    );

    it.each([
      [
        'Dockerfile',
        'FROM eclipse-temurin:21-jre\nADD https://github.com/open-telemetry/opentelemetry-java-instrumentation/releases/latest/download/opentelemetry-javaagent.jar /otel/\nENV JAVA_TOOL_OPTIONS="-javaagent:/otel/opentelemetry-javaagent.jar"\n',
      ],
      [
        'docker/api.Dockerfile',
        'FROM python:3.12-slim\nRUN pip install -r requirements.lock\nCMD ["opentelemetry-instrument", "gunicorn", "app:app"]\n',
      ],
    ])('passes when %s starts an OpenTelemetry agent', (path, content) => {
      const result = checkResult('observe.instrumentation', {
        files: { [path]: content },
      });
      expect(result.status).toBe('pass');
      expect(result.evidence[0].ref).toBe(path);
    });

    it('passes when the Helm chart asks the OpenTelemetry operator to inject the agent', () => {
      const result = checkResult('observe.instrumentation', {
        files: {
          'charts/orders/values.yaml':
            'podAnnotations:\n  instrumentation.opentelemetry.io/inject-java: "true"\n',
          'pom.xml': '<project></project>',
        },
      });
      expect(result.status).toBe('pass');
      expect(result.evidence[0]).toMatchObject({
        ref: 'charts/orders/values.yaml',
        line: 2,
      });
    });

    it('passes without the repository when the entity carries the operator annotation', () => {
      const result = checkResult('observe.instrumentation', {
        entity: annotated({
          'instrumentation.opentelemetry.io/inject-python':
            'observability/python',
        }),
      });
      expect(result.status).toBe('pass');
      expect(result.evidence).toEqual([
        {
          type: 'annotation',
          ref: 'instrumentation.opentelemetry.io/inject-python',
          detail: 'observability/python',
        },
      ]);
    });

    it('fails when the service only exposes Prometheus metrics', () => {
      const result = checkResult('observe.instrumentation', {
        files: {
          'package.json':
            '{\n  "dependencies": {\n    "express": "^4.19.2",\n    "prom-client": "^15.1.0"\n  }\n}',
        },
      });
      expect(result.status).toBe('fail');
      expect(result.message).toMatch(/No OpenTelemetry SDK/);
      expect(result.message).toContain('package.json');
    });

    it('fails when OpenTelemetry is only an indirect Go dependency', () => {
      const result = checkResult('observe.instrumentation', {
        files: {
          'go.mod':
            'module github.com/acme/orders\n\nrequire (\n\tgoogle.golang.org/grpc v1.64.0\n\tgo.opentelemetry.io/otel v1.24.0 // indirect\n)\n',
        },
      });
      expect(result.status).toBe('fail');
    });

    it('ignores manifests of vendored dependencies', () => {
      const result = checkResult('observe.instrumentation', {
        files: {
          'package.json': '{ "dependencies": { "express": "^4" } }',
          'node_modules/some-sdk/package.json':
            '{ "dependencies": { "@opentelemetry/api": "^1.9.0" } }',
        },
      });
      expect(result.status).toBe('fail');
    });

    it('does not count an operator annotation that switches injection off', () => {
      const entity = annotated({
        'instrumentation.opentelemetry.io/inject-java': 'false',
      });
      expect(checkResult('observe.instrumentation', { entity }).status).toBe(
        'unknown',
      );
      expect(
        checkResult('observe.instrumentation', {
          entity,
          files: {
            'k8s/deployment.yaml':
              'metadata:\n  annotations:\n    instrumentation.opentelemetry.io/inject-java: "false"\n',
          },
        }).status,
      ).toBe('fail');
    });

    it('is unknown when the repository could not be read', () => {
      const result = checkResult('observe.instrumentation', {});
      expect(result.status).toBe('unknown');
      expect(result.message).toMatch(/OpenTelemetry/);
    });
  });

  describe('observe.dashboards', () => {
    it.each([
      ['grafana/dashboard-selector', "tags @> 'orders'", 'Grafana'],
      [
        'grafana/overview-dashboard',
        'https://grafana.acme.io/d/abc123/orders',
        'Grafana',
      ],
      [
        'datadoghq.com/dashboard-url',
        'https://p.datadoghq.com/sb/abc-123',
        'Datadog',
      ],
      [
        'newrelic.com/dashboard-guid',
        'MTIzNDU2fFZJWnxEQVNIQk9BUkR8ZGE6MTIz',
        'New Relic',
      ],
      ['prometheus.io/alert', 'all', 'Prometheus'],
      [
        'dynatrace.com/dynatrace-entity-id',
        'SERVICE-0123456789ABCDEF',
        'Dynatrace',
      ],
      ['sentry.io/project-slug', 'orders', 'Sentry'],
      ['honeycomb.io/dataset', 'orders', 'Honeycomb'],
    ])(
      'passes with the %s annotation, without the repository',
      (key, value, tool) => {
        const result = checkResult('observe.dashboards', {
          entity: annotated({ [key]: value }),
        });
        expect(result.status).toBe('pass');
        expect(result.message).toContain(tool);
        expect(result.evidence).toEqual([
          { type: 'annotation', ref: key, detail: value },
        ]);
      },
    );

    it.each([
      [{ url: 'https://grafana.acme.io/d/abc123/orders', title: 'Orders' }],
      [
        {
          url: 'https://app.datadoghq.eu/dashboard/xyz-123',
          title: 'Service overview',
        },
      ],
      [
        {
          url: 'https://metrics.acme.io/orders',
          title: 'Monitoring',
          type: 'dashboard',
        },
      ],
    ])('passes with a monitoring link %#', link => {
      const result = checkResult('observe.dashboards', {
        entity: serviceEntity({
          metadata: {
            links: [
              { url: 'https://wiki.acme.io/orders', title: 'Wiki' },
              link,
            ],
          },
        }),
      });
      expect(result.status).toBe('pass');
      expect(result.evidence).toEqual([
        { type: 'field', ref: 'metadata.links[1]', detail: link.url },
      ]);
    });

    it.each([
      [
        'monitoring/grafana/dashboards/orders.json',
        '{\n  "title": "Orders",\n  "panels": [\n    { "type": "timeseries" }\n  ]\n}',
      ],
      ['monitoring/orders.dashboard.json', '{}'],
      [
        'monitoring/dashboards.jsonnet',
        "local grafana = import 'grafonnet/grafana.libsonnet';\ngrafana.dashboard.new('Orders')\n",
      ],
      [
        'k8s/prometheusrule.yaml',
        'apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: orders\n',
      ],
      [
        'charts/orders/templates/servicemonitor.yaml',
        '{{- if .Values.serviceMonitor.enabled }}\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\n',
      ],
      [
        'alerts/orders-alerts.yml',
        'groups:\n  - name: orders\n    rules:\n      - alert: OrdersHighErrorRate\n        expr: rate(http_requests_total{code=~"5.."}[5m]) > 0.05\n',
      ],
      [
        'infra/monitoring.tf',
        'resource "datadog_monitor" "orders_errors" {\n  name = "Orders error rate"\n}\n',
      ],
    ])('passes with %s defined as code', (path, content) => {
      const result = checkResult('observe.dashboards', {
        files: { [path]: content, 'src/index.ts': '' },
      });
      expect(result.status).toBe('pass');
      expect(result.evidence[0].ref).toBe(path);
    });

    it('fails with only a runbook link, an empty annotation and unrelated files', () => {
      const result = checkResult('observe.dashboards', {
        entity: serviceEntity({
          metadata: {
            annotations: { 'grafana/dashboard-selector': '  ' },
            links: [
              { url: 'https://wiki.acme.io/orders/runbook', title: 'Runbook' },
            ],
          },
        }),
        files: {
          'k8s/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\n',
          'src/dashboards/orders.json': '{ "columns": [] }',
          'infra/main.tf': 'resource "aws_s3_bucket" "orders" {}\n',
        },
      });
      expect(result.status).toBe('fail');
      expect(result.message).toMatch(/No dashboard or alert/);
    });

    it.each([
      [
        {
          url: 'https://acme.slack.com/archives/C01/grafana-alerts',
          title: 'Grafana alerts channel',
        },
      ],
      [
        {
          url: 'https://github.com/acme/datadog-dashboards/issues',
          title: 'Dashboard issues',
        },
      ],
      [
        {
          url: 'https://acme.atlassian.net/browse/GRAFANA-12',
          title: 'Ticket',
        },
      ],
      [{ url: 'https://wiki.acme.io/teams/grafana-guild', title: 'Guild' }],
    ])(
      'does not count a chat, tracker or wiki link naming a vendor as a dashboard %#',
      link => {
        const result = checkResult('observe.dashboards', {
          entity: serviceEntity({ metadata: { links: [link] } }),
          files: { 'README.md': '' },
        });
        expect(result.status).toBe('fail');
      },
    );

    it('matches a monitoring link by its host, not its title', () => {
      const result = checkResult('observe.dashboards', {
        entity: serviceEntity({
          metadata: {
            links: [
              { url: 'https://acme.grafana.net/d/x1/orders', title: 'Orders' },
            ],
          },
        }),
      });
      expect(result.status).toBe('pass');
    });

    it('does not count an on-call annotation as a dashboard', () => {
      const result = checkResult('observe.dashboards', {
        entity: annotated({ 'splunk.com/on-call-routing-key': 'orders' }),
        files: { 'README.md': '' },
      });
      expect(result.status).toBe('fail');
    });

    it('is unknown when nothing is linked and the repository could not be read', () => {
      expect(checkResult('observe.dashboards', {}).status).toBe('unknown');
    });
  });

  describe('observe.oncall', () => {
    it.each([
      [
        'pagerduty.com/integration-key',
        'a1b2c3d4e5f60718293a4b5c6d7e8f90',
        'PagerDuty',
      ],
      ['pagerduty.com/service-id', 'PABC123', 'PagerDuty'],
      ['opsgenie.com/team', 'orders-team', 'Opsgenie'],
      ['opsgenie.com/component-selector', 'tag:orders', 'Opsgenie'],
      ['splunk.com/on-call-routing-key', 'orders', 'Splunk On-Call'],
      ['incident.io/catalog-entry-id', '01HXYZ', 'incident.io'],
      ['firehydrant.com/service-name', 'orders', 'FireHydrant'],
      ['grafana/oncall-team', 'orders', 'Grafana OnCall'],
    ])('passes with %s', (key, value, tool) => {
      const result = checkResult('observe.oncall', {
        entity: annotated({ [key]: value }),
      });
      expect(result.status).toBe('pass');
      expect(result.message).toContain(tool);
      expect(result.evidence).toEqual([
        { type: 'annotation', ref: key, detail: value },
      ]);
    });

    it('fails when the on-call annotation is empty, and says so', () => {
      const result = checkResult('observe.oncall', {
        entity: annotated({ 'pagerduty.com/service-id': '' }),
      });
      expect(result.status).toBe('fail');
      expect(result.message).toMatch(
        /pagerduty\.com\/service-id is set but empty/,
      );
      expect(result.nearMisses).toEqual([
        {
          type: 'annotation',
          ref: 'pagerduty.com/service-id',
          reason: 'is set but empty, so it routes pages nowhere',
        },
      ]);
    });

    it('fails with only monitoring annotations and names the annotations that would satisfy it', () => {
      const result = checkResult('observe.oncall', {
        entity: annotated({ 'grafana/dashboard-selector': 'orders' }),
        files: { 'README.md': '' },
      });
      expect(result.status).toBe('fail');
      expect(result.message).toMatch(/No on-call route/);
      expect(result.message).toContain('pagerduty.com/service-id');
      expect(result.message).toContain('opsgenie.com/team');
    });

    it('tolerates annotations that are not strings', () => {
      const entity = serviceEntity({
        metadata: {
          annotations: { 'pagerduty.com/service-id': 42 } as unknown as Record<
            string,
            string
          >,
        },
      });
      expect(checkResult('observe.oncall', { entity }).status).toBe('fail');
    });
  });
  describe('observe.dashboards: the forms seen in real repositories', () => {
    it.each([
      [
        'a portal dashboard named for the monitoring module in Bicep',
        "module monitoring 'br/public:avm/ptn/azd/monitoring:0.1.0' = {\n  params: {\n    applicationInsightsDashboardName: 'dash-shop'\n  }\n}\n",
      ],
      [
        'a metric alert resource in Bicep',
        "resource slow 'Microsoft.Insights/metricAlerts@2018-03-01' = {\n  name: 'slow-requests'\n}\n",
      ],
    ])('passes with %s', (_name, content) => {
      const result = checkResult('observe.dashboards', {
        files: { 'infra/main.bicep': content },
      });
      expect(result.status).toBe('pass');
      expect(result.evidence[0].ref).toBe('infra/main.bicep');
    });

    it('does not take a dashboard name declared as a parameter and never used', () => {
      const result = checkResult('observe.dashboards', {
        files: {
          'infra/main.bicep':
            "param applicationInsightsDashboardName string = ''\n",
        },
      });
      expect(result.status).toBe('fail');
    });
  });
});
