import { execFileSync } from 'node:child_process';

/** Parses Python source with Python's own parser; throws with the syntax error. */
export function parsePython(source: string): void {
  execFileSync(
    'python3',
    ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'],
    {
      input: source,
      encoding: 'utf8',
    },
  );
}

/** Parses TOML with Python's standard library (3.11+), as pip and build tools do. */
export function parseToml(text: string): any {
  return JSON.parse(
    execFileSync(
      'python3',
      [
        '-c',
        'import json, sys, tomllib; print(json.dumps(tomllib.loads(sys.stdin.read())))',
      ],
      { input: text, encoding: 'utf8' },
    ),
  );
}
