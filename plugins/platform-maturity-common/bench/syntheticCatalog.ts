import type { Entity } from '@backstage/catalog-model';
import type { RepositorySnapshot } from '../src';

/** A small deterministic PRNG (mulberry32), so every run scores the same catalog. */
export function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CONTENT: Record<string, string> = {
  '.github/workflows/ci.yml': [
    'name: ci',
    'on: [push, pull_request]',
    'jobs:',
    '  test:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - uses: actions/setup-node@v4',
    '      - run: npm ci',
    '      - run: npm test',
    '      - uses: docker/metadata-action@v5',
    '        with:',
    '          tags: type=semver,pattern={{version}}',
    '      - uses: docker/build-push-action@v6',
  ].join('\n'),
  '.github/workflows/lint.yml':
    'name: lint\non: push\njobs:\n  lint:\n    steps:\n      - run: npm run lint\n',
  '.github/workflows/rollback.yml':
    'name: rollback\non: workflow_dispatch\njobs:\n  rollback:\n    steps:\n      - run: helm rollback orders\n',
  'package.json': JSON.stringify(
    {
      name: 'svc',
      dependencies: {
        express: '^4.19.0',
        '@opentelemetry/sdk-node': '^0.200.0',
        pg: '^8.11.0',
      },
    },
    null,
    2,
  ),
  'package-plain.json': JSON.stringify(
    { name: 'svc', dependencies: { express: '^4.19.0' } },
    null,
    2,
  ),
  'charts/svc/Chart.yaml': 'apiVersion: v2\nname: svc\nversion: 1.2.3\n',
  'charts/svc/values.yaml': [
    'replicaCount: 2',
    'image:',
    '  repository: ghcr.io/acme/svc',
    'autoscaling:',
    '  enabled: true',
    '  minReplicas: 2',
    '  maxReplicas: 10',
    'resources:',
    '  requests:',
    '    cpu: 100m',
    '    memory: 128Mi',
    '  limits:',
    '    cpu: 500m',
    '    memory: 256Mi',
  ].join('\n'),
  'CHANGELOG.md': '# Changelog\n\n## [1.2.3] - 2026-10-01\n\n- Fixes\n',
  'infra/main.tf': 'resource "aws_s3_bucket" "b" {\n  bucket = "svc"\n}\n',
  'migrations/001_init.sql': 'create table orders (id int);',
};

/**
 * A synthetic service: an entity and a repository of about 100 paths, with a varying share of the
 * paved-road files so the catalog spreads over every level.
 */
export function syntheticService(index: number): {
  entity: Entity;
  repository: RepositorySnapshot;
} {
  const rand = random(index + 1);
  const has = (p: number) => rand() < p;
  const paths: string[] = [];
  const files: Record<string, string> = {};
  const add = (path: string, contentKey = path) => {
    paths.push(path);
    if (CONTENT[contentKey] !== undefined) {
      files[path] = CONTENT[contentKey];
    }
  };
  add('README.md');
  if (has(0.85)) add('.github/workflows/ci.yml');
  if (has(0.5)) add('.github/workflows/lint.yml');
  if (has(0.3)) add('.github/workflows/rollback.yml');
  add('package.json', has(0.5) ? 'package.json' : 'package-plain.json');
  if (has(0.6)) {
    add('charts/svc/Chart.yaml');
    add('charts/svc/values.yaml');
    add('charts/svc/templates/deployment.yaml', 'none');
  }
  if (has(0.5)) add('CHANGELOG.md');
  if (has(0.4)) add('infra/main.tf');
  if (has(0.3)) add('migrations/001_init.sql');
  if (has(0.5)) add('renovate.json', 'none');
  const modules = 92 - paths.length;
  for (let i = 0; paths.length < 100 && i < modules; i++) {
    const dir = `src/module${i % 12}`;
    add(i % 4 === 0 ? `${dir}/file${i}.test.ts` : `${dir}/file${i}.ts`, 'none');
  }
  while (paths.length < 100) {
    add(`docs/page${paths.length}.md`, 'none');
  }
  paths.sort();

  const annotations: Record<string, string> = {
    'backstage.io/source-location': `url:https://github.com/acme/svc-${index}/`,
  };
  if (has(0.6)) annotations['pagerduty.com/service-id'] = `P${index}`;
  if (has(0.6)) annotations['grafana/dashboard-selector'] = `svc-${index}`;
  const entity: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: `svc-${index}`,
      namespace: 'default',
      annotations,
    },
    spec: {
      type: has(0.9) ? 'service' : 'website',
      lifecycle: 'production',
      owner: `group:default/team-${index % 50}`,
      system: has(0.8) ? `system-${index % 20}` : undefined,
      dependsOn: has(0.4) ? [`resource:default/db-${index}`] : [],
      providesApis: has(0.5) ? [`api-${index}`] : [],
    },
  };
  return {
    entity,
    repository: { paths, read: path => files[path] },
  };
}
