import { ConfigReader } from '@backstage/config';
import path from 'node:path';
import yaml, { parseAllDocuments, parseDocument } from 'yaml';
import { actionWorkspace } from '../__testUtils__/runAction';
import {
  capabilityStatuses,
  readTree,
  scoreWorkspace,
} from '../__testUtils__/scoreWorkspace';
import { createCapacityAddAction } from './capacityAdd';
import { examples } from './capacityAdd.examples';
import { createDeployAddAction } from './deployAdd';

const ALL_PASS = {
  'capacity.autoscaling': 'pass',
  'capacity.resources': 'pass',
};

const CATALOG = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orders
spec:
  type: service
  lifecycle: production
  owner: group:default/team-orders
`;

/** A chart as `helm create` writes it, trimmed, with the user's comments. */
const USER_CHART = {
  'charts/orders/Chart.yaml': 'apiVersion: v2\nname: orders\nversion: 1.4.0\n',
  'charts/orders/values.yaml': `# Default values for orders.
replicaCount: 1

image:
  repository: ghcr.io/acme/orders # the registry of the team
  tag: ""

# We usually leave this to the platform.
resources: {}

autoscaling:
  enabled: false
  minReplicas: 1
  maxReplicas: 4 # agreed with finance
  targetCPUUtilizationPercentage: 80
`,
  'charts/orders/templates/_helpers.tpl': `{{- define "orders.fullname" -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
`,
  'charts/orders/templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "orders.fullname" . }}
spec:
  {{- if not .Values.autoscaling.enabled }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
  template:
    spec:
      containers:
        - name: {{ .Chart.Name }}
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
`,
};

// Each test runs actions and scores the workspace, which takes seconds on a busy machine.
jest.setTimeout(60_000);

describe('paved:capacity:add', () => {
  const action = createCapacityAddAction({ config: new ConfigReader({}) });
  const { mockDir, run, read, expectSecondRunChangesNothing } =
    actionWorkspace(action);

  function yamlOf(file: string): any {
    const doc = parseDocument(read(file));
    expect(doc.errors).toEqual([]);
    return doc.toJS();
  }

  it('writes an HPA and a resources patch under deploy/ when the service has no deployment', async () => {
    mockDir.setContent({ 'catalog-info.yaml': CATALOG });
    const { outputs } = await run({});

    expect(outputs.target).toBe('manifests');
    expect(outputs.files).toEqual([
      { path: 'deploy/hpa.yaml', change: 'created' },
      { path: 'deploy/resources-patch.yaml', change: 'created' },
    ]);
    expect(yamlOf('deploy/hpa.yaml')).toEqual({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'orders' },
      spec: {
        scaleTargetRef: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'orders',
        },
        minReplicas: 2,
        maxReplicas: 10,
        metrics: [
          {
            type: 'Resource',
            resource: {
              name: 'cpu',
              target: { type: 'Utilization', averageUtilization: 80 },
            },
          },
        ],
      },
    });
    expect(
      yamlOf('deploy/resources-patch.yaml').spec.template.spec.containers,
    ).toEqual([
      {
        name: 'orders',
        resources: {
          requests: { cpu: '100m', memory: '128Mi' },
          limits: { cpu: '500m', memory: '512Mi' },
        },
      },
    ]);
    expect(
      capabilityStatuses(await scoreWorkspace(mockDir.path), 'capacity'),
    ).toEqual(ALL_PASS);
    await expectSecondRunChangesNothing({});

    // A later run with new inputs updates the same files.
    const { outputs: later } = await run({
      maxReplicas: 20,
      memoryLimit: '1Gi',
    });
    expect(later.files.map((f: any) => f.change)).toEqual([
      'updated',
      'updated',
    ]);
    expect(yamlOf('deploy/hpa.yaml').spec.maxReplicas).toBe(20);
    expect(
      yamlOf('deploy/resources-patch.yaml').spec.template.spec.containers[0]
        .resources.limits,
    ).toEqual({ cpu: '500m', memory: '1Gi' });
  });

  it('enables autoscaling and sets resources in the chart written by paved:deploy:add', async () => {
    mockDir.setContent({ 'catalog-info.yaml': CATALOG });
    await run(
      { name: 'orders', image: 'ghcr.io/acme/orders' },
      createDeployAddAction({ config: new ConfigReader({}) }),
    );
    const valuesBefore = read('charts/orders/values.yaml');
    expect(
      capabilityStatuses(await scoreWorkspace(mockDir.path), 'capacity'),
    ).not.toEqual(ALL_PASS);

    const { outputs } = await run({ cpuLimit: '1' });
    expect(outputs.target).toBe('helm');
    // The chart has its own templates/hpa.yaml: only the values change.
    expect(outputs.files).toEqual([
      { path: 'charts/orders/values.yaml', change: 'updated' },
    ]);
    const values = yamlOf('charts/orders/values.yaml');
    expect(values.autoscaling).toEqual({
      enabled: true,
      minReplicas: 2,
      maxReplicas: 5,
      targetCPUUtilizationPercentage: 80,
    });
    expect(values.resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '1', memory: '512Mi' },
    });
    // Everything else in values.yaml is kept, comments included.
    const after = read('charts/orders/values.yaml');
    const untouched = valuesBefore
      .split('\n')
      .filter(line => !/resources: \{\}|enabled: false/.test(line));
    for (const line of untouched) {
      expect(after).toContain(line);
    }
    expect(
      capabilityStatuses(await scoreWorkspace(mockDir.path), 'capacity'),
    ).toEqual(ALL_PASS);
    await expectSecondRunChangesNothing({ cpuLimit: '1' });
  });

  it("adds templates/hpa.yaml to a user's chart and keeps their values and comments", async () => {
    mockDir.setContent({ 'catalog-info.yaml': CATALOG, ...USER_CHART });
    const { outputs } = await run({ minReplicas: 2 });

    expect(outputs.files).toEqual([
      { path: 'charts/orders/values.yaml', change: 'updated' },
      { path: 'charts/orders/templates/hpa.yaml', change: 'created' },
    ]);
    expect(read('charts/orders/values.yaml')).toBe(`# Default values for orders.
replicaCount: 1

image:
  repository: ghcr.io/acme/orders # the registry of the team
  tag: ""

# We usually leave this to the platform.
resources:
  requests:
    cpu: 100m
    memory: 128Mi
  limits:
    cpu: 500m
    memory: 512Mi

autoscaling:
  enabled: true
  minReplicas: 2
  maxReplicas: 4 # agreed with finance
  targetCPUUtilizationPercentage: 80
`);
    const hpa = read('charts/orders/templates/hpa.yaml');
    expect(hpa).toContain('name: {{ include "orders.fullname" . }}');
    expect(hpa).toContain('{{- if .Values.autoscaling.enabled }}');
    expect(
      capabilityStatuses(await scoreWorkspace(mockDir.path), 'capacity'),
    ).toEqual(ALL_PASS);
    await expectSecondRunChangesNothing({ minReplicas: 2 });
  });

  it('adds the HPA to the Kustomize base of paved:deploy:add and sizes its container', async () => {
    mockDir.setContent({ 'catalog-info.yaml': CATALOG });
    await run(
      { name: 'orders', image: 'ghcr.io/acme/orders', method: 'kustomize' },
      createDeployAddAction({ config: new ConfigReader({}) }),
    );
    const { outputs } = await run({ maxReplicas: 8 });

    expect(outputs.target).toBe('kustomize');
    expect(outputs.files).toEqual([
      { path: 'deploy/base/kustomization.yaml', change: 'updated' },
      { path: 'deploy/base/hpa.yaml', change: 'created' },
      { path: 'deploy/base/deployment.yaml', change: 'updated' },
    ]);
    expect(yamlOf('deploy/base/kustomization.yaml').resources).toEqual([
      'deployment.yaml',
      'service.yaml',
      'hpa.yaml',
    ]);
    const deployment = yamlOf('deploy/base/deployment.yaml');
    expect(deployment.spec.replicas).toBeUndefined();
    expect(read('deploy/base/deployment.yaml')).toContain(
      '# replicas: 2 removed by paved:capacity:add: the HorizontalPodAutoscaler sets the number of pods.',
    );
    expect(deployment.spec.template.spec.containers[0].resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '500m', memory: '512Mi' },
    });
    expect(yamlOf('deploy/base/hpa.yaml').spec).toMatchObject({
      scaleTargetRef: { name: 'orders' },
      minReplicas: 2,
      maxReplicas: 8,
    });
    expect(
      capabilityStatuses(await scoreWorkspace(mockDir.path), 'capacity'),
    ).toEqual(ALL_PASS);
    await expectSecondRunChangesNothing({ maxReplicas: 8 });
  });

  it('sizes the Deployment of plain manifests in place and keeps the other documents', async () => {
    const manifest = `# The orders service.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: orders-api
spec:
  # Fixed for now.
  replicas: 3
  template:
    spec:
      containers:
        - name: sidecar
          image: envoy
        - name: orders
          image: ghcr.io/acme/orders:1.0.0
          resources:
            requests:
              memory: 1Gi # measured
---
apiVersion: v1
kind: Service
metadata:
  name: orders-api
spec:
  ports:
    - port: 80
`;
    mockDir.setContent({
      'catalog-info.yaml': CATALOG,
      'k8s/app.yaml': manifest,
    });
    const { outputs } = await run({});

    expect(outputs.files).toEqual([
      { path: 'k8s/app.yaml', change: 'updated' },
      { path: 'k8s/hpa.yaml', change: 'created' },
    ]);
    const [deployment, service] = parseAllDocuments(read('k8s/app.yaml')).map(
      d => d.toJS(),
    );
    expect(service).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'orders-api' },
      spec: { ports: [{ port: 80 }] },
    });
    expect(deployment.spec.template.spec.containers).toEqual([
      { name: 'sidecar', image: 'envoy' },
      {
        name: 'orders',
        image: 'ghcr.io/acme/orders:1.0.0',
        // The measured request stays, and the default limit is raised to it.
        resources: {
          requests: { memory: '1Gi', cpu: '100m' },
          limits: { cpu: '500m', memory: '1Gi' },
        },
      },
    ]);
    const text = read('k8s/app.yaml');
    expect(text).toContain('memory: 1Gi # measured');
    expect(text).toContain('# The orders service.');
    expect(text).toContain(
      '# Fixed for now.\n  # replicas: 3 removed by paved:capacity:add',
    );
    expect(yamlOf('k8s/hpa.yaml').spec.scaleTargetRef.name).toBe('orders-api');
    expect(
      capabilityStatuses(await scoreWorkspace(mockDir.path), 'capacity'),
    ).toEqual(ALL_PASS);
    await expectSecondRunChangesNothing({});
  });

  it('leaves a service that scales and sizes itself another way alone', async () => {
    mockDir.setContent({
      'catalog-info.yaml': CATALOG,
      'serverless.yml': `service: orders
functions:
  api:
    handler: handler.main
    memorySize: 512
    provisionedConcurrency: 2
`,
    });
    const { outputs } = await run({});
    expect(outputs).toEqual({ target: 'existing', files: [] });
    expect(Object.keys(readTree(mockDir.path))).toEqual([
      'catalog-info.yaml',
      'serverless.yml',
    ]);
  });

  describe('invalid input', () => {
    it.each([
      [
        { minReplicas: 0 },
        "Invalid input 'minReplicas': 0 must be a whole number from 1 to 1000",
      ],
      [
        { maxReplicas: 1001 },
        "Invalid input 'maxReplicas': 1001 must be a whole number from 1 to 1000",
      ],
      [
        { minReplicas: 1.5 },
        "Invalid input 'minReplicas': 1.5 must be a whole number",
      ],
      [
        { minReplicas: 5, maxReplicas: 3 },
        "Invalid input 'minReplicas': 5 is more than maxReplicas 3",
      ],
      [
        { targetCpuUtilization: 101 },
        "Invalid input 'targetCpuUtilization': 101 must be a whole number from 1 to 100",
      ],
      [
        { cpuRequest: 'lots' },
        "Invalid input 'cpuRequest': 'lots' is not a Kubernetes quantity, such as 250m or 0.5",
      ],
      [
        { cpuLimit: '1Gi' },
        "Invalid input 'cpuLimit': '1Gi' is not a CPU quantity",
      ],
      [
        { memoryRequest: '128m' },
        "Invalid input 'memoryRequest': '128m' means millibytes",
      ],
      [
        { memoryLimit: '0' },
        "Invalid input 'memoryLimit': '0' must be more than zero",
      ],
      [
        { cpuRequest: '2', cpuLimit: '1500m' },
        "Invalid input 'cpuRequest': the cpu request 2 is more than the cpu limit 1500m",
      ],
      [
        { memoryRequest: '256Mi', memoryLimit: '64Mi' },
        "Invalid input 'memoryRequest': the memory request 256Mi is more than the memory limit 64Mi",
      ],
      [{ name: 'Orders' }, "Invalid input 'name'"],
      [{ path: '/etc' }, "Invalid input 'path'"],
    ])('rejects %j before writing anything', async (input, message) => {
      mockDir.setContent({ 'catalog-info.yaml': CATALOG });
      await expect(run(input)).rejects.toThrow(message);
      expect(Object.keys(readTree(mockDir.path))).toEqual([
        'catalog-info.yaml',
      ]);
    });

    it('checks the inputs against what the chart already sets', async () => {
      mockDir.setContent({ 'catalog-info.yaml': CATALOG, ...USER_CHART });
      await expect(run({ minReplicas: 6 })).rejects.toThrow(
        "Invalid input 'minReplicas': 6 is more than maxReplicas 4 (already set in the deployment)",
      );
      expect(read('charts/orders/values.yaml')).toBe(
        USER_CHART['charts/orders/values.yaml'],
      );
    });

    it('needs a name when nothing names the service', async () => {
      await expect(run({})).rejects.toThrow("Input 'name' is required");
    });
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_description, example) => {
      const [step] = yaml.parse(example).steps;
      expect(step.action).toBe('paved:capacity:add');
      mockDir.clear();
      const { outputs } = await run(step.input);
      expect(outputs.files.map((f: any) => f.change)).toEqual([
        'created',
        'created',
      ]);
      const dir = path.join(mockDir.path, step.input.path ?? '.');
      expect(capabilityStatuses(await scoreWorkspace(dir), 'capacity')).toEqual(
        ALL_PASS,
      );
    },
  );
});
