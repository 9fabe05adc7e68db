import type { RepositoryView } from './checkTypes';
import { globList } from './globs';
import { RepositoryAccess, evaluationMemo, matchIn } from './repository';

/** The 1-based line of the first match, counted the plain way. */
function expectedLine(content: string, pattern: RegExp): number | undefined {
  const match = new RegExp(
    pattern.source,
    pattern.flags.replace(/[gy]/g, ''),
  ).exec(content);
  if (!match) {
    return undefined;
  }
  const start = content.lastIndexOf('\n', match.index) + 1;
  return content.slice(0, start).split('\n').length;
}

describe('matchIn', () => {
  const content = [
    'name: ci',
    'on: push',
    'jobs:',
    '  test:',
    '    steps:',
    '      - run: npm test',
    '      - run: helm rollback orders',
    '',
    '      - run: docker push orders:1.2.3',
  ].join('\n');

  it('reports the line and its trimmed text', () => {
    expect(matchIn('ci.yml', content, /helm\s+rollback/)).toEqual({
      path: 'ci.yml',
      line: 7,
      text: '- run: helm rollback orders',
    });
    expect(matchIn('ci.yml', content, /^name:/m)).toEqual({
      path: 'ci.yml',
      line: 1,
      text: 'name: ci',
    });
    expect(matchIn('ci.yml', content, /kubectl/)).toBeUndefined();
  });

  it('counts lines the same whatever order the text is searched in', () => {
    const patterns = [
      /docker push/,
      /^jobs:/m,
      /npm test/g,
      /^name/m,
      /rollback/y,
      /steps/,
    ];
    const other = `first\n${content}\nlast: docker push x`;
    for (const pattern of [...patterns, ...patterns.reverse()]) {
      for (const text of [content, other]) {
        expect(matchIn('f', text, pattern)?.line).toBe(
          expectedLine(text, pattern),
        );
      }
    }
  });

  it('counts the lines of many texts searched in turn', () => {
    const texts = Array.from(
      { length: 12 },
      (_, i) => `${'x\n'.repeat(i)}needle ${i}\n${'y\n'.repeat(3)}needle again`,
    );
    for (let round = 0; round < 2; round++) {
      texts.forEach((text, i) => {
        expect(matchIn('f', text, /needle again/)?.line).toBe(i + 5);
        expect(matchIn('f', text, /needle \d/)?.line).toBe(i + 1);
      });
    }
  });
});

describe('evaluationMemo', () => {
  const snapshot = {
    paths: ['.github/workflows/ci.yml', 'scripts/test.sh'],
    read: (path: string) =>
      path === 'scripts/test.sh' ? 'go test ./...\n' : 'run: ./scripts/test.sh',
  };
  const key = {};
  const reads = ['scripts/*.sh'];

  it('computes a value once per evaluation, shared by the checks that ask for it', () => {
    const access = new RepositoryAccess(snapshot);
    const first = access.viewFor(
      globList(['.github/workflows/*.yml', ...reads]),
    );
    const second = access.viewFor(globList(reads));
    let computed = 0;
    const compute = (view: RepositoryView) => {
      computed++;
      return view.read('scripts/test.sh');
    };
    expect(evaluationMemo(first, key, reads, compute)).toBe('go test ./...\n');
    expect(evaluationMemo(second, key, reads, compute)).toBe('go test ./...\n');
    expect(computed).toBe(1);
    // A new evaluation computes it afresh.
    const next = new RepositoryAccess(snapshot).viewFor(globList(reads));
    expect(evaluationMemo(next, key, reads, compute)).toBe('go test ./...\n');
    expect(computed).toBe(2);
  });

  it('refuses a check that does not declare the files the value reads', () => {
    const view = new RepositoryAccess(snapshot).viewFor(
      globList(['.github/workflows/*.yml']),
    );
    expect(() => evaluationMemo(view, key, reads, () => 'never')).toThrow(
      "not all among the files it declares in 'reads'",
    );
  });

  it('computes on every call for a view that is not the engine’s', () => {
    const view: RepositoryView = {
      paths: snapshot.paths,
      find: () => [],
      has: () => false,
      read: snapshot.read,
      search: () => undefined,
    };
    let computed = 0;
    evaluationMemo(view, key, reads, () => computed++);
    evaluationMemo(view, key, reads, () => computed++);
    expect(computed).toBe(2);
  });
});
