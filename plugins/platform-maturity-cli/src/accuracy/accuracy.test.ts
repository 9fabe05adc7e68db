import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileRuleset } from '@paved/plugin-platform-maturity-common';
import { parseCorpus, snapshotDirectoryName, type Corpus } from './corpus';
import { computeMetrics, percent, type Comparison } from './metrics';
import { renderText, runAccuracy, snapshotsRoot } from './run';

const COMMIT = 'a'.repeat(40);

function label(status: 'pass' | 'fail' | 'not-applicable') {
  return {
    status,
    evidence: status === 'pass' ? ['ci.yml'] : [],
    reason: 'because',
  };
}

function compare(
  checkId: string,
  labelled: 'pass' | 'fail' | 'not-applicable',
  scored: string,
): Comparison {
  return {
    entryId: `e-${checkId}-${labelled}-${scored}`,
    checkId,
    label: label(labelled),
    scored,
    message: '',
    evidence: [],
  };
}

/** A corpus of two made-up services, labelling two checks. */
function fixtureCorpus(): Corpus {
  return {
    checks: ['build.pipeline', 'build.dependency-updates'],
    entries: [
      {
        id: 'orders',
        repository: 'acme/orders',
        commit: COMMIT,
        languages: ['Go'],
        traits: ['bare'],
        labels: {
          'build.pipeline': {
            status: 'pass',
            evidence: ['.github/workflows/ci.yml'],
            reason: 'A workflow builds every push.',
          },
          'build.dependency-updates': {
            status: 'pass',
            evidence: ['.github/dependabot.yml'],
            reason: 'Dependabot is configured.',
          },
        },
      },
      {
        id: 'billing',
        repository: 'acme/billing',
        commit: COMMIT,
        languages: ['Python'],
        traits: ['bare'],
        labels: {
          'build.pipeline': {
            status: 'fail',
            evidence: [],
            reason: 'No pipeline.',
          },
          'build.dependency-updates': {
            status: 'fail',
            evidence: [],
            reason: 'No update bot.',
          },
        },
      },
    ],
  };
}

describe('computeMetrics', () => {
  it('counts agreement, precision and recall with pass as the positive verdict', () => {
    const report = computeMetrics(
      ['a.check', 'b.check'],
      [
        compare('a.check', 'pass', 'pass'),
        compare('a.check', 'pass', 'pass'),
        compare('a.check', 'pass', 'fail'),
        compare('a.check', 'fail', 'pass'),
        compare('a.check', 'fail', 'fail'),
        compare('a.check', 'not-applicable', 'fail'),
        compare('b.check', 'fail', 'fail'),
      ],
    );
    const [a, b] = report.checks;
    expect(a).toMatchObject({
      total: 6,
      agreed: 3,
      agreement: 0.5,
      truePasses: 2,
      falsePasses: 1,
      missedPasses: 1,
      precision: 2 / 3,
      recall: 2 / 3,
    });
    expect(a.disagreements.map(d => [d.label.status, d.scored])).toEqual([
      ['pass', 'fail'],
      ['fail', 'pass'],
      ['not-applicable', 'fail'],
    ]);
    // No pass scored or labelled: nothing to divide by.
    expect(b).toMatchObject({ agreement: 1, precision: null, recall: null });
    expect(report).toMatchObject({ total: 7, agreed: 4 });
    expect(report.agreement).toBeCloseTo(4 / 7);
  });

  it('counts an unknown or missing result as a disagreement', () => {
    const report = computeMetrics(
      ['a.check'],
      [
        compare('a.check', 'pass', 'unknown'),
        compare('a.check', 'fail', 'missing'),
      ],
    );
    expect(report.checks[0]).toMatchObject({ agreed: 0, recall: 0 });
  });

  it('prints percentages with one decimal, and n/a for nothing to divide', () => {
    expect(percent(2 / 3)).toBe('66.7%');
    expect(percent(1)).toBe('100.0%');
    expect(percent(null)).toBe('n/a');
  });
});

describe('parseCorpus', () => {
  it('accepts a complete corpus', () => {
    expect(parseCorpus(fixtureCorpus()).entries).toHaveLength(2);
  });

  it.each([
    [
      'a short commit',
      (c: any) => {
        c.entries[0].commit = 'abc123';
      },
      'entries[0].commit: a full 40-character commit SHA',
    ],
    [
      'a label status the engine does not have',
      (c: any) => {
        c.entries[0].labels['build.pipeline'].status = 'unknown';
      },
      'entries[0].labels.build.pipeline.status',
    ],
    [
      'a missing label',
      (c: any) => {
        delete c.entries[1].labels['build.dependency-updates'];
      },
      'entries[1].labels: no label for build.dependency-updates',
    ],
    [
      'a label for a check the corpus does not list',
      (c: any) => {
        c.entries[1].labels['deploy.rollback'] = label('fail');
      },
      "entries[1].labels.deploy.rollback: not one of the corpus' checks",
    ],
    [
      'a pass without evidence',
      (c: any) => {
        c.entries[0].labels['build.pipeline'].evidence = [];
      },
      'entries[0].labels.build.pipeline.evidence: a pass names the files',
    ],
    [
      'a duplicate id',
      (c: any) => {
        c.entries[1].id = 'orders';
      },
      "entries[1].id: 'orders' is used twice",
    ],
    [
      'a directory outside the repository',
      (c: any) => {
        c.entries[0].directory = '../elsewhere';
      },
      'entries[0].directory: a relative path inside the repository',
    ],
    [
      'labels on an out-of-scope entry',
      (c: any) => {
        c.entries[0].outOfScope = true;
      },
      'entries[0].labels: an out-of-scope entry has no check results to label',
    ],
    [
      'an unknown field',
      (c: any) => {
        c.entries[0].notes = 'x';
      },
      'entries[0]',
    ],
  ])('rejects %s, naming the field', (_, mutate, message) => {
    const corpus = fixtureCorpus();
    mutate(corpus);
    expect(() => parseCorpus(corpus, 'fixture')).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: expect.stringContaining(`fixture: ${message}`),
      }),
    );
  });
});

describe('runAccuracy', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-accuracy-'));
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('scores the snapshots present, reports the missing ones and every disagreement', async () => {
    const corpus = fixtureCorpus();
    // orders: a workflow and Dependabot, as labelled.
    const orders = path.join(root, snapshotDirectoryName(corpus.entries[0]));
    fs.mkdirSync(path.join(orders, '.github/workflows'), { recursive: true });
    fs.writeFileSync(
      path.join(orders, '.github/workflows/ci.yml'),
      'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go test ./...\n',
    );
    fs.writeFileSync(
      path.join(orders, '.github/dependabot.yml'),
      'version: 2\nupdates: []\n',
    );
    // A third entry whose snapshot is absent.
    corpus.entries.push({
      ...corpus.entries[1],
      id: 'absent',
      repository: 'acme/absent',
    });
    // billing: labelled without a pipeline, but its snapshot has one.
    const billing = path.join(root, snapshotDirectoryName(corpus.entries[1]));
    fs.mkdirSync(billing, { recursive: true });
    fs.writeFileSync(
      path.join(billing, '.gitlab-ci.yml'),
      'test:\n  script: [pytest]\n',
    );

    const run = await runAccuracy({
      corpus,
      root,
      ruleset: compileRuleset({}),
      now: new Date('2025-01-01T00:00:00Z'),
    });

    expect(run.scored.map(e => e.id)).toEqual(['orders', 'billing']);
    expect(run.missing.map(m => m.entry.id)).toEqual(['absent']);
    expect(run.scopeErrors).toEqual([]);
    const pipeline = run.report.checks[0];
    expect(pipeline).toMatchObject({
      total: 2,
      agreed: 1,
      precision: 0.5,
      recall: 1,
    });
    expect(pipeline.disagreements).toEqual([
      expect.objectContaining({ entryId: 'billing', scored: 'pass' }),
    ]);
    expect(run.report.checks[1]).toMatchObject({ total: 2, agreed: 2 });

    const text = renderText(run, root);
    expect(text).toContain('1 snapshot(s) missing');
    expect(text).toContain(
      `git -C /tmp/paved-src fetch -q --depth 1 https://github.com/acme/absent ${COMMIT}`,
    );
    expect(text).toContain(
      '- billing build.pipeline: labelled fail, scored pass',
    );
    expect(text).toContain('.gitlab-ci.yml');
  });

  it('scores an entry with a directory with its own files plus the pipelines at the root', async () => {
    const corpus = fixtureCorpus();
    const entry = {
      ...corpus.entries[0],
      id: 'orders-api',
      directory: 'services/api',
    };
    corpus.entries = [entry];
    const snapshot = path.join(root, snapshotDirectoryName(entry));
    fs.mkdirSync(path.join(snapshot, '.github/workflows'), { recursive: true });
    fs.mkdirSync(path.join(snapshot, 'services/api'), { recursive: true });
    fs.writeFileSync(
      path.join(snapshot, '.github/workflows/ci.yml'),
      'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go test ./...\n',
    );
    // The root's update-bot configuration covers every service of the repository.
    fs.writeFileSync(
      path.join(snapshot, '.github/dependabot.yml'),
      'version: 2\nupdates: []\n',
    );
    fs.writeFileSync(
      path.join(snapshot, 'services/api/main.go'),
      'package main\n',
    );

    const run = await runAccuracy({
      corpus,
      root,
      ruleset: compileRuleset({}),
      now: new Date('2025-01-01T00:00:00Z'),
    });

    expect(run.scored.map(e => e.id)).toEqual(['orders-api']);
    expect(run.report.checks[0]).toMatchObject({ total: 1, agreed: 1 });
    expect(run.report.checks[1]).toMatchObject({ total: 1, agreed: 1 });
  });

  it('does not give a service the update-bot configuration of another directory', async () => {
    const corpus = fixtureCorpus();
    const entry = {
      ...corpus.entries[0],
      id: 'orders-api',
      directory: 'services/api',
    };
    corpus.entries = [entry];
    const snapshot = path.join(root, snapshotDirectoryName(entry));
    fs.mkdirSync(path.join(snapshot, '.github/workflows'), { recursive: true });
    fs.mkdirSync(path.join(snapshot, 'services/web'), { recursive: true });
    fs.mkdirSync(path.join(snapshot, 'services/api'), { recursive: true });
    fs.writeFileSync(
      path.join(snapshot, '.github/workflows/ci.yml'),
      'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go test ./...\n',
    );
    fs.writeFileSync(
      path.join(snapshot, 'services/web/renovate.json'),
      '{ "extends": ["config:recommended"] }\n',
    );
    fs.writeFileSync(
      path.join(snapshot, 'services/api/main.go'),
      'package main\n',
    );

    const run = await runAccuracy({
      corpus,
      root,
      ruleset: compileRuleset({}),
      now: new Date('2025-01-01T00:00:00Z'),
    });

    expect(run.report.checks[1].disagreements).toEqual([
      expect.objectContaining({ entryId: 'orders-api', scored: 'fail' }),
    ]);
  });
});

describe('snapshotsRoot', () => {
  it('takes the environment variable, else a cache directory outside the checkout', () => {
    expect(snapshotsRoot({ PAVED_ACCURACY_SNAPSHOTS: '/data/corpus' })).toBe(
      '/data/corpus',
    );
    expect(snapshotsRoot({ XDG_CACHE_HOME: '/home/me/.cache' })).toBe(
      '/home/me/.cache/paved/accuracy',
    );
  });
});
