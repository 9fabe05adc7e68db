/**
 * The example catalog of the local suite (`dev/examples`): every example service must reach the
 * level its README promises, the catalog files must be valid and complete, and the real catalog
 * must ingest `locations.yaml` so that the backend scores each example from its own repository.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
  Entity,
  groupEntityV1alpha1Validator,
  KindValidator,
  locationEntityV1alpha1Validator,
  parseEntityRef,
  resourceEntityV1alpha1Validator,
  stringifyEntityRef,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { parseEntityYaml } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  CatalogLookup,
  CheckStatus,
  compileRuleset,
  DEFAULT_LEVELS,
  evaluate,
  Ruleset,
  Scorecard,
} from '@paved/plugin-platform-maturity-common';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { platformMaturityPlugin } from './plugin';
import { closeDatabasesOnStop } from './__testUtils__/databases';
import {
  RepositoryEvidence,
  RepositoryReadResult,
  repositoryLocationOf,
} from './service/RepositoryEvidence';

const EXAMPLES = path.resolve(__dirname, '../dev/examples');
const REPOSITORIES = path.join(EXAMPLES, 'repositories');
const LOCATIONS_FILE = path.join(EXAMPLES, 'locations.yaml');
const ROOT_APP_CONFIG = path.resolve(__dirname, '../../../app-config.yaml');

/** A fixed time, so that the waivers in the examples are in force or expired on every run. */
const NOW = new Date('2026-11-26T12:00:00Z');

/**
 * What each example shows: its level (the same as in dev/examples/README.md) and the check
 * results that tell its story.
 */
const EXPECTED: Record<
  string,
  { level: number; checks: Record<string, CheckStatus> }
> = {
  'legacy-billing': {
    level: 0,
    checks: {
      'build.tests': 'fail',
      'build.dependency-updates': 'fail',
      'deploy.manifests': 'fail',
      'data.migrations': 'pass',
      'data.declared': 'pass',
    },
  },
  'warehouse-sync': {
    level: 0,
    checks: {
      'build.pipeline': 'unknown',
      'deploy.manifests': 'unknown',
      'observe.oncall': 'pass',
      'data.declared': 'pass',
      'data.migrations': 'unknown',
    },
  },
  recommendations: {
    level: 1,
    checks: {
      'build.tests': 'pass',
      'deploy.manifests': 'fail',
      'deploy.versioning': 'pass',
      'data.migrations': 'pass',
    },
  },
  'storefront-web': {
    level: 2,
    checks: {
      'deploy.manifests': 'pass',
      'deploy.rollback': 'pass',
      'observe.instrumentation': 'fail',
      'capacity.resources': 'fail',
      'data.declared': 'not-applicable',
    },
  },
  'search-indexer': {
    level: 2,
    checks: {
      'deploy.rollback': 'pass',
      'observe.dashboards': 'pass',
      'observe.instrumentation': 'fail',
      'observe.oncall': 'fail',
      'capacity.autoscaling': 'fail',
    },
  },
  'checkout-api': {
    level: 3,
    checks: {
      'observe.instrumentation': 'pass',
      'capacity.autoscaling': 'pass',
      'data.declared': 'pass',
      'data.migrations': 'fail',
    },
  },
  notifications: {
    level: 3,
    checks: {
      'deploy.rollback': 'pass',
      'observe.dashboards': 'pass',
      'data.declared': 'not-applicable',
      'capacity.autoscaling': 'fail',
    },
  },
  'payments-ledger': {
    level: 4,
    checks: {
      'data.declared': 'pass',
      'data.migrations': 'pass',
      'as-code.infrastructure': 'pass',
    },
  },
  'pricing-engine': {
    level: 4,
    checks: {
      'capacity.autoscaling': 'pass',
      'data.declared': 'not-applicable',
      'data.migrations': 'not-applicable',
      'as-code.infrastructure': 'waived',
    },
  },
};

/** The targets of the Location in locations.yaml, resolved as the catalog resolves file targets. */
function locationTargets(): string[] {
  const [location] = readCatalogFile(LOCATIONS_FILE);
  const spec = location.spec as { target?: string; targets?: string[] };
  return [...(spec.target ? [spec.target] : []), ...(spec.targets ?? [])].map(
    target => path.join(path.dirname(LOCATIONS_FILE), target),
  );
}

/**
 * The YAML documents of a file, read with the catalog's own parser, which returns every document
 * that is an object as it is (it does not validate entities).
 */
function readYamlDocuments(file: string): Array<Record<string, any>> {
  const results = [
    ...parseEntityYaml(fs.readFileSync(file), { type: 'file', target: file }),
  ];
  return results.map(result => {
    if (result.type !== 'entity') {
      throw new Error(
        `${file}: ${
          result.type === 'error' ? result.error.message : result.type
        }`,
      );
    }
    return result.entity;
  });
}

/**
 * The entities of a catalog file, annotated with where they came from, as the catalog does for an
 * entity read from a `file` location.
 */
function readCatalogFile(file: string): Entity[] {
  return (readYamlDocuments(file) as Entity[]).map(entity => ({
    ...entity,
    metadata: {
      ...entity.metadata,
      annotations: {
        [ANNOTATION_LOCATION]: `file:${file}`,
        [ANNOTATION_ORIGIN_LOCATION]: `file:${LOCATIONS_FILE}`,
        ...entity.metadata.annotations,
      },
    },
  }));
}

/** The `platformMaturity` section of the root app-config.yaml, which `npm start` runs with. */
function rootPlatformMaturityConfig(): Record<string, any> {
  const [appConfig] = readYamlDocuments(ROOT_APP_CONFIG);
  return appConfig.platformMaturity ?? {};
}

const VALIDATORS: Record<string, KindValidator> = {
  api: apiEntityV1alpha1Validator,
  component: componentEntityV1alpha1Validator,
  domain: domainEntityV1alpha1Validator,
  group: groupEntityV1alpha1Validator,
  location: locationEntityV1alpha1Validator,
  resource: resourceEntityV1alpha1Validator,
  system: systemEntityV1alpha1Validator,
  user: userEntityV1alpha1Validator,
};

/** Every entity ref an entity's spec points at, with the kind a short ref defaults to. */
function referencesOf(entity: Entity): string[] {
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const fields: Array<[string, string | undefined]> = [
    ['owner', 'group'],
    ['system', 'system'],
    ['domain', 'domain'],
    ['parent', 'group'],
    ['children', 'group'],
    ['memberOf', 'group'],
    ['dependsOn', undefined],
    ['providesApis', 'api'],
    ['consumesApis', 'api'],
  ];
  return fields.flatMap(([field, defaultKind]) => {
    const values = [spec[field]].flat().filter(Boolean);
    return values.map(ref =>
      stringifyEntityRef(
        parseEntityRef(String(ref), {
          defaultKind,
          defaultNamespace: entity.metadata.namespace ?? 'default',
        }),
      ),
    );
  });
}

describe('the example catalog', () => {
  const catalogFiles = locationTargets();
  const entities = catalogFiles.flatMap(readCatalogFile);
  const byRef = new Map(entities.map(e => [stringifyEntityRef(e), e]));
  const lookup: CatalogLookup = {
    getEntity: ref => byRef.get(ref.toLowerCase()),
  };
  const components = entities.filter(e => e.kind === 'Component');
  const appConfig = rootPlatformMaturityConfig();
  const ruleset: Ruleset = compileRuleset(appConfig);

  const logger = mockServices.logger.mock();
  const repositories = new RepositoryEvidence({
    urlReader: mockServices.urlReader.mock(),
    logger,
    timeoutMs: 10_000,
    maxFileSize: 256 * 1024,
    allowedLocalRoots: [REPOSITORIES],
  });

  /** Reads an example's repository and scores it, as the backend's evaluator does. */
  async function score(
    entity: Entity,
    now = NOW,
  ): Promise<{ read: RepositoryReadResult; card: Scorecard }> {
    const location = repositoryLocationOf(entity);
    if (!location) {
      throw new Error(`${entity.metadata.name} has no repository location`);
    }
    const read = await repositories.read(location, ruleset);
    const card = evaluate(ruleset, {
      entity,
      repository: read.type === 'snapshot' ? read.snapshot : undefined,
      catalog: lookup,
      now,
    });
    return { read, card };
  }

  const cards = new Map<string, Scorecard>();
  beforeAll(async () => {
    for (const component of components) {
      cards.set(component.metadata.name, (await score(component)).card);
    }
  });

  it('lists every example repository and the organisation in locations.yaml', () => {
    const repositoryFiles = fs
      .readdirSync(REPOSITORIES)
      .map(name => path.join(REPOSITORIES, name, 'catalog-info.yaml'));
    expect([...catalogFiles].sort()).toEqual(
      [path.join(EXAMPLES, 'org.yaml'), ...repositoryFiles].sort(),
    );
  });

  it('has valid entities whose references all resolve, and one example per expectation', async () => {
    for (const entity of [...entities, ...readCatalogFile(LOCATIONS_FILE)]) {
      const validator = VALIDATORS[entity.kind.toLowerCase()];
      expect(validator).toBeDefined();
      await expect(validator.check(entity)).resolves.toBe(true);
    }
    const dangling = entities.flatMap(entity =>
      referencesOf(entity)
        .filter(ref => !byRef.has(ref))
        .map(ref => `${stringifyEntityRef(entity)} -> ${ref}`),
    );
    expect(dangling).toEqual([]);
    expect(byRef.get('user:default/guest')?.spec?.memberOf).toEqual([
      'team-storefront',
    ]);
    expect(components.map(c => c.metadata.name).sort()).toEqual(
      Object.keys(EXPECTED).sort(),
    );
  });

  it.each(Object.entries(EXPECTED))(
    '%s reaches its expected level, for the reasons it shows',
    (name, expected) => {
      const card = cards.get(name)!;
      expect(card.inScope).toBe(true);
      expect(card.level?.level).toBe(expected.level);
      const statuses = Object.fromEntries(
        card.results.map(r => [r.checkId, r.status]),
      );
      expect(statuses).toMatchObject(expected.checks);
    },
  );

  it('covers every level of the default ladder', () => {
    const levels = new Set([...cards.values()].map(c => c.level?.level));
    expect([...levels].sort()).toEqual(DEFAULT_LEVELS.map(l => l.level));
  });

  it('matches the table of dev/examples/README.md', () => {
    const readme = fs.readFileSync(path.join(EXAMPLES, 'README.md'), 'utf8');
    const rows = [
      ...readme.matchAll(/^\| `([\w-]+)` +\|.*\| L(\d) ([\w-]+) +\|$/gm),
    ];
    expect(
      Object.fromEntries(rows.map(([, name, level]) => [name, Number(level)])),
    ).toEqual(
      Object.fromEntries(
        Object.entries(EXPECTED).map(([name, e]) => [name, e.level]),
      ),
    );
    for (const [, , level, levelName] of rows) {
      expect(DEFAULT_LEVELS[Number(level)].name).toBe(levelName);
    }
  });

  it('honours the waiver of pricing-engine and reports who waived it until when', () => {
    const result = cards
      .get('pricing-engine')!
      .results.find(r => r.checkId === 'as-code.infrastructure')!;
    expect(result.status).toBe('waived');
    expect(result.waiver).toMatchObject({
      until: '2027-06-30',
      waivedBy: 'group:default/platform-team',
      source: 'entity',
    });
    expect(cards.get('pricing-engine')!.notices).toEqual([]);
  });

  it('reports the expired waiver of checkout-api as a notice, and the check fails again', () => {
    const card = cards.get('checkout-api')!;
    expect(card.notices).toEqual([
      expect.objectContaining({
        type: 'waiver-expired',
        checkId: 'data.migrations',
      }),
    ]);
    expect(
      card.results.find(r => r.checkId === 'data.migrations')?.status,
    ).toBe('fail');
  });

  it('does not read the repository of warehouse-sync, which is outside the allowed root, and fails none of its checks for it', async () => {
    const entity = components.find(c => c.metadata.name === 'warehouse-sync')!;
    const sourceLocation =
      entity.metadata.annotations![ANNOTATION_SOURCE_LOCATION];
    const target = sourceLocation.replace(/^file:/, '');
    expect(path.relative(REPOSITORIES, target)).toMatch(/^\.\./);

    logger.warn.mockClear();
    logger.debug.mockClear();
    const { read, card } = await score(entity);
    expect(read).toEqual({
      type: 'failed',
      reason: expect.stringContaining(target),
    });
    // Logged: a warning the first time the example catalog was scored, at debug level since.
    expect([
      ...logger.warn.mock.calls,
      ...logger.debug.mock.calls,
    ]).toContainEqual([
      expect.stringContaining('/var/lib/paved-not-allowed/warehouse-sync'),
    ]);

    // Missing evidence is never a failure: the repository checks are unknown, and the checks
    // that need only the catalog entry are decided.
    expect(card.results.filter(r => r.status === 'fail')).toEqual([]);
    const repositoryChecks = new Set(
      ruleset.checks
        .filter(c => c.definition.evidence === 'entity+repository')
        .map(c => c.definition.id),
    );
    const unknown = card.results.filter(r => r.status === 'unknown');
    expect(unknown.length).toBeGreaterThanOrEqual(10);
    expect(unknown.every(r => repositoryChecks.has(r.checkId))).toBe(true);
    expect(card.capabilities.find(c => c.capability === 'build')?.status).toBe(
      'unknown',
    );
    expect(card.nextLevel?.missingCapabilities).toContain('build');
  });

  it('keeps test-runner and workspace files out of the examples, which sit inside this package', () => {
    const offending: string[] = [];
    const walk = (dir: string) => {
      for (const item of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, item.name);
        if (item.isDirectory()) {
          walk(full);
        } else if (/\.(?:test|spec)\.[cm]?[jt]sx?$/.test(item.name)) {
          offending.push(full);
        } else if (
          item.name === 'package.json' &&
          'workspaces' in JSON.parse(fs.readFileSync(full, 'utf8'))
        ) {
          offending.push(full);
        }
      }
    };
    walk(EXAMPLES);
    expect(offending).toEqual([]);
  });

  describe('in the real catalog', () => {
    it('ingests locations.yaml, and the backend scores each example from its own repository', async () => {
      const backend = await startTestBackend({
        features: [
          catalogPlugin,
          platformMaturityPlugin,
          ...closeDatabasesOnStop('catalog', 'platform-maturity'),
          mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
          mockServices.rootConfig.factory({
            data: {
              catalog: {
                // The default rules admit only Components, APIs and Locations.
                rules: [
                  {
                    allow: [
                      'Component',
                      'API',
                      'Resource',
                      'System',
                      'Domain',
                      'Group',
                      'User',
                      'Location',
                    ],
                  },
                ],
                locations: [{ type: 'file', target: LOCATIONS_FILE }],
              },
              platformMaturity: {
                ...appConfig,
                repository: {
                  ...appConfig.repository,
                  allowedLocalRoots: [REPOSITORIES],
                },
                // No scheduled run during the test: each example is refreshed on demand.
                schedule: {
                  frequency: { hours: 24 },
                  timeout: { minutes: 10 },
                  initialDelay: { hours: 1 },
                },
              },
            },
          }),
        ],
      });
      try {
        const { server } = backend;
        const user = mockCredentials.user.header();

        // The catalog processes its locations in the background.
        const refs = [...byRef.keys()];
        let missing = refs;
        for (let i = 0; i < 200 && missing.length > 0; i++) {
          await new Promise(resolve => setTimeout(resolve, 250));
          const response = await request(server)
            .post('/api/catalog/entities/by-refs')
            .set('Authorization', user)
            .send({ entityRefs: refs, fields: ['kind', 'metadata.name'] });
          missing = refs.filter((_, j) => !response.body.items?.[j]);
        }
        expect(missing).toEqual([]);

        // The same scorecards as reading each example's files directly, at the same time.
        const summary = (name: string, card: Scorecard) => ({
          name,
          level: card.level?.level,
          results: card.results.map(r => `${r.checkId}: ${r.status}`),
        });
        const served = [];
        const direct = [];
        for (const component of components) {
          const name = component.metadata.name;
          const response = await request(server)
            .post(
              `/api/platform-maturity/v1/scorecards/component/default/${name}/refresh`,
            )
            .set('Authorization', user);
          expect(response.status).toBe(200);
          const card: Scorecard = response.body.scorecard;
          served.push(summary(name, card));
          const at = new Date(card.evaluatedAt);
          direct.push(summary(name, (await score(component, at)).card));
        }
        expect(served).toEqual(direct);
      } finally {
        await backend.stop();
      }
    }, 120_000);
  });
});
