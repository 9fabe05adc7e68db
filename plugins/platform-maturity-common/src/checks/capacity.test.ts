import { compileRuleset } from '../ruleset/compileRuleset';
import { checkResult } from '../testing/fixtures';

/** A Deployment, with the given lines under the container's `resources:`. */
function deployment(resources: string[] | undefined, replicas = 3): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: orders',
    'spec:',
    `  replicas: ${replicas}`,
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: orders',
    '          image: ghcr.io/acme/orders:1.4.2',
    ...(resources
      ? ['          resources:', ...resources.map(l => `            ${l}`)]
      : []),
    '          ports:',
    '            - containerPort: 8080',
    '',
  ].join('\n');
}

const REQUESTS = ['requests:', '  cpu: 100m', '  memory: 256Mi'];
const LIMITS = ['limits:', '  cpu: 500m', '  memory: 512Mi'];

/** `helm create`'s HPA template: rendered only when the values enable autoscaling. */
const HELM_HPA_TEMPLATE = `{{- if .Values.autoscaling.enabled }}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "orders.fullname" . }}
spec:
  minReplicas: {{ .Values.autoscaling.minReplicas }}
  maxReplicas: {{ .Values.autoscaling.maxReplicas }}
{{- end }}
`;

/** `helm create`'s values: autoscaling off, resources left empty with commented-out examples. */
const HELM_DEFAULT_VALUES = `replicaCount: 1

image:
  repository: ghcr.io/acme/orders
  tag: ""

resources: {}
  # limits:
  #   cpu: 100m
  #   memory: 128Mi
  # requests:
  #   cpu: 100m
  #   memory: 128Mi

autoscaling:
  enabled: false
  minReplicas: 1
  maxReplicas: 100
  targetCPUUtilizationPercentage: 80
`;

const CLOUD_RUN_SERVICE = `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: orders
spec:
  template:
    metadata:
      annotations:
        autoscaling.knative.dev/maxScale: '20'
    spec:
      containerConcurrency: 80
      containers:
        - image: europe-docker.pkg.dev/acme/orders/orders:1.4.2
          resources:
            limits:
              cpu: 1000m
              memory: 512Mi
`;

describe('capacity checks', () => {
  describe('capacity.autoscaling', () => {
    it.each([
      [
        'a HorizontalPodAutoscaler',
        'k8s/hpa.yaml',
        'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: orders\nspec:\n  minReplicas: 2\n  maxReplicas: 10\n',
        'kind: HorizontalPodAutoscaler',
      ],
      [
        'a KEDA ScaledObject',
        'deploy/base/scaledobject.yaml',
        'apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata:\n  name: orders-worker\nspec:\n  scaleTargetRef:\n    name: orders-worker\n  triggers:\n    - type: kafka\n',
        'kind: ScaledObject',
      ],
      [
        'a VerticalPodAutoscaler',
        'kubernetes/vpa.yml',
        'apiVersion: autoscaling.k8s.io/v1\nkind: VerticalPodAutoscaler\nmetadata:\n  name: orders\nspec:\n  updatePolicy:\n    updateMode: Auto\n',
        'kind: VerticalPodAutoscaler',
      ],
      [
        'Cloud Run scale bounds',
        'service.yaml',
        CLOUD_RUN_SERVICE,
        "autoscaling.knative.dev/maxScale: '20'",
      ],
      [
        'Cloud Run instance limits in the deploy step',
        '.github/workflows/deploy.yml',
        'steps:\n  - run: gcloud run deploy orders --image "$IMAGE" --min-instances 1 --max-instances 20\n',
        '- run: gcloud run deploy orders --image "$IMAGE" --min-instances 1 --max-instances 20',
      ],
      [
        'Lambda provisioned concurrency (Serverless Framework)',
        'serverless.yml',
        'service: orders\nprovider:\n  name: aws\nfunctions:\n  api:\n    handler: src/handler.api\n    provisionedConcurrency: 5\n',
        'provisionedConcurrency: 5',
      ],
      [
        'Lambda provisioned concurrency (AWS SAM)',
        'template.yaml',
        'Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::Function\n    Properties:\n      AutoPublishAlias: live\n      ProvisionedConcurrencyConfig:\n        ProvisionedConcurrentExecutions: 5\n',
        'ProvisionedConcurrencyConfig:',
      ],
      [
        'Fly.io Machines that stop and start with traffic',
        'fly.toml',
        "app = 'orders'\n\n[http_service]\n  internal_port = 8080\n  auto_stop_machines = 'stop'\n  auto_start_machines = true\n  min_machines_running = 1\n",
        "auto_stop_machines = 'stop'",
      ],
      [
        'App Engine automatic scaling',
        'app.yaml',
        'runtime: python312\nautomatic_scaling:\n  min_instances: 1\n  max_instances: 20\n',
        'automatic_scaling:',
      ],
      [
        'an ECS service scaling target in Terraform',
        'infra/autoscaling.tf',
        'resource "aws_appautoscaling_target" "orders" {\n  service_namespace  = "ecs"\n  min_capacity       = 2\n  max_capacity       = 10\n}\n',
        'resource "aws_appautoscaling_target" "orders" {',
      ],
      [
        'Cloud Run bounds in Terraform',
        'infra/main.tf',
        'resource "google_cloud_run_v2_service" "orders" {\n  name = "orders"\n  template {\n    scaling {\n      min_instance_count = 1\n      max_instance_count = 20\n    }\n  }\n}\n',
        'min_instance_count = 1',
      ],
    ])('passes with %s', (_form, path, content, line) => {
      const result = checkResult('capacity.autoscaling', {
        files: { [path]: content },
      });
      expect(result.status).toBe('pass');
      expect(result.evidence[0]).toMatchObject({
        type: 'file',
        ref: path,
        detail: line,
      });
    });

    it('passes when Helm values enable the chart autoscaler', () => {
      const result = checkResult('capacity.autoscaling', {
        files: {
          'charts/orders/templates/hpa.yaml': HELM_HPA_TEMPLATE,
          'charts/orders/values.yaml': HELM_DEFAULT_VALUES,
          'charts/orders/values-prod.yaml':
            'replicaCount: 3\nautoscaling:\n  enabled: true\n  maxReplicas: 30\n',
        },
      });
      expect(result.status).toBe('pass');
      expect(result.message).toMatch(/Helm values enable autoscaling/);
      expect(result.evidence).toEqual([
        {
          type: 'file',
          ref: 'charts/orders/values-prod.yaml',
          line: 3,
          detail: 'enabled: true',
        },
        {
          type: 'file',
          ref: 'charts/orders/templates/hpa.yaml',
          detail: 'autoscaler template',
        },
      ]);
    });

    it('fails for a chart whose autoscaler template the values leave disabled', () => {
      const result = checkResult('capacity.autoscaling', {
        files: {
          'charts/orders/Chart.yaml': 'apiVersion: v2\nname: orders\n',
          'charts/orders/templates/hpa.yaml': HELM_HPA_TEMPLATE,
          'charts/orders/values.yaml': HELM_DEFAULT_VALUES,
        },
      });
      expect(result.status).toBe('fail');
      expect(result.message).toMatch(
        /autoscaler template \(charts\/orders\/templates\/hpa\.yaml\), but its values do not enable it \(charts\/orders\/values\.yaml: `enabled: false`\)/,
      );
      expect(result.nearMisses?.map(e => [e.ref, e.line, e.reason])).toEqual([
        [
          'charts/orders/templates/hpa.yaml',
          3,
          'is an autoscaler template that only renders when the values enable autoscaling',
        ],
        ['charts/orders/values.yaml', 16, 'leaves autoscaling disabled'],
        [
          'charts/orders/values.yaml',
          1,
          'runs a fixed number of replicas that nothing scales',
        ],
      ]);
    });

    it('fails when the workload runs a fixed number of replicas and nothing scales it', () => {
      const result = checkResult('capacity.autoscaling', {
        files: {
          'k8s/deployment.yaml': deployment([...REQUESTS, ...LIMITS], 3),
          'k8s/service.yaml':
            'apiVersion: v1\nkind: Service\nmetadata:\n  name: orders\n',
        },
      });
      expect(result.status).toBe('fail');
      expect(result.message).toMatch(/No autoscaling found/);
      expect(result.message).toMatch(
        /fixed number of replicas \(k8s\/deployment\.yaml: `replicas: 3`\)/,
      );
      expect(result.nearMisses).toEqual([
        {
          type: 'file',
          ref: 'k8s/deployment.yaml',
          line: 6,
          detail: 'replicas: 3',
          reason: 'runs a fixed number of replicas that nothing scales',
        },
      ]);
    });

    it('fails for App Engine with manual scaling', () => {
      const result = checkResult('capacity.autoscaling', {
        files: {
          'app.yaml': 'runtime: go122\nmanual_scaling:\n  instances: 2\n',
        },
      });
      expect(result.status).toBe('fail');
      expect(result.message).toMatch(/app\.yaml uses manual_scaling/);
      expect(result.nearMisses?.[0]).toMatchObject({
        ref: 'app.yaml',
        line: 2,
        reason: 'scales by hand (manual_scaling), not with load',
      });
    });

    it('is unknown when the repository could not be read', () => {
      const result = checkResult('capacity.autoscaling', {});
      expect(result.status).toBe('unknown');
      expect(result.message).toMatch(/autoscaling/);
    });
  });

  describe('capacity.resources', () => {
    it.each([
      [
        'a Kubernetes Deployment',
        'k8s/deployment.yaml',
        deployment([...REQUESTS, ...LIMITS]),
        ['requests:', 'limits:'],
      ],
      [
        'limits before requests',
        'deploy/overlays/prod/deployment.yaml',
        deployment([...LIMITS, ...REQUESTS]),
        ['requests:', 'limits:'],
      ],
      [
        'Helm values',
        'values.yaml',
        'replicaCount: 2\nresources:\n  requests:\n    cpu: 250m\n    memory: 256Mi\n  limits:\n    memory: 512Mi\nnodeSelector: {}\n',
        ['requests:', 'limits:'],
      ],
      [
        'flow-style resources',
        'manifests/worker.yaml',
        'kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: worker\n          resources: { requests: { cpu: 50m }, limits: { memory: 128Mi } }\n',
        [
          'resources: { requests: { cpu: 50m }, limits: { memory: 128Mi } }',
          'resources: { requests: { cpu: 50m }, limits: { memory: 128Mi } }',
        ],
      ],
      [
        'a Cloud Run service with limits',
        'service.yaml',
        CLOUD_RUN_SERVICE,
        ['limits:'],
      ],
    ])('passes with %s', (_form, path, content, lines) => {
      const result = checkResult('capacity.resources', {
        files: { [path]: content },
      });
      expect(result.status).toBe('pass');
      expect(result.evidence.map(e => [e.ref, e.detail])).toEqual(
        lines.map(line => [path, line]),
      );
    });

    it.each([
      [
        'Lambda memory (Serverless Framework)',
        'serverless.yml',
        'service: orders\nprovider:\n  name: aws\n  runtime: nodejs20.x\n  memorySize: 512\n',
        'memorySize: 512',
      ],
      [
        'Lambda memory (AWS SAM)',
        'template.yaml',
        'Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    MemorySize: 1024\n    Timeout: 10\n',
        'MemorySize: 1024',
      ],
      [
        'an ECS task definition',
        '.aws/task-definition.json',
        '{\n  "family": "orders",\n  "cpu": "256",\n  "memory": "512",\n  "containerDefinitions": []\n}\n',
        '"memory": "512",',
      ],
      [
        'an App Engine instance class',
        'app.yaml',
        'runtime: python312\ninstance_class: F2\n',
        'instance_class: F2',
      ],
      [
        'App Engine flexible resources',
        'app.yaml',
        'runtime: custom\nenv: flex\nresources:\n  cpu: 2\n  memory_gb: 4\n',
        'resources:',
      ],
      [
        'a Fly.io VM size',
        'fly.toml',
        "app = 'orders'\n\n[[vm]]\n  cpu_kind = 'shared'\n  cpus = 1\n  memory = '512mb'\n",
        '[[vm]]',
      ],
      [
        'Cloud Run sized in the deploy step',
        '.gitlab-ci.yml',
        'deploy:\n  script:\n    - gcloud run deploy orders \\\n        --image "$IMAGE" \\\n        --memory 512Mi --cpu 1\n',
        '- gcloud run deploy orders \\',
      ],
      [
        'an ECS task definition in Terraform',
        'infra/ecs.tf',
        'resource "aws_ecs_task_definition" "orders" {\n  family = "orders"\n  cpu    = 256\n  memory = 512\n}\n\nresource "aws_ecs_service" "orders" {\n  task_definition = aws_ecs_task_definition.orders.arn\n}\n',
        'memory = 512',
      ],
      [
        'a Kubernetes Deployment in Terraform',
        'infra/k8s.tf',
        'resource "kubernetes_deployment_v1" "orders" {\n  spec {\n    template {\n      spec {\n        container {\n          resources {\n            limits = {\n              memory = "512Mi"\n            }\n            requests = {\n              cpu = "250m"\n            }\n          }\n        }\n      }\n    }\n  }\n}\n',
        'limits = {',
      ],
    ])('passes with %s', (_form, path, content, line) => {
      const result = checkResult('capacity.resources', {
        files: { [path]: content },
      });
      expect(result.status).toBe('pass');
      expect(result.evidence).toEqual([
        expect.objectContaining({ type: 'file', ref: path, detail: line }),
      ]);
    });

    it('passes when containers request resources but set no limits, with advice about the memory limit', () => {
      const result = checkResult('capacity.resources', {
        files: { 'k8s/deployment.yaml': deployment(REQUESTS) },
      });
      expect(result.status).toBe('pass');
      expect(result.message).toMatch(/Advice: no memory limit is set/);
      expect(result.message).not.toMatch(/CPU limit/);
      expect(result.evidence).toEqual([
        {
          type: 'file',
          ref: 'k8s/deployment.yaml',
          line: 13,
          detail: 'requests:',
        },
      ]);
    });

    it('does not ask for a CPU limit by default', () => {
      const result = checkResult('capacity.resources', {
        files: {
          'k8s/deployment.yaml': deployment([
            ...REQUESTS,
            'limits:',
            '  memory: 512Mi',
          ]),
        },
      });
      expect(result.status).toBe('pass');
      expect(result.message).not.toMatch(/Advice/);
    });

    it('fails without a memory limit when the ruleset requires one, and says which option', () => {
      const ruleset = compileRuleset({
        checks: {
          capacity: { resources: { options: { memoryLimit: 'required' } } },
        },
      });
      const result = checkResult('capacity.resources', {
        ruleset,
        files: {
          'k8s/deployment.yaml': deployment([
            ...REQUESTS,
            'limits:',
            '  cpu: 1',
          ]),
        },
      });
      expect(result.status).toBe('fail');
      expect(result.message).toMatch(
        /set no memory limit, which this ruleset requires \(options memoryLimit: required\)/,
      );
      expect(result.evidence.map(e => e.detail)).toEqual([
        'requests:',
        'limits:',
      ]);
      expect(ruleset.rulesetHash).not.toBe(compileRuleset({}).rulesetHash);
    });

    it('fails without a CPU limit when the ruleset requires one', () => {
      const result = checkResult('capacity.resources', {
        ruleset: compileRuleset({
          checks: {
            capacity: { resources: { options: { cpuLimit: 'required' } } },
          },
        }),
        files: {
          'values.yaml':
            'resources:\n  requests:\n    cpu: 100m\n    memory: 128Mi\n  limits:\n    memory: 256Mi\n',
        },
      });
      expect(result.status).toBe('fail');
      expect(result.message).toMatch(/set no CPU limit/);
    });

    it.each([
      [
        { memoryLimit: 'always' },
        'platformMaturity.checks.capacity.resources.options.memoryLimit',
        /must be one of required, advice, ignored/,
      ],
      [
        { cpuLimits: 'required' },
        'platformMaturity.checks.capacity.resources.options',
        /cpuLimits/,
      ],
    ])(
      'refuses invalid options %j, naming the key',
      (options, key, problem) => {
        expect(() =>
          compileRuleset({ checks: { capacity: { resources: { options } } } }),
        ).toThrow(key);
        expect(() =>
          compileRuleset({ checks: { capacity: { resources: { options } } } }),
        ).toThrow(problem);
      },
    );

    it('refuses options for a check that takes none', () => {
      expect(() =>
        compileRuleset({
          checks: { build: { tests: { options: { strict: true } } } },
        }),
      ).toThrow(
        /'platformMaturity\.checks\.build\.tests\.options': check 'build\.tests' takes no options/,
      );
    });

    it('reads Helm values whose resources carry helm-docs comments', () => {
      const result = checkResult('capacity.resources', {
        files: {
          'charts/orders/values.yaml': [
            '# -- Resources of the orders container',
            'resources:',
            '  # -- What the scheduler reserves',
            '  requests:',
            '    # -- CPU',
            '    cpu: 100m',
            '    memory: 128Mi',
            '  # -- Upper bounds',
            '  limits:',
            '    # cpu: 500m',
            '    memory: 256Mi',
          ].join('\n'),
        },
        ruleset: compileRuleset({
          checks: {
            capacity: { resources: { options: { memoryLimit: 'required' } } },
          },
        }),
      });
      expect(result.status).toBe('pass');
      expect(result.evidence.map(e => [e.ref, e.line])).toEqual([
        ['charts/orders/values.yaml', 4],
        ['charts/orders/values.yaml', 9],
      ]);
    });

    it('fails when containers set limits but no requests, and says requests are missing', () => {
      const result = checkResult('capacity.resources', {
        files: { 'k8s/deployment.yaml': deployment(LIMITS) },
      });
      expect(result.status).toBe('fail');
      expect(result.message).toMatch(/set resource limits .* but no requests/);
      expect(result.evidence[0]).toMatchObject({
        ref: 'k8s/deployment.yaml',
        detail: 'limits:',
      });
    });

    it('fails with helm create defaults: empty resources and commented-out examples', () => {
      const result = checkResult('capacity.resources', {
        files: {
          'charts/orders/values.yaml': HELM_DEFAULT_VALUES,
          'charts/orders/templates/deployment.yaml':
            'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: orders\n          resources:\n            {{- toYaml .Values.resources | nindent 12 }}\n',
        },
      });
      expect(result.status).toBe('fail');
      expect(result.message).toMatch(
        /charts\/orders\/values\.yaml leaves resources empty \(`resources: \{\}`\)/,
      );
      expect(result.nearMisses?.[0]).toMatchObject({
        ref: 'charts/orders/values.yaml',
        line: 7,
        reason: 'leaves resources empty: no requests, no limits',
      });
    });

    it('passes with Windows line endings', () => {
      const result = checkResult('capacity.resources', {
        files: {
          'k8s/deployment.yaml': deployment([...REQUESTS, ...LIMITS]).replace(
            /\n/g,
            '\r\n',
          ),
        },
      });
      expect(result.status).toBe('pass');
      expect(result.evidence.map(e => e.line)).toEqual([13, 16]);
    });

    it('does not mistake RBAC resources or an unrelated app.yaml for sizing', () => {
      const result = checkResult('capacity.resources', {
        files: {
          'k8s/role.yaml':
            'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nrules:\n  - apiGroups: ["apps"]\n    resources:\n      - deployments\n    verbs: ["get", "list"]\n',
          'config/app.yaml': 'resources:\n  - name: cache\n    limits: none\n',
        },
      });
      expect(result.status).toBe('fail');
    });

    it('fails when the workload has no resources at all', () => {
      const result = checkResult('capacity.resources', {
        files: { 'k8s/deployment.yaml': deployment(undefined) },
      });
      expect(result.status).toBe('fail');
      expect(result.message).toMatch(
        /k8s\/deployment\.yaml defines workloads without resource requests or limits/,
      );
    });

    it('does not count limits in a docker-compose file', () => {
      const result = checkResult('capacity.resources', {
        files: {
          'docker-compose.yml':
            'services:\n  orders:\n    image: orders\n    deploy:\n      resources:\n        limits:\n          cpus: "0.5"\n          memory: 512M\n        reservations:\n          memory: 256M\n',
        },
      });
      expect(result.status).toBe('fail');
      expect(result.message).toMatch(
        /Limits in docker-compose\.yml do not count/,
      );
    });

    it('fails for a Terraform Kubernetes Deployment with limits only', () => {
      const result = checkResult('capacity.resources', {
        files: {
          'infra/k8s.tf':
            'resource "kubernetes_deployment" "orders" {\n  spec {\n    template {\n      spec {\n        container {\n          resources {\n            limits = {\n              memory = "512Mi"\n            }\n          }\n        }\n      }\n    }\n  }\n}\n',
        },
      });
      expect(result.status).toBe('fail');
    });

    it('stays fast and correct on large, odd files', () => {
      const padding = `${' '.repeat(40)}\n`.repeat(5000);
      const odd = `resources:\n${'  '.repeat(
        200,
      )}requests:\n${padding}${'resources:\n      x: 1\n'.repeat(2000)}`;
      const started = Date.now();
      const result = checkResult('capacity.resources', {
        files: {
          'k8s/odd.yaml': odd,
          'values.yaml': `\r\n${odd.replace(/\n/g, '\r\n')}`,
        },
      });
      expect(result.status).toBe('fail');
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it('is unknown when the repository could not be read', () => {
      const result = checkResult('capacity.resources', {});
      expect(result.status).toBe('unknown');
      expect(result.message).toMatch(/resource requests/);
    });
  });
  describe('capacity: the forms seen in real repositories', () => {
    it.each([
      [
        'an Argo Rollouts Rollout under examples/',
        {
          'examples/canary/rollout.yaml':
            'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nspec:\n  template:\n    spec:\n      containers:\n        - name: shop\n          resources:\n            requests:\n              cpu: 5m\n              memory: 32Mi\n',
        },
        'examples/canary/rollout.yaml',
      ],
      [
        'an ERB-templated Deployment (krane)',
        {
          'config/deploy/production/web.yaml.erb':
            'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: shop:<%= current_sha %>\n          resources:\n            requests:\n              cpu: 500m\n              memory: 1Gi\n',
        },
        'config/deploy/production/web.yaml.erb',
      ],
      [
        'a Heroku formation with a dyno size',
        {
          'app.json':
            '{\n  "formation": {\n    "web": { "quantity": 1, "size": "standard-1x" }\n  }\n}\n',
        },
        'app.json',
      ],
      [
        'an App Service plan SKU in Bicep',
        {
          'infra/main.bicep':
            "module plan './core/host/appserviceplan.bicep' = {\n  name: 'plan'\n  params: {\n    sku: {\n      name: 'P1v3'\n    }\n  }\n}\n",
        },
        'infra/main.bicep',
      ],
      [
        'Container App CPU and memory in Bicep',
        {
          'infra/app/api.bicep':
            "module api '../core/host/container-app.bicep' = {\n  params: {\n    containerCpuCoreCount: '0.5'\n    containerMemory: '1.0Gi'\n  }\n}\n",
        },
        'infra/app/api.bicep',
      ],
    ])('capacity.resources passes with %s', (_name, files, path) => {
      const result = checkResult('capacity.resources', { files });
      expect(result.status).toBe('pass');
      expect(result.evidence[0].ref).toBe(path);
    });

    it('reads the workloads a kustomization lists, wherever its resources live', () => {
      const result = checkResult('capacity.resources', {
        files: {
          'environments/prod/kustomization.yaml':
            'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../../platform/shop/app.yaml\n',
          'platform/shop/app.yaml':
            'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: shop\n          resources:\n            requests:\n              cpu: 100m\n              memory: 128Mi\n',
        },
      });
      expect(result.status).toBe('pass');
      expect(result.evidence[0].ref).toBe('platform/shop/app.yaml');
    });

    it('names the workloads it found without requests', () => {
      const result = checkResult('capacity.resources', {
        files: {
          'platform/shop/app.yaml':
            'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: shop\n          image: shop:1.0.0\n',
        },
      });
      expect(result.status).toBe('fail');
      expect(result.message).toMatch(
        /platform\/shop\/app\.yaml defines workloads without resource requests/,
      );
    });

    it('does not take the resources of a Compose file found among all YAML files', () => {
      const result = checkResult('capacity.resources', {
        files: {
          'dev/compose.yaml':
            'services:\n  shop:\n    deploy:\n      resources:\n        limits:\n          cpus: "0.5"\n          memory: 256M\n',
        },
      });
      expect(result.status).toBe('fail');
      expect(result.message).not.toMatch(/set resource limits/);
    });

    it.each([
      [
        'an HPA outside the usual directories',
        {
          'extras/db-scaling/hpa/hpa.yaml':
            'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: db\n',
        },
        'extras/db-scaling/hpa/hpa.yaml',
      ],
      [
        'Container Apps replica bounds in Bicep',
        {
          'infra/app/api.bicep':
            "module api '../core/host/container-app.bicep' = {\n  params: {\n    containerMinReplicas: 1\n    containerMaxReplicas: 10\n  }\n}\n",
        },
        'infra/app/api.bicep',
      ],
    ])('capacity.autoscaling passes with %s', (_name, files, path) => {
      const result = checkResult('capacity.autoscaling', { files });
      expect(result.status).toBe('pass');
      expect(result.evidence[0].ref).toBe(path);
    });
  });
});
