import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The catalog entry of the `billing` service, with the Resource it depends on. */
const BILLING_CATALOG_INFO = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: billing
  title: Billing service
  annotations:
    pagerduty.com/service-id: PBILLING
    grafana/dashboard-selector: "tags @> 'billing'"
spec:
  type: service
  lifecycle: production
  owner: group:default/payments
  system: payments
  dependsOn:
    - resource:default/billing-db
  providesApis:
    - billing-api
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: billing-db
spec:
  type: database
  owner: group:default/payments
  system: payments
`;

const CI_WORKFLOW = `name: ci
on:
  push:
    branches: [main]
    tags: ['v*']
  pull_request:
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm ci
      - run: npm test
      - run: docker build -t ghcr.io/acme/billing:\${{ github.sha }} .
      - run: docker push ghcr.io/acme/billing:\${{ github.sha }}
`;

const ROLLBACK_WORKFLOW = `name: rollback
on:
  workflow_dispatch:
jobs:
  rollback:
    runs-on: ubuntu-latest
    steps:
      - run: helm rollback billing
`;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: billing
spec:
  template:
    spec:
      containers:
        - name: billing
          image: ghcr.io/acme/billing:1.4.2
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              cpu: 500m
              memory: 256Mi
`;

const HPA = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: billing
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: billing
  minReplicas: 2
  maxReplicas: 10
`;

/**
 * A service that meets every capability of the checklist.
 *
 * @internal
 */
export const PAVED_SERVICE: Record<string, string> = {
  'catalog-info.yaml': BILLING_CATALOG_INFO,
  '.github/workflows/ci.yml': CI_WORKFLOW,
  '.github/workflows/rollback.yml': ROLLBACK_WORKFLOW,
  'renovate.json': '{ "extends": ["config:recommended"] }\n',
  Dockerfile: 'FROM node:20-alpine\nCOPY . .\nCMD ["node", "src/index.js"]\n',
  'package.json': `${JSON.stringify(
    {
      name: 'billing',
      version: '1.4.2',
      scripts: { test: 'jest' },
      dependencies: {
        '@opentelemetry/sdk-node': '^0.57.0',
        knex: '^3.1.0',
        pg: '^8.13.0',
      },
    },
    null,
    2,
  )}\n`,
  'src/index.js': "require('./server');\n",
  'src/index.test.js': "test('starts', () => expect(1).toBe(1));\n",
  'migrations/20250101000000_create_invoices.js':
    "exports.up = knex => knex.schema.createTable('invoices', t => t.increments());\nexports.down = knex => knex.schema.dropTable('invoices');\n",
  'k8s/deployment.yaml': DEPLOYMENT,
  'k8s/hpa.yaml': HPA,
  'CHANGELOG.md': '# Changelog\n\n## [1.4.2] - 2025-01-10\n\n- Fixes.\n',
  'infra/main.tf':
    'resource "aws_db_instance" "billing" {\n  engine = "postgres"\n}\n',
};

/**
 * A service with a catalog entry and a pipeline that runs the tests, and nothing else.
 *
 * @internal
 */
export const EARLY_SERVICE: Record<string, string> = {
  'catalog-info.yaml': `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ledger
spec:
  type: service
  lifecycle: experimental
  owner: group:default/payments
`,
  '.github/workflows/ci.yml': `name: ci
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: go test ./...
`,
  'go.mod': 'module example.com/ledger\n\ngo 1.22\n',
  'main.go': 'package main\n\nfunc main() {}\n',
  'main_test.go':
    'package main\n\nimport "testing"\n\nfunc TestMain(t *testing.T) {}\n',
};

/**
 * Writes files (path relative to the directory → content) into a directory.
 *
 * @internal
 */
export function writeFiles(directory: string, files: Record<string, string>) {
  for (const [file, content] of Object.entries(files)) {
    const target = path.join(directory, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  }
}

/**
 * A fresh temporary directory, removed by the returned function.
 *
 * @internal
 */
export function temporaryDirectory(prefix = 'paved-cli-test-'): {
  dir: string;
  remove: () => void;
} {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return {
    dir,
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Runs git in a directory with a fixed identity, returning its output.
 *
 * @internal
 */
export function git(directory: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: directory,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Paved Test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'Paved Test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
    },
  });
}

/**
 * Creates a git repository whose commits are the given file sets, in order (each replaces the last).
 *
 * @internal
 */
export function gitRepository(
  directory: string,
  commits: Array<Record<string, string>>,
): void {
  git(directory, 'init', '--quiet', '--initial-branch=main');
  commits.forEach((files, i) => {
    for (const entry of fs.readdirSync(directory)) {
      if (entry !== '.git') {
        fs.rmSync(path.join(directory, entry), { recursive: true });
      }
    }
    writeFiles(directory, files);
    git(directory, 'add', '--all');
    git(directory, 'commit', '--quiet', '-m', `commit ${i + 1}`);
  });
}
