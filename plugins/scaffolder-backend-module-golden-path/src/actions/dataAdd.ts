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
import { planContentFiles } from '../lib/contentPlan';
import { checkWorkspace, passes } from '../lib/evidence';
import { goldenPathSetup, runGoldenPathStep } from '../lib/goldenPathStep';
import {
  commonInputSchema,
  filesOutputSchema,
  ownerRefInput,
  serviceNameInputSchema,
  systemRefInput,
} from '../lib/inputs';
import { GITLAB_CI_FILE, planPipelineJobs } from '../lib/pipelines';
import { CiProvider, Stack } from '../lib/stacks';
import { MergeConflict, WorkspaceFiles } from '../lib/workspace';
import { examples } from './dataAdd.examples';
import { scalarKey } from '../lib/yamlNodes';

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
  /**
   * The content the action renders, as the module loads it at start-up (with the URLs and the
   * contributed content); default the content of `config`.
   *
   * @internal
   */
  content?: GoldenPathContent;
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
const GITHUB_MIGRATE_WORKFLOW = '.github/workflows/migrate.yaml';

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

/** The content set of each stack's migration tool. */
const MIGRATION_SETS: Record<Stack, string> = {
  node: 'data/knex',
  go: 'data/golang-migrate',
  python: 'data/alembic',
};

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
  content: GoldenPathContent,
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
  const all: Migrations = Object.fromEntries(
    content
      .set(MIGRATION_SETS[stack])
      .render({
        name: serviceName,
        timestamp: baselineName?.slice(
          'migrations/'.length,
          -'_baseline.cjs'.length,
        ),
      })
      .map(file => [file.path, file.content]),
  );
  if (!setup.configured && setup.migrations.length === 0) {
    return all;
  }
  const kept: Migrations = {};
  for (const [path, text] of Object.entries(all)) {
    if ((await files.read(path)) === text) {
      kept[path] = text;
    }
  }
  return kept;
}

// ---------------------------------------------------------------------------------------------
// Running the migrations
// ---------------------------------------------------------------------------------------------

/** The values of the Helm hook Job that applies the migrations before each install and upgrade. */
function migrateJobValues(chart: HelmChart, stack: Stack) {
  return {
    chartDir: chart.dir,
    fullnameTemplate: chart.fullnameTemplate,
    tool: TOOLS[stack],
    command: RUNNERS[stack].command
      .filter(part => part !== 'npx')
      .map(part =>
        JSON.stringify(part === 'knex' ? 'node_modules/.bin/knex' : part),
      )
      .join(', '),
  };
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
    const key = scalarKey(doc.contents, 'migrations');
    if (key) {
      key.commentBefore =
        ' Database migrations: templates/migrate-job.yaml applies them before each install and upgrade,\n with DATABASE_URL from this Secret (created by whoever provisions the database).';
      key.spaceBefore = true;
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

/** The values of the migrate workflow or job. */
function migratePipelineValues(stack: Stack, serviceName: string) {
  return {
    name: serviceName,
    stack,
    tool: TOOLS[stack],
    paths: RUNNERS[stack].paths,
    command: RUNNERS[stack].command.join(' '),
  };
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
  const setup = goldenPathSetup(options);

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
      await runGoldenPathStep(ctx, setup, async step => {
        const { input, files, content } = step;

        // Every input is validated before anything is planned.
        const name = step.name();
        const stack = await step.stack();
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
        const provider = await step.ciProvider();

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
        const migrations = await existingSetup(files, stack);
        const planned = await migrationFiles(
          files,
          content,
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
          !migrations.configured &&
          migrations.migrations.length === 0 &&
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
          for (const [path, text] of Object.entries(planned)) {
            files.plan(path, text, {
              keepReason: `kept the existing ${path}`,
            });
          }
          if (stack === 'node') {
            planNpmDependencies(files, serviceName, NODE_PACKAGES);
          } else if (stack === 'python') {
            await planPythonRequirements(
              files,
              PYTHON_REQUIREMENTS,
              ctx.logger,
            );
          }

          // What applies them: the chart's hook Job, else the pipeline.
          const chart =
            stack === 'go'
              ? undefined
              : await findHelmChart(files, serviceName);
          const valuesPath = chart ? inChart(chart, 'values.yaml') : undefined;
          const values = valuesPath ? await files.read(valuesPath) : undefined;
          const hasImage =
            values !== undefined &&
            typeof parseDocument(values).getIn(['image', 'repository']) ===
              'string';
          if (chart && valuesPath && hasImage) {
            runBy = 'helm-hook';
            const merged = mergeMigrationValues(
              values!,
              credentials,
              valuesPath,
            );
            if (typeof merged !== 'string') {
              throw new InputError(
                `Cannot add the migrations to ${valuesPath}: ${merged.conflict}`,
              );
            }
            files.plan(valuesPath, merged, {
              merge: existing =>
                mergeMigrationValues(existing, credentials, valuesPath),
            });
            planContentFiles(
              files,
              content
                .set('data/helm-migrate-job')
                .render(migrateJobValues(chart, stack)),
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
                content
                  .set(
                    provider === 'github-actions'
                      ? 'data/migrate-github-actions'
                      : 'data/gitlab-ci',
                  )
                  .renderFile(target, migratePipelineValues(stack, serviceName))
                  .content,
            });
          }
        }

        return {
          resourceRef,
          migrationTool,
          migrationsRunBy: runBy,
        };
      });
    },
  });
}
