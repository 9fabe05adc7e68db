import { ConfigReader } from '@backstage/config';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import yaml, { parseAllDocuments } from 'yaml';
import { parsePython, parseToml } from '../__testUtils__/parse';
import { actionWorkspace, runAction } from '../__testUtils__/runAction';
import {
  capabilityStatuses,
  readTree,
  scoreWorkspace,
} from '../__testUtils__/scoreWorkspace';
import { validateEntities } from '../lib/catalogInfo';
import { createObserveAddAction } from './observeAdd';
import { examples } from './observeAdd.examples';

const ALL_PASS = {
  'observe.instrumentation': 'pass',
  'observe.dashboards': 'pass',
  'observe.oncall': 'pass',
};

/**
 * Declarations of the OpenTelemetry packages the Node.js bootstrap imports (which are not
 * installed here), written after the type declarations of the pinned releases (sdk-node 0.301,
 * sdk-metrics 3.1, exporters 0.301, auto-instrumentations-node 0.82): the members the bootstrap
 * uses, with the same names, optionality and parameter types.
 */
const OTEL_DECLARATIONS = `
declare module '@opentelemetry/sdk-metrics' {
  export interface PushMetricExporter {
    export(metrics: unknown, resultCallback: (result: unknown) => void): void;
    shutdown(): Promise<void>;
  }
  export interface IMetricReader {
    shutdown(): Promise<void>;
  }
  export class PeriodicExportingMetricReader implements IMetricReader {
    constructor(options: {
      exporter: PushMetricExporter;
      exportIntervalMillis?: number;
      exportTimeoutMillis?: number;
    });
    shutdown(): Promise<void>;
  }
}
declare module '@opentelemetry/exporter-metrics-otlp-http' {
  import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
  export class OTLPMetricExporter implements PushMetricExporter {
    constructor(config?: { url?: string; headers?: Record<string, string> });
    export(metrics: unknown, resultCallback: (result: unknown) => void): void;
    shutdown(): Promise<void>;
  }
}
declare module '@opentelemetry/exporter-trace-otlp-http' {
  export interface SpanExporter {
    export(spans: unknown[], resultCallback: (result: unknown) => void): void;
    shutdown(): Promise<void>;
  }
  export class OTLPTraceExporter implements SpanExporter {
    constructor(config?: { url?: string; headers?: Record<string, string> });
    export(spans: unknown[], resultCallback: (result: unknown) => void): void;
    shutdown(): Promise<void>;
  }
}
declare module '@opentelemetry/auto-instrumentations-node' {
  export interface Instrumentation {
    instrumentationName: string;
    enable(): void;
  }
  export function getNodeAutoInstrumentations(
    inputConfigs?: Record<string, unknown>,
  ): Instrumentation[];
}
declare module '@opentelemetry/sdk-node' {
  import type { IMetricReader } from '@opentelemetry/sdk-metrics';
  import type { SpanExporter } from '@opentelemetry/exporter-trace-otlp-http';
  import type { Instrumentation } from '@opentelemetry/auto-instrumentations-node';
  export interface NodeSDKConfiguration {
    autoDetectResources: boolean;
    metricReaders?: IMetricReader[];
    instrumentations: (Instrumentation | Instrumentation[])[];
    serviceName?: string;
    traceExporter: SpanExporter;
  }
  export class NodeSDK {
    constructor(configuration?: Partial<NodeSDKConfiguration>);
    start(): void;
    shutdown(): Promise<void>;
  }
}
`;

/**
 * Type-checks a generated file with the TypeScript compiler (strict, Node.js types, the
 * declarations above for the OpenTelemetry packages) and returns the diagnostics.
 */
function typeCheck(dir: string, file: string): string[] {
  const declarations = path.join(dir, 'opentelemetry.d.ts');
  fs.writeFileSync(declarations, OTEL_DECLARATIONS);
  const program = ts.createProgram([path.join(dir, file), declarations], {
    strict: true,
    noEmit: true,
    allowJs: true,
    checkJs: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: ['node'],
    typeRoots: [path.resolve(__dirname, '../../../../node_modules/@types')],
    skipLibCheck: true,
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map(d => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

// The generated files are checked with Python, the TypeScript compiler and PostgreSQL, which
// take seconds on a busy machine.
jest.setTimeout(60_000);

describe('paved:observe:add', () => {
  const action = createObserveAddAction({ config: new ConfigReader({}) });
  const { mockDir, run, read, expectSecondRunChangesNothing } =
    actionWorkspace(action);

  function component(file = 'catalog-info.yaml'): any {
    return parseAllDocuments(read(file))
      .map(d => d.toJS())
      .find(e => e.kind === 'Component');
  }

  describe('on an empty workspace', () => {
    it('instruments a TypeScript service whose generated bootstrap type-checks', async () => {
      const input = {
        name: 'orders',
        stack: 'node',
        pagerDutyServiceId: 'PX1A2B3',
      };
      const { outputs } = await run(input);

      expect(outputs.files).toEqual([
        { path: 'catalog-info.yaml', change: 'created' },
        { path: 'package.json', change: 'created' },
        { path: 'src/instrumentation.ts', change: 'created' },
      ]);
      expect(outputs.bootstrapFile).toBe('src/instrumentation.ts');
      expect(JSON.parse(read('package.json'))).toEqual({
        name: 'orders',
        version: '0.1.0',
        private: true,
        dependencies: {
          '@opentelemetry/auto-instrumentations-node': '^0.82.0',
          '@opentelemetry/exporter-metrics-otlp-http': '^0.301.0',
          '@opentelemetry/exporter-trace-otlp-http': '^0.301.0',
          '@opentelemetry/sdk-metrics': '^3.1.1',
          '@opentelemetry/sdk-node': '^0.301.0',
        },
      });
      expect(component().metadata.annotations).toEqual({
        'grafana/dashboard-selector': "tags @> 'orders'",
        'pagerduty.com/service-id': 'PX1A2B3',
      });
      await validateEntities(
        parseAllDocuments(read('catalog-info.yaml')).map(d => d.toJS()),
      );

      const source = read('src/instrumentation.ts');
      expect(source).toContain('process.env.OTEL_SERVICE_NAME ?? "orders"');
      expect(typeCheck(mockDir.path, 'src/instrumentation.ts')).toEqual([]);

      expect(
        capabilityStatuses(await scoreWorkspace(mockDir.path), 'observe'),
      ).toEqual(ALL_PASS);
      await expectSecondRunChangesNothing(input);
    }, 60_000);

    it('has a type check that rejects a bootstrap the pinned SDK would not accept', () => {
      // The SDK 3 option is metricReaders; the SDK 2 one (metricReader) is gone.
      mockDir.setContent({
        'src/instrumentation.ts': `import { NodeSDK } from '@opentelemetry/sdk-node';
import { PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
new NodeSDK({ metricReader: new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter() }) }).start();
`,
      });
      expect(typeCheck(mockDir.path, 'src/instrumentation.ts')).toEqual([
        expect.stringContaining("'metricReader' does not exist"),
      ]);
    }, 60_000);

    it('instruments a Go service: bootstrap package and go.mod requirements', async () => {
      const input = {
        name: 'payments',
        stack: 'go',
        opsgenieTeam: 'team-payments',
      };
      const { outputs } = await run(input);

      expect(outputs.files.map((f: any) => [f.path, f.change])).toEqual([
        ['catalog-info.yaml', 'created'],
        ['go.mod', 'created'],
        ['internal/telemetry/telemetry.go', 'created'],
      ]);
      const goMod = read('go.mod');
      expect(goMod).toBe(`module payments

go 1.25

require (
\tgo.opentelemetry.io/otel v1.47.0
\tgo.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetricgrpc v1.47.0
\tgo.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc v1.47.0
\tgo.opentelemetry.io/otel/sdk v1.47.0
\tgo.opentelemetry.io/otel/sdk/metric v1.47.0
)
`);
      // Every non-standard import is provided by a module that go.mod requires.
      const source = read('internal/telemetry/telemetry.go');
      expect(source).toMatch(/^package telemetry$/m);
      expect(source).toContain('const ServiceName = "payments"');
      const required = [...goMod.matchAll(/^\t(\S+) v/gm)].map(m => m[1]);
      const imports = [...source.matchAll(/^\t(?:\w+ )?"([^"]+)"$/gm)].map(
        m => m[1],
      );
      const external = imports.filter(i => i.includes('.'));
      expect(external).toHaveLength(8);
      for (const imported of external) {
        expect(
          required.some(
            module => imported === module || imported.startsWith(`${module}/`),
          ),
        ).toBe(true);
      }
      expect(component().metadata.annotations).toEqual({
        'grafana/dashboard-selector': "tags @> 'payments'",
        'opsgenie.com/team': 'team-payments',
      });
      expect(
        capabilityStatuses(await scoreWorkspace(mockDir.path), 'observe'),
      ).toEqual(ALL_PASS);
      await expectSecondRunChangesNothing(input);
    });

    it('instruments a Python service: telemetry.py and requirements.txt', async () => {
      const input = {
        name: 'recommendations',
        stack: 'python',
        dashboardUrl:
          'https://app.datadoghq.com/dashboard/abc-123/recommendations',
        opsgenieTeam: 'team-ml',
      };
      const { outputs } = await run(input);

      expect(outputs.files.map((f: any) => f.path)).toEqual([
        'catalog-info.yaml',
        'requirements.txt',
        'telemetry.py',
      ]);
      expect(read('requirements.txt')).toBe(
        'opentelemetry-sdk~=1.45\nopentelemetry-exporter-otlp-proto-http~=1.45\n',
      );
      parsePython(read('telemetry.py'));
      expect(read('telemetry.py')).toContain(
        'from telemetry import configure_telemetry',
      );
      const entity = component();
      // A dashboard link replaces the default Grafana selector.
      expect(entity.metadata.links).toEqual([
        {
          url: 'https://app.datadoghq.com/dashboard/abc-123/recommendations',
          title: 'Dashboard',
          icon: 'dashboard',
          type: 'dashboard',
        },
      ]);
      expect(entity.metadata.annotations).toEqual({
        'opsgenie.com/team': 'team-ml',
      });
      expect(
        capabilityStatuses(await scoreWorkspace(mockDir.path), 'observe'),
      ).toEqual(ALL_PASS);
      await expectSecondRunChangesNothing(input);
    });
  });

  describe('on an existing repository', () => {
    const CATALOG = `# Owned by the orders team.
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orders
  annotations:
    datadoghq.com/dashboard-url: https://app.datadoghq.com/dashboard/xyz # the main one
    opsgenie.com/team: orders-oncall
spec:
  type: service
  lifecycle: production
  owner: group:default/team-orders
`;

    it('merges the SDK into package.json and keeps the linked dashboard and on-call route', async () => {
      const packageJson = `{
    "name": "@acme/orders",
    "private": true,
    "files": ["dist"],
    "scripts": { "start": "node dist/index.js" },
    "dependencies": {
        "express": "^5.1.0",
        "zod": "^4.1.0"
    }
}
`;
      mockDir.setContent({
        'catalog-info.yaml': CATALOG,
        'package.json': packageJson,
        'tsconfig.json': '{ "compilerOptions": { "strict": true } }\n',
        'src/index.ts': 'export {};\n',
      });
      const { outputs } = await run({});

      expect(outputs.files).toEqual([
        { path: 'catalog-info.yaml', change: 'unchanged' },
        { path: 'package.json', change: 'updated' },
        { path: 'src/instrumentation.ts', change: 'created' },
      ]);
      expect(read('catalog-info.yaml')).toBe(CATALOG);
      expect(read('package.json')).toBe(`{
    "name": "@acme/orders",
    "private": true,
    "files": ["dist"],
    "scripts": { "start": "node dist/index.js" },
    "dependencies": {
        "@opentelemetry/auto-instrumentations-node": "^0.82.0",
        "@opentelemetry/exporter-metrics-otlp-http": "^0.301.0",
        "@opentelemetry/exporter-trace-otlp-http": "^0.301.0",
        "@opentelemetry/sdk-metrics": "^3.1.1",
        "@opentelemetry/sdk-node": "^0.301.0",
        "express": "^5.1.0",
        "zod": "^4.1.0"
    }
}
`);
      expect(read('src/instrumentation.ts')).toContain('?? "orders"');
      expect(
        capabilityStatuses(await scoreWorkspace(mockDir.path), 'observe'),
      ).toEqual(ALL_PASS);
      await expectSecondRunChangesNothing({});
    });

    it('writes a JavaScript bootstrap for a JavaScript service', async () => {
      mockDir.setContent({
        'catalog-info.yaml': CATALOG,
        'package.json': '{ "name": "orders", "type": "module" }\n',
        'src/index.js': 'export {};\n',
      });
      const { outputs } = await run({});
      expect(outputs.bootstrapFile).toBe('src/instrumentation.mjs');
      expect(typeCheck(mockDir.path, 'src/instrumentation.mjs')).toEqual([]);
      expect(
        JSON.parse(read('package.json')).dependencies[
          '@opentelemetry/sdk-node'
        ],
      ).toBe('^0.301.0');
    }, 60_000);

    it('adds the SDK to pyproject.toml and puts telemetry.py in the service package', async () => {
      const pyproject = `[project]
name = "orders"
version = "1.2.0"
# Keep these sorted.
dependencies = [
    "fastapi>=0.115",
    "sqlalchemy>=2.0",
]

[tool.pytest.ini_options]
testpaths = ["tests"]
`;
      mockDir.setContent({
        'catalog-info.yaml': CATALOG,
        'pyproject.toml': pyproject,
        'orders/__init__.py': '',
      });
      const { outputs } = await run({});

      expect(outputs.files.map((f: any) => [f.path, f.change])).toEqual([
        ['catalog-info.yaml', 'unchanged'],
        ['pyproject.toml', 'updated'],
        ['orders/telemetry.py', 'created'],
      ]);
      expect(read('pyproject.toml')).toBe(`[project]
name = "orders"
version = "1.2.0"
# Keep these sorted.
dependencies = [
    "fastapi>=0.115",
    "sqlalchemy>=2.0",
    "opentelemetry-sdk~=1.45",
    "opentelemetry-exporter-otlp-proto-http~=1.45",
]

[tool.pytest.ini_options]
testpaths = ["tests"]
`);
      expect(
        parseToml(read('pyproject.toml')).project.dependencies,
      ).toHaveLength(4);
      expect(fs.existsSync(mockDir.resolve('requirements.txt'))).toBe(false);
      expect(read('orders/telemetry.py')).toContain(
        'from orders.telemetry import configure_telemetry',
      );
      parsePython(read('orders/telemetry.py'));
      expect(
        capabilityStatuses(await scoreWorkspace(mockDir.path), 'observe'),
      ).toEqual(ALL_PASS);
      await expectSecondRunChangesNothing({});
    });

    it('adds the requirements to both pyproject.toml (Poetry) and requirements.txt', async () => {
      mockDir.setContent({
        'catalog-info.yaml': CATALOG,
        'pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.12"\n',
        'requirements.txt': 'flask==3.1.0\n',
      });
      await run({});
      expect(
        parseToml(read('pyproject.toml')).tool.poetry.dependencies,
      ).toEqual({
        python: '^3.12',
        'opentelemetry-sdk': '^1.45',
        'opentelemetry-exporter-otlp-proto-http': '^1.45',
      });
      expect(read('requirements.txt')).toBe(
        'flask==3.1.0\nopentelemetry-sdk~=1.45\nopentelemetry-exporter-otlp-proto-http~=1.45\n',
      );
    });

    it("merges the requirements into the user's go.mod", async () => {
      const goMod = `module github.com/acme/payments

go 1.25.1

require github.com/go-chi/chi/v5 v5.2.0 // router

require golang.org/x/sys v0.30.0 // indirect
`;
      mockDir.setContent({
        'catalog-info.yaml': CATALOG.replace('name: orders', 'name: payments'),
        'go.mod': goMod,
      });
      const { ctx } = await run({});
      expect(read('go.mod')).toBe(`module github.com/acme/payments

go 1.25.1

require (
\tgo.opentelemetry.io/otel v1.47.0
\tgo.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetricgrpc v1.47.0
\tgo.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc v1.47.0
\tgo.opentelemetry.io/otel/sdk v1.47.0
\tgo.opentelemetry.io/otel/sdk/metric v1.47.0
)

require github.com/go-chi/chi/v5 v5.2.0 // router

require golang.org/x/sys v0.30.0 // indirect
`);
      expect(ctx.logger.info).toHaveBeenCalledWith(
        expect.stringContaining(
          'import "github.com/acme/payments/internal/telemetry"',
        ),
      );
      await expectSecondRunChangesNothing({});
    });

    it('keeps an OpenTelemetry setup the service already has', async () => {
      const packageJson =
        '{\n  "name": "orders",\n  "dependencies": {\n    "@opentelemetry/api": "^1.9.0"\n  }\n}\n';
      mockDir.setContent({
        'catalog-info.yaml': CATALOG,
        'package.json': packageJson,
      });
      const { outputs } = await run({});
      expect(outputs.files).toEqual([
        { path: 'catalog-info.yaml', change: 'unchanged' },
      ]);
      expect(outputs.bootstrapFile).toBeUndefined();
      expect(read('package.json')).toBe(packageJson);
    });

    it('leaves a different file at the bootstrap path alone unless overwrite is set', async () => {
      mockDir.setContent({
        'catalog-info.yaml': CATALOG,
        'package.json': '{ "name": "orders" }\n',
        'tsconfig.json': '{}\n',
        'src/instrumentation.ts': '// my own\n',
      });
      const first = await run({});
      expect(first.outputs.files).toContainEqual({
        path: 'src/instrumentation.ts',
        change: 'skipped',
        reason:
          'src/instrumentation.ts exists with other content; it is left as it is; set overwrite: true to replace it',
      });
      expect(read('src/instrumentation.ts')).toBe('// my own\n');
      expect(first.ctx.logger.warn).toHaveBeenCalled();

      const second = await run({ overwrite: true });
      expect(second.outputs.files).toContainEqual(
        expect.objectContaining({
          path: 'src/instrumentation.ts',
          change: 'overwritten',
        }),
      );
      expect(read('src/instrumentation.ts')).toContain('new NodeSDK(');
    });

    it('works in a sub-directory of a monorepo', async () => {
      mockDir.setContent({
        'services/orders/package.json': '{ "name": "orders" }\n',
      });
      const { outputs } = await run({
        path: 'services/orders',
        pagerDutyServiceId: 'PX1',
      });
      expect(outputs.files.map((f: any) => f.path)).toEqual([
        'services/orders/catalog-info.yaml',
        'services/orders/package.json',
        'services/orders/instrumentation.mjs',
      ]);
      expect(component('services/orders/catalog-info.yaml').metadata.name).toBe(
        'orders',
      );
    });
  });

  describe('invalid input', () => {
    it.each([
      [
        { name: 'orders', stack: 'rust', pagerDutyServiceId: 'PX1' },
        "Invalid input 'stack': 'rust' is not one of node, go, python",
      ],
      [
        { name: 'Orders!', stack: 'node', pagerDutyServiceId: 'PX1' },
        "Invalid input 'name'",
      ],
      [
        { name: 'orders', stack: 'node', pagerDutyServiceId: 'px-1' },
        "Invalid input 'pagerDutyServiceId': 'px-1' is not a PagerDuty service ID",
      ],
      [
        { name: 'orders', stack: 'node', opsgenieTeam: '  ' },
        "Invalid input 'opsgenieTeam': must not be empty",
      ],
      [
        {
          name: 'orders',
          stack: 'node',
          pagerDutyServiceId: 'PX1',
          dashboardUrl: 'grafana/d/1',
        },
        "Invalid input 'dashboardUrl'",
      ],
      [
        {
          name: 'orders',
          stack: 'node',
          pagerDutyServiceId: 'PX1',
          dashboardUrl: 'ftp://x/y',
        },
        'must be an http or https URL',
      ],
      [
        {
          name: 'orders',
          stack: 'node',
          pagerDutyServiceId: 'PX1',
          path: '../elsewhere',
        },
        "Invalid input 'path': '../elsewhere' is outside the workspace",
      ],
      [
        { name: 'orders', stack: 'node' },
        "Input 'pagerDutyServiceId' or 'opsgenieTeam' is required: the Component orders has no on-call route",
      ],
      [{ pagerDutyServiceId: 'PX1' }, "Input 'stack' is required"],
    ])('rejects %j before writing anything', async (input, message) => {
      await expect(run(input)).rejects.toThrow(message);
      expect(readTree(mockDir.path)).toEqual({});
    });

    it('applies the stacks the platform allows', async () => {
      const restricted = createObserveAddAction({
        config: new ConfigReader({
          goldenPath: { policy: { allowedStacks: ['go'] } },
        }),
      });
      await expect(
        runAction(restricted, {
          workspacePath: mockDir.path,
          input: { name: 'orders', stack: 'node', pagerDutyServiceId: 'PX1' },
        }),
      ).rejects.toThrow("Invalid input 'stack': 'node' is not one of go");
    });
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_description, example) => {
      const [step] = yaml.parse(example).steps;
      expect(step.action).toBe('paved:observe:add');
      mockDir.clear();
      const { outputs } = await run(step.input);
      expect(outputs.files.every((f: any) => f.change === 'created')).toBe(
        true,
      );
      const dir = path.join(mockDir.path, step.input.path ?? '.');
      expect(capabilityStatuses(await scoreWorkspace(dir), 'observe')).toEqual(
        ALL_PASS,
      );
    },
  );
});
