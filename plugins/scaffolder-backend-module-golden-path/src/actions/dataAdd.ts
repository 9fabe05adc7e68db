import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { isMap, isSeq, parseDocument, YAMLMap, YAMLSeq } from 'yaml';
import {
  planCatalogInfo,
  serviceComponent,
  validateEntityName,
} from '../lib/catalogInfo';
import {
  planNpmDependencies,
  planPythonRequirements,
  PythonRequirement,
} from '../lib/dependencyManifests';
import {
  findHelmChart,
  HelmChart,
  inChart,
  yamlLayout,
} from '../lib/deployTargets';
import { GoldenPathContent } from '../lib/content';
import { checkWorkspace, passes } from '../lib/evidence';
import {
  commonInputSchema,
  filesOutputSchema,
  goldenPathPolicy,
  ownerRefInput,
  serviceNameInput,
  serviceNameInputSchema,
  systemRefInput,
} from '../lib/inputs';
import { GITLAB_CI_FILE, planPipelineJobs } from '../lib/pipelines';
import {
  CiProvider,
  resolveCiProvider,
  resolveStack,
  Stack,
} from '../lib/stacks';
import { MergeConflict, WorkspaceFiles } from '../lib/workspace';
import { examples } from './dataAdd.examples';

/**
 * Options of {@link createDataAddAction}.
 *
 * @public
 */
export interface DataAddActionOptions {
  /**
   * The root config; the action reads `goldenPath.policy` (the naming rule,
   * the allowed stacks and CI providers). Without it, names must be DNS labels
   * and everything is allowed.
   */
  config?: Config;
}

/** The migration tool of each stack. */
const TOOLS: Record<Stack, string> = {
  node: 'knex',
  go: 'golang-migrate',
  python: 'Alembic',
};

const KNEXFILE = 'knexfile.cjs';
const NODE_PACKAGES: Record<string, string> = { knex: '^3.3.0', pg: '^8.23.0' };
const PYTHON_REQUIREMENTS: PythonRequirement[] = [
  { name: 'alembic', minimum: '1.20' },
  { name: 'sqlalchemy', minimum: '2.1' },
  { name: 'psycopg', minimum: '3.3', extras: ['binary'] },
];
/** The golang-migrate CLI image that applies Go services' SQL migrations. */
const MIGRATE_IMAGE = 'migrate/migrate:v4.18.3';
const GITHUB_MIGRATE_WORKFLOW = '.github/workflows/migrate.yaml';
/** The golden path's runtime versions (content/versions.yaml). */
const runtime = () => GoldenPathContent.builtIn().versions;

/** How a stack's migrations are applied: the command, and the files whose change runs it. */
const RUNNERS: Record<Stack, { command: string[]; paths: string[] }> = {
  node: {
    command: ['npx', 'knex', 'migrate:latest', '--knexfile', KNEXFILE],
    paths: ['migrations/**', KNEXFILE],
  },
  go: {
    command: [
      'migrate',
      '-path',
      'migrations',
      '-database',
      '"$DATABASE_URL"',
      'up',
    ],
    paths: ['migrations/**'],
  },
  python: {
    command: ['alembic', 'upgrade', 'head'],
    paths: ['alembic/**', 'alembic.ini'],
  },
};

// ---------------------------------------------------------------------------------------------
// Migration tools
// ---------------------------------------------------------------------------------------------

/** A migrations setup: the files that configure the tool and the first migration. */
type Migrations = Record<string, string>;

function knexMigrations(serviceName: string, timestamp: string): Migrations {
  return {
    [KNEXFILE]: `// knex configuration of the ${serviceName} database (https://knexjs.org/guide/migrations.html).
// DATABASE_URL is its connection URL, such as postgres://user:password@host:5432/${serviceName}.
//   Apply the migrations:  npx knex migrate:latest --knexfile ${KNEXFILE}
//   Add a migration:       npx knex migrate:make <name> --knexfile ${KNEXFILE}
// Written by the paved:data:add scaffolder action.

/** @type {import('knex').Knex.Config} */
module.exports = {
  client: 'pg',
  connection: process.env.DATABASE_URL,
  migrations: {
    directory: './migrations',
    extension: 'cjs',
    loadExtensions: ['.cjs', '.js'],
  },
};
`,
    [`migrations/${timestamp}_baseline.cjs`]: `// The baseline of the ${serviceName} database: migrations start from an empty schema, and each
// schema change is a migration of its own (npx knex migrate:make <name> --knexfile ${KNEXFILE}).

/** @param {import('knex').Knex} knex */
exports.up = async knex => {
  await knex.raw('SELECT 1');
};

/** @param {import('knex').Knex} knex */
exports.down = async knex => {
  await knex.raw('SELECT 1');
};
`,
  };
}

function golangMigrateMigrations(serviceName: string): Migrations {
  const header = `-- The baseline of the ${serviceName} database: migrations start from an empty schema, and each
-- schema change is a numbered pair of its own (migrate create -ext sql -dir migrations -seq <name>).
`;
  return {
    'migrations/000001_baseline.up.sql': `${header}SELECT 1;\n`,
    'migrations/000001_baseline.down.sql': `${header}SELECT 1;\n`,
  };
}

function alembicMigrations(serviceName: string): Migrations {
  return {
    'alembic.ini': `# Alembic configuration of the ${serviceName} database (https://alembic.sqlalchemy.org).
# The connection URL comes from DATABASE_URL (see alembic/env.py).
#   Apply the migrations:  alembic upgrade head
#   Add a migration:       alembic revision -m "<what changes>"
# Written by the paved:data:add scaffolder action.

[alembic]
script_location = %(here)s/alembic
prepend_sys_path = .
path_separator = os

[loggers]
keys = root,sqlalchemy,alembic

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARNING
handlers = console
qualname =

[logger_sqlalchemy]
level = WARNING
handlers =
qualname = sqlalchemy.engine

[logger_alembic]
level = INFO
handlers =
qualname = alembic

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
datefmt = %H:%M:%S
`,
    'alembic/env.py': `"""Alembic environment of the ${serviceName} database: migrations run against DATABASE_URL."""

import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine, pool

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)

# The models' MetaData, for \`alembic revision --autogenerate\`; None compares nothing.
target_metadata = None


def database_url() -> str:
    """DATABASE_URL, with the psycopg (version 3) driver that SQLAlchemy needs to be told about."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        raise RuntimeError("Set DATABASE_URL to the connection URL of the database")
    for scheme in ("postgres://", "postgresql://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url[len(scheme):]
    return url


def run_migrations_offline() -> None:
    """Write the SQL of the migrations instead of running them (alembic upgrade head --sql)."""
    context.configure(
        url=database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations in a transaction on the database."""
    engine = create_engine(database_url(), poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
`,
    'alembic/script.py.mako': `"""\${message}

Revision ID: \${up_revision}
Revises: \${down_revision | comma,n}
Create Date: \${create_date}
"""

from alembic import op
import sqlalchemy as sa
\${imports if imports else ""}

revision = \${repr(up_revision)}
down_revision = \${repr(down_revision)}
branch_labels = \${repr(branch_labels)}
depends_on = \${repr(depends_on)}


def upgrade() -> None:
    \${upgrades if upgrades else "pass"}


def downgrade() -> None:
    \${downgrades if downgrades else "pass"}
`,
    'alembic/versions/0001_baseline.py': `"""The baseline of the ${serviceName} database.

Migrations start from an empty schema; each schema change is a revision of its own
(alembic revision -m "<what changes>").

Revision ID: 0001
Revises:
"""

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: the schema starts empty."""


def downgrade() -> None:
    """Nothing to undo."""
`,
  };
}

/** A knex migration timestamp (YYYYMMDDHHmmss, UTC), as `knex migrate:make` names files. */
function knexTimestamp(now: Date): string {
  return now.toISOString().replace(/\D/g, '').slice(0, 14);
}

/**
 * The stack's migration tool as the service has it: `ours` when its configuration exists (a
 * second run, or a service already set up that way), with the files already there.
 */
async function existingSetup(
  files: WorkspaceFiles,
  stack: Stack,
): Promise<{ configured: boolean; migrations: string[] }> {
  if (stack === 'node') {
    const migrations = (await files.list('migrations'))
      .filter(f => /\.(?:cjs|js)$/.test(f))
      .map(f => `migrations/${f}`);
    return { configured: await files.exists(KNEXFILE), migrations };
  }
  if (stack === 'go') {
    const migrations = (await files.list('migrations'))
      .filter(f => /\.(?:up|down)\.sql$/.test(f))
      .map(f => `migrations/${f}`);
    return { configured: migrations.length > 0, migrations };
  }
  const migrations = (await files.list('alembic/versions'))
    .filter(f => f.endsWith('.py'))
    .map(f => `alembic/versions/${f}`);
  return { configured: await files.exists('alembic.ini'), migrations };
}

/**
 * The migration files to plan: all of them for a new setup; for an existing one, only those
 * that still have exactly the content the action writes (so that a second run reports them
 * unchanged) — the user's own files are theirs.
 */
async function migrationFiles(
  files: WorkspaceFiles,
  stack: Stack,
  serviceName: string,
  now: Date,
): Promise<Migrations> {
  const setup = await existingSetup(files, stack);
  const baselineName =
    stack === 'node'
      ? setup.migrations.find(m => m.endsWith('_baseline.cjs')) ??
        `migrations/${knexTimestamp(now)}_baseline.cjs`
      : undefined;
  const tools: Record<Stack, () => Migrations> = {
    node: () =>
      knexMigrations(
        serviceName,
        baselineName!.slice('migrations/'.length, -'_baseline.cjs'.length),
      ),
    go: () => golangMigrateMigrations(serviceName),
    python: () => alembicMigrations(serviceName),
  };
  const all = tools[stack]();
  if (!setup.configured && setup.migrations.length === 0) {
    return all;
  }
  const kept: Migrations = {};
  for (const [path, content] of Object.entries(all)) {
    if ((await files.read(path)) === content) {
      kept[path] = content;
    }
  }
  return kept;
}

// ---------------------------------------------------------------------------------------------
// Running the migrations
// ---------------------------------------------------------------------------------------------

/** The Helm hook Job that applies the migrations before each install and upgrade. */
function migrateJobTemplate(chart: HelmChart, stack: Stack): string {
  const name = chart.fullnameTemplate
    ? `{{ printf "%s-migrate" (include "${chart.fullnameTemplate}" .) | trunc 63 | trimSuffix "-" }}`
    : '{{ printf "%s-migrate" .Release.Name | trunc 63 | trimSuffix "-" }}';
  const command = RUNNERS[stack].command
    .filter(part => part !== 'npx')
    .map(part =>
      JSON.stringify(part === 'knex' ? 'node_modules/.bin/knex' : part),
    )
    .join(', ');
  return `{{- /*
Written by paved:data:add: applies the database migrations (${TOOLS[stack]}) with the service's
image before each install and upgrade. Helm waits for the Job: a failed migration fails the
release, and the running version stays. DATABASE_URL comes from the Secret named in
.Values.migrations.
*/ -}}
{{- if .Values.migrations.enabled }}
apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
  labels:
    app.kubernetes.io/name: {{ .Chart.Name }}-migrate
    app.kubernetes.io/instance: {{ .Release.Name }}
    app.kubernetes.io/component: migrations
  annotations:
    "helm.sh/hook": pre-install,pre-upgrade
    "helm.sh/hook-weight": "-5"
    "helm.sh/hook-delete-policy": before-hook-creation,hook-succeeded
spec:
  backoffLimit: 0
  activeDeadlineSeconds: {{ .Values.migrations.timeoutSeconds | default 600 }}
  template:
    metadata:
      # Not the service's selector labels: the Service must not send traffic to this pod.
      labels:
        app.kubernetes.io/name: {{ .Chart.Name }}-migrate
        app.kubernetes.io/instance: {{ .Release.Name }}
    spec:
      restartPolicy: Never
      {{- with .Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.podSecurityContext }}
      securityContext:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: migrate
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
          command: [${command}]
          env:
            - name: DATABASE_URL
              valueFrom:
                secretKeyRef:
                  name: {{ .Values.migrations.credentialsSecret }}
                  key: {{ .Values.migrations.credentialsSecretKey }}
          {{- with .Values.securityContext }}
          securityContext:
            {{- toYaml . | nindent 12 }}
          {{- end }}
{{- end }}
`;
}

type Credentials = { secret: string; key: string; explicit: boolean };

/**
 * Merges into Helm values: the `migrations` settings of the hook Job, and DATABASE_URL in the
 * container's `env` list (when the chart has one, as the chart of `paved:deploy:add` does).
 * Given inputs are written; otherwise what the values already say is kept.
 */
function mergeMigrationValues(
  text: string,
  credentials: Credentials,
  fileName: string,
): string | MergeConflict {
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || !isMap(doc.contents)) {
    return { conflict: `${fileName} is not a YAML mapping of values` };
  }
  let changed = false;
  const settings: Array<[string, unknown, boolean]> = [
    ['enabled', true, false],
    ['credentialsSecret', credentials.secret, credentials.explicit],
    ['credentialsSecretKey', credentials.key, credentials.explicit],
  ];
  if (!isMap(doc.get('migrations'))) {
    doc.set(
      'migrations',
      doc.createNode({
        enabled: true,
        credentialsSecret: credentials.secret,
        credentialsSecretKey: credentials.key,
      }),
    );
    const pair = (doc.contents as YAMLMap).items.find(
      p => (p.key as any)?.value === 'migrations',
    );
    if (pair && (pair.key as any)) {
      (pair.key as any).commentBefore =
        ' Database migrations: templates/migrate-job.yaml applies them before each install and upgrade,\n with DATABASE_URL from this Secret (created by whoever provisions the database).';
      (pair.key as any).spaceBefore = true;
    }
    changed = true;
  } else {
    for (const [key, value, explicit] of settings) {
      const current = doc.getIn(['migrations', key]);
      if (current === undefined || (explicit && current !== value)) {
        doc.setIn(['migrations', key], value);
        changed = true;
      }
    }
  }
  const env = doc.get('env');
  if (
    isSeq(env) &&
    !(env as YAMLSeq).items.some(
      item => isMap(item) && (item as YAMLMap).get('name') === 'DATABASE_URL',
    )
  ) {
    (env as YAMLSeq).flow = false;
    (env as YAMLSeq).add(
      doc.createNode({
        name: 'DATABASE_URL',
        valueFrom: {
          secretKeyRef: { name: credentials.secret, key: credentials.key },
        },
      }),
    );
    changed = true;
  }
  return changed ? doc.toString(yamlLayout(text)) : text;
}

function githubMigrateWorkflow(stack: Stack, serviceName: string): string {
  const runner = RUNNERS[stack];
  const setup: Record<Stack, string> = {
    node: `      - uses: actions/setup-node@v4
        with:
          node-version: ${runtime().node}
      - run: if [ -f package-lock.json ]; then npm ci; else npm install; fi
`,
    python: `      - uses: actions/setup-python@v5
        with:
          python-version: '${runtime().python}'
      - run: if [ -f requirements.txt ]; then pip install -r requirements.txt; else pip install .; fi
`,
    go: '',
  };
  const run =
    stack === 'go'
      ? `docker run --rm --network host -v "$PWD/migrations:/migrations" ${MIGRATE_IMAGE} -path=/migrations -database "$DATABASE_URL" up`
      : runner.command.join(' ');
  return `# Written by paved:data:add: applies the migrations of the ${serviceName} database (${
    TOOLS[stack]
  }) on every push to
# main that changes them, and on demand. Set the DATABASE_URL secret of the production environment.
name: migrate

on:
  push:
    branches: [main]
    paths: [${runner.paths.map(p => JSON.stringify(p)).join(', ')}]
  workflow_dispatch:

permissions:
  contents: read

# One run at a time: migrations must not race each other.
concurrency:
  group: migrate
  cancel-in-progress: false

jobs:
  migrate:
    runs-on: ubuntu-latest
    environment: production
    steps:
      - uses: actions/checkout@v4
${setup[stack]}      - name: Apply the migrations
        env:
          DATABASE_URL: \${{ secrets.DATABASE_URL }}
        run: ${run}
`;
}

function gitlabMigrateJob(stack: Stack, serviceName: string): string {
  const runner = RUNNERS[stack];
  const image: Record<Stack, string> = {
    node: `node:${runtime().node}-alpine`,
    python: `python:${runtime().python}-slim`,
    go: `\n    name: ${MIGRATE_IMAGE}\n    entrypoint: [""]`,
  };
  const install: Record<Stack, string> = {
    node: '    - if [ -f package-lock.json ]; then npm ci; else npm install; fi\n',
    python:
      '    - if [ -f requirements.txt ]; then pip install -r requirements.txt; else pip install .; fi\n',
    go: '',
  };
  return `# Written by paved:data:add: applies the migrations of the ${serviceName} database (${
    TOOLS[stack]
  }) on the default branch when
# they change, and in pipelines run by hand. Set the DATABASE_URL CI/CD variable (protected, masked).
migrate:
  stage: deploy
  image: ${image[stack]}
  resource_group: migrate
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
      changes: [${runner.paths
        .map(p => JSON.stringify(p.replace(/\*\*$/, '**/*')))
        .join(', ')}]
    - if: $CI_PIPELINE_SOURCE == "web"
  script:
${install[stack]}    - ${runner.command.join(' ')}
`;
}

// ---------------------------------------------------------------------------------------------
// The action
// ---------------------------------------------------------------------------------------------

/** The value of a Kubernetes Secret name or key input. */
function secretInput(
  inputName: string,
  value: string,
  pattern: RegExp,
): string {
  if (!pattern.test(value) || value.length > 253) {
    throw new InputError(
      `Invalid input '${inputName}': '${value}' is not a valid Kubernetes Secret ${
        inputName.endsWith('Key') ? 'key' : 'name'
      }`,
    );
  }
  return value;
}

/**
 * Creates the `paved:data:add` action: a PostgreSQL database for the service,
 * so that the data checks pass. It declares the database as a `Resource`
 * (spec.type database, owned like the service) in catalog-info.yaml and adds
 * it to the Component's `dependsOn`; sets up schema migrations with the
 * stack's usual tool — knex (`knexfile.cjs`, `migrations/`) for Node.js,
 * golang-migrate (`migrations/000001_baseline.up.sql`) for Go, Alembic
 * (`alembic.ini`, `alembic/`) for Python — with their packages in the
 * dependency manifest; and has them applied on each release: by a Helm
 * pre-install/pre-upgrade hook Job (`templates/migrate-job.yaml`) when the
 * service has a Helm chart and its image carries the tool (Node.js, Python),
 * else by a `migrate` CI job (GitHub Actions workflow or GitLab CI job) on the
 * default branch. A service with migrations of another tool keeps them.
 *
 * @public
 */
export function createDataAddAction(options: DataAddActionOptions = {}) {
  const policy = goldenPathPolicy(options.config);

  return createTemplateAction({
    id: 'paved:data:add',
    description:
      "Adds a PostgreSQL database to the service: a Resource entity (type database) in catalog-info.yaml that the Component dependsOn, schema migrations with the stack's usual tool (knex, golang-migrate or Alembic) and their packages, and a step that applies them on each release (a Helm pre-upgrade hook Job when the service has a chart, else a migrate CI job).",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: serviceNameInputSchema(),
        database: z =>
          z
            .string()
            .optional()
            .describe(
              'The name of the database Resource entity; default <name>-db',
            ),
        owner: z =>
          z
            .string()
            .optional()
            .describe(
              "The owner of the Resource: a Group or User entity ref; default the Component's owner",
            ),
        system: z =>
          z
            .string()
            .optional()
            .describe(
              "The system of the Resource: a System entity ref; default the Component's system",
            ),
        stack: z =>
          z
            .string()
            .optional()
            .describe(
              'node, go or python: decides the migration tool; default detected from package.json, go.mod, pyproject.toml or requirements.txt',
            ),
        ciProvider: z =>
          z
            .string()
            .optional()
            .describe(
              'github-actions or gitlab-ci, for the migrate job when there is no Helm chart; default gitlab-ci when the repository has a .gitlab-ci.yml, else github-actions',
            ),
        credentialsSecret: z =>
          z
            .string()
            .optional()
            .describe(
              'The Kubernetes Secret holding the connection URL that the Helm hook Job and the service read as DATABASE_URL; default <database>-credentials',
            ),
        credentialsSecretKey: z =>
          z
            .string()
            .optional()
            .describe(
              'The key of the connection URL in that Secret; default url',
            ),
        ...commonInputSchema,
      },
      output: {
        resourceRef: z =>
          z
            .string()
            .describe(
              'The ref of the database Resource, such as resource:default/orders-db',
            ),
        migrationTool: z =>
          z
            .string()
            .describe(
              'knex, golang-migrate or Alembic; existing when the service keeps migrations of another tool',
            ),
        migrationsRunBy: z =>
          z
            .enum(['helm-hook', 'github-actions', 'gitlab-ci', 'existing'])
            .describe(
              'What applies the migrations: the Helm hook Job, a CI job, or existing (the service keeps its own setup)',
            ),
        ...filesOutputSchema,
      },
    },
    async handler(ctx) {
      const input = ctx.input;
      const files = WorkspaceFiles.forAction(ctx);

      // Every input is validated before anything is planned.
      const name = serviceNameInput(input.name, policy?.namePattern);
      const stack = await resolveStack(
        files,
        input.stack,
        policy?.allowedStacks,
      );
      const ownerInput = ownerRefInput(input.owner);
      const systemInput = systemRefInput(input.system);
      const { component, serviceName } = await serviceComponent(files, name);
      const database = validateEntityName(
        'database',
        input.database ?? `${serviceName}-db`,
      );
      const componentOwner = component?.spec?.owner;
      const owner =
        ownerInput ??
        (typeof componentOwner === 'string' && componentOwner !== 'unknown'
          ? componentOwner
          : undefined);
      if (!owner) {
        throw new InputError(
          `Input 'owner' is required: the database Resource needs an owner and the Component ${serviceName} has none`,
        );
      }
      const componentSystem = component?.spec?.system;
      const system =
        systemInput ??
        (typeof componentSystem === 'string' ? componentSystem : undefined);
      const credentials: Credentials = {
        secret: secretInput(
          'credentialsSecret',
          input.credentialsSecret ?? `${database.toLowerCase()}-credentials`,
          /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/,
        ),
        key: secretInput(
          'credentialsSecretKey',
          input.credentialsSecretKey ?? 'url',
          /^[-._a-zA-Z0-9]+$/,
        ),
        explicit:
          input.credentialsSecret !== undefined ||
          input.credentialsSecretKey !== undefined,
      };
      const provider = await resolveCiProvider(
        files,
        input.ciProvider,
        policy?.allowedCiProviders,
      );

      // The database in the catalog.
      const namespace = component?.metadata.namespace ?? 'default';
      const resourceRef = `resource:${namespace}/${database}`;
      await planCatalogInfo(
        files,
        catalog => {
          const entity = catalog.ensureComponent({
            name: name ?? (component ? undefined : serviceName),
            owner,
          });
          const resource = catalog.upsert(
            'Resource',
            database,
            entity.namespace,
          );
          resource.set(
            ['metadata', 'description'],
            `PostgreSQL database of ${serviceName}`,
            {
              ifAbsent: true,
            },
          );
          resource.set(['spec', 'type'], 'database', { ifAbsent: true });
          resource.setRef(['spec', 'owner'], owner, 'group');
          if (system) {
            resource.setRef(['spec', 'system'], system, 'system');
          }
          entity.addRelations('dependsOn', [resourceRef]);
        },
        { replaceInvalid: input.overwrite ?? false },
      );

      // Schema migrations, unless the service has migrations of another tool.
      const setup = await existingSetup(files, stack);
      const planned = await migrationFiles(
        files,
        stack,
        serviceName,
        new Date(),
      );
      const evidence = await checkWorkspace(files, {
        without: Object.keys(planned),
        entity: {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: serviceName },
          spec: { type: 'service', owner, dependsOn: [resourceRef] },
        },
      });
      const keepOwn =
        !setup.configured &&
        setup.migrations.length === 0 &&
        passes(evidence, 'data.migrations');
      let migrationTool = TOOLS[stack];
      let runBy: 'helm-hook' | CiProvider | 'existing';
      if (keepOwn) {
        migrationTool = 'existing';
        runBy = 'existing';
        ctx.logger.info(
          `Keeping the service's own migrations: ${
            evidence.get('data.migrations')!.message
          }`,
        );
      } else {
        for (const [path, content] of Object.entries(planned)) {
          files.plan(path, content, {
            keepReason: `kept the existing ${path}`,
          });
        }
        if (stack === 'node') {
          planNpmDependencies(files, serviceName, NODE_PACKAGES);
        } else if (stack === 'python') {
          await planPythonRequirements(files, PYTHON_REQUIREMENTS, ctx.logger);
        }

        // What applies them: the chart's hook Job, else the pipeline.
        const chart =
          stack === 'go' ? undefined : await findHelmChart(files, serviceName);
        const valuesPath = chart ? inChart(chart, 'values.yaml') : undefined;
        const values = valuesPath ? await files.read(valuesPath) : undefined;
        const hasImage =
          values !== undefined &&
          typeof parseDocument(values).getIn(['image', 'repository']) ===
            'string';
        if (chart && valuesPath && hasImage) {
          runBy = 'helm-hook';
          const merged = mergeMigrationValues(values!, credentials, valuesPath);
          if (typeof merged !== 'string') {
            throw new InputError(
              `Cannot add the migrations to ${valuesPath}: ${merged.conflict}`,
            );
          }
          files.plan(valuesPath, merged, {
            merge: existing =>
              mergeMigrationValues(existing, credentials, valuesPath),
          });
          files.plan(
            inChart(chart, 'templates/migrate-job.yaml'),
            migrateJobTemplate(chart, stack),
            {
              keepReason: 'the chart has its own templates/migrate-job.yaml',
            },
          );
        } else {
          runBy = provider;
          if (chart) {
            ctx.logger.warn(
              `The chart ${chart.dir} has no image.repository value for a migration Job: the migrations run in the pipeline instead`,
            );
          }
          const target =
            provider === 'github-actions'
              ? GITHUB_MIGRATE_WORKFLOW
              : GITLAB_CI_FILE;
          await planPipelineJobs(files, {
            target,
            provider,
            jobs: [{ id: 'migrate' }],
            render: () =>
              provider === 'github-actions'
                ? githubMigrateWorkflow(stack, serviceName)
                : gitlabMigrateJob(stack, serviceName),
          });
        }
      }

      const results = await files.apply();
      ctx.output('resourceRef', resourceRef);
      ctx.output('migrationTool', migrationTool);
      ctx.output('migrationsRunBy', runBy);
      ctx.output('files', results);
    },
  });
}
