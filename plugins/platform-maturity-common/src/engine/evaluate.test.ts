import type { Entity } from '@backstage/catalog-model';
import type { CheckImplementation } from './checkTypes';
import { evaluate } from './evaluate';
import { compileRuleset } from '../ruleset/compileRuleset';
import { scorecardFor, serviceEntity, snapshotOf } from '../testing/fixtures';
import { WAIVERS_ANNOTATION } from './waivers';

const now = new Date('2026-11-25T12:00:00Z');

/** A code check whose outcome is set by the entity's `spec.outcomes[<id>]`. */
function scripted(id: string, weight = 1): CheckImplementation {
  const [capability] = id.split('.') as [CheckImplementation['capability']];
  return {
    id,
    capability,
    title: id,
    description: id,
    weight,
    evidence: 'entity',
    evaluate: ({ entity }) => {
      const status = (entity.spec as any)?.outcomes?.[id] ?? 'fail';
      if (status === 'throw') {
        throw new Error('boom');
      }
      return { status, message: `${id} is ${status}` };
    },
  };
}

// Disable every built-in check so that these tests control every result.
const disableBuiltins = (extra: string[] = []) => {
  const base = compileRuleset({});
  const checks: Record<string, Record<string, { enabled: boolean }>> = {};
  for (const c of base.checks) {
    if (extra.includes(c.definition.id)) continue;
    const [capability, ...name] = c.definition.id.split('.');
    checks[capability] = {
      ...checks[capability],
      [name.join('.')]: { enabled: false },
    };
  }
  return checks;
};

const scriptedChecks = [
  scripted('build.a', 2),
  scripted('build.b', 1),
  scripted('deploy.a'),
  scripted('observe.a'),
  scripted('data.a'),
  scripted('capacity.a'),
  scripted('as-code.a'),
];

function scriptedRuleset(config: Record<string, unknown> = {}) {
  return compileRuleset(
    { checks: disableBuiltins(), ...config },
    { extraChecks: scriptedChecks },
  );
}

function entityWith(
  outcomes: Record<string, string>,
  extra: Partial<Entity['metadata']> = {},
) {
  return serviceEntity({ spec: { outcomes }, metadata: extra });
}

describe('evaluate', () => {
  it('scores capabilities by weight and the overall score as their mean', () => {
    const card = evaluate(scriptedRuleset(), {
      entity: entityWith({
        'build.a': 'pass',
        'build.b': 'fail',
        'deploy.a': 'pass',
        'observe.a': 'fail',
        'data.a': 'not-applicable',
        'capacity.a': 'pass',
        'as-code.a': 'pass',
      }),
      now,
    });
    const byId = Object.fromEntries(
      card.capabilities.map(c => [c.capability, c]),
    );
    expect(byId.build).toMatchObject({
      status: 'partial',
      score: 66.7,
      passedWeight: 2,
      applicableWeight: 3,
    });
    expect(byId.deploy).toMatchObject({ status: 'complete', score: 100 });
    expect(byId.observe).toMatchObject({ status: 'missing', score: 0 });
    expect(byId.data).toMatchObject({ status: 'not-applicable', score: null });
    // (2/3 + 1 + 0 + 1 + 1) / 5 capabilities = 73.3
    expect(card.score).toBe(73.3);
    expect(card.level).toEqual({ level: 0, name: 'Unpaved' });
    expect(card.nextLevel).toEqual({
      level: 1,
      name: 'Builds',
      missingCapabilities: ['build'],
    });
    expect(card.inScope).toBe(true);
  });

  it('climbs the default ladder, with not-applicable capabilities counting as met', () => {
    const all = {
      'build.a': 'pass',
      'build.b': 'pass',
      'deploy.a': 'pass',
      'observe.a': 'pass',
      'capacity.a': 'pass',
      'as-code.a': 'pass',
    };
    const ruleset = scriptedRuleset();
    const level = (outcomes: Record<string, string>) =>
      evaluate(ruleset, { entity: entityWith(outcomes), now }).level;
    expect(level({ ...all, 'data.a': 'not-applicable' })).toEqual({
      level: 4,
      name: 'Self-serve',
    });
    expect(level({ ...all, 'data.a': 'fail' })).toEqual({
      level: 3,
      name: 'Operable',
    });
    expect(level({ ...all, 'observe.a': 'fail' })).toEqual({
      level: 2,
      name: 'Ships',
    });
    expect(level({ ...all, 'deploy.a': 'fail' })).toEqual({
      level: 1,
      name: 'Builds',
    });
    // A higher capability does not count while a lower rung is missing.
    expect(level({ ...all, 'build.b': 'fail' })).toEqual({
      level: 0,
      name: 'Unpaved',
    });
  });

  it('leaves unknown results out of the score but does not count the capability as complete', () => {
    const card = evaluate(scriptedRuleset(), {
      entity: entityWith({ 'build.a': 'pass', 'build.b': 'unknown' }),
      now,
    });
    const build = card.capabilities.find(c => c.capability === 'build')!;
    // Nothing failed, but one check could not be read: not "partial", which reads as known gaps.
    expect(build).toMatchObject({
      status: 'unknown',
      score: 100,
      unknownWeight: 1,
    });
    expect(card.level?.level).toBe(0);
    const withFailure = evaluate(scriptedRuleset(), {
      entity: entityWith({
        'build.a': 'pass',
        'build.b': 'fail',
        'deploy.a': 'unknown',
      }),
      now,
    });
    expect(withFailure.capabilities[0].status).toBe('partial');
    const allUnknown = evaluate(scriptedRuleset(), {
      entity: entityWith({ 'build.a': 'unknown', 'build.b': 'unknown' }),
      now,
    });
    expect(allUnknown.capabilities[0]).toMatchObject({
      status: 'unknown',
      score: null,
    });
  });

  it('gives the coverage: per applicable capability the share of weight decided, and their mean', () => {
    const card = evaluate(scriptedRuleset(), {
      entity: entityWith({
        'build.a': 'unknown',
        'build.b': 'pass',
        'deploy.a': 'unknown',
        'observe.a': 'pass',
        'data.a': 'not-applicable',
        'capacity.a': 'pass',
        'as-code.a': 'pass',
      }),
      now,
    });
    // build: 1 of 3 weight decided; deploy: none; observe, capacity, as-code: all.
    expect(card.coverage).toEqual({
      share: 66.7,
      checkedCapabilities: 3,
      applicableCapabilities: 5,
    });
    // Every decided check passed: a score of 100 that covers two thirds of the checklist.
    expect(card.score).toBe(100);
    expect(card.level?.level).toBe(0);
    const full = evaluate(scriptedRuleset(), {
      entity: entityWith({ 'build.a': 'pass', 'build.b': 'fail' }),
      now,
    });
    expect(full.coverage).toEqual({
      share: 100,
      checkedCapabilities: 6,
      applicableCapabilities: 6,
    });
  });

  it('leaves the coverage out when the entity is out of scope', () => {
    const card = evaluate(scriptedRuleset(), {
      entity: { ...entityWith({}), kind: 'Group' },
      now,
    });
    expect(card.inScope).toBe(false);
    expect(card.coverage).toBeUndefined();
  });

  it('says why the repository could not be read, and who can fix it, in a notice', () => {
    const problem =
      'The backend cannot read file:/srv/x: it is outside platformMaturity.repository.allowedLocalRoots. Ask your Backstage admins to add it.';
    const card = evaluate(scriptedRuleset(), {
      entity: entityWith({ 'build.a': 'unknown' }),
      repositoryProblem: problem,
      now,
    });
    expect(card.notices).toContainEqual({
      type: 'repository-unreadable',
      message: problem,
    });
    const read = evaluate(scriptedRuleset(), {
      entity: entityWith({ 'build.a': 'pass' }),
      repository: snapshotOf({}),
      repositoryProblem: problem,
      now,
    });
    expect(read.notices.map(n => n.type)).not.toContain(
      'repository-unreadable',
    );
  });

  it('turns a throwing check into an unknown result with a notice, and goes on', () => {
    const card = evaluate(scriptedRuleset(), {
      entity: entityWith({ 'build.a': 'throw', 'deploy.a': 'pass' }),
      now,
    });
    expect(card.results.find(r => r.checkId === 'build.a')).toMatchObject({
      status: 'unknown',
      message: 'The check could not run: boom',
    });
    expect(card.results.find(r => r.checkId === 'deploy.a')?.status).toBe(
      'pass',
    );
    expect(card.notices).toContainEqual({
      type: 'check-error',
      checkId: 'build.a',
      message: 'The check could not run: boom',
    });
  });

  it('supports a configured level ladder with a minimum score', () => {
    const ruleset = scriptedRuleset({
      levels: [
        { level: 0, name: 'Bronze' },
        { level: 1, name: 'Silver', requires: ['build'] },
        { level: 2, name: 'Gold', requires: ['build'], minScore: 90 },
      ],
    });
    const card = evaluate(ruleset, {
      entity: entityWith({ 'build.a': 'pass', 'build.b': 'pass' }),
      now,
    });
    expect(card.level).toEqual({ level: 1, name: 'Silver' });
    expect(card.nextLevel).toEqual({
      level: 2,
      name: 'Gold',
      missingCapabilities: [],
      minScore: 90,
    });
  });

  it('marks entities out of scope when no check applies', () => {
    const card = scorecardFor({
      entity: {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: 'team-a' },
        spec: {},
      },
      files: {},
    });
    expect(card).toMatchObject({
      inScope: false,
      score: null,
      level: null,
      results: [],
    });
  });

  it('reports checks whose appliesTo does not match as not applicable', () => {
    const ruleset = compileRuleset({
      checks: { build: { tests: { appliesTo: { 'spec.type': 'website' } } } },
    });
    const card = scorecardFor({ ruleset, files: {} });
    expect(card.results.find(r => r.checkId === 'build.tests')).toMatchObject({
      status: 'not-applicable',
    });
  });

  it('is deterministic and its digest moves with the evidence, not with the clock', () => {
    const files = {
      '.github/workflows/ci.yml': 'run: npm test',
      'src/a.test.ts': '',
    };
    const a = scorecardFor({ files });
    const b = scorecardFor({ files });
    expect(b).toEqual(a);
    const later = scorecardFor({
      files,
      now: new Date('2027-01-01T00:00:00Z'),
    });
    expect(later.evidenceDigest).toBe(a.evidenceDigest);
    const changed = scorecardFor({
      files: { ...files, '.github/workflows/ci.yml': 'run: npm test -- --ci' },
    });
    expect(changed.evidenceDigest).not.toBe(a.evidenceDigest);
    const reordered = evaluate(compileRuleset({}), {
      entity: serviceEntity(),
      repository: {
        paths: Object.keys(files).reverse(),
        read: p => (files as any)[p],
      },
      now: new Date('2026-11-25T12:00:00Z'),
    });
    expect(reordered.results).toEqual(a.results);
    expect(reordered.evidenceDigest).toBe(a.evidenceDigest);
  });

  it('ignores the volatile parts of the entity in the digest', () => {
    const a = scorecardFor({
      entity: serviceEntity({ metadata: { uid: '1', etag: 'x' } }),
    });
    const b = scorecardFor({
      entity: serviceEntity({ metadata: { uid: '2', etag: 'y' } }),
    });
    expect(a.evidenceDigest).toBe(b.evidenceDigest);
  });

  it('digests the entity as declared, not what the catalog adds to it', () => {
    const declared = serviceEntity({
      metadata: { namespace: undefined, annotations: { 'acme.io/team': 'a' } },
    });
    const ingested = serviceEntity({
      metadata: {
        namespace: 'default',
        annotations: {
          'acme.io/team': 'a',
          'backstage.io/managed-by-location':
            'file:/repos/orders/catalog-info.yaml',
          'backstage.io/managed-by-origin-location':
            'file:/repos/orders/catalog-info.yaml',
        },
      },
      relations: [{ type: 'ownedBy', targetRef: 'group:default/team-a' }],
    });
    const a = scorecardFor({ entity: declared });
    expect(scorecardFor({ entity: ingested }).evidenceDigest).toBe(
      a.evidenceDigest,
    );
    // Only catalog-added annotations: the same as none.
    expect(
      scorecardFor({
        entity: serviceEntity({
          metadata: {
            annotations: { 'backstage.io/managed-by-location': 'url:x' },
          },
        }),
      }).evidenceDigest,
    ).toBe(scorecardFor({ entity: serviceEntity() }).evidenceDigest);
    // What the owner declares still counts.
    expect(
      scorecardFor({
        entity: serviceEntity({
          metadata: { annotations: { 'acme.io/team': 'b' } },
        }),
      }).evidenceDigest,
    ).not.toBe(a.evidenceDigest);
  });

  it('refuses reads of files a check did not declare', () => {
    const sneaky: CheckImplementation = {
      id: 'build.sneaky',
      capability: 'build',
      title: 'Sneaky',
      description: 'Reads a file it did not declare',
      evidence: 'entity+repository',
      reads: ['package.json'],
      evaluate: ({ repository }) => ({
        status: repository?.read('secrets.txt') ? 'pass' : 'fail',
        message: 'read',
      }),
    };
    const ruleset = compileRuleset({}, { extraChecks: [sneaky] });
    const card = evaluate(ruleset, {
      entity: serviceEntity(),
      repository: snapshotOf({ 'secrets.txt': 'x', 'package.json': '{}' }),
      now,
    });
    expect(card.results.find(r => r.checkId === 'build.sneaky')).toMatchObject({
      status: 'unknown',
      message: expect.stringContaining(
        "read 'secrets.txt', which is not among the files it declares",
      ),
    });
  });
});

describe('waivers', () => {
  const waiverAnnotation = (waivers: unknown) => ({
    annotations: { [WAIVERS_ANNOTATION]: JSON.stringify(waivers) },
  });

  it('waives a failing check from the entity annotation and counts it as passed', () => {
    const entity = entityWith(
      { 'build.a': 'pass', 'build.b': 'fail' },
      waiverAnnotation([
        {
          check: 'build.b',
          reason: 'Legacy build, replaced in Q1',
          until: '2027-03-31',
        },
      ]),
    );
    const card = evaluate(scriptedRuleset(), { entity, now });
    const result = card.results.find(r => r.checkId === 'build.b')!;
    expect(result.status).toBe('waived');
    expect(result.waiver).toEqual({
      checkId: 'build.b',
      reason: 'Legacy build, replaced in Q1',
      until: '2027-03-31',
      waivedBy: 'group:default/team-a',
      source: 'entity',
    });
    expect(card.capabilities[0]).toMatchObject({
      status: 'complete',
      score: 100,
    });
    expect(card.level?.level).toBe(1);
  });

  it('waives from configuration, which wins over the entity', () => {
    const ruleset = scriptedRuleset({
      waivers: [
        {
          entity: 'component:default/orders',
          check: 'build.b',
          reason: 'Platform exception',
          waivedBy: 'group:default/platform',
          until: '2027-01-31T00:00:00Z',
        },
      ],
    });
    const entity = entityWith(
      {},
      waiverAnnotation([
        { check: 'build.b', reason: 'ours', until: '2027-03-31' },
      ]),
    );
    const result = evaluate(ruleset, { entity, now }).results.find(
      r => r.checkId === 'build.b',
    )!;
    expect(result).toMatchObject({
      status: 'waived',
      waiver: { source: 'config', waivedBy: 'group:default/platform' },
    });
  });

  it('ignores expired and malformed waivers and reports them', () => {
    const entity = entityWith(
      {},
      waiverAnnotation([
        { check: 'build.a', reason: 'old', until: '2026-11-24' },
        { check: 'build.b', until: '2027-01-01' },
        { check: 'no.such', reason: 'x', until: '2027-01-01' },
        { check: 'deploy.a', reason: 'x', until: 'next year' },
      ]),
    );
    const card = evaluate(scriptedRuleset(), { entity, now });
    expect(card.results.filter(r => r.status === 'waived')).toEqual([]);
    expect(card.notices.map(n => n.type)).toEqual([
      'waiver-invalid',
      'waiver-invalid',
      'waiver-invalid',
      'waiver-expired',
    ]);
    expect(card.notices[3].message).toBe(
      'The waiver for build.a expired on 2026-11-24.',
    );
    // The card shows who granted the expired waiver and why.
    expect(card.notices[3].waiver).toMatchObject({
      checkId: 'build.a',
      reason: 'old',
      until: '2026-11-24',
      source: 'entity',
    });
  });

  it('lets a date-only waiver last to the end of that day', () => {
    const entity = entityWith(
      {},
      waiverAnnotation([
        { check: 'build.a', reason: 'r', until: '2026-11-25' },
      ]),
    );
    expect(evaluate(scriptedRuleset(), { entity, now }).results[0].status).toBe(
      'waived',
    );
  });

  it('reports an annotation that is not JSON', () => {
    const entity = entityWith(
      {},
      { annotations: { [WAIVERS_ANNOTATION]: 'build.a until tomorrow' } },
    );
    const card = evaluate(scriptedRuleset(), { entity, now });
    expect(card.notices).toEqual([
      {
        type: 'waiver-invalid',
        message: `Ignored a waiver in the ${WAIVERS_ANNOTATION} annotation: the annotation is not valid JSON.`,
      },
    ]);
  });

  it('ignores entity waivers when configuration does not allow them', () => {
    const entity = entityWith(
      {},
      waiverAnnotation([
        { check: 'build.a', reason: 'r', until: '2027-01-01' },
      ]),
    );
    const card = evaluate(scriptedRuleset({ allowEntityWaivers: false }), {
      entity,
      now,
    });
    expect(card.results[0].status).toBe('fail');
    expect(card.notices[0].message).toMatch(
      /does not honour waivers declared on entities/,
    );
  });

  it('notes a waiver that is no longer needed', () => {
    const entity = entityWith(
      { 'build.a': 'pass' },
      waiverAnnotation([
        { check: 'build.a', reason: 'r', until: '2027-01-01' },
      ]),
    );
    const card = evaluate(scriptedRuleset(), { entity, now });
    expect(card.results[0].status).toBe('pass');
    expect(card.notices).toEqual([
      {
        type: 'waiver-unused',
        checkId: 'build.a',
        message:
          'The waiver for build.a is no longer needed: the check passes.',
      },
    ]);
  });
});
