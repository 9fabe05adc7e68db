import type { Entity } from '@backstage/catalog-model';
import fs from 'node:fs';
import path from 'node:path';

/** The organisation the golden paths are run against: a team and a system, as
 * the catalog holds them. */
export const ORGANISATION: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-orders', namespace: 'default' },
    spec: { type: 'team', children: [] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'commerce', namespace: 'default' },
    spec: { owner: 'group:default/team-orders' },
  },
];

/**
 * The files of a hand-written service repository that meets every built-in check, independent
 * of the capability actions, so the verify and publish tests do not depend on them.
 */
export const PAVED_REPOSITORY: Record<string, string> = {
  'catalog-info.yaml': `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orders
  description: Takes orders
  annotations:
    grafana/dashboard-selector: "tags @> 'orders'"
    pagerduty.com/service-id: PX1234
spec:
  type: service
  lifecycle: production
  owner: group:default/team-orders
  system: system:default/commerce
  dependsOn:
    - resource:default/orders-db
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: orders-db
  description: PostgreSQL database of orders
spec:
  type: database
  owner: group:default/team-orders
  system: system:default/commerce
`,
  'package.json': `${JSON.stringify(
    {
      name: 'orders',
      version: '1.0.0',
      scripts: { test: 'node --test', migrate: 'knex migrate:latest' },
      dependencies: {
        '@opentelemetry/sdk-node': '^0.203.0',
        knex: '^3.1.0',
        pg: '^8.16.0',
      },
    },
    null,
    2,
  )}\n`,
  'src/index.ts': 'export const ok = true;\n',
  'src/index.test.ts': "import test from 'node:test';\ntest('ok', () => {});\n",
  'migrations/20250101000000_init.js':
    "exports.up = knex => knex.schema.createTable('orders', t => t.increments());\nexports.down = knex => knex.schema.dropTable('orders');\n",
  'renovate.json': '{ "extends": ["config:recommended"] }\n',
  'release-please-config.json': '{ "packages": { ".": {} } }\n',
  '.github/workflows/ci.yml': `name: ci
on: [push]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm ci
      - run: npm test
      - run: npm run migrate
      - uses: docker/build-push-action@v6
        with:
          push: true
          tags: ghcr.io/acme/orders:\${{ github.sha }}
`,
  '.github/workflows/rollback.yml': `name: rollback
on: workflow_dispatch
jobs:
  rollback:
    runs-on: ubuntu-latest
    steps:
      - run: helm rollback orders
`,
  Dockerfile: 'FROM node:20\nCOPY . .\nCMD ["node", "dist/index.js"]\n',
  'charts/orders/Chart.yaml': 'apiVersion: v2\nname: orders\nversion: 1.0.0\n',
  'charts/orders/values.yaml': 'image:\n  repository: ghcr.io/acme/orders\n',
  'charts/orders/templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: orders
spec:
  template:
    spec:
      containers:
        - name: orders
          image: "{{ .Values.image.repository }}:{{ .Chart.AppVersion }}"
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              cpu: 500m
              memory: 256Mi
`,
  'charts/orders/templates/hpa.yaml': `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: orders
spec:
  minReplicas: 2
  maxReplicas: 10
`,
  'infra/main.tf': 'resource "aws_db_instance" "orders" {}\n',
};

/** Writes files (path to content) under a directory. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [file, content] of Object.entries(files)) {
    const target = path.join(dir, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  }
}
