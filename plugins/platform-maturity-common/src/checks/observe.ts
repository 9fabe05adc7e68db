import type { Entity } from '@backstage/catalog-model';
import type { CheckImplementation } from '../engine/checkTypes';
import type { Evidence, NearMiss } from '../types';
import {
  annotationEvidence,
  annotations,
  fail,
  fileEvidence,
  findAnnotation,
  listPaths,
  matchEvidence,
  nearMissFile,
  pass,
  rejectedNote,
  repositoryUnavailable,
} from './helpers';
import {
  DEPENDENCY_MANIFEST_GLOBS,
  DependencyPatterns,
  findDependency,
  findOwnFiles,
  manifestsPresent,
  searchOwnFiles,
} from './manifests';

// ---------------------------------------------------------------------------------------------
// observe.instrumentation
// ---------------------------------------------------------------------------------------------

/** OpenTelemetry SDKs, APIs, auto-instrumentation and vendor distributions of them. */
const OPENTELEMETRY_DEPENDENCIES: DependencyPatterns = {
  npm: /"(?:@opentelemetry\/(?:api|sdk-[\w-]+|auto-instrumentations-[\w-]+|instrumentation(?:-[\w-]+)?|exporter-[\w-]+)|@vercel\/otel|@splunk\/otel|@honeycombio\/opentelemetry-node|@azure\/monitor-opentelemetry)"[ \t]*:/,
  // A direct requirement: lines marked `// indirect` come from other modules.
  Go: /^[ \t]*(?:require[ \t]+)?go\.opentelemetry\.io\/(?:otel|contrib)\S*[ \t]+v\S+[ \t]*\r?$/m,
  Python:
    /(?:^|[[,])[ \t]*["']?(?:opentelemetry[-_](?:api|sdk|distro|instrumentation|exporter)|azure-monitor-opentelemetry|splunk-opentelemetry|honeycomb-opentelemetry)\b/im,
  Java: /\bio\.opentelemetry\b|opentelemetry-javaagent|micrometer-tracing-bridge-otel/,
  '.NET':
    /\b(?:Include|Update|id)[ \t]*=[ \t]*"(?:Azure\.Monitor\.)?OpenTelemetry\b/i,
  Rust: /^[ \t]*(?:opentelemetry(?:[_-][\w-]+)?|tracing-opentelemetry)[ \t]*=|^\[(?:[\w-]+\.)*dependencies\.(?:opentelemetry[\w-]*|tracing-opentelemetry)\]/m,
  Ruby: /["']opentelemetry-(?:sdk|api|instrumentation|exporter)[\w-]*["']/,
  PHP: /"open-telemetry\/[\w-]+"[ \t]*:/,
  Elixir: /\{:opentelemetry(?:_\w+)?[ \t]*,/,
};

/** Container images that start the service with an OpenTelemetry agent. */
const DOCKERFILE_GLOBS: readonly string[] = [
  '**/Dockerfile',
  '**/*.Dockerfile',
  '**/*.dockerfile',
  '**/Containerfile',
];
const AUTO_INSTRUMENTATION_AGENT =
  /opentelemetry-javaagent|\bopentelemetry-instrument\b|@opentelemetry\/auto-instrumentations-node|otel-dotnet-auto-install|OTEL_DOTNET_AUTO_HOME/;

/** Kubernetes manifests and Helm charts, where the OpenTelemetry operator's annotations live. */
const WORKLOAD_YAML_GLOBS: readonly string[] = [
  '**/templates/**/*.{yaml,yml}',
  '**/values*.{yaml,yml}',
  '**/@(k8s|kubernetes|kube|manifests|deploy|deployment|deployments|kustomize|overlays|base)/**/*.{yaml,yml}',
];

/** The OpenTelemetry operator's injection annotation, switched on. */
const OPERATOR_ANNOTATION_PREFIX = 'instrumentation.opentelemetry.io/inject-';
const OPERATOR_INJECTION =
  /^[ \t]*["']?instrumentation\.opentelemetry\.io\/inject-[\w-]+["']?[ \t]*:[ \t]*["']?(?!false\b)[\w./-]+/m;

const INSTRUMENTATION_READS: readonly string[] = [
  ...DEPENDENCY_MANIFEST_GLOBS,
  ...DOCKERFILE_GLOBS,
  ...WORKLOAD_YAML_GLOBS,
];

/** An OpenTelemetry operator injection annotation on the entity that is switched on. */
function operatorAnnotation(
  entity: Entity,
): { key: string; value: string } | undefined {
  for (const [key, value] of Object.entries(annotations(entity))) {
    if (
      key.startsWith(OPERATOR_ANNOTATION_PREFIX) &&
      typeof value === 'string' &&
      value.trim() &&
      value.trim().toLowerCase() !== 'false'
    ) {
      return { key, value };
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// observe.dashboards
// ---------------------------------------------------------------------------------------------

/** Annotations of the monitoring plugins, with the tool they link to. */
const DASHBOARD_ANNOTATIONS: ReadonlyArray<{ keys: string[]; tool: string }> = [
  {
    tool: 'Grafana',
    keys: [
      'grafana/dashboard-selector',
      'grafana/overview-dashboard',
      'grafana/alert-label-selector',
    ],
  },
  {
    tool: 'Datadog',
    keys: ['datadoghq.com/dashboard-url', 'datadoghq.com/graph-token'],
  },
  { tool: 'New Relic', keys: ['newrelic.com/dashboard-guid'] },
  { tool: 'Honeycomb', keys: ['honeycomb.io/'] },
  { tool: 'Prometheus', keys: ['prometheus.io/rule', 'prometheus.io/alert'] },
  { tool: 'Dynatrace', keys: ['dynatrace.com/'] },
  { tool: 'Splunk Observability', keys: ['signalfx.com/'] },
  { tool: 'Sentry', keys: ['sentry.io/project-slug'] },
];

/** Splunk annotations other than Splunk On-Call's, which route pages rather than show data. */
const SPLUNK_PREFIX = 'splunk.com/';
const SPLUNK_ON_CALL = 'splunk.com/on-call-';

/** A link whose type, title or icon says it is about monitoring. */
const MONITORING_LINK_TEXT =
  /dashboard|grafana|datadog|monitoring|metrics|observability|\balert|new ?relic|honeycomb|dynatrace|kibana|splunk|sentry/i;
/**
 * The host of a monitoring tool, matched on the link's host name only (a vendor's name in a chat
 * channel or a ticket's path is not a dashboard): the vendors' SaaS domains, and self-hosted tools
 * whose host name has a label such as `grafana` or `kibana`.
 */
const MONITORING_HOST =
  /(?:^|\.)(?:grafana\.net|grafana\.com|datadoghq\.(?:com|eu)|ddog-gov\.com|newrelic\.com|honeycomb\.io|dynatrace\.com|signalfx\.com|splunkcloud\.com|sentry\.io|lightstep\.com|chronosphere\.io|elastic-cloud\.com|coralogix\.com|logz\.io)$|(?:^|[.-])(?:grafana|kibana|prometheus|alertmanager|thanos|jaeger|tempo|loki|zipkin|signoz|uptrace|opensearch-dashboards)(?:[.-]|$)/i;
/** CloudWatch is a path of the AWS console, whose other paths are not monitoring. */
const CLOUDWATCH_CONSOLE = /(?:^|\.)console\.aws\.amazon\.com$/i;
/** Chat, issue trackers and code hosts: their links are never a dashboard, whatever they name. */
const NOT_MONITORING_HOST =
  /(?:^|\.)(?:slack\.com|discord\.(?:com|gg)|teams\.microsoft\.com|chat\.google\.com|zulipchat\.com|mattermost\.com|github\.com|gitlab\.com|bitbucket\.org|atlassian\.net|atlassian\.com|linear\.app|youtrack\.cloud|notion\.so|confluence\.[\w.-]+|jira\.[\w.-]+)$/i;

/** Whether a link's URL points at a monitoring tool, judged by its host. */
function monitoringUrl(url: string): 'yes' | 'no' | 'unsure' {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'unsure';
  }
  const host = parsed.hostname;
  if (NOT_MONITORING_HOST.test(host)) {
    return 'no';
  }
  if (
    MONITORING_HOST.test(host) ||
    (CLOUDWATCH_CONSOLE.test(host) && parsed.pathname.startsWith('/cloudwatch'))
  ) {
    return 'yes';
  }
  return 'unsure';
}

/** Dashboards exported as JSON (Grafana panels, Datadog or New Relic widgets). */
const DASHBOARD_JSON_GLOBS: readonly string[] = [
  '**/dashboards/**/*.json',
  '**/grafana/**/*.json',
  '**/*-dashboard.json',
  '**/dashboard.json',
];
const DASHBOARD_JSON = /"(?:panels|widgets)"[ \t]*:/;
/** Dashboards named as such. */
const NAMED_DASHBOARD_GLOBS: readonly string[] = ['**/*.dashboard.json'];

/** Grafonnet dashboards and monitoring mixins. */
const JSONNET_GLOBS: readonly string[] = ['**/*.jsonnet', '**/*.libsonnet'];
const JSONNET_DASHBOARD =
  /grafonnet|grafana-builder|\bgrafanaDashboards\b|\bprometheus(?:Alerts|Rules)\b|\bdashboard\.new\(/;

/** Prometheus, Grafana, VictoriaMetrics and Datadog operator resources, and Prometheus rule files. */
const MONITORING_YAML_GLOBS: readonly string[] = [
  ...WORKLOAD_YAML_GLOBS,
  '**/@(monitoring|observability|alerts|alerting|prometheus|rules|slos)/**/*.{yaml,yml}',
  '**/*{monitor,rule,rules,alert,alerts,slo,slos}.{yaml,yml}',
];
const MONITORING_RESOURCE =
  /^kind:[ \t]*["']?(?:PrometheusRule|ServiceMonitor|PodMonitor|Probe|GrafanaDashboard|GrafanaAlertRuleGroup|VMRule|VMServiceScrape|VMPodScrape|DatadogMonitor|DatadogDashboard|PrometheusServiceLevel)\b|^[ \t]*-[ \t]+alert:[ \t]*["']?\w/m;

/** Terraform resources of dashboards and alerts. */
const TERRAFORM_GLOBS: readonly string[] = ['**/*.tf'];
const TERRAFORM_MONITORING =
  /^[ \t]*resource[ \t]+"(?:datadog_(?:dashboard(?:_json)?|monitor(?:_json)?|service_level_objective)|grafana_(?:dashboard|rule_group)|newrelic_(?:one_dashboard(?:_json)?|alert_policy|nrql_alert_condition)|aws_cloudwatch_(?:dashboard|metric_alarm|composite_alarm)|google_monitoring_(?:dashboard|alert_policy)|azurerm_(?:portal_dashboard|monitor_metric_alert)|honeycombio_(?:board|trigger)|signalfx_(?:dashboard|detector)|dynatrace_(?:dashboard|json_dashboard)|sentry_(?:issue_alert|metric_alert))"/m;

/**
 * Bicep portal dashboards, workbooks and alerts: the resources, or the dashboard name given to a
 * monitoring module (the Azure Developer CLI's `applicationInsightsDashboardName`).
 */
const BICEP_GLOBS: readonly string[] = ['**/*.bicep'];
const BICEP_MONITORING =
  /'Microsoft\.(?:Portal\/dashboards|Insights\/(?:metricAlerts|scheduledQueryRules|activityLogAlerts|workbooks)|Dashboard\/grafana)@|^[ \t]+(?:applicationInsightsDashboardName|dashboardName):[ \t]*\S/m;

const DASHBOARD_SEARCHES: ReadonlyArray<{
  name: string;
  globs: readonly string[];
  pattern: RegExp;
}> = [
  {
    name: 'Dashboard JSON',
    globs: DASHBOARD_JSON_GLOBS,
    pattern: DASHBOARD_JSON,
  },
  { name: 'Grafonnet', globs: JSONNET_GLOBS, pattern: JSONNET_DASHBOARD },
  {
    name: 'Monitoring resource',
    globs: MONITORING_YAML_GLOBS,
    pattern: MONITORING_RESOURCE,
  },
  { name: 'Terraform', globs: TERRAFORM_GLOBS, pattern: TERRAFORM_MONITORING },
  { name: 'Bicep', globs: BICEP_GLOBS, pattern: BICEP_MONITORING },
];

const DASHBOARD_READS: readonly string[] = [
  ...new Set(DASHBOARD_SEARCHES.flatMap(s => s.globs)),
];

/** The first monitoring annotation (non-empty) on the entity, with its tool. */
function dashboardAnnotation(
  entity: Entity,
): { key: string; value: string; tool: string } | undefined {
  for (const { keys, tool } of DASHBOARD_ANNOTATIONS) {
    const found = findAnnotation(entity, keys);
    if (found) {
      return { key: found.key, value: found.value, tool };
    }
  }
  for (const [key, value] of Object.entries(annotations(entity))) {
    if (
      key.startsWith(SPLUNK_PREFIX) &&
      !key.startsWith(SPLUNK_ON_CALL) &&
      typeof value === 'string' &&
      value.trim()
    ) {
      return { key, value, tool: 'Splunk' };
    }
  }
  return undefined;
}

/** The first of the entity's links that points at a dashboard or monitoring tool. */
function dashboardLink(
  entity: Entity,
): { index: number; url: string; title?: string } | undefined {
  const links: unknown = entity?.metadata?.links;
  if (!Array.isArray(links)) {
    return undefined;
  }
  for (let index = 0; index < links.length; index++) {
    const link = links[index];
    if (!link || typeof link !== 'object') {
      continue;
    }
    const { url, title, type, icon } = link as Record<string, unknown>;
    if (typeof url !== 'string' || !url.trim()) {
      continue;
    }
    const text = [title, type, icon]
      .filter(t => typeof t === 'string')
      .join(' ');
    const byHost = monitoringUrl(url);
    if (
      byHost === 'yes' ||
      (byHost === 'unsure' && MONITORING_LINK_TEXT.test(text))
    ) {
      return {
        index,
        url,
        title: typeof title === 'string' ? title : undefined,
      };
    }
  }
  return undefined;
}

/**
 * The links of the entity that are not dashboards, with why: asked only when no link is one, so
 * every link with a URL is a near-miss.
 */
function rejectedLinks(entity: Entity): NearMiss[] {
  const links: unknown = entity?.metadata?.links;
  if (!Array.isArray(links)) {
    return [];
  }
  const rejected: NearMiss[] = [];
  links.forEach((link, index) => {
    const url = (link as Record<string, unknown> | null)?.url;
    if (typeof url !== 'string' || !url.trim()) {
      return;
    }
    rejected.push({
      type: 'field',
      ref: `metadata.links[${index}]`,
      detail: url.slice(0, 160),
      reason:
        monitoringUrl(url) === 'no'
          ? `points at ${hostOf(
              url,
            )}, a chat, issue-tracker or code host, not a monitoring product`
          : `points at ${hostOf(
              url,
            )}, which is not a known monitoring product, and its title, type and icon do not say dashboard or monitoring`,
    });
  });
  return rejected;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname || url;
  } catch {
    return 'an address that is not a URL';
  }
}

// ---------------------------------------------------------------------------------------------
// observe.oncall
// ---------------------------------------------------------------------------------------------

/** Annotations of the on-call and incident tools, with the tool. A key ending in `/` is a prefix. */
const ONCALL_ANNOTATIONS: ReadonlyArray<{ keys: string[]; tool: string }> = [
  {
    tool: 'PagerDuty',
    keys: ['pagerduty.com/integration-key', 'pagerduty.com/service-id'],
  },
  {
    tool: 'Opsgenie',
    keys: ['opsgenie.com/team', 'opsgenie.com/component-selector'],
  },
  {
    tool: 'Splunk On-Call',
    keys: ['splunk.com/on-call-routing-key', 'splunk.com/on-call-team'],
  },
  { tool: 'incident.io', keys: ['incident.io/'] },
  { tool: 'FireHydrant', keys: ['firehydrant.com/service-name'] },
  { tool: 'Rootly', keys: ['rootly.com/'] },
  { tool: 'ilert', keys: ['ilert.com/'] },
];
/** Grafana OnCall has no single well-known key; any `grafana/oncall*` annotation routes pages. */
const GRAFANA_ONCALL_PREFIX = 'grafana/oncall';
const ONCALL_KEYS_FOR_MESSAGE = [
  'pagerduty.com/service-id',
  'pagerduty.com/integration-key',
  'opsgenie.com/team',
  'opsgenie.com/component-selector',
  'splunk.com/on-call-routing-key',
  'incident.io/*',
  'firehydrant.com/service-name',
  'rootly.com/*',
  'ilert.com/*',
  'grafana/oncall*',
];

function isOnCallKey(key: string): boolean {
  return (
    key.startsWith(GRAFANA_ONCALL_PREFIX) ||
    ONCALL_ANNOTATIONS.some(({ keys }) =>
      keys.some(k => (k.endsWith('/') ? key.startsWith(k) : key === k)),
    )
  );
}

function onCallAnnotation(
  entity: Entity,
): { key: string; value: string; tool: string } | undefined {
  for (const { keys, tool } of ONCALL_ANNOTATIONS) {
    const found = findAnnotation(entity, keys);
    if (found) {
      return { key: found.key, value: found.value, tool };
    }
  }
  for (const [key, value] of Object.entries(annotations(entity))) {
    if (
      key.startsWith(GRAFANA_ONCALL_PREFIX) &&
      typeof value === 'string' &&
      value.trim()
    ) {
      return { key, value, tool: 'Grafana OnCall' };
    }
  }
  return undefined;
}

function evidenceOf(found: { key: string; value: string }): Evidence[] {
  return [annotationEvidence(found.key, found.value)];
}

/** Checks of the `observe` capability. */
export const observeChecks: CheckImplementation[] = [
  {
    id: 'observe.instrumentation',
    capability: 'observe',
    title: 'Instrumented with OpenTelemetry',
    description:
      'The service depends on an OpenTelemetry SDK or auto-instrumentation (npm, Go, Python, Java, .NET, Rust, Ruby, PHP or Elixir manifests, or the Java agent in the Dockerfile), or the OpenTelemetry operator injects it (an instrumentation.opentelemetry.io/inject-* annotation on the entity or its pods), so traces and metrics are there when something goes wrong.',
    weight: 2,
    evidence: 'entity+repository',
    version: '2',
    reads: INSTRUMENTATION_READS,
    evaluate({ entity, repository }) {
      const injected = operatorAnnotation(entity);
      if (injected) {
        return pass(
          `The OpenTelemetry operator injects auto-instrumentation (${injected.key}: ${injected.value}).`,
          evidenceOf(injected),
        );
      }
      if (!repository) {
        return repositoryUnavailable('OpenTelemetry instrumentation');
      }
      const dependency = findDependency(repository, OPENTELEMETRY_DEPENDENCIES);
      if (dependency) {
        return pass(
          `${dependency.path} depends on OpenTelemetry: \`${dependency.text}\`.`,
          [matchEvidence(dependency)],
        );
      }
      const agent = searchOwnFiles(
        repository,
        DOCKERFILE_GLOBS,
        AUTO_INSTRUMENTATION_AGENT,
      );
      if (agent) {
        return pass(
          `${agent.path} starts the service with OpenTelemetry auto-instrumentation: \`${agent.text}\`.`,
          [matchEvidence(agent)],
        );
      }
      const operator = searchOwnFiles(
        repository,
        WORKLOAD_YAML_GLOBS,
        OPERATOR_INJECTION,
      );
      if (operator) {
        return pass(
          `The OpenTelemetry operator injects auto-instrumentation (${operator.path}: \`${operator.text}\`).`,
          [matchEvidence(operator)],
        );
      }
      const manifests = manifestsPresent(repository);
      return fail(
        manifests.length > 0
          ? `No OpenTelemetry SDK in the dependency manifests (${listPaths(
              manifests,
            )}), no OpenTelemetry agent in a Dockerfile and no instrumentation.opentelemetry.io/inject-* annotation.`
          : 'No dependency manifest declares an OpenTelemetry SDK, no Dockerfile starts an OpenTelemetry agent and no instrumentation.opentelemetry.io/inject-* annotation asks the operator to inject one.',
        [],
        manifests.map(path =>
          nearMissFile(
            path,
            'declares no OpenTelemetry SDK or instrumentation',
          ),
        ),
      );
    },
  },
  {
    id: 'observe.dashboards',
    capability: 'observe',
    title: 'Dashboards and alerts are linked',
    description:
      'The catalog entry links the service to its dashboards or alerts (Grafana, Datadog, New Relic, Honeycomb, Prometheus, Dynatrace, Splunk or Sentry annotations, or a monitoring link), or the repository defines them as code (dashboard JSON, Grafonnet, PrometheusRule or ServiceMonitor resources, Terraform or Bicep dashboards and alerts).',
    weight: 1,
    evidence: 'entity+repository',
    version: '3',
    reads: DASHBOARD_READS,
    evaluate({ entity, repository }) {
      const annotation = dashboardAnnotation(entity);
      if (annotation) {
        return pass(
          `${annotation.tool} is linked (${annotation.key}: ${annotation.value}).`,
          evidenceOf(annotation),
        );
      }
      const link = dashboardLink(entity);
      if (link) {
        return pass(
          `The catalog entry links to a dashboard${
            link.title ? ` (${link.title})` : ''
          }: ${link.url}.`,
          [
            {
              type: 'field',
              ref: `metadata.links[${link.index}]`,
              detail: link.url.slice(0, 160),
            },
          ],
        );
      }
      if (!repository) {
        return repositoryUnavailable('a dashboard or alert');
      }
      const named = findOwnFiles(repository, NAMED_DASHBOARD_GLOBS);
      if (named.length > 0) {
        return pass(`Dashboards are defined as code: ${listPaths(named)}.`, [
          ...named.slice(0, 5).map(path => fileEvidence(path, 'dashboard')),
        ]);
      }
      for (const search of DASHBOARD_SEARCHES) {
        const match = searchOwnFiles(repository, search.globs, search.pattern);
        if (match) {
          return pass(
            `${search.name} defines dashboards or alerts as code (${match.path}: \`${match.text}\`).`,
            [matchEvidence(match)],
          );
        }
      }
      const nearMisses = rejectedLinks(entity);
      return fail(
        `No dashboard or alert is linked: no monitoring annotation (such as grafana/dashboard-selector, datadoghq.com/dashboard-url, newrelic.com/dashboard-guid or prometheus.io/alert), no monitoring link in metadata.links, and no dashboards or alerts defined as code in the repository.${rejectedNote(
          nearMisses,
        )}`,
        [],
        nearMisses,
      );
    },
  },
  {
    id: 'observe.oncall',
    capability: 'observe',
    title: 'On-call route',
    description:
      'The catalog entry says who gets paged: a PagerDuty, Opsgenie, Splunk On-Call, incident.io, FireHydrant, Rootly, ilert or Grafana OnCall annotation with a value.',
    weight: 2,
    evidence: 'entity',
    version: '2',
    evaluate({ entity }) {
      const found = onCallAnnotation(entity);
      if (found) {
        return pass(
          `${found.tool} pages the owners (${found.key}: ${found.value}).`,
          evidenceOf(found),
        );
      }
      const empty = Object.entries(annotations(entity))
        .filter(
          ([key, value]) => isOnCallKey(key) && !String(value ?? '').trim(),
        )
        .map(([key]) => key);
      return fail(
        `${
          empty.length > 0
            ? `${empty.join(', ')} ${
                empty.length > 1 ? 'are' : 'is'
              } set but empty. `
            : 'No on-call route is declared. '
        }Add one of these annotations with a value: ${ONCALL_KEYS_FOR_MESSAGE.join(
          ', ',
        )}.`,
        [],
        empty.map(key => ({
          type: 'annotation',
          ref: key,
          reason: 'is set but empty, so it routes pages nowhere',
        })),
      );
    },
  },
];
