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
  nearMissFile,
  notApplicable,
  pass,
  rejectedNote,
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

/** A file in a directory named for migrations; looked at only when no migration was found. */
const MIGRATIONS_DIRECTORY_GLOBS: readonly string[] = [
  '**/{migration,migrations,migrate,Migrations}/**',
];

/** Why a file in a migrations directory is not a migration the check recognises. */
function notAMigrationReason(path: string): string {
  const basename = path.slice(path.lastIndexOf('/') + 1);
  return /^\.(?:gitkeep|keep|gitignore)$/.test(basename)
    ? 'only keeps an empty migrations directory'
    : 'is in a migrations directory but is not a migration of a tool the check knows';
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

/**
 * Clients, drivers and ORMs of stores with a schema (relational and wide-column databases), by
 * ecosystem: current and legacy module paths (`github.com/jinzhu/gorm`, `mysql`, `mongo-java-driver`
 * …), and the framework integrations that pull a driver in (`@nestjs/typeorm`, `gorm.io/driver/*`,
 * `spring-boot-starter-data-jpa`, `quarkus-hibernate-orm` …), so that the direct dependency counts
 * even when the driver itself is only transitive.
 */
const SQL_CLIENTS: DependencyPatterns = {
  npm: /"(?:pg|pg-promise|pg-pool|postgres|mysql2?|mariadb|@prisma\/client|prisma|typeorm|@nestjs\/typeorm|sequelize|sequelize-typescript|@nestjs\/sequelize|knex|better-sqlite3|sqlite3?|@mikro-orm\/[\w-]+|drizzle-orm|kysely|objection|bookshelf|mssql|tedious|oracledb|cassandra-driver|@neondatabase\/serverless|@planetscale\/database|@libsql\/client|@google-cloud\/spanner)"[ \t]*:/,
  // A direct requirement: lines marked `// indirect` come from other modules.
  Go: /^[ \t]*(?:require[ \t]+)?(?:github\.com\/(?:jackc\/pgx|lib\/pq|go-sql-driver\/mysql|jmoiron\/sqlx|mattn\/go-sqlite3|uptrace\/bun|gocql\/gocql|go-pg\/pg|jinzhu\/gorm|go-gorm\/gorm|go-xorm\/xorm|volatiletech\/sqlboiler|denisenkom\/go-mssqldb|microsoft\/go-mssqldb|sijms\/go-ora|godror\/godror|ClickHouse\/clickhouse-go|upper\/db|astaxie\/beego\/orm|beego\/beego\/v2\/client\/orm|doug-martin\/goqu)|gorm\.io\/(?:gorm|driver)|xorm\.io\/xorm|upper\.io\/db|entgo\.io\/ent|modernc\.org\/sqlite|cloud\.google\.com\/go\/spanner)\S*[ \t]+v\S+[ \t]*\r?$/m,
  Python:
    /(?:^|[[,])[ \t]*["']?(?:psycopg(?:2(?:-binary)?|\[[\w,]+\])?|asyncpg|aiopg|sqlalchemy|flask-sqlalchemy|sqlmodel|django|mysqlclient|pymysql|aiomysql|asyncmy|mysql-connector-python|pymssql|cx[_-]oracle|oracledb|peewee|pony|tortoise-orm|ormar|piccolo|databases|aiosqlite|cassandra-driver|google-cloud-spanner)(?=[\s"'<>=~!;[,]|$)/im,
  Java: /\b(?:spring-boot-starter-(?:data-(?:jpa|jdbc|r2dbc|cassandra)|jdbc)|spring-data-(?:jpa|jdbc|r2dbc)|org\.postgresql|r2dbc-(?:postgresql|mysql|mssql|h2)|mysql-connector-j(?:ava)?|mariadb-java-client|hibernate-(?:core|entitymanager)|org\.hibernate\.orm|ojdbc\d*|mssql-jdbc|jooq|mybatis(?:-spring-boot-starter)?|exposed-(?:core|jdbc)|ktorm-core|quarkus-(?:hibernate-(?:orm|reactive)[\w-]*|jdbc-\w+|reactive-(?:pg|mysql)-client)|micronaut-data-(?:jdbc|jpa|hibernate-jpa|r2dbc)|vertx-(?:pg|mysql)-client|java-driver-core|cassandra-driver-core)\b/,
  '.NET':
    /\b(?:Include|Update|id)[ \t]*=[ \t]*"(?:Aspire\.)?(?:Microsoft\.EntityFrameworkCore|EntityFramework|Npgsql|Dapper|MySqlConnector|MySql\.Data|Microsoft\.Data\.SqlClient|System\.Data\.SqlClient|Microsoft\.Data\.Sqlite|System\.Data\.SQLite|Pomelo\.EntityFrameworkCore|NHibernate|Oracle\.ManagedDataAccess|linq2db|Marten)\b/i,
  Rust: /^[ \t]*(?:sqlx|diesel|sea-orm|tokio-postgres|postgres|rusqlite|mysql|mysql_async|deadpool-postgres|bb8-postgres|scylla|tiberius)(?:\.workspace)?[ \t]*=|^\[(?:[\w-]+\.)*dependencies\.(?:sqlx|diesel|sea-orm|tokio-postgres|postgres|rusqlite)\]/m,
  Ruby: /\b(?:gem|add_dependency|add_runtime_dependency)[ \t(]+["'](?:pg|mysql2?|trilogy|sqlite3|activerecord|sequel|tiny_tds|activerecord-[\w-]*adapter)["']/,
  PHP: /"(?:doctrine\/(?:orm|dbal|doctrine-bundle)|illuminate\/database|propel\/propel|cycle\/orm|cakephp\/(?:orm|database)|ext-pdo(?:_\w+)?|ext-(?:pgsql|mysqli))"[ \t]*:/,
  Elixir:
    /\{:(?:ecto_sql|postgrex|myxql|mariaex|tds|ecto_sqlite3|exqlite|ash_postgres)[ \t]*,/,
};

/**
 * Clients of document and key-value stores (MongoDB, Redis, DynamoDB, Cosmos DB, Firestore), and
 * embedded key-value stores the application keeps its data in (BoltDB, Badger, LevelDB), which
 * have no schema to migrate.
 */
const SCHEMALESS_CLIENTS: DependencyPatterns = {
  npm: /"(?:mongodb|mongoose|@nestjs\/mongoose|@typegoose\/typegoose|redis|ioredis|@redis\/client|@aws-sdk\/(?:client|lib)-dynamodb|dynamoose|@azure\/cosmos|@google-cloud\/(?:firestore|datastore)|nano|couchbase)"[ \t]*:/,
  Go: /^[ \t]*(?:require[ \t]+)?(?:github\.com\/(?:redis\/go-redis|go-redis\/redis|gomodule\/redigo|garyburd\/redigo|globalsign\/mgo|guregu\/dynamo|boltdb\/bolt|dgraph-io\/badger|syndtr\/goleveldb)|go\.etcd\.io\/bbolt|go\.mongodb\.org\/mongo-driver|gopkg\.in\/(?:mgo\.v2|redis\.v\d)|cloud\.google\.com\/go\/(?:firestore|datastore))\S*[ \t]+v\S+[ \t]*\r?$/m,
  Python:
    /(?:^|[[,])[ \t]*["']?(?:pymongo|motor|mongoengine|flask-mongoengine|beanie|odmantic|redis|aioredis|django-redis|pynamodb|azure-cosmos|google-cloud-(?:firestore|datastore))(?=[\s"'<>=~!;[,]|$)/im,
  Java: /\b(?:spring-boot-starter-data-(?:mongodb|redis)(?:-reactive)?|spring-data-(?:mongodb|redis)|mongodb-driver-[\w-]+|mongo-java-driver|jedis|lettuce-core|redisson|quarkus-(?:mongodb-client|redis-client|mongodb-panache)|azure-cosmos|dynamodb-enhanced)\b/,
  '.NET':
    /\b(?:Include|Update|id)[ \t]*=[ \t]*"(?:Aspire\.)?(?:MongoDB\.Driver|StackExchange\.Redis|Microsoft\.Azure\.Cosmos|AWSSDK\.DynamoDBv2)\b/i,
  Rust: /^[ \t]*(?:mongodb|redis|fred|deadpool-redis|bb8-redis)(?:\.workspace)?[ \t]*=|^\[(?:[\w-]+\.)*dependencies\.(?:mongodb|redis)\]/m,
  Ruby: /\b(?:gem|add_dependency|add_runtime_dependency)[ \t(]+["'](?:mongoid|mongo|redis|redis-rails|ohm)["']/,
  PHP: /"(?:doctrine\/mongodb-odm|mongodb\/(?:mongodb|laravel-mongodb)|jenssegers\/mongodb|predis\/predis|ext-mongodb|ext-redis)"[ \t]*:/,
  Elixir: /\{:(?:redix|mongodb_driver|mongodb|mongodb_ecto)[ \t]*,/,
};

/**
 * Source files, for the database APIs a service imports without a manifest entry of its own: a
 * language's standard library (Python's `sqlite3`, Go's `database/sql`, JDBC, PHP's PDO), or a
 * dependency declared outside the entity's directory (a monorepo's root manifest).
 */
const SOURCE_GLOBS: readonly string[] = [
  '**/*.{py,go,java,kt,cs,rb,php,rs,ex,exs}',
  '**/*.{js,ts,mjs,cjs}',
];

/** Imports and connections of stores with a schema, per language; line starts, so never in a comment. */
const SQL_IMPORT =
  /^[ \t]*(?:(?:import|from)[ \t]+(?:sqlite3|psycopg2?|psycopg|asyncpg|sqlalchemy|pymysql|MySQLdb|aiosqlite|peewee|django\.db)\b|(?:import[ \t]+)?(?:_[ \t]+)?"(?:database\/sql|github\.com\/(?:lib\/pq|jackc\/pgx[^"]*|go-sql-driver\/mysql|mattn\/go-sqlite3|jinzhu\/gorm)|gorm\.io\/gorm)"|import[ \t]+(?:java\.sql|javax\.sql|jakarta\.persistence|javax\.persistence|org\.springframework\.jdbc|org\.springframework\.data\.(?:jpa|jdbc|r2dbc)|org\.hibernate|org\.jooq)\.|using[ \t]+(?:Microsoft\.EntityFrameworkCore|Npgsql|Dapper|(?:System|Microsoft)\.Data\.(?:SqlClient|Sqlite))\b|require[ \t(]+['"](?:sqlite3|pg|mysql2|sequel|active_record)['"]|use[ \t]+(?:sqlx|diesel|rusqlite|tokio_postgres|sea_orm)::|use[ \t]+Ecto\.(?:Repo|Schema)\b|(?:import\b[^'"\n]*\bfrom[ \t]+|(?:const|let|var)\b[^=\n]*=[ \t]*require\([ \t]*)['"](?:pg|mysql2?(?:\/promise)?|node:sqlite|better-sqlite3|sqlite3|@prisma\/client|typeorm|sequelize|knex|kysely|drizzle-orm(?:\/[\w-]+)?)['"]|[^/#*\n]*?(?:new[ \t]+\\?PDO[ \t]*\(|\bmysqli_connect[ \t]*\(|new[ \t]+\\?mysqli[ \t]*\(|\bpg_connect[ \t]*\())/m;

/** Imports of document and key-value store clients, per language. */
const SCHEMALESS_IMPORT =
  /^[ \t]*(?:(?:import|from)[ \t]+(?:pymongo|motor|mongoengine|redis)\b|(?:import[ \t]+)?(?:_[ \t]+)?"(?:go\.mongodb\.org\/mongo-driver|github\.com\/(?:redis\/go-redis|go-redis\/redis|gomodule\/redigo))[^"]*"|import[ \t]+(?:com\.mongodb|redis\.clients\.jedis|io\.lettuce|org\.springframework\.data\.(?:mongodb|redis))\.|using[ \t]+(?:MongoDB\.Driver|StackExchange\.Redis)\b|require[ \t(]+['"](?:mongo|redis)['"]|use[ \t]+(?:mongodb|redis)::|(?:import\b[^'"\n]*\bfrom[ \t]+|(?:const|let|var)\b[^=\n]*=[ \t]*require\([ \t]*)['"](?:mongodb|mongoose|redis|ioredis)['"])/m;

/** A Prisma schema declares a database even before there are migrations. */
const PRISMA_SCHEMA_GLOBS: readonly string[] = ['**/schema.prisma'];

/** Annotation keys that name a data store, such as `paved.dev/database` or `aws.amazon.com/rds-instance`. */
const STORE_ANNOTATION_KEY =
  /(?:^|[./-])(?:db|database|postgres|postgresql|mysql|mariadb|mongo|mongodb|redis|dynamodb|rds|cloudsql|spanner|cosmosdb|cassandra)(?:$|[./-])/i;

const DATA_READS: readonly string[] = [
  ...DEPENDENCY_MANIFEST_GLOBS,
  ...PRISMA_SCHEMA_GLOBS,
  ...SOURCE_GLOBS,
  ...MIGRATION_READS,
];

/** What shows that the entity has a data store. */
interface StoreSign {
  /** For messages: `package.json declares a database client (\`"pg": "^8"\`)`. */
  description: string;
  evidence: Evidence[];
  /**
   * Whether the store has a schema to migrate: false for document and key-value stores, undefined
   * when the sign does not tell (a Resource, an annotation).
   */
  schema?: boolean;
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

function clientSign(
  repository: RepositoryView,
  patterns: DependencyPatterns,
  schema: boolean,
): StoreSign | undefined {
  const client = findDependency(repository, patterns);
  return client
    ? {
        description: `${client.path} declares a database client (\`${client.text}\`)`,
        evidence: [matchEvidence(client)],
        schema,
      }
    : undefined;
}

function importSign(
  repository: RepositoryView,
  pattern: RegExp,
  schema: boolean,
): StoreSign | undefined {
  const found = searchOwnFiles(repository, SOURCE_GLOBS, pattern);
  return found
    ? {
        description: `${found.path} uses a database client (\`${found.text}\`)`,
        evidence: [matchEvidence(found)],
        schema,
      }
    : undefined;
}

/** A Prisma schema whose datasource is MongoDB. */
const PRISMA_MONGODB = /^[ \t]*provider[ \t]*=[ \t]*"mongodb"/m;

/**
 * Signs of a data store in the repository, cheapest first: a database client in a dependency
 * manifest, a Prisma schema, schema migrations, then an import of a database client in the source
 * (a standard library's, or one declared in a manifest outside the entity's directory). Stores with
 * a schema come before document and key-value stores.
 */
function repositoryStoreSign(
  repository: RepositoryView,
): StoreSign | undefined {
  const client = clientSign(repository, SQL_CLIENTS, true);
  if (client) {
    return client;
  }
  const [schema] = findOwnFiles(repository, PRISMA_SCHEMA_GLOBS);
  if (schema) {
    return {
      description: `the repository has a Prisma schema (${schema})`,
      evidence: [fileEvidence(schema, 'Prisma schema')],
      schema: !PRISMA_MONGODB.test(repository.read(schema) ?? ''),
    };
  }
  const migrations = findMigrationFiles(repository);
  if (migrations) {
    return {
      description: `the repository has ${
        migrations.name
      } schema migrations (${listPaths(migrations.files, 1)})`,
      evidence: migrationEvidence(migrations),
      schema: true,
    };
  }
  return (
    clientSign(repository, SCHEMALESS_CLIENTS, false) ??
    importSign(repository, SQL_IMPORT, true) ??
    importSign(repository, SCHEMALESS_IMPORT, false)
  );
}

/** Store names in a Resource's type or an annotation key that mean a database with a schema. */
const SCHEMA_STORE_NAME =
  /postgres|mysql|maria|sql|oracle|rds|aurora|spanner|cockroach|cassandra|scylla|db2/i;

/**
 * Whether the entity's only data stores are document or key-value stores (MongoDB, Redis,
 * DynamoDB …), which have no schema to migrate: the repository uses only their clients, and no
 * Resource type or annotation of the entity names a database with a schema.
 */
function onlySchemalessStores(
  sign: StoreSign,
  {
    entity,
    repository,
    catalog,
  }: Pick<CheckContext, 'entity' | 'catalog'> & {
    repository: RepositoryView;
  },
): boolean {
  const inRepository =
    sign.schema === undefined ? repositoryStoreSign(repository) : sign;
  if (inRepository?.schema !== false) {
    return false;
  }
  if (importSign(repository, SQL_IMPORT, true)) {
    return false;
  }
  const annotation = storeAnnotation(entity);
  if (annotation && SCHEMA_STORE_NAME.test(annotation.key)) {
    return false;
  }
  return !resourceDependencies(entity).some(relation => {
    const resource = catalog?.getEntity(relation.targetRef);
    const type = resource && specField(resource, 'type');
    return typeof type === 'string' && SCHEMA_STORE_NAME.test(type);
  });
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
  'No data store: the entity depends on no Resource, and the repository has no database client library (in a dependency manifest or imported by the source), Prisma schema or schema migrations.';

/** Checks of the `data` capability. */
export const dataChecks: CheckImplementation[] = [
  {
    id: 'data.declared',
    capability: 'data',
    title: 'Data store is a catalog Resource',
    description:
      "The database the service uses is a Resource in the catalog that the service lists in spec.dependsOn, so its owner, backups and dependants are visible. A data store is a database client, driver or ORM in a dependency manifest (under current or legacy module paths, or a framework integration that brings the driver in), a Prisma schema, schema migrations, or a database client the source imports (a standard library's, such as Python's sqlite3, Go's database/sql, JDBC or PDO). Services without a data store skip this check.",
    weight: 1,
    evidence: 'entity+repository',
    version: '4',
    reads: DATA_READS,
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
            [],
            resources.map(relation => ({
              ...relationEvidence(relation),
              reason: 'is not in the catalog',
            })),
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
        invalid.map(r => ({
          type: 'field',
          ref: r.field,
          detail: r.value,
          reason: `'${r.value}' has no kind, which the catalog ignores; write resource:<name>`,
        })),
      );
    },
  },
  {
    id: 'data.migrations',
    capability: 'data',
    title: 'Schema migrations as code',
    description:
      'Schema changes are migrations kept in the repository (Flyway, Liquibase, Alembic, Django, Rails, Prisma, knex, TypeORM, Sequelize, golang-migrate, goose, Atlas, Sqitch, EF Core, Diesel, Ecto, Laravel and others), never applied by hand. Services without a data store skip this check, and so do services whose only stores are document or key-value stores (MongoDB, Redis, DynamoDB, Cosmos DB) without migrations: they have no schema to migrate.',
    weight: 2,
    evidence: 'entity+repository',
    version: '4',
    reads: DATA_READS,
    evaluate({ entity, repository, catalog }) {
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
      if (onlySchemalessStores(store.sign, { entity, repository, catalog })) {
        return notApplicable(
          `Only a document or key-value store: ${store.sign.description}. It has no schema to migrate, and the repository has no migrations of it.`,
        );
      }
      const nearMisses = repository
        .find(MIGRATIONS_DIRECTORY_GLOBS)
        .map(path => nearMissFile(path, notAMigrationReason(path)));
      return fail(
        `Data store found: ${
          store.sign.description
        }. The repository has no schema migrations (looked for Flyway, Liquibase, Alembic, Django, Rails, Prisma, knex, TypeORM, Sequelize, golang-migrate, goose, Atlas, Sqitch, EF Core, Diesel and others).${rejectedNote(
          nearMisses,
        )}`,
        store.sign.evidence,
        nearMisses,
      );
    },
  },
];
