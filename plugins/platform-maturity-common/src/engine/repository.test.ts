import { matchIn } from './repository';

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
