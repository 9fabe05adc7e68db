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

describe('data store detection', () => {
  const declared = (files: Record<string, string>, entity?: Entity) =>
    checkResult('data.declared', { files, ...(entity ? { entity } : {}) });

  it.each([
    [
      'GORM under its legacy module path, with its drivers only indirect',
      'go.mod',
      'module github.com/acme/articles\n\ngo 1.15\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.6.3\n\tgithub.com/jinzhu/gorm v1.9.16\n\tgithub.com/lib/pq v1.1.1 // indirect\n)\n',
      'github.com/jinzhu/gorm v1.9.16',
    ],
    [
      'xorm under its old GitHub path',
      'go.mod',
      'module example.org/inventory\n\nrequire github.com/go-xorm/xorm v0.7.9\n',
      'require github.com/go-xorm/xorm v0.7.9',
    ],
    [
      'a GORM driver package, whose pgx is only indirect',
      'go.mod',
      'module example.org/ledger\n\nrequire (\n\tgorm.io/driver/postgres v1.5.9\n\tgithub.com/jackc/pgx/v5 v5.6.0 // indirect\n)\n',
      'gorm.io/driver/postgres v1.5.9',
    ],
    [
      'the original mysql package',
      'package.json',
      '{ "dependencies": {\n  "express": "^4.17.1",\n  "mysql": "^2.18.1"\n} }',
      '"mysql": "^2.18.1"',
    ],
    [
      'a Nest integration that brings TypeORM and its driver in',
      'package.json',
      '{ "dependencies": {\n  "@nestjs/core": "^10.0.0",\n  "@nestjs/typeorm": "^10.0.2"\n} }',
      '"@nestjs/typeorm": "^10.0.2"',
    ],
    [
      'a MikroORM driver package without @mikro-orm/core',
      'package.json',
      '{ "dependencies": {\n  "@mikro-orm/postgresql": "^6.2.0"\n} }',
      '"@mikro-orm/postgresql": "^6.2.0"',
    ],
    [
      'Entity Framework 6',
      'Shop.Web/packages.config',
      '<packages>\n  <package id="EntityFramework" version="6.4.4" targetFramework="net48" />\n</packages>',
      '<package id="EntityFramework" version="6.4.4" targetFramework="net48" />',
    ],
    [
      'an Aspire database integration',
      'src/Catalog.API/Catalog.API.csproj',
      '<ItemGroup>\n  <PackageReference Include="Aspire.Npgsql.EntityFrameworkCore.PostgreSQL" />\n</ItemGroup>',
      '<PackageReference Include="Aspire.Npgsql.EntityFrameworkCore.PostgreSQL" />',
    ],
    [
      'the Quarkus Hibernate ORM extension',
      'pom.xml',
      '<dependency>\n  <groupId>io.quarkus</groupId>\n  <artifactId>quarkus-hibernate-orm-panache</artifactId>\n</dependency>',
      '<artifactId>quarkus-hibernate-orm-panache</artifactId>',
    ],
    [
      'cx_Oracle',
      'requirements.txt',
      'flask==3.0.3\ncx_Oracle==8.3.0\n',
      'cx_Oracle==8.3.0',
    ],
    [
      'a Rust workspace dependency',
      'Cargo.toml',
      '[package]\nname = "billing"\n\n[dependencies]\nsqlx.workspace = true\n',
      'sqlx.workspace = true',
    ],
    [
      'the legacy MongoDB Java driver',
      'pom.xml',
      '<dependency>\n  <groupId>org.mongodb</groupId>\n  <artifactId>mongo-java-driver</artifactId>\n</dependency>',
      '<artifactId>mongo-java-driver</artifactId>',
    ],
    [
      'mgo, the unmaintained Go MongoDB driver',
      'go.mod',
      'module example.org/catalogue\n\nrequire gopkg.in/mgo.v2 v2.0.0-20190816093944-a6b53ec6cb22\n',
      'require gopkg.in/mgo.v2 v2.0.0-20190816093944-a6b53ec6cb22',
    ],
  ])('finds %s', (_, path, content, line) => {
    const result = declared({ [path]: content });
    expect(result.status).toBe('fail');
    expect(result.message).toContain(`${path} declares a database client`);
    expect(result.evidence).toEqual([
      expect.objectContaining({ ref: path, detail: line }),
    ]);
  });

  it.each([
    [
      "Python's built-in sqlite3",
      {
        'requirements.txt': 'flask==3.0.3\n',
        'app/store.py':
          '"""Keeps the notes."""\nimport sqlite3\n\nconn = sqlite3.connect("notes.db")\n',
      },
      'app/store.py',
      2,
    ],
    [
      "Go's database/sql in a project with no go.mod (GOPATH era)",
      {
        'Gopkg.toml': '[[constraint]]\n  name = "github.com/gorilla/mux"\n',
        'store/db.go':
          'package store\n\nimport (\n\t"database/sql"\n\n\t_ "github.com/lib/pq"\n)\n',
      },
      'store/db.go',
      4,
    ],
    [
      "PHP's PDO, with no composer.json",
      {
        'html/api.php':
          '<?php\n// ratings API\n$db = new PDO($dsn, $user, $password);\n',
      },
      'html/api.php',
      3,
    ],
    [
      'a client the monorepo declares in its root manifest',
      {
        Dockerfile: 'FROM node:20',
        'src/db.ts':
          "import { Pool } from 'pg';\n\nexport const pool = new Pool();\n",
      },
      'src/db.ts',
      1,
    ],
  ])('finds %s imported by the source', (_, files, path, line) => {
    const result = declared(files);
    expect(result.status).toBe('fail');
    expect(result.message).toContain(`${path} uses a database client`);
    expect(result.evidence).toEqual([
      expect.objectContaining({ type: 'file', ref: path, line }),
    ]);
  });

  it('does not take a commented-out import or connection for a store', () => {
    const result = declared({
      'requirements.txt': 'flask==3.0.3\n',
      'app/main.py': '# import sqlite3\n"""Stateless."""\n',
      'html/index.php':
        '<?php\n// $db = new PDO($dsn);\n#  $db = new mysqli();\n',
      'src/index.ts':
        "// import { Pool } from 'pg';\nimport express from 'express';\n",
    });
    expect(result.status).toBe('not-applicable');
    expect(result.message).toMatch(/No data store/);
  });
});

describe('data.migrations with document and key-value stores', () => {
  const MONGOOSE = {
    'package.json':
      '{ "dependencies": {\n  "express": "^4.19.2",\n  "mongoose": "^8.4.0"\n} }',
    'src/db.ts': "import mongoose from 'mongoose';\n",
  };

  it.each([
    ['mongoose', MONGOOSE],
    [
      'Redis',
      {
        'requirements.txt': 'fastapi==0.111.0\nredis==5.0.4\n',
        'app/cache.py': 'import redis\n',
      },
    ],
    [
      'a Prisma schema on MongoDB',
      {
        'prisma/schema.prisma':
          'datasource db {\n  provider = "mongodb"\n  url      = env("DATABASE_URL")\n}\n',
      },
    ],
  ])('is not applicable when the only store is %s', (_, files) => {
    const result = checkResult('data.migrations', { files });
    expect(result.status).toBe('not-applicable');
    expect(result.message).toMatch(/^Only a document or key-value store/);
    expect(result.message).toContain('no schema to migrate');
    // The store still has to be a catalog Resource.
    expect(checkResult('data.declared', { files }).status).toBe('fail');
  });

  it('passes when the document store has migrations', () => {
    const result = checkResult('data.migrations', {
      files: {
        ...MONGOOSE,
        'migrate-mongo-config.js':
          'module.exports = { migrationsDir: "migrations" };',
      },
    });
    expect(result.status).toBe('pass');
    expect(result.message).toContain('migrate-mongo');
  });

  it.each([
    [
      'a relational client beside it',
      {
        'package.json':
          '{ "dependencies": {\n  "ioredis": "^5.4.1",\n  "pg": "^8.12.0"\n} }',
      },
      undefined,
    ],
    [
      'a relational database imported by the source',
      {
        ...MONGOOSE,
        'src/report.ts': "import Database from 'better-sqlite3';\n",
      },
      undefined,
    ],
    [
      'a PostgreSQL Resource in the catalog',
      MONGOOSE,
      resource('orders-db', 'postgresql'),
    ],
  ])(
    'fails without migrations when the service also has %s',
    (_, files, dependency) => {
      const result = checkResult('data.migrations', {
        files,
        ...(dependency
          ? {
              entity: serviceEntity({
                spec: { dependsOn: ['resource:orders-db'] },
              }),
              catalog: catalogOf([dependency]),
            }
          : {}),
      });
      expect(result.status).toBe('fail');
      expect(result.message).toMatch(/no schema migrations/);
    },
  );

  it('is not applicable when the Resource the entity depends on is the document store', () => {
    const result = checkResult('data.migrations', {
      entity: serviceEntity({ spec: { dependsOn: ['resource:orders-db'] } }),
      catalog: catalogOf([resource('orders-db', 'mongodb')]),
      files: MONGOOSE,
    });
    expect(result.status).toBe('not-applicable');
  });
  describe('data: an embedded key-value store', () => {
    const files = {
      'server/go.mod':
        'module example.com/notes\n\ngo 1.22\n\nrequire (\n\tgo.etcd.io/bbolt v1.3.9\n)\n',
    };

    it('is a data store the catalog entry should declare', () => {
      const result = checkResult('data.declared', { files });
      expect(result.status).toBe('fail');
      expect(result.evidence.map(e => e.ref)).toContain('server/go.mod');
    });

    it('has no schema to migrate', () => {
      expect(checkResult('data.migrations', { files }).status).toBe(
        'not-applicable',
      );
    });
  });
});
