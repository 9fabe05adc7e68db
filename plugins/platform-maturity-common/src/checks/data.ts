import type { Entity } from '@backstage/catalog-model';
import type {
  CheckContext,
  CheckImplementation,
  FileMatch,
  RepositoryView,
} from '../engine/checkTypes';
import type { Evidence } from '../types';
import {
  annotationEvidence,
  annotations,
  fail,
  fileEvidence,
  listPaths,
  matchEvidence,
  notApplicable,
  pass,
  repositoryUnavailable,
  specField,
} from './helpers';
import {
  DependencyPatterns,
  DEPENDENCY_MANIFEST_GLOBS,
  findDependency,
  findOwnFiles,
  searchOwnFiles,
} from './manifests';
import {
  DeclaredRelation,
  declaredRelations,
  invalidRelationRefs,
  relationEvidence,
} from './relations';

// ---------------------------------------------------------------------------------------------
// Schema migrations
// ---------------------------------------------------------------------------------------------

/**
 * A migration tool or convention: the files where its migrations live and, optionally, what one
 * of them must contain.
 */
interface MigrationForm {
  name: string;
  globs: readonly string[];
  pattern?: RegExp;
}

/** JavaScript and TypeScript migrations (TypeORM, MikroORM, Sequelize, knex, umzug …). */
const JS_MIGRATION_GLOBS: readonly string[] = [
  '**/migrations/**/*.{js,ts,cjs,mjs}',
];
/** SQL files outside a `migrations` directory that goose or dbmate may own. */
const SQL_GLOBS: readonly string[] = ['**/{sql,schema,db,database}/**/*.sql'];

/** Forms decided by a file's existence come first (free), then the ones that read a file. */
const MIGRATION_FORMS: readonly MigrationForm[] = [
  {
    name: 'Flyway',
    globs: [
      '**/V[0-9]*__*.sql',
      '**/R__*.sql',
      '**/flyway.conf',
      '**/flyway.toml',
    ],
  },
  {
    name: 'Liquibase',
    globs: [
      '**/liquibase.properties',
      '**/db.changelog*.{xml,yaml,yml,json,sql}',
      '**/db/**/*changelog*.{xml,yaml,yml,json,sql}',
      '**/liquibase/**/*.{xml,yaml,yml,sql}',
    ],
  },
  {
    name: 'Alembic',
    globs: [
      '**/alembic.ini',
      '**/alembic/versions/*.py',
      '**/migrations/versions/*.py',
    ],
  },
  { name: 'Django', globs: ['**/migrations/0*.py'] },
  { name: 'Rails (Active Record)', globs: ['**/db/migrate/*.rb'] },
  { name: 'Prisma Migrate', globs: ['**/prisma/migrations/**/migration.sql'] },
  { name: 'golang-migrate', globs: ['**/*.up.sql', '**/*.down.sql'] },
  {
    name: 'Diesel',
    globs: ['**/diesel.toml', '**/migrations/*/up.sql'],
  },
  { name: 'Atlas', globs: ['**/atlas.hcl', '**/atlas.sum'] },
  { name: 'Sqitch', globs: ['**/sqitch.plan', '**/sqitch.conf'] },
  { name: 'Sequelize', globs: ['**/.sequelizerc'] },
  { name: 'knex', globs: ['**/knexfile.{js,ts,cjs,mjs}'] },
  { name: 'Entity Framework Core', globs: ['**/Migrations/*.cs'] },
  { name: 'Ecto', globs: ['**/priv/repo/migrations/*.exs'] },
  { name: 'Laravel', globs: ['**/database/migrations/*.php'] },
  {
    name: 'Doctrine Migrations',
    globs: ['**/{migrations,Migrations}/Version*.php'],
  },
  { name: 'Drizzle', globs: ['**/drizzle/meta/_journal.json'] },
  { name: 'migrate-mongo', globs: ['**/migrate-mongo-config.{js,ts,cjs}'] },
  { name: 'SQL migrations', globs: ['**/migrations/**/*.sql'] },
  { name: 'Go migrations', globs: ['**/migrations/*.go'] },
  {
    name: 'TypeORM',
    globs: JS_MIGRATION_GLOBS,
    pattern: /\bMigrationInterface\b/,
  },
  {
    name: 'MikroORM',
    globs: JS_MIGRATION_GLOBS,
    pattern: /\bextends[ \t]+Migration\b/,
  },
  {
    name: 'Sequelize',
    globs: JS_MIGRATION_GLOBS,
    pattern: /\bqueryInterface\b/,
  },
  {
    name: 'JavaScript migrations (knex, umzug, node-pg-migrate)',
    globs: JS_MIGRATION_GLOBS,
    pattern:
      /^[ \t]*(?:module\.)?exports\.up[ \t]*=|^[ \t]*export[ \t]+(?:async[ \t]+)?function[ \t]+up\b|^[ \t]*export[ \t]+const[ \t]+up\b|^[ \t]*(?:async[ \t]+)?up[ \t]*(?::|\()/m,
  },
  { name: 'goose', globs: SQL_GLOBS, pattern: /^--[ \t]*\+goose[ \t]+Up\b/m },
  { name: 'dbmate', globs: SQL_GLOBS, pattern: /^--[ \t]*migrate:up\b/m },
];

const MIGRATION_READS: readonly string[] = [
  ...new Set(MIGRATION_FORMS.filter(f => f.pattern).flatMap(f => f.globs)),
];

type FoundMigrations = { name: string; files: string[]; match?: FileMatch };

/** The globs of the migrations recognised by their files' names, for one lookup of them all. */
const NAMED_MIGRATION_GLOBS: readonly string[] = MIGRATION_FORMS.filter(
  f => !f.pattern,
).flatMap(f => f.globs);

/** Schema migrations recognised by the names of their files alone (free). */
function findMigrationFiles(
  repository: RepositoryView,
): FoundMigrations | undefined {
  // Most repositories have none: one lookup says so, rather than one per form.
  if (!repository.has(NAMED_MIGRATION_GLOBS)) {
    return undefined;
  }
  for (const form of MIGRATION_FORMS) {
    if (!form.pattern) {
      const files = findOwnFiles(repository, form.globs);
      if (files.length > 0) {
        return { name: form.name, files };
      }
    }
  }
  return undefined;
}

/**
 * Schema migrations recognised by their content (JavaScript and TypeScript migrations, goose and
 * dbmate SQL files). Reading them costs time, so the migrations check only looks when it already
 * knows of a data store; the tools behind them always come with a database client library.
 */
function searchMigrationContent(
  repository: RepositoryView,
): FoundMigrations | undefined {
  if (!repository.has(MIGRATION_READS)) {
    return undefined;
  }
  for (const form of MIGRATION_FORMS) {
    if (form.pattern) {
      const match = searchOwnFiles(repository, form.globs, form.pattern);
      if (match) {
        return { name: form.name, files: [match.path], match };
      }
    }
  }
  return undefined;
}

function migrationEvidence(found: FoundMigrations): Evidence[] {
  return found.match
    ? [matchEvidence(found.match)]
    : found.files.slice(0, 5).map(path => fileEvidence(path, found.name));
}

// ---------------------------------------------------------------------------------------------
// Does the entity have a data store?
// ---------------------------------------------------------------------------------------------

/** Database clients, ORMs and drivers, by ecosystem. */
const DATABASE_CLIENTS: DependencyPatterns = {
  npm: /"(?:pg|pg-promise|postgres|mysql2?|mariadb|mongodb|mongoose|@prisma\/client|prisma|typeorm|sequelize|knex|redis|ioredis|@redis\/client|better-sqlite3|sqlite3|@mikro-orm\/core|drizzle-orm|kysely|objection|mssql|tedious|oracledb|cassandra-driver|@neondatabase\/serverless|@planetscale\/database)"[ \t]*:/,
  // A direct requirement: lines marked `// indirect` come from other modules.
  Go: /^[ \t]*(?:require[ \t]+)?(?:github\.com\/(?:jackc\/pgx|lib\/pq|go-sql-driver\/mysql|jmoiron\/sqlx|redis\/go-redis|go-redis\/redis|mattn\/go-sqlite3|uptrace\/bun|gocql\/gocql|go-pg\/pg)|gorm\.io\/(?:gorm|driver)|go\.mongodb\.org\/mongo-driver|entgo\.io\/ent|modernc\.org\/sqlite)\S*[ \t]+v\S+[ \t]*\r?$/m,
  Python:
    /(?:^|[[,])[ \t]*["']?(?:psycopg(?:2(?:-binary)?)?|asyncpg|sqlalchemy|flask-sqlalchemy|sqlmodel|django|pymongo|motor|mongoengine|mysqlclient|pymysql|aiomysql|redis|peewee|tortoise-orm|cassandra-driver)(?=[\s"'<>=~!;[,]|$)/im,
  Java: /\b(?:spring-boot-starter-(?:data-(?:jpa|jdbc|mongodb|redis|r2dbc|cassandra)|jdbc)|org\.postgresql|r2dbc-postgresql|mysql-connector-j(?:ava)?|mariadb-java-client|hibernate-core|org\.hibernate\.orm|mongodb-driver-[\w-]+|jedis|lettuce-core|ojdbc\d*|mssql-jdbc|jooq|mybatis|exposed-jdbc)\b/,
  '.NET':
    /\b(?:Include|Update|id)[ \t]*=[ \t]*"(?:Microsoft\.EntityFrameworkCore|Npgsql|Dapper|MySqlConnector|MySql\.Data|MongoDB\.Driver|StackExchange\.Redis|Microsoft\.Data\.SqlClient|System\.Data\.SqlClient|Pomelo\.EntityFrameworkCore)\b/i,
  Rust: /^[ \t]*(?:sqlx|diesel|sea-orm|tokio-postgres|postgres|mongodb|redis|rusqlite|mysql_async|deadpool-postgres|bb8-postgres|scylla)[ \t]*=|^\[(?:[\w-]+\.)*dependencies\.(?:sqlx|diesel|sea-orm|tokio-postgres|postgres|mongodb|redis|rusqlite)\]/m,
  Ruby: /\b(?:gem|add_dependency|add_runtime_dependency)[ \t(]+["'](?:pg|mysql2|trilogy|sqlite3|activerecord|sequel|mongoid|mongo|redis)["']/,
  PHP: /"(?:doctrine\/(?:orm|dbal|mongodb-odm)|illuminate\/database|mongodb\/mongodb|predis\/predis|ext-pdo(?:_\w+)?|ext-mongodb|ext-redis)"[ \t]*:/,
  Elixir: /\{:(?:ecto_sql|postgrex|myxql|redix|mongodb_driver|exqlite)[ \t]*,/,
};

/** A Prisma schema declares a database even before there are migrations. */
const PRISMA_SCHEMA_GLOBS: readonly string[] = ['**/schema.prisma'];

/** Annotation keys that name a data store, such as `paved.dev/database` or `aws.amazon.com/rds-instance`. */
const STORE_ANNOTATION_KEY =
  /(?:^|[./-])(?:db|database|postgres|postgresql|mysql|mariadb|mongo|mongodb|redis|dynamodb|rds|cloudsql|spanner|cosmosdb|cassandra)(?:$|[./-])/i;

const DATA_READS: readonly string[] = [
  ...DEPENDENCY_MANIFEST_GLOBS,
  ...MIGRATION_READS,
];

/** What shows that the entity has a data store. */
interface StoreSign {
  /** For messages: `package.json declares a database client (\`"pg": "^8"\`)`. */
  description: string;
  evidence: Evidence[];
}

/** The Resources the entity depends on. */
function resourceDependencies(entity: Entity): DeclaredRelation[] {
  return declaredRelations(entity).filter(
    r => r.type === 'dependsOn' && r.targetKind === 'resource',
  );
}

function storeAnnotation(
  entity: Entity,
): { key: string; value: string } | undefined {
  for (const [key, value] of Object.entries(annotations(entity))) {
    if (
      typeof value === 'string' &&
      value.trim() &&
      STORE_ANNOTATION_KEY.test(key)
    ) {
      return { key, value };
    }
  }
  return undefined;
}

/** Signs of a data store in the repository: a database client, a Prisma schema, migrations. */
function repositoryStoreSign(
  repository: RepositoryView,
): StoreSign | undefined {
  const client = findDependency(repository, DATABASE_CLIENTS);
  if (client) {
    return {
      description: `${client.path} declares a database client (\`${client.text}\`)`,
      evidence: [matchEvidence(client)],
    };
  }
  const [schema] = findOwnFiles(repository, PRISMA_SCHEMA_GLOBS);
  if (schema) {
    return {
      description: `the repository has a Prisma schema (${schema})`,
      evidence: [fileEvidence(schema, 'Prisma schema')],
    };
  }
  const migrations = findMigrationFiles(repository);
  if (migrations) {
    return {
      description: `the repository has ${
        migrations.name
      } schema migrations (${listPaths(migrations.files, 1)})`,
      evidence: migrationEvidence(migrations),
    };
  }
  return undefined;
}

/**
 * Whether the entity has a data store, shared by the data checks: a Resource it depends on, an
 * annotation naming a store, or, in the repository, a database client library, a Prisma schema or
 * schema migrations. `unknown` when the entity shows none and the repository could not be read.
 */
function findDataStore(
  context: Pick<CheckContext, 'entity' | 'repository'>,
):
  | { status: 'found'; sign: StoreSign }
  | { status: 'none' }
  | { status: 'unknown' } {
  const { entity, repository } = context;
  const resources = resourceDependencies(entity);
  if (resources.length > 0) {
    return {
      status: 'found',
      sign: {
        description: `the entity depends on ${resources
          .map(r => r.targetRef)
          .join(', ')}`,
        evidence: resources.map(relationEvidence),
      },
    };
  }
  const annotation = storeAnnotation(entity);
  if (annotation) {
    return {
      status: 'found',
      sign: {
        description: `the annotation ${annotation.key} names a data store (${annotation.value})`,
        evidence: [annotationEvidence(annotation.key, annotation.value)],
      },
    };
  }
  if (!repository) {
    return { status: 'unknown' };
  }
  const sign = repositoryStoreSign(repository);
  return sign ? { status: 'found', sign } : { status: 'none' };
}

const NO_STORE =
  'No data store: the entity depends on no Resource, and the repository has no database client library, Prisma schema or schema migrations.';

/** Checks of the `data` capability. */
export const dataChecks: CheckImplementation[] = [
  {
    id: 'data.declared',
    capability: 'data',
    title: 'Data store is a catalog Resource',
    description:
      'The database the service uses is a Resource in the catalog that the service lists in spec.dependsOn, so its owner, backups and dependants are visible. Services without a data store (no database client library, migrations or Resource) skip this check.',
    weight: 1,
    evidence: 'entity+repository',
    reads: DEPENDENCY_MANIFEST_GLOBS,
    evaluate({ entity, repository, catalog }) {
      const resources = resourceDependencies(entity);
      if (resources.length > 0) {
        const refs = resources.map(r => r.targetRef).join(', ');
        if (!catalog) {
          return pass(
            `Depends on the Resource ${refs}.`,
            resources.map(relationEvidence),
          );
        }
        const known = resources
          .map(relation => ({
            relation,
            resource: catalog.getEntity(relation.targetRef),
          }))
          .filter(r => r.resource);
        if (known.length === 0) {
          return fail(
            `Depends on ${refs}, but the catalog has no such Resource: register the data store in the catalog.`,
            resources.map(relationEvidence),
          );
        }
        const described = known.map(({ relation, resource }) => {
          const type = specField(resource!, 'type');
          return typeof type === 'string' && type
            ? `${relation.targetRef} (${type})`
            : relation.targetRef;
        });
        return pass(
          `Depends on the catalog Resource ${described.join(', ')}.`,
          known.flatMap(({ relation, resource }) => {
            const type = specField(resource!, 'type');
            return [
              relationEvidence(relation),
              {
                type: 'catalog' as const,
                ref: relation.targetRef,
                detail: typeof type === 'string' ? type : 'Resource',
              },
            ];
          }),
        );
      }
      const store = findDataStore({ entity, repository });
      if (store.status === 'unknown') {
        return repositoryUnavailable('a data store');
      }
      if (store.status === 'none') {
        return notApplicable(NO_STORE);
      }
      const invalid = invalidRelationRefs(entity).filter(
        r => r.field === 'spec.dependsOn',
      );
      return fail(
        `Data store found: ${
          store.sign.description
        }. The entity does not depend on a catalog Resource for it: declare the data store as a Resource and list it in spec.dependsOn.${
          invalid.length > 0
            ? ` (spec.dependsOn has ${invalid
                .map(r => `'${r.value}'`)
                .join(
                  ', ',
                )} without a kind, which the catalog ignores; write resource:<name>.)`
            : ''
        }`,
        store.sign.evidence,
      );
    },
  },
  {
    id: 'data.migrations',
    capability: 'data',
    title: 'Schema migrations as code',
    description:
      'Schema changes are migrations kept in the repository (Flyway, Liquibase, Alembic, Django, Rails, Prisma, knex, TypeORM, Sequelize, golang-migrate, goose, Atlas, Sqitch, EF Core, Diesel, Ecto, Laravel and others), never applied by hand. Services without a data store skip this check.',
    weight: 2,
    evidence: 'entity+repository',
    reads: DATA_READS,
    evaluate({ entity, repository }) {
      if (!repository) {
        return repositoryUnavailable('schema migrations');
      }
      const named = findMigrationFiles(repository);
      if (named) {
        return pass(
          `${named.name} migrations: ${listPaths(named.files)}.`,
          migrationEvidence(named),
        );
      }
      const store = findDataStore({ entity, repository });
      if (store.status !== 'found') {
        return notApplicable(NO_STORE);
      }
      const written = searchMigrationContent(repository);
      if (written?.match) {
        return pass(
          `${written.name} migrations: ${written.match.path} (\`${written.match.text}\`).`,
          migrationEvidence(written),
        );
      }
      return fail(
        `Data store found: ${store.sign.description}. The repository has no schema migrations (looked for Flyway, Liquibase, Alembic, Django, Rails, Prisma, knex, TypeORM, Sequelize, golang-migrate, goose, Atlas, Sqitch, EF Core, Diesel and others).`,
        store.sign.evidence,
      );
    },
  },
];
