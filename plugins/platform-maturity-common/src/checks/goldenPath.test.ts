import {
  GOLDEN_PATH_SOURCE_ANNOTATION,
  GOLDEN_PATH_VERSION_ANNOTATION,
  GoldenPathRelease,
  PAVED_GOLDEN_PATH_RELEASE,
  parseGoldenPathChangelog,
} from '../goldenPath';
import { compileRuleset } from '../ruleset/compileRuleset';
import { checkResult, serviceEntity } from '../testing/fixtures';

const ACME: GoldenPathRelease = parseGoldenPathChangelog(
  {
    source: 'acme-platform',
    releases: [
      { version: '1.2.0', changes: ['The chart sets a PodDisruptionBudget.'] },
      {
        version: '1.1.0',
        changes: ['CI caches dependencies.', 'Node.js 22.'],
      },
      { version: '1.0.0', changes: ['First release.'] },
    ],
  },
  'CHANGELOG.yaml',
);
const ruleset = compileRuleset({}, { goldenPath: ACME });

function stamped(annotations: Record<string, string>) {
  return serviceEntity({ metadata: { annotations } });
}

function result(annotations: Record<string, string>, rs = ruleset) {
  return checkResult('as-code.golden-path-current', {
    entity: stamped(annotations),
    ruleset: rs,
  });
}

describe('as-code.golden-path-current', () => {
  it('is not applicable to a service not made from a golden path', () => {
    const outcome = result({});
    expect(outcome.status).toBe('not-applicable');
    expect(outcome.message).toBe(
      'Not made from a golden path: no paved.dev/golden-path-version annotation.',
    );
  });

  it('passes on the current version of the content in force', () => {
    const outcome = result({
      [GOLDEN_PATH_VERSION_ANNOTATION]: '1.2.0',
      [GOLDEN_PATH_SOURCE_ANNOTATION]: 'acme-platform',
    });
    expect(outcome.status).toBe('pass');
    expect(outcome.message).toBe(
      'On the current golden path (acme-platform 1.2.0).',
    );
    expect(outcome.evidence).toEqual([
      {
        type: 'annotation',
        ref: GOLDEN_PATH_VERSION_ANNOTATION,
        detail: '1.2.0',
      },
      {
        type: 'annotation',
        ref: GOLDEN_PATH_SOURCE_ANNOTATION,
        detail: 'acme-platform',
      },
    ]);
  });

  it('fails behind the current version, with what changed since, oldest first', () => {
    const outcome = result({
      [GOLDEN_PATH_VERSION_ANNOTATION]: '1.0.0',
      [GOLDEN_PATH_SOURCE_ANNOTATION]: 'acme-platform',
    });
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toBe(
      'Behind the golden path: on 1.0.0, the current is 1.2.0. Changed since: 1.1.0: CI caches dependencies. Node.js 22. 1.2.0: The chart sets a PodDisruptionBudget.',
    );
  });

  it('fails on a malformed version annotation, naming it', () => {
    const outcome = result({
      [GOLDEN_PATH_VERSION_ANNOTATION]: 'latest',
      [GOLDEN_PATH_SOURCE_ANNOTATION]: 'acme-platform',
    });
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toBe(
      "The paved.dev/golden-path-version annotation is 'latest', not a version like 1.2.0; upgrade to the current golden path (acme-platform 1.2.0) to set it again.",
    );
  });

  it('fails when made from other content than the one in force, or a version never released', () => {
    expect(result({ [GOLDEN_PATH_VERSION_ANNOTATION]: '1.0.0' }).message).toBe(
      "Made from the golden path 'paved' 1.0.0; the current golden path is acme-platform 1.2.0. Upgrade to move to it.",
    );
    const ahead = result({
      [GOLDEN_PATH_VERSION_ANNOTATION]: '2.0.0',
      [GOLDEN_PATH_SOURCE_ANNOTATION]: 'acme-platform',
    });
    expect(ahead.status).toBe('fail');
    expect(ahead.message).toContain('which acme-platform has not released');
  });

  it('defaults to the content Paved ships, and its Fix link opens the upgrade template', () => {
    const outcome = result(
      { [GOLDEN_PATH_VERSION_ANNOTATION]: PAVED_GOLDEN_PATH_RELEASE.version },
      compileRuleset({}),
    );
    expect(outcome.status).toBe('pass');
    const check = compileRuleset({}).checks.find(
      c => c.definition.id === 'as-code.golden-path-current',
    )!;
    expect(check.definition.remediation).toMatchObject({
      templateRef: 'template:default/upgrade-golden-path',
      values: {},
    });
  });

  it('changes the ruleset hash with the content version, so services are scored again', () => {
    const next = parseGoldenPathChangelog(
      {
        source: 'acme-platform',
        releases: [{ version: '1.3.0', changes: ['Go 1.26.'] }, ...ACME.notes],
      },
      'CHANGELOG.yaml',
    );
    expect(compileRuleset({}, { goldenPath: next }).rulesetHash).not.toBe(
      ruleset.rulesetHash,
    );
    expect(
      compileRuleset({}, { goldenPath: { ...ACME, notes: [...ACME.notes] } })
        .rulesetHash,
    ).toBe(ruleset.rulesetHash);
  });
});

describe('parseGoldenPathChangelog', () => {
  it.each([
    [
      { releases: [] },
      "CHANGELOG.yaml: 'source' must name the content, such as acme-platform",
    ],
    [
      { source: 'Acme Platform', releases: [] },
      "CHANGELOG.yaml: 'source' must be lower-case letters and digits joined by -, _ or ., such as acme-platform",
    ],
    [
      { source: 'acme', releases: [] },
      "CHANGELOG.yaml: 'releases' must list at least one release",
    ],
    [
      { source: 'acme', releases: [{ version: 'v1', changes: ['x'] }] },
      "CHANGELOG.yaml: 'releases.0.version' must be a version like 1.2.0",
    ],
    [
      { source: 'acme', releases: [{ version: '1.0.0', changes: [] }] },
      "CHANGELOG.yaml: 'releases.0.changes' must list at least one change",
    ],
    [
      {
        source: 'acme',
        releases: [
          { version: '1.0.0', changes: ['a'] },
          { version: '1.1.0', changes: ['b'] },
        ],
      },
      "CHANGELOG.yaml: 'releases.1.version' 1.1.0 must be older than 1.0.0 above it: releases are listed newest first",
    ],
  ])('refuses %j naming the key', (raw, message) => {
    expect(() => parseGoldenPathChangelog(raw, 'CHANGELOG.yaml')).toThrow(
      message,
    );
  });
});
