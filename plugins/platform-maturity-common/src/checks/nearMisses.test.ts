import { MAX_NEAR_MISSES } from '../engine/checkTypes';
import { catalogOf, checkResult, serviceEntity } from '../testing/fixtures';
import { notATest } from './build';

/**
 * Every built-in check, failing on a small repository of our own, names what it found and
 * rejected, why, and where (file and line when it read one).
 */
describe('near-misses of failing checks', () => {
  const workflow = (...steps: string[]) =>
    ['on: push', 'jobs:', '  ci:', '    steps:', ...steps].join('\n');

  it('build.pipeline: a workflow in a sub-directory or with another extension', () => {
    const result = checkResult('build.pipeline', {
      files: {
        'services/orders/.github/workflows/ci.yml': 'on: push\n',
        '.github/workflows/ci.yml.disabled': 'on: push\n',
      },
    });
    expect(result.status).toBe('fail');
    expect(result.nearMisses).toEqual([
      {
        type: 'file',
        ref: '.github/workflows/ci.yml.disabled',
        reason:
          'is not a .yml or .yaml file, which GitHub Actions does not run',
      },
      {
        type: 'file',
        ref: 'services/orders/.github/workflows/ci.yml',
        reason:
          'is in a sub-directory; GitHub Actions runs only the workflows in .github/workflows/ at the root',
      },
    ]);
    expect(result.message).toContain(
      'Rejected: .github/workflows/ci.yml.disabled is not a .yml or .yaml file',
    );
  });

  it('build.tests: a Make target that only has "check" in its name', () => {
    const result = checkResult('build.tests', {
      files: {
        '.github/workflows/ci.yml': workflow(
          '      - run: make lint',
          '      - run: make check-clean-work-tree',
        ),
        'internal/orders_test.go': 'package orders\n',
      },
    });
    expect(result.status).toBe('fail');
    expect(result.nearMisses).toEqual([
      {
        type: 'file',
        ref: '.github/workflows/ci.yml',
        line: 6,
        detail: '- run: make check-clean-work-tree',
        reason:
          'runs a target that is not named for the tests (a test target is `test`, `check`, or a name that starts or ends with `test`)',
      },
    ]);
    expect(result.message).toContain(
      'Rejected: .github/workflows/ci.yml:6 runs a target that is not named for the tests',
    );
  });

  it.each([
    [
      'build.tests',
      '      # - run: npm test',
      'runs the tests only in a commented-out line, which is not evidence',
    ],
    [
      'build.artifact',
      '      # - run: docker push ghcr.io/acme/orders:${{ github.sha }}',
      'builds or publishes an artifact only in a commented-out line, which is not evidence',
    ],
    [
      'deploy.manifests',
      '      # - run: kubectl apply -f k8s/',
      'deploys only in a commented-out line, which is not evidence',
    ],
    [
      'deploy.rollback',
      '      # - run: helm rollback orders',
      'rolls back only in a commented-out line, which is not evidence',
    ],
  ])(
    '%s: a step that is only in a commented-out line',
    (checkId, line, reason) => {
      const result = checkResult(checkId, {
        files: {
          '.github/workflows/ci.yml': workflow('      - run: make lint', line),
          'src/orders.test.ts': 'test("orders", () => {});\n',
        },
      });
      expect(result.status).toBe('fail');
      expect(result.nearMisses?.[0]).toEqual({
        type: 'file',
        ref: '.github/workflows/ci.yml',
        line: 6,
        detail: line.trim(),
        reason,
      });
      expect(result.message).toContain(`.github/workflows/ci.yml:6 ${reason}`);
    },
  );

  it('does not call a line with a trailing comment commented-out when its step is rejected for another reason', () => {
    const result = checkResult('build.artifact', {
      files: {
        '.github/workflows/ci.yml': workflow(
          '      - uses: actions/upload-artifact@v4 # keep the report',
          '        with:',
          '          path: junit.xml',
        ),
      },
    });
    expect(result.status).toBe('fail');
    expect(result.nearMisses?.map(n => n.reason)).toEqual([
      'uploads test, coverage or report output, which is not a build artifact',
    ]);
  });

  it('build.tests: files beside the tests that are not tests', () => {
    const result = checkResult('build.tests', {
      files: {
        '.github/workflows/ci.yml': workflow('      - run: pytest'),
        'tests/__init__.py': '',
        'tests/conftest.py': 'import pytest\n',
        'tests/fixtures/orders.py': 'ORDERS = []\n',
      },
    });
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(/but the repository has no test files/);
    expect(result.evidence.map(e => e.ref)).toEqual([
      '.github/workflows/ci.yml',
    ]);
    expect(result.nearMisses?.map(n => [n.ref, n.reason])).toEqual([
      ['tests/__init__.py', 'is a Python package marker, not a test'],
      ['tests/conftest.py', 'holds shared pytest fixtures, not tests'],
      ['tests/fixtures/orders.py', 'is test data, not a test'],
    ]);
  });

  it('build.artifact: a test report upload and a Dockerfile nothing builds', () => {
    const result = checkResult('build.artifact', {
      files: {
        '.github/workflows/ci.yml': workflow(
          '      - run: npm test',
          '      - uses: actions/upload-artifact@v4',
          '        with:',
          '          path: junit.xml',
        ),
        Dockerfile: 'FROM node:22\n',
      },
    });
    expect(result.status).toBe('fail');
    expect(result.nearMisses).toEqual([
      {
        type: 'file',
        ref: '.github/workflows/ci.yml',
        line: 6,
        detail: '- uses: actions/upload-artifact@v4',
        reason:
          'uploads test, coverage or report output, which is not a build artifact',
      },
      {
        type: 'file',
        ref: 'Dockerfile',
        reason: 'is a container image that no pipeline step builds and pushes',
      },
    ]);
  });

  it('build.dependency-updates: a bot config where the bot does not read it', () => {
    const result = checkResult('build.dependency-updates', {
      files: { 'config/renovate.json': '{}', 'package.json': '{}' },
    });
    expect(result.status).toBe('fail');
    expect(result.nearMisses).toEqual([
      {
        type: 'file',
        ref: 'config/renovate.json',
        reason:
          'is named for a dependency update bot but is not where the bot reads its configuration',
      },
    ]);
  });

  it('deploy.manifests: a Compose file is not a deployment', () => {
    const result = checkResult('deploy.manifests', {
      files: { 'compose.yaml': 'services:\n  web:\n    image: orders\n' },
    });
    expect(result.status).toBe('fail');
    expect(result.nearMisses).toEqual([
      {
        type: 'file',
        ref: 'compose.yaml',
        reason:
          'only describes containers for local use, which is not a deployment',
      },
    ]);
    expect(result.message).toContain(
      'Rejected: compose.yaml only describes containers for local use',
    );
  });

  it('deploy.versioning: an image tagged latest only', () => {
    const result = checkResult('deploy.versioning', {
      files: {
        '.github/workflows/release.yml': workflow(
          '      - run: docker build -t ghcr.io/acme/orders:latest .',
          '      - run: docker push ghcr.io/acme/orders:latest',
        ),
      },
    });
    expect(result.status).toBe('fail');
    expect(result.nearMisses).toEqual([
      {
        type: 'file',
        ref: '.github/workflows/release.yml',
        line: 5,
        detail: '- run: docker build -t ghcr.io/acme/orders:latest .',
        reason:
          'tags the image `latest` only, so a release cannot be told apart from the next or deployed again',
      },
    ]);
  });

  it('deploy.rollback: a migration rollback job and workloads nothing rolls back', () => {
    const result = checkResult('deploy.rollback', {
      files: {
        '.gitlab-ci.yml':
          'test-migrations:\n  script:\n    - ./manage.py migrate orders zero # down\n    - make db-rollback\n',
        'deploy/deployment.yaml':
          'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders\n',
      },
    });
    expect(result.status).toBe('fail');
    expect(result.nearMisses).toEqual([
      {
        type: 'file',
        ref: '.gitlab-ci.yml',
        line: 4,
        detail: '- make db-rollback',
        reason:
          'rolls back database migrations (a test of the migrations), not a release',
      },
      {
        type: 'file',
        ref: 'deploy/deployment.yaml',
        line: 2,
        detail: 'kind: Deployment',
        reason:
          'defines Kubernetes workloads that no rollback command, GitOps controller or progressive delivery rolls back',
      },
    ]);
  });

  it('observe.instrumentation: a manifest without an OpenTelemetry SDK', () => {
    const result = checkResult('observe.instrumentation', {
      files: {
        'go.mod': 'module acme/orders\n\nrequire github.com/lib/pq v1.10.9\n',
      },
    });
    expect(result.status).toBe('fail');
    expect(result.nearMisses).toEqual([
      {
        type: 'file',
        ref: 'go.mod',
        reason: 'declares no OpenTelemetry SDK or instrumentation',
      },
    ]);
  });

  it('observe.dashboards: links whose host is not a monitoring product', () => {
    const result = checkResult('observe.dashboards', {
      entity: serviceEntity({
        metadata: {
          links: [
            {
              url: 'https://acme.slack.com/archives/grafana-alerts',
              title: 'Grafana alerts channel',
            },
            { url: 'https://wiki.acme.example/orders', title: 'Orders wiki' },
          ],
        },
      }),
      files: { 'README.md': '# orders\n' },
    });
    expect(result.status).toBe('fail');
    expect(result.nearMisses).toEqual([
      {
        type: 'field',
        ref: 'metadata.links[0]',
        detail: 'https://acme.slack.com/archives/grafana-alerts',
        reason:
          'points at acme.slack.com, a chat, issue-tracker or code host, not a monitoring product',
      },
      {
        type: 'field',
        ref: 'metadata.links[1]',
        detail: 'https://wiki.acme.example/orders',
        reason:
          'points at wiki.acme.example, which is not a known monitoring product, and its title, type and icon do not say dashboard or monitoring',
      },
    ]);
  });

  it('observe.oncall: an on-call annotation without a value', () => {
    const result = checkResult('observe.oncall', {
      entity: serviceEntity({
        metadata: { annotations: { 'opsgenie.com/team': ' ' } },
      }),
    });
    expect(result.status).toBe('fail');
    expect(result.nearMisses).toEqual([
      {
        type: 'annotation',
        ref: 'opsgenie.com/team',
        reason: 'is set but empty, so it routes pages nowhere',
      },
    ]);
  });

  it('data.declared: a dependsOn entry without a kind', () => {
    const result = checkResult('data.declared', {
      entity: serviceEntity({ spec: { dependsOn: ['orders-db'] } }),
      files: { 'requirements.txt': 'psycopg2==2.9.9\n' },
    });
    expect(result.status).toBe('fail');
    expect(result.nearMisses).toEqual([
      {
        type: 'field',
        ref: 'spec.dependsOn',
        detail: 'orders-db',
        reason:
          "'orders-db' has no kind, which the catalog ignores; write resource:<name>",
      },
    ]);
  });

  it('data.declared: a Resource the catalog does not know', () => {
    const result = checkResult('data.declared', {
      entity: serviceEntity({ spec: { dependsOn: ['resource:orders-db'] } }),
      catalog: catalogOf([]),
      files: {},
    });
    expect(result.status).toBe('fail');
    expect(result.nearMisses).toEqual([
      {
        type: 'relation',
        ref: 'resource:default/orders-db',
        detail: 'dependsOn (spec.dependsOn)',
        reason: 'is not in the catalog',
      },
    ]);
  });

  it('data.migrations: an empty migrations directory', () => {
    const result = checkResult('data.migrations', {
      files: {
        'requirements.txt': 'psycopg2==2.9.9\n',
        'db/migrations/.gitkeep': '',
      },
    });
    expect(result.status).toBe('fail');
    expect(result.nearMisses).toEqual([
      {
        type: 'file',
        ref: 'db/migrations/.gitkeep',
        reason: 'only keeps an empty migrations directory',
      },
    ]);
    expect(result.message).toContain(
      'Rejected: db/migrations/.gitkeep only keeps an empty migrations directory.',
    );
  });

  it('capacity.autoscaling: a fixed replica count', () => {
    const result = checkResult('capacity.autoscaling', {
      files: {
        'deploy/orders.yaml':
          'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders\nspec:\n  replicas: 4\n',
      },
    });
    expect(result.status).toBe('fail');
    expect(result.nearMisses).toEqual([
      {
        type: 'file',
        ref: 'deploy/orders.yaml',
        line: 6,
        detail: 'replicas: 4',
        reason: 'runs a fixed number of replicas that nothing scales',
      },
    ]);
  });

  it('capacity.resources: a workload without requests', () => {
    const result = checkResult('capacity.resources', {
      files: {
        'deploy/orders.yaml':
          'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders\nspec:\n  template:\n    spec:\n      containers:\n        - name: orders\n          image: orders:1.0.0\n',
      },
    });
    expect(result.status).toBe('fail');
    expect(result.nearMisses).toEqual([
      {
        type: 'file',
        ref: 'deploy/orders.yaml',
        line: 2,
        detail: 'kind: Deployment',
        reason: 'defines a workload that sets no resource requests or limits',
      },
    ]);
  });

  it('capacity.resources: limits without requests', () => {
    const result = checkResult('capacity.resources', {
      files: {
        'deploy/orders.yaml':
          'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders\nspec:\n  template:\n    spec:\n      containers:\n        - name: orders\n          resources:\n            limits:\n              memory: 256Mi\n',
      },
    });
    expect(result.status).toBe('fail');
    expect(result.nearMisses).toEqual([
      {
        type: 'file',
        ref: 'deploy/orders.yaml',
        line: 11,
        detail: 'limits:',
        reason:
          'sets limits but no requests, which the scheduler and autoscalers plan with',
      },
    ]);
  });

  it('as-code.ownership: an owner that is not in the catalog', () => {
    const result = checkResult('as-code.ownership', {
      entity: serviceEntity({
        spec: { owner: 'team-gone', system: 'shop' },
      }),
      catalog: catalogOf([]),
    });
    expect(result.status).toBe('fail');
    expect(result.nearMisses).toEqual([
      {
        type: 'catalog',
        ref: 'group:default/team-gone',
        reason: 'does not exist in the catalog',
      },
    ]);
  });

  it('as-code.relations: a relation without a kind', () => {
    const result = checkResult('as-code.relations', {
      entity: serviceEntity({ spec: { dependsOn: ['payments'] } }),
    });
    expect(result.status).toBe('fail');
    expect(result.nearMisses).toEqual([
      {
        type: 'field',
        ref: 'spec.dependsOn',
        detail: 'payments',
        reason:
          "'payments' is not a valid entity ref: a relation needs a kind, such as resource:payments",
      },
    ]);
  });

  it('as-code.infrastructure: Ansible and Compose are not infrastructure as code', () => {
    const result = checkResult('as-code.infrastructure', {
      files: {
        'ansible/site.yml': '- hosts: all\n',
        'docker-compose.yml': 'services: {}\n',
      },
    });
    expect(result.status).toBe('fail');
    expect(result.nearMisses?.map(n => [n.ref, n.reason])).toEqual([
      [
        'ansible/site.yml',
        'is Ansible: it configures servers, it does not declare infrastructure',
      ],
      [
        'docker-compose.yml',
        'describes containers for local use, not infrastructure',
      ],
    ]);
  });

  it('keeps at most MAX_NEAR_MISSES, and the message says how many more there were', () => {
    const files: Record<string, string> = { 'requirements.txt': 'psycopg2\n' };
    for (let i = 0; i < MAX_NEAR_MISSES + 5; i++) {
      files[`migrations/notes-${String(i).padStart(2, '0')}.txt`] = 'x';
    }
    const result = checkResult('data.migrations', { files });
    expect(result.status).toBe('fail');
    expect(result.nearMisses).toHaveLength(MAX_NEAR_MISSES);
    expect(result.message).toContain(`; and ${MAX_NEAR_MISSES + 2} more.`);
  });

  it('gives a passing check no near-misses', () => {
    const result = checkResult('build.artifact', {
      files: {
        '.github/workflows/ci.yml': workflow(
          '      - uses: actions/upload-artifact@v4',
          '        with:',
          '          path: coverage/',
          '      - run: docker build -t orders:${{ github.sha }} . && docker push orders:${{ github.sha }}',
        ),
      },
    });
    expect(result.status).toBe('pass');
    expect(result.nearMisses).toBeUndefined();
  });
});

describe('the real-test rule', () => {
  it.each([
    ['tests/__init__.py', 'is a Python package marker, not a test'],
    ['tests/conftest.py', 'holds shared pytest fixtures, not tests'],
    [
      'src/__tests__/__snapshots__/Card.test.tsx.snap',
      'is a recorded snapshot, not a test',
    ],
    ['src/__tests__/fixtures/order.json', 'is test data, not a test'],
    ['src/test/resources/application.yaml', 'is test data, not a test'],
    ['pkg/orders/testdata/order.json', 'is test data, not a test'],
    ['tests/.gitkeep', 'only keeps an empty test directory'],
  ])('%s %s', (path, reason) => {
    expect(notATest(path)).toBe(reason);
  });

  it.each([
    'tests/test_orders.py',
    'src/__tests__/Card.test.tsx',
    'internal/orders_test.go',
    'src/test/java/acme/OrdersTest.java',
  ])('%s is a test', path => {
    expect(notATest(path)).toBeUndefined();
  });

  it('cites a real test, never a fixture or snapshot beside it', () => {
    const result = checkResult('build.tests', {
      files: {
        '.github/workflows/ci.yml':
          'on: push\njobs:\n  ci:\n    steps:\n      - run: npx jest\n',
        'src/__tests__/__snapshots__/a.test.ts.snap': 'exports[`a`] = 1;\n',
        'src/__tests__/fixtures/a.json': '{}',
        'src/__tests__/a.test.ts': 'test("a", () => {});\n',
      },
    });
    expect(result.status).toBe('pass');
    expect(result.evidence).toContainEqual({
      type: 'file',
      ref: 'src/__tests__/a.test.ts',
      detail: 'test file',
    });
  });

  it('fails when the only test-like files are a snapshot and a placeholder', () => {
    const result = checkResult('build.tests', {
      files: {
        '.github/workflows/ci.yml':
          'on: push\njobs:\n  ci:\n    steps:\n      - run: npx vitest run\n',
        'src/__tests__/__snapshots__/a.test.ts.snap': 'exports[`a`] = 1;\n',
        'e2e/__tests__/.gitkeep': '',
      },
    });
    expect(result.status).toBe('fail');
    expect(result.nearMisses?.map(n => n.ref)).toEqual([
      'e2e/__tests__/.gitkeep',
      'src/__tests__/__snapshots__/a.test.ts.snap',
    ]);
  });
});
