import type { Entity } from '@backstage/catalog-model';
import { catalogOf, checkResult, serviceEntity } from '../testing/fixtures';

const resource = (
  name: string,
  type: string,
  namespace = 'default',
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name, namespace },
  spec: { type, owner: 'group:default/team-a' },
});

const PG_PACKAGE_JSON =
  '{\n  "name": "orders",\n  "dependencies": {\n    "express": "^4.19.2",\n    "pg": "^8.12.0"\n  }\n}';

/** A stateless service: an HTTP server with no database client and no migrations. */
const STATELESS_FILES = {
  'package.json':
    '{\n  "name": "gateway",\n  "dependencies": {\n    "express": "^4.19.2",\n    "http-proxy-middleware": "^3.0.0"\n  }\n}',
  'src/index.ts': "import express from 'express';",
  'src/routes.test.ts': '',
  Dockerfile: 'FROM node:20',
};

/** Realistic signs of a relational or document store in a manifest. */
const STORE_MANIFESTS: Array<[string, string, string]> = [
  ['package.json', PG_PACKAGE_JSON, '"pg": "^8.12.0"'],
  [
    'package.json',
    '{ "dependencies": {\n  "mongoose": "^8.4.0"\n} }',
    '"mongoose": "^8.4.0"',
  ],
  [
    'go.mod',
    'module github.com/acme/orders\n\nrequire (\n\tgithub.com/jackc/pgx/v5 v5.6.0\n)\n',
    'github.com/jackc/pgx/v5 v5.6.0',
  ],
  [
    'requirements.txt',
    'fastapi==0.111.0\npsycopg2-binary==2.9.9\n',
    'psycopg2-binary==2.9.9',
  ],
  [
    'pyproject.toml',
    '[tool.poetry.dependencies]\npython = "^3.12"\nDjango = "^5.0"\n',
    'Django = "^5.0"',
  ],
  [
    'pom.xml',
    '<dependency>\n  <groupId>org.springframework.boot</groupId>\n  <artifactId>spring-boot-starter-data-jpa</artifactId>\n</dependency>',
    '<artifactId>spring-boot-starter-data-jpa</artifactId>',
  ],
  [
    'Gemfile',
    "gem 'rails', '~> 7.1'\ngem 'pg', '~> 1.5'\n",
    "gem 'pg', '~> 1.5'",
  ],
  [
    'src/Orders/Orders.csproj',
    '<ItemGroup>\n  <PackageReference Include="Npgsql.EntityFrameworkCore.PostgreSQL" Version="8.0.4" />\n</ItemGroup>',
    '<PackageReference Include="Npgsql.EntityFrameworkCore.PostgreSQL" Version="8.0.4" />',
  ],
  [
    'Cargo.toml',
    '[dependencies]\nsqlx = { version = "0.7", features = ["postgres"] }\n',
    'sqlx = { version = "0.7", features = ["postgres"] }',
  ],
];

describe('data checks', () => {
  describe('data.declared', () => {
    it('passes when the entity depends on a database Resource, and names its type', () => {
      const result = checkResult('data.declared', {
        entity: serviceEntity({ spec: { dependsOn: ['resource:orders-db'] } }),
        catalog: catalogOf([resource('orders-db', 'database')]),
        files: { 'package.json': PG_PACKAGE_JSON },
      });
      expect(result.status).toBe('pass');
      expect(result.message).toContain('resource:default/orders-db (database)');
      expect(result.evidence).toEqual([
        {
          type: 'relation',
          ref: 'resource:default/orders-db',
          detail: 'dependsOn (spec.dependsOn)',
        },
        {
          type: 'catalog',
          ref: 'resource:default/orders-db',
          detail: 'database',
        },
      ]);
    });

    it.each([
      [
        'a full ref in another namespace',
        serviceEntity({
          spec: {
            dependsOn: [
              'component:default/payments',
              'Resource:ledger/ledger-db',
            ],
          },
        }),
        'resource:ledger/ledger-db',
      ],
      [
        "the catalog's relations",
        serviceEntity({
          relations: [
            { type: 'ownedBy', targetRef: 'group:default/team-a' },
            { type: 'dependsOn', targetRef: 'resource:default/orders-cache' },
          ],
        }),
        'resource:default/orders-cache',
      ],
      [
        'a short ref in a non-default namespace',
        serviceEntity({
          metadata: { namespace: 'shop' },
          spec: { dependsOn: ['resource:orders-db'] },
        }),
        'resource:shop/orders-db',
      ],
    ])(
      'passes without the repository when the Resource is declared through %s',
      (_, entity, ref) => {
        const result = checkResult('data.declared', { entity });
        expect(result.status).toBe('pass');
        expect(result.evidence.map(e => e.ref)).toEqual([ref]);
      },
    );

    it('fails when the declared Resource is not in the catalog', () => {
      const result = checkResult('data.declared', {
        entity: serviceEntity({
          spec: { dependsOn: ['resource:default/orders-db'] },
        }),
        catalog: catalogOf([resource('billing-db', 'database')]),
      });
      expect(result.status).toBe('fail');
      expect(result.message).toMatch(/catalog has no such Resource/);
    });

    it.each(STORE_MANIFESTS)(
      'fails when %s declares a database client but no Resource is declared',
      (path, content, line) => {
        const result = checkResult('data.declared', {
          entity: serviceEntity({
            spec: { dependsOn: ['component:default/payments'] },
          }),
          files: { [path]: content },
        });
        expect(result.status).toBe('fail');
        expect(result.message).toContain(`${path} declares a database client`);
        expect(result.message).toContain('spec.dependsOn');
        expect(result.evidence).toEqual([
          expect.objectContaining({ type: 'file', ref: path, detail: line }),
        ]);
      },
    );

    it('fails when the repository has migrations but no Resource is declared', () => {
      const result = checkResult('data.declared', {
        files: {
          'db/migrate/20240601120000_create_orders.rb': 'class CreateOrders',
        },
      });
      expect(result.status).toBe('fail');
      expect(result.message).toContain(
        'Rails (Active Record) schema migrations',
      );
    });

    it('fails when the repository has a Prisma schema but no Resource is declared', () => {
      const result = checkResult('data.declared', {
        files: {
          'prisma/schema.prisma':
            'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n',
        },
      });
      expect(result.status).toBe('fail');
      expect(result.message).toContain('Prisma schema (prisma/schema.prisma)');
      expect(result.evidence).toEqual([
        { type: 'file', ref: 'prisma/schema.prisma', detail: 'Prisma schema' },
      ]);
    });

    it('fails, and explains why, when dependsOn names the database without a kind', () => {
      const result = checkResult('data.declared', {
        entity: serviceEntity({ spec: { dependsOn: ['orders-db'] } }),
        files: { 'package.json': PG_PACKAGE_JSON },
      });
      expect(result.status).toBe('fail');
      expect(result.message).toContain("'orders-db' without a kind");
    });

    it('fails without the repository when an annotation names a database', () => {
      const result = checkResult('data.declared', {
        entity: serviceEntity({
          metadata: {
            annotations: { 'aws.amazon.com/rds-instance': 'orders-prod' },
          },
        }),
      });
      expect(result.status).toBe('fail');
      expect(result.evidence).toEqual([
        {
          type: 'annotation',
          ref: 'aws.amazon.com/rds-instance',
          detail: 'orders-prod',
        },
      ]);
    });

    it('is not applicable to a stateless service', () => {
      const result = checkResult('data.declared', { files: STATELESS_FILES });
      expect(result.status).toBe('not-applicable');
      expect(result.message).toMatch(/No data store/);
    });

    it('is not applicable when the database driver is only an indirect Go dependency', () => {
      const result = checkResult('data.declared', {
        files: {
          'go.mod':
            'module github.com/acme/gateway\n\nrequire (\n\tgithub.com/go-chi/chi/v5 v5.0.12\n\tgithub.com/lib/pq v1.10.9 // indirect\n)\n',
        },
      });
      expect(result.status).toBe('not-applicable');
    });

    it('is unknown when the entity declares nothing and the repository could not be read', () => {
      expect(checkResult('data.declared', {}).status).toBe('unknown');
    });

    it('tolerates a malformed spec', () => {
      const entity = serviceEntity({
        spec: { dependsOn: 'resource:orders-db' },
      });
      expect(checkResult('data.declared', { entity }).status).toBe('pass');
      const broken = serviceEntity({
        spec: { dependsOn: [42, null, { kind: 'x' }] },
      });
      expect(checkResult('data.declared', { entity: broken }).status).toBe(
        'unknown',
      );
    });
  });

  describe('data.migrations', () => {
    it.each([
      [
        'Flyway',
        {
          'src/main/resources/db/migration/V1__create_orders.sql':
            'create table orders ();',
        },
      ],
      ['Flyway', { 'flyway.toml': '[flyway]\nlocations = ["filesystem:sql"]' }],
      [
        'Liquibase',
        {
          'src/main/resources/db/changelog/db.changelog-master.yaml':
            'databaseChangeLog: []',
        },
      ],
      [
        'Alembic',
        {
          'alembic.ini': '[alembic]',
          'alembic/versions/1a2b3c_create_orders.py': '',
        },
      ],
      [
        'Django',
        {
          'orders/migrations/0001_initial.py':
            'class Migration(migrations.Migration):',
        },
      ],
      [
        'Rails (Active Record)',
        { 'db/migrate/20240601120000_create_orders.rb': '' },
      ],
      [
        'Prisma Migrate',
        { 'prisma/migrations/20240601120000_init/migration.sql': '' },
      ],
      [
        'golang-migrate',
        {
          'db/migrations/000001_create_orders.up.sql': '',
          'db/migrations/000001_create_orders.down.sql': '',
        },
      ],
      [
        'Diesel',
        {
          'migrations/2024-06-01-120000_create_orders/up.sql': '',
          'migrations/2024-06-01-120000_create_orders/down.sql': '',
        },
      ],
      ['Atlas', { 'atlas.hcl': 'env "local" {}' }],
      ['Sqitch', { 'sqitch.plan': '%project=orders' }],
      [
        'Sequelize',
        {
          '.sequelizerc':
            "module.exports = { 'migrations-path': 'db/migrations' };",
        },
      ],
      ['knex', { 'knexfile.ts': 'export default { client: "pg" };' }],
      [
        'Entity Framework Core',
        { 'src/Orders/Migrations/20240601120000_Initial.cs': '' },
      ],
      ['Ecto', { 'priv/repo/migrations/20240601120000_create_orders.exs': '' }],
      [
        'Laravel',
        { 'database/migrations/2024_06_01_000000_create_orders_table.php': '' },
      ],
      [
        'SQL migrations',
        {
          'supabase/migrations/20240601120000_init.sql':
            'create table orders ();',
        },
      ],
    ])('passes with %s migrations', (tool, files) => {
      const result = checkResult('data.migrations', { files });
      expect(result.status).toBe('pass');
      expect(result.message).toContain(`${tool} migrations`);
      expect(result.evidence.map(e => e.ref)).toEqual(
        expect.arrayContaining([Object.keys(files)[0]]),
      );
    });

    it.each([
      [
        'TypeORM',
        'src/migrations/1717243200000-CreateOrders.ts',
        "import { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class CreateOrders1717243200000 implements MigrationInterface {\n",
        1,
      ],
      [
        'knex',
        'migrations/20240601120000_create_orders.js',
        "/** @param {import('knex').Knex} knex */\nexports.up = function (knex) {\n  return knex.schema.createTable('orders', t => t.increments());\n};\n",
        2,
      ],
      [
        'Sequelize',
        'db/migrations/20240601120000-create-orders.js',
        "'use strict';\nmodule.exports = {\n  async up(queryInterface, Sequelize) {\n",
        3,
      ],
      [
        'goose',
        'sql/schema/001_orders.sql',
        '-- +goose Up\nCREATE TABLE orders (id SERIAL PRIMARY KEY);\n\n-- +goose Down\nDROP TABLE orders;\n',
        1,
      ],
    ])(
      'passes with %s migrations found by their content',
      (tool, path, content, line) => {
        const result = checkResult('data.migrations', {
          files: { [path]: content, 'package.json': PG_PACKAGE_JSON },
        });
        expect(result.status).toBe('pass');
        expect(result.message.toLowerCase()).toContain(tool.toLowerCase());
        expect(result.evidence).toEqual([
          expect.objectContaining({ type: 'file', ref: path, line }),
        ]);
      },
    );

    it('fails when the service uses a database but only has a schema dump', () => {
      const result = checkResult('data.migrations', {
        files: {
          'package.json': PG_PACKAGE_JSON,
          'schema.sql': 'create table orders (id serial primary key);',
          'src/migrations/README.md': 'Run the SQL in schema.sql by hand.',
        },
      });
      expect(result.status).toBe('fail');
      expect(result.message).toContain(
        'package.json declares a database client',
      );
      expect(result.message).toMatch(/no schema migrations/);
      expect(result.evidence[0]).toMatchObject({
        ref: 'package.json',
        line: 5,
      });
    });

    it('fails when the entity depends on a database Resource but there are no migrations', () => {
      const result = checkResult('data.migrations', {
        entity: serviceEntity({
          spec: { dependsOn: ['resource:default/orders-db'] },
        }),
        files: { 'src/index.ts': '' },
      });
      expect(result.status).toBe('fail');
      expect(result.message).toContain('depends on resource:default/orders-db');
    });

    it('does not count migrations of vendored dependencies', () => {
      const result = checkResult('data.migrations', {
        files: {
          'package.json': PG_PACKAGE_JSON,
          'node_modules/connect-pg-simple/migrations/001_session.sql':
            'create table session ();',
          'vendor/github.com/acme/lib/migrations/000001_init.up.sql': '',
        },
      });
      expect(result.status).toBe('fail');
    });

    it('is not applicable to a stateless service', () => {
      const result = checkResult('data.migrations', { files: STATELESS_FILES });
      expect(result.status).toBe('not-applicable');
      expect(result.message).toMatch(/No data store/);
    });

    it('is unknown when the repository could not be read', () => {
      expect(checkResult('data.migrations', {}).status).toBe('unknown');
      expect(
        checkResult('data.migrations', {
          entity: serviceEntity({
            spec: { dependsOn: ['resource:default/orders-db'] },
          }),
        }).status,
      ).toBe('unknown');
    });
  });
});
