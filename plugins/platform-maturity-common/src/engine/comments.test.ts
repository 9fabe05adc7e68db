import { withoutComments } from './comments';

describe('withoutComments', () => {
  it('empties commented-out lines of a workflow and cuts trailing comments, keeping line numbers', () => {
    const workflow = [
      'jobs:',
      '  test:',
      '    steps:',
      '      # - run: npm test',
      '      - run: echo "a # b" # says a # b',
      "      - run: echo 'c # d'",
      '      - run: curl http://example.com/#/x',
    ].join('\n');
    expect(withoutComments('.github/workflows/ci.yml', workflow)).toBe(
      [
        'jobs:',
        '  test:',
        '    steps:',
        '',
        '      - run: echo "a # b"',
        "      - run: echo 'c # d'",
        '      - run: curl http://example.com/#/x',
      ].join('\n'),
    );
  });

  it('handles Makefiles, Dockerfiles and shell scripts as # comments', () => {
    expect(
      withoutComments('Makefile', 'test:\n#\tgo test ./...\n\techo ok'),
    ).toBe('test:\n\n\techo ok');
    expect(withoutComments('build/Dockerfile.prod', '# FROM x\nFROM y')).toBe(
      '\nFROM y',
    );
    expect(
      withoutComments(
        'scripts/ci.sh',
        '#!/bin/sh\n# docker push x\necho ${#a}',
      ),
    ).toBe('\n\necho ${#a}');
  });

  it('removes // and block comments from code but not from strings', () => {
    const source = [
      '/* import "gorm.io/gorm"',
      '   still a comment */',
      'import "fmt" // import "database/sql"',
      '// import "github.com/lib/pq"',
      'const glob = "src/**/*.ts"; const url = "http://x";',
    ].join('\n');
    expect(withoutComments('main.go', source)).toBe(
      [
        '',
        '',
        'import "fmt"',
        '',
        'const glob = "src/**/*.ts"; const url = "http://x";',
      ].join('\n'),
    );
  });

  it('keeps Rust attributes and removes XML comments', () => {
    expect(
      withoutComments('src/lib.rs', '#[cfg(test)]\n// #[test]\nmod tests {}'),
    ).toBe('#[cfg(test)]\n\nmod tests {}');
    expect(
      withoutComments(
        'pom.xml',
        '<dependencies>\n<!-- <dependency>\n<artifactId>postgresql</artifactId>\n</dependency> -->\n</dependencies>',
      ),
    ).toBe('<dependencies>\n\n\n\n</dependencies>');
  });

  it('leaves files without a known comment syntax as they are', () => {
    expect(withoutComments('README.md', '# Orders\n')).toBe('# Orders\n');
    expect(withoutComments('package.json', '{"a": "# b"}')).toBe(
      '{"a": "# b"}',
    );
  });

  it('keeps lines with unclosed quotes and blanks unclosed block comments', () => {
    const line = `run: echo "${'x '.repeat(20000)}\n`;
    expect(withoutComments('ci.yml', line.repeat(5))).toBe(line.repeat(5));
    expect(withoutComments('a.ts', '/* '.repeat(20000))).toBe('');
  });
});
