import fc from 'fast-check';
import type { Entity } from '@backstage/catalog-model';
import { compileRuleset } from '../ruleset/compileRuleset';
import { evaluate } from './evaluate';
import { WAIVERS_ANNOTATION } from './waivers';

const ruleset = compileRuleset({});

/** Values of any shape, to stand in for malformed entity fields. */
const anything = fc.anything({ maxDepth: 3 });

const pathSegment = fc.oneof(
  fc.constantFrom(
    '.github',
    'workflows',
    'ci.yml',
    'Chart.yaml',
    'values.yaml',
    'k8s',
    'deployment.yaml',
    'package.json',
    'go.mod',
    'migrations',
    '001_init.sql',
    'main.tf',
    'Jenkinsfile',
    '.gitlab-ci.yml',
    'src',
    'index.ts',
    'a.test.ts',
    'CHANGELOG.md',
    'hpa.yaml',
    'node_modules',
  ),
  fc.string({ minLength: 1, maxLength: 12 }),
);

const snapshot = fc
  .record({
    paths: fc.array(
      fc
        .array(pathSegment, { minLength: 1, maxLength: 4 })
        .map(s => s.join('/')),
      { maxLength: 30 },
    ),
    contents: fc.array(
      fc.oneof(
        fc.string({ maxLength: 300 }),
        fc.constantFrom(
          'jobs:\n  test:\n    steps:\n      - run: npm test\n      - uses: docker/build-push-action@v6',
          'kind: HorizontalPodAutoscaler\nspec:\n  minReplicas: 2',
          'resources:\n  requests:\n    cpu: 100m\n  limits:\n    cpu: 1',
          '{"dependencies":{"@opentelemetry/sdk-node":"1.0.0","pg":"8"}}',
        ),
        fc.constant(undefined),
      ),
      { minLength: 1, maxLength: 8 },
    ),
  })
  .map(({ paths, contents }) => ({
    paths,
    read: (path: string) => contents[path.length % contents.length],
  }));

const wellShapedEntity = fc.record({
  apiVersion: fc.constant('backstage.io/v1alpha1'),
  kind: fc.constantFrom('Component', 'component', 'API', 'Resource', 'Group'),
  metadata: fc.record({
    name: fc.string({ minLength: 1, maxLength: 20 }),
    namespace: fc.option(fc.string({ maxLength: 10 }), { nil: undefined }),
    annotations: fc.dictionary(
      fc.constantFrom(
        WAIVERS_ANNOTATION,
        'pagerduty.com/service-id',
        'grafana/dashboard-selector',
        'argocd/app-name',
        'backstage.io/source-location',
        'opsgenie.com/team',
      ),
      fc.oneof(
        fc.string({ maxLength: 40 }),
        fc.constant(
          '[{"check":"build.tests","reason":"r","until":"2027-01-01"}]',
        ),
        fc.constant('[{"check":"build.tests"}]'),
      ),
    ),
  }),
  spec: fc.record(
    {
      type: fc.constantFrom('service', 'website', 'library', 'SERVICE'),
      owner: fc.oneof(fc.string({ maxLength: 20 }), anything),
      lifecycle: fc.oneof(fc.string({ maxLength: 10 }), anything),
      system: fc.oneof(fc.string({ maxLength: 10 }), anything),
      dependsOn: fc.oneof(
        fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }),
        anything,
      ),
      providesApis: anything,
    },
    { requiredKeys: ['type'] },
  ),
  relations: fc.option(
    fc.array(fc.record({ type: fc.string(), targetRef: fc.string() }), {
      maxLength: 3,
    }),
    { nil: undefined },
  ),
});

/** Anything at all in the place of an entity, including wrong types at every level. */
const malformedEntity = fc.oneof(
  anything,
  fc.record({
    kind: anything,
    metadata: anything,
    spec: anything,
    relations: anything,
  }),
  fc.record({
    kind: fc.constant('Component'),
    metadata: fc.record({ name: anything, annotations: anything }),
    spec: anything,
  }),
);

describe('evaluate (property-based)', () => {
  it('never throws and keeps every score within 0–100', () => {
    fc.assert(
      fc.property(
        fc.oneof(wellShapedEntity, malformedEntity),
        fc.option(snapshot, { nil: undefined }),
        (entity, repository) => {
          const card = evaluate(ruleset, {
            entity: entity as Entity,
            repository,
            now: new Date('2026-11-25T00:00:00Z'),
          });
          const inRange = (score: number | null) =>
            score === null || (score >= 0 && score <= 100);
          expect(inRange(card.score)).toBe(true);
          expect(card.capabilities.map(c => inRange(c.score))).not.toContain(
            false,
          );
          expect(card.inScope ? card.level : null).toEqual(card.level);
          expect(typeof card.evidenceDigest).toBe('string');
          for (const result of card.results) {
            expect([
              'pass',
              'fail',
              'waived',
              'not-applicable',
              'unknown',
            ]).toContain(result.status);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
