import { makeValidator } from '@backstage/catalog-model';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { planCatalogInfo, serviceComponent } from '../lib/catalogInfo';
import { RuntimeVersions, GoldenPathContent } from '../lib/content';
import { planContentFiles } from '../lib/contentPlan';
import {
  addGoRequirements,
  planNpmDependencies,
  planPythonRequirements,
  PythonRequirement,
} from '../lib/dependencyManifests';
import { checkWorkspace, passes } from '../lib/evidence';
import { goldenPathSetup, runGoldenPathStep } from '../lib/goldenPathStep';
import {
  commonInputSchema,
  filesOutputSchema,
  serviceNameInputSchema,
} from '../lib/inputs';
import { Stack } from '../lib/stacks';
import { WorkspaceFiles } from '../lib/workspace';
import { examples } from './observeAdd.examples';

/**
 * Options of {@link createObserveAddAction}.
 *
 * @public
 */
export interface ObserveAddActionOptions {
  /**
   * The root config; the action reads `goldenPath.policy` (the naming rule for
   * the `name` input and the allowed stacks). Without it, names must be DNS
   * labels and every stack is allowed.
   */
  config?: Config;
  /**
   * The content the action renders, as the module loads it at start-up (with the URLs and the
   * contributed content); default the content of `config`.
   *
   * @internal
   */
  content?: GoldenPathContent;
}

/**
 * The OpenTelemetry JavaScript packages the Node.js bootstrap imports, at the
 * releases it was written against (OpenTelemetry JS 3, which needs Node.js
 * 22.15 or later).
 */
const NODE_PACKAGES: Record<string, string> = {
  '@opentelemetry/auto-instrumentations-node': '^0.82.0',
  '@opentelemetry/exporter-metrics-otlp-http': '^0.301.0',
  '@opentelemetry/exporter-trace-otlp-http': '^0.301.0',
  '@opentelemetry/sdk-metrics': '^3.1.1',
  '@opentelemetry/sdk-node': '^0.301.0',
};

/** The OpenTelemetry Go modules the Go bootstrap imports (one release train). */
const GO_OTEL_VERSION = 'v1.47.0';
const GO_MODULES: Record<string, string> = Object.fromEntries(
  [
    'go.opentelemetry.io/otel',
    'go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetricgrpc',
    'go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc',
    'go.opentelemetry.io/otel/sdk',
    'go.opentelemetry.io/otel/sdk/metric',
  ].map(module => [module, GO_OTEL_VERSION]),
);

/** The OpenTelemetry Python distributions the Python bootstrap imports. */
const PYTHON_REQUIREMENTS: PythonRequirement[] = [
  { name: 'opentelemetry-sdk', minimum: '1.45' },
  { name: 'opentelemetry-exporter-otlp-proto-http', minimum: '1.45' },
];

/** Grafana plugin annotation that selects the service's dashboards. */
const GRAFANA_DASHBOARD_SELECTOR = 'grafana/dashboard-selector';
const PAGERDUTY_SERVICE_ID = 'pagerduty.com/service-id';
const OPSGENIE_TEAM = 'opsgenie.com/team';

const validators = makeValidator();

/** A minimal go.mod for a workspace that has none. */
function newGoMod(serviceName: string, goVersion: string): string {
  return addGoRequirements(
    `module ${serviceName}\n\ngo ${goVersion}\n`,
    GO_MODULES,
  );
}

/**
 * The bootstrap file of a stack, how to start it, and the plan of the
 * dependency manifest edits it needs.
 */
type Bootstrap = {
  path: string;
  /** The content set of the bootstrap file, and the values it is rendered with. */
  set: string;
  values: Record<string, unknown>;
  start: string;
  /** Plans the SDK in the dependency manifest; a new go.mod gets the golden path's Go. */
  planDependencies: (versions: RuntimeVersions) => Promise<void>;
};

/** Plans the Node.js bootstrap and the dependencies in package.json. */
async function planNode(
  files: WorkspaceFiles,
  serviceName: string,
): Promise<Bootstrap> {
  const packageJson = await files.read('package.json');
  const typescript =
    packageJson === undefined || (await files.exists('tsconfig.json'));
  const javascriptDir = (await files.exists('src')) ? 'src/' : '';
  const path = typescript
    ? 'src/instrumentation.ts'
    : `${javascriptDir}instrumentation.mjs`;
  return {
    path,
    planDependencies: async () =>
      planNpmDependencies(files, serviceName, NODE_PACKAGES),
    set: typescript ? 'observe/node-typescript' : 'observe/node-javascript',
    values: { name: serviceName, directory: javascriptDir },
    start: typescript
      ? 'start Node.js with --import ./dist/instrumentation.js (the compiled src/instrumentation.ts)'
      : `start Node.js with --import ./${path}`,
  };
}

/** Plans the Go bootstrap and the requirements in go.mod. */
async function planGo(
  files: WorkspaceFiles,
  serviceName: string,
): Promise<Bootstrap> {
  const goMod = await files.read('go.mod');
  const modulePath = goMod?.match(/^module\s+(\S+)/m)?.[1] ?? serviceName;
  return {
    path: 'internal/telemetry/telemetry.go',
    planDependencies: async versions =>
      files.plan('go.mod', newGoMod(serviceName, versions.go), {
        merge: existing => addGoRequirements(existing, GO_MODULES),
      }),
    set: 'observe/go',
    values: { name: serviceName },
    start: `call telemetry.Start(ctx) (import "${modulePath}/internal/telemetry") at the top of main, then run go mod tidy`,
  };
}

/** Python packages where the service's code conventionally lives, in the order looked at. */
function pythonPackageCandidates(serviceName: string): string[] {
  const snake = serviceName.replace(/[-.]/g, '_');
  return [snake, `src/${snake}`, 'app', 'src/app'];
}

/**
 * Plans the Python bootstrap (inside the service's package when it has one)
 * and the requirements in pyproject.toml and/or requirements.txt.
 */
async function planPython(
  files: WorkspaceFiles,
  serviceName: string,
  logger: LoggerService,
): Promise<Bootstrap> {
  let packageDir: string | undefined;
  for (const candidate of pythonPackageCandidates(serviceName)) {
    if (await files.exists(`${candidate}/__init__.py`)) {
      packageDir = candidate;
      break;
    }
  }
  const module = packageDir
    ? `${packageDir.replace(/^src\//, '').replace(/\//g, '.')}.telemetry`
    : 'telemetry';
  return {
    path: packageDir ? `${packageDir}/telemetry.py` : 'telemetry.py',
    planDependencies: () =>
      planPythonRequirements(files, PYTHON_REQUIREMENTS, logger),
    set: 'observe/python',
    values: {
      name: serviceName,
      directory: packageDir ? `${packageDir}/` : '',
      module,
    },
    start: `call configure_telemetry() from ${module} at start-up`,
  };
}

const PLANNERS: Record<
  Stack,
  (
    files: WorkspaceFiles,
    serviceName: string,
    logger: LoggerService,
  ) => Promise<Bootstrap>
> = { node: planNode, go: planGo, python: planPython };

/** An annotation value given as an input: non-empty, trimmed, valid for the catalog. */
function annotationValue(inputName: string, value: string): string {
  const trimmed = value.trim();
  if (!trimmed || !validators.isValidAnnotationValue(trimmed)) {
    throw new InputError(
      `Invalid input '${inputName}': ${
        trimmed
          ? `'${value}' is not a valid annotation value`
          : 'must not be empty'
      }`,
    );
  }
  return trimmed;
}

function pagerDutyServiceIdInput(value: string): string {
  const trimmed = value.trim();
  if (!/^[A-Z0-9]{2,20}$/.test(trimmed)) {
    throw new InputError(
      `Invalid input 'pagerDutyServiceId': '${value}' is not a PagerDuty service ID (upper-case letters and digits, such as PX1A2B3)`,
    );
  }
  return trimmed;
}

function dashboardUrlInput(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new InputError(
      `Invalid input 'dashboardUrl': '${value}' is not a URL, such as https://grafana.example.com/d/orders`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(
      `Invalid input 'dashboardUrl': '${value}' must be an http or https URL`,
    );
  }
  return value.trim();
}

/**
 * Creates the `paved:observe:add` action: OpenTelemetry for the service, so
 * that the observe checks pass. It writes the SDK bootstrap for the stack —
 * Node.js `src/instrumentation.ts` (SDK, auto-instrumentations, OTLP
 * exporters), Go `internal/telemetry/telemetry.go`, Python `telemetry.py` —
 * and adds the SDK to the dependency manifest (package.json, go.mod,
 * pyproject.toml and/or requirements.txt), merging into the user's file. It
 * links dashboards (`grafana/dashboard-selector`, default the dashboards
 * tagged with the service name, or a dashboard link) and the on-call route
 * (`pagerduty.com/service-id` or `opsgenie.com/team`) in catalog-info.yaml.
 *
 * A service that already depends on an OpenTelemetry SDK (or is instrumented
 * by the OpenTelemetry operator) keeps its own setup; a catalog entry that
 * already links dashboards or an on-call route keeps them, and the inputs for
 * them are then optional.
 *
 * @public
 */
export function createObserveAddAction(options: ObserveAddActionOptions = {}) {
  const setup = goldenPathSetup(options);

  return createTemplateAction({
    id: 'paved:observe:add',
    description:
      'Adds OpenTelemetry to the service (SDK bootstrap code for Node.js, Go or Python and the SDK in package.json, go.mod, pyproject.toml or requirements.txt) and links its dashboards and on-call route in catalog-info.yaml (grafana/dashboard-selector or a dashboard link; pagerduty.com/service-id or opsgenie.com/team). Merges into existing files and keeps an existing OpenTelemetry setup.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: serviceNameInputSchema(),
        stack: z =>
          z
            .string()
            .optional()
            .describe(
              'node, go or python; default detected from package.json, go.mod, pyproject.toml or requirements.txt',
            ),
        dashboardSelector: z =>
          z
            .string()
            .optional()
            .describe(
              "The Grafana dashboard selector (annotation grafana/dashboard-selector), such as tags @> 'orders'; default the dashboards tagged with the service name, unless the entity or repository already links dashboards",
            ),
        dashboardUrl: z =>
          z
            .string()
            .optional()
            .describe(
              'A link to the service dashboard (any monitoring tool), added to metadata.links',
            ),
        pagerDutyServiceId: z =>
          z
            .string()
            .optional()
            .describe(
              'The PagerDuty service that pages the owners (annotation pagerduty.com/service-id), such as PX1A2B3',
            ),
        opsgenieTeam: z =>
          z
            .string()
            .optional()
            .describe(
              'The Opsgenie team that is paged (annotation opsgenie.com/team). One of pagerDutyServiceId and opsgenieTeam is required unless the entity already has an on-call annotation',
            ),
        ...commonInputSchema,
      },
      output: {
        bootstrapFile: z =>
          z
            .string()
            .optional()
            .describe(
              'The OpenTelemetry bootstrap file relative to the workspace; absent when the service keeps its own OpenTelemetry setup',
            ),
        ...filesOutputSchema,
      },
    },
    async handler(ctx) {
      await runGoldenPathStep(ctx, setup, async step => {
        const { input, files, content } = step;

        // Every input is validated before anything is planned.
        const name = step.name();
        const stack = await step.stack();
        const dashboardSelector =
          input.dashboardSelector !== undefined
            ? annotationValue('dashboardSelector', input.dashboardSelector)
            : undefined;
        const dashboardUrl =
          input.dashboardUrl !== undefined
            ? dashboardUrlInput(input.dashboardUrl)
            : undefined;
        const pagerDutyServiceId =
          input.pagerDutyServiceId !== undefined
            ? pagerDutyServiceIdInput(input.pagerDutyServiceId)
            : undefined;
        const opsgenieTeam =
          input.opsgenieTeam !== undefined
            ? annotationValue('opsgenieTeam', input.opsgenieTeam)
            : undefined;

        const { component, serviceName } = await serviceComponent(files, name);
        // What the service already has; without a Component, only the repository decides.
        const evidence = await checkWorkspace(
          files,
          component ? { entity: component } : {},
        );
        if (
          !pagerDutyServiceId &&
          !opsgenieTeam &&
          !passes(evidence, 'observe.oncall')
        ) {
          throw new InputError(
            `Input 'pagerDutyServiceId' or 'opsgenieTeam' is required: the Component ${serviceName} has no on-call route (${PAGERDUTY_SERVICE_ID}, ${OPSGENIE_TEAM} or another on-call annotation)`,
          );
        }
        const selector =
          dashboardSelector ??
          (dashboardUrl || passes(evidence, 'observe.dashboards')
            ? undefined
            : `tags @> '${serviceName}'`);

        const componentExists = component !== undefined;
        await planCatalogInfo(
          files,
          catalog => {
            const entity = catalog.ensureComponent({
              name: name ?? (componentExists ? undefined : serviceName),
            });
            if (selector) {
              entity.setAnnotation(GRAFANA_DASHBOARD_SELECTOR, selector);
            }
            if (dashboardUrl) {
              const links = entity.get(['metadata', 'links']);
              const current = Array.isArray(links) ? links : [];
              if (!current.some(link => link?.url === dashboardUrl)) {
                entity.set(
                  ['metadata', 'links'],
                  [
                    ...current,
                    {
                      url: dashboardUrl,
                      title: 'Dashboard',
                      icon: 'dashboard',
                      type: 'dashboard',
                    },
                  ],
                );
              }
            }
            if (pagerDutyServiceId) {
              entity.setAnnotation(PAGERDUTY_SERVICE_ID, pagerDutyServiceId);
            }
            if (opsgenieTeam) {
              entity.setAnnotation(OPSGENIE_TEAM, opsgenieTeam);
            }
          },
          { replaceInvalid: input.overwrite ?? false },
        );

        const bootstrap = await PLANNERS[stack](files, serviceName, ctx.logger);
        const ownSetup =
          passes(evidence, 'observe.instrumentation') &&
          !(await files.exists(bootstrap.path));
        let bootstrapFile: string | undefined;
        if (ownSetup) {
          ctx.logger.info(
            `Keeping the service's own OpenTelemetry setup: ${
              evidence.get('observe.instrumentation')?.message
            }`,
          );
        } else {
          await bootstrap.planDependencies(content.versions);
          planContentFiles(
            files,
            content.set(bootstrap.set).render(bootstrap.values),
          );
          bootstrapFile = files.plannedPaths[files.plannedPaths.length - 1];
          ctx.logger.info(`To start OpenTelemetry, ${bootstrap.start}`);
        }

        return { bootstrapFile };
      });
    },
  });
}
