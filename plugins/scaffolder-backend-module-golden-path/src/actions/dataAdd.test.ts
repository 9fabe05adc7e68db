import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import {
  CheckResult,
  compileRuleset,
  evaluate,
} from '@paved/plugin-platform-maturity-common';
import { readDirectorySnapshot } from '@paved/plugin-platform-maturity-node';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import yaml, { parseAllDocuments, parseDocument } from 'yaml';
import { parsePython } from '../__testUtils__/parse';
import { actionWorkspace } from '../__testUtils__/runAction';
import { capabilityStatuses, readTree } from '../__testUtils__/scoreWorkspace';
import { validateEntities } from '../lib/catalogInfo';
import { createDataAddAction } from './dataAdd';
import { examples } from './dataAdd.examples';
import { createDeployAddAction } from './deployAdd';

const ALL_PASS = { 'data.declared': 'pass', 'data.migrations': 'pass' };

const CATALOG = `# The orders service.
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orders
spec:
  type: service
  lifecycle: production
  owner: group:default/team-orders # the team
  system: system:default/commerce
  dependsOn:
    - component:default/payments
`;

function entitiesIn(dir: string): Entity[] {
  return parseAllDocuments(
    fs.readFileSync(path.join(dir, 'catalog-info.yaml'), 'utf8'),
  ).map(d => d.toJS() as Entity);
}

/**
 * Scores a workspace as the backend does once its catalog-info.yaml is registered: the
 * Component is the entity, and the catalog knows every entity of the file (the Resource).
 */
async function scoreWithCatalog(
  dir: string,
): Promise<Map<string, CheckResult>> {
  const entities = entitiesIn(dir);
  const refOf = (e: Entity) =>
    `${e.kind.toLowerCase()}:${e.metadata.namespace ?? 'default'}/${
      e.metadata.name
    }`;
  const scorecard = evaluate(compileRuleset({}), {
    entity: entities.find(e => e.kind === 'Component')!,
    repository: await readDirectorySnapshot(dir),
    catalog: {
      getEntity: ref => entities.find(e => refOf(e) === ref.toLowerCase()),
    },
    now: new Date(),
  });
  return new Map(scorecard.results.map(r => [r.checkId, r]));
}

const POSTGRES =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;

// The generated files are checked with Python, the TypeScript compiler and PostgreSQL, which
// take seconds on a busy machine.
jest.setTimeout(60_000);

describe('paved:data:add', () => {
  const action = createDataAddAction({ config: new ConfigReader({}) });
  const { mockDir, run, read, expectSecondRunChangesNothing } =
    actionWorkspace(action);

  it('adds the database, knex migrations and a migrate workflow to a Node.js service', async () => {
    mockDir.setContent({ 'catalog-info.yaml': CATALOG });
    const { outputs } = await run({ stack: 'node' });

    expect(outputs.resourceRef).toBe('resource:default/orders-db');
    expect(outputs.migrationTool).toBe('knex');
    expect(outputs.migrationsRunBy).toBe('github-actions');
    const paths = outputs.files.map((f: any) => f.path);
    expect(paths).toEqual([
      'catalog-info.yaml',
      'knexfile.cjs',
      expect.stringMatching(/^migrations\/\d{14}_baseline\.cjs$/),
      'package.json',
      '.github/workflows/migrate.yaml',
    ]);
    expect(
      outputs.files.slice(1).every((f: any) => f.change === 'created'),
    ).toBe(true);

    const [component, resource] = entitiesIn(mockDir.path);
    expect(component.spec!.dependsOn).toEqual([
      'component:default/payments',
      'resource:default/orders-db',
    ]);
    expect(resource).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 'orders-db',
        description: 'PostgreSQL database of orders',
      },
      spec: {
        type: 'database',
        owner: 'group:default/team-orders',
        system: 'system:default/commerce',
      },
    });
    await validateEntities(entitiesIn(mockDir.path));
    expect(read('catalog-info.yaml')).toContain(
      'owner: group:default/team-orders # the team',
    );
    expect(JSON.parse(read('package.json')).dependencies).toEqual({
      knex: '^3.3.0',
      pg: '^8.23.0',
    });
    const workflow = parseDocument(
      read('.github/workflows/migrate.yaml'),
    ).toJS();
    expect(workflow.jobs.migrate.steps.at(-1)).toEqual({
      name: 'Apply the migrations',
      env: { DATABASE_URL: '${{ secrets.DATABASE_URL }}' },
      run: 'npx knex migrate:latest --knexfile knexfile.cjs',
    });

    expect(
      capabilityStatuses(await scoreWithCatalog(mockDir.path), 'data'),
    ).toEqual(ALL_PASS);
    await expectSecondRunChangesNothing({ stack: 'node' });
  });

  (POSTGRES ? describe : describe.skip)('with PostgreSQL', () => {
    it('writes knex migrations that the knex CLI applies to PostgreSQL', async () => {
      mockDir.setContent({ 'catalog-info.yaml': CATALOG });
      await run({ stack: 'node' });
      const database = `paved_data_add_${process.pid}_${Date.now()}`;
      const psql = (sql: string) =>
        execFileSync(
          'node',
          [
            '-e',
            `const { Client } = require('pg');
  const c = new Client(process.argv[1]);
  c.connect().then(() => c.query(process.argv[2])).then(r => { console.log(JSON.stringify(r.rows)); return c.end(); }).catch(e => { console.error(e.message); process.exit(1); });`,
            ...(sql.startsWith('SELECT')
              ? [`${POSTGRES}/${database}`, sql]
              : [POSTGRES!, sql]),
          ],
          { encoding: 'utf8' },
        );
      psql(`CREATE DATABASE ${database}`);
      try {
        // As after `npm install` in the service: its node_modules has knex and pg.
        fs.symlinkSync(
          path.dirname(
            path.dirname(path.dirname(require.resolve('knex/bin/cli.js'))),
          ),
          mockDir.resolve('node_modules'),
          'dir',
        );
        const knexCli = require.resolve('knex/bin/cli.js');
        const output = execFileSync(
          'node',
          [knexCli, 'migrate:latest', '--knexfile', 'knexfile.cjs'],
          {
            cwd: mockDir.path,
            env: { ...process.env, DATABASE_URL: `${POSTGRES}/${database}` },
            encoding: 'utf8',
          },
        );
        expect(output).toContain('Batch 1 run: 1 migrations');
        expect(JSON.parse(psql('SELECT name FROM knex_migrations'))).toEqual([
          { name: expect.stringMatching(/^\d{14}_baseline\.cjs$/) },
        ]);
      } finally {
        psql(`DROP DATABASE ${database}`);
      }
    }, 60_000);
  });

  it('adds golang-migrate migrations and a GitLab migrate job to a Go service', async () => {
    mockDir.setContent({
      'catalog-info.yaml': CATALOG.replace(/name: orders/, 'name: payments'),
      'go.mod': 'module example.com/payments\n\ngo 1.25\n',
      '.gitlab-ci.yml':
        'stages: [build, test, deploy]\n\n# Unit tests.\ntest:\n  stage: test\n  script: [go test ./...]\n',
    });
    const { outputs } = await run({
      database: 'payments-ledger',
      owner: 'team-data',
    });

    expect(outputs.migrationsRunBy).toBe('gitlab-ci');
    expect(outputs.files.map((f: any) => [f.path, f.change])).toEqual([
      ['catalog-info.yaml', 'updated'],
      ['migrations/000001_baseline.up.sql', 'created'],
      ['migrations/000001_baseline.down.sql', 'created'],
      ['.gitlab-ci.yml', 'updated'],
    ]);
    const resource = entitiesIn(mockDir.path).find(e => e.kind === 'Resource')!;
    expect(resource.metadata.name).toBe('payments-ledger');
    expect(resource.spec!.owner).toBe('group:default/team-data');
    const pipeline = parseDocument(read('.gitlab-ci.yml')).toJS();
    expect(pipeline.test).toEqual({ stage: 'test', script: ['go test ./...'] });
    expect(pipeline.migrate).toMatchObject({
      stage: 'deploy',
      image: { name: 'migrate/migrate:v4.18.3', entrypoint: [''] },
      script: ['migrate -path migrations -database "$DATABASE_URL" up'],
    });
    expect(read('.gitlab-ci.yml')).toContain('# Unit tests.');
    expect(
      capabilityStatuses(await scoreWithCatalog(mockDir.path), 'data'),
    ).toEqual(ALL_PASS);
    await expectSecondRunChangesNothing({
      database: 'payments-ledger',
      owner: 'team-data',
    });
  });

  it("adds Alembic and a pre-upgrade hook Job to a Python service's Helm chart", async () => {
    mockDir.setContent({
      'catalog-info.yaml': CATALOG,
      'requirements.txt': 'fastapi==0.115.0\n',
    });
    await run(
      { name: 'orders', image: 'ghcr.io/acme/orders' },
      createDeployAddAction({ config: new ConfigReader({}) }),
    );
    const input = {
      credentialsSecret: 'orders-pg-app',
      credentialsSecretKey: 'uri',
    };
    const { outputs } = await run(input);

    expect(outputs.migrationTool).toBe('Alembic');
    expect(outputs.migrationsRunBy).toBe('helm-hook');
    expect(outputs.files.map((f: any) => [f.path, f.change])).toEqual([
      ['catalog-info.yaml', 'updated'],
      ['alembic.ini', 'created'],
      ['alembic/env.py', 'created'],
      ['alembic/script.py.mako', 'created'],
      ['alembic/versions/0001_baseline.py', 'created'],
      ['requirements.txt', 'updated'],
      ['charts/orders/values.yaml', 'updated'],
      ['charts/orders/templates/migrate-job.yaml', 'created'],
    ]);
    parsePython(read('alembic/env.py'));
    parsePython(read('alembic/versions/0001_baseline.py'));
    expect(read('requirements.txt')).toBe(
      'fastapi==0.115.0\nalembic~=1.20\nsqlalchemy~=2.1\npsycopg[binary]~=3.3\n',
    );
    const values = parseDocument(read('charts/orders/values.yaml')).toJS();
    expect(values.migrations).toEqual({
      enabled: true,
      credentialsSecret: 'orders-pg-app',
      credentialsSecretKey: 'uri',
    });
    expect(values.env).toEqual([
      {
        name: 'DATABASE_URL',
        valueFrom: { secretKeyRef: { name: 'orders-pg-app', key: 'uri' } },
      },
    ]);
    const job = read('charts/orders/templates/migrate-job.yaml');
    expect(job).toContain('"helm.sh/hook": pre-install,pre-upgrade');
    expect(job).toContain('command: ["alembic", "upgrade", "head"]');
    expect(job).toContain(
      '{{ printf "%s-migrate" (include "orders.fullname" .)',
    );
    expect(
      capabilityStatuses(await scoreWithCatalog(mockDir.path), 'data'),
    ).toEqual(ALL_PASS);
    await expectSecondRunChangesNothing(input);
  });

  it('keeps the migrations of another tool and only declares the database', async () => {
    mockDir.setContent({
      'catalog-info.yaml': CATALOG,
      'package.json':
        '{ "name": "orders", "dependencies": { "@prisma/client": "^6" } }\n',
      'prisma/schema.prisma': 'datasource db {\n  provider = "postgresql"\n}\n',
      'prisma/migrations/20250101000000_init/migration.sql':
        'CREATE TABLE orders (id int);\n',
    });
    const { outputs } = await run({});

    expect(outputs.migrationTool).toBe('existing');
    expect(outputs.migrationsRunBy).toBe('existing');
    expect(outputs.files).toEqual([
      { path: 'catalog-info.yaml', change: 'updated' },
    ]);
    expect(
      capabilityStatuses(await scoreWithCatalog(mockDir.path), 'data'),
    ).toEqual(ALL_PASS);
    await expectSecondRunChangesNothing({});
  });

  it('keeps an Alembic setup of its own and adds only what runs it', async () => {
    mockDir.setContent({
      'catalog-info.yaml': CATALOG,
      'pyproject.toml':
        '[project]\nname = "orders"\ndependencies = ["alembic>=1.13"]\n',
      'alembic.ini': '[alembic]\nscript_location = migrations\n',
      'migrations/versions/abc123_create_orders.py': 'revision = "abc123"\n',
    });
    const { outputs } = await run({});
    expect(outputs.files.map((f: any) => [f.path, f.change])).toEqual([
      ['catalog-info.yaml', 'updated'],
      ['pyproject.toml', 'updated'],
      ['.github/workflows/migrate.yaml', 'created'],
    ]);
    expect(read('alembic.ini')).toBe(
      '[alembic]\nscript_location = migrations\n',
    );
    expect(fs.existsSync(mockDir.resolve('alembic'))).toBe(false);
    // alembic is declared already, with its own version.
    expect(read('pyproject.toml')).toContain(
      'dependencies = ["alembic>=1.13", "sqlalchemy~=2.1"',
    );
  });

  describe('invalid input', () => {
    it.each([
      [
        { stack: 'node', database: 'orders db' },
        "Invalid input 'database': 'orders db' is not a valid entity name",
      ],
      [
        { stack: 'node', owner: 'api:orders' },
        "Invalid input 'owner': 'api:orders' is a api, but must be one of group, user",
      ],
      [{ stack: 'node', system: 'not a ref!' }, "Invalid input 'system'"],
      [
        { stack: 'node', credentialsSecret: 'Orders_DB' },
        "Invalid input 'credentialsSecret': 'Orders_DB' is not a valid Kubernetes Secret name",
      ],
      [
        { stack: 'node', credentialsSecretKey: 'a/b' },
        "Invalid input 'credentialsSecretKey': 'a/b' is not a valid Kubernetes Secret key",
      ],
      [
        { stack: 'cobol' },
        "Invalid input 'stack': 'cobol' is not one of node, go, python",
      ],
      [
        { stack: 'node', ciProvider: 'jenkins' },
        "Invalid input 'ciProvider': 'jenkins' is not one of github-actions, gitlab-ci",
      ],
      [{ stack: 'node', path: '../up' }, "Invalid input 'path'"],
    ])('rejects %j before writing anything', async (input, message) => {
      mockDir.setContent({ 'catalog-info.yaml': CATALOG });
      await expect(run(input)).rejects.toThrow(message);
      expect(readTree(mockDir.path)).toEqual({ 'catalog-info.yaml': CATALOG });
    });

    it('needs an owner when the Component has none', async () => {
      await expect(run({ name: 'orders', stack: 'go' })).rejects.toThrow(
        "Input 'owner' is required: the database Resource needs an owner and the Component orders has none",
      );
      expect(readTree(mockDir.path)).toEqual({});
    });
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_description, example) => {
      const [step] = yaml.parse(example).steps;
      expect(step.action).toBe('paved:data:add');
      mockDir.clear();
      const { outputs } = await run(step.input);
      expect(outputs.files.every((f: any) => f.change === 'created')).toBe(
        true,
      );
      expect(
        capabilityStatuses(await scoreWithCatalog(mockDir.path), 'data'),
      ).toEqual(ALL_PASS);
    },
  );
});
