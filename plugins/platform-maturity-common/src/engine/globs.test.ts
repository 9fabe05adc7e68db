import fc from 'fast-check';
import picomatch from 'picomatch';
import { PathIndex, compileGlobs, matchesAny, pathMatcher } from './globs';

const GLOBS = [
  'Jenkinsfile',
  '**/Jenkinsfile',
  '**/Jenkinsfile.*',
  '.github/workflows/*.{yml,yaml}',
  '**/*.{test,spec}.{js,ts}',
  '**/__tests__/**',
  '**/src/test/**',
  '*.tf',
  '**/*.tf',
  '**/*_test.go',
  'charts/*/Chart.yaml',
  '**/migrations/*.{up,down}.sql',
  '.teamcity/**/*.kts',
  '**/test_*.py',
  '**/migrations/**/*.ts',
  '**/@(k8s|deploy|charts)/**/*.yaml',
  '.github/workflows/*.yml',
  'docs/runbook*.md',
  '**/templates/**/*.{yaml,yml}',
  '@(scripts|bin)/**/*.sh',
  '**/@(.k8s|k8s|charts)/**/*.{yaml,yml}',
  '**/*{Test,Tests}.{java,kt}',
  '**/*.template.{yaml,json}',
];

const segment = fc.constantFrom(
  'src',
  'test',
  '__tests__',
  'a.test.ts',
  'b.spec.js',
  'Jenkinsfile',
  'Jenkinsfile.deploy',
  '.github',
  'workflows',
  'ci.yml',
  'ci.yaml',
  'main.tf',
  'x_test.go',
  'charts',
  'app',
  'Chart.yaml',
  'migrations',
  '1.up.sql',
  '.teamcity',
  'settings.kts',
  'test_a.py',
  '.tf',
  'tf',
  '.k8s',
  'k8s',
  'scripts',
  'bin',
  'run.sh',
  'a.yaml',
  'b.yml',
  'FooTest.java',
  'x.template.yaml',
  'x.template.json',
  'a.b.c',
);
const paths = fc.uniqueArray(
  fc.array(segment, { minLength: 1, maxLength: 5 }).map(s => s.join('/')),
  { maxLength: 40 },
);

describe('PathIndex', () => {
  it('finds exactly what picomatch matches, in repository order', () => {
    fc.assert(
      fc.property(
        paths,
        fc.subarray(GLOBS, { minLength: 1 }),
        (list, globs) => {
          const sorted = [...list].sort();
          const index = new PathIndex(sorted);
          const matchers = globs.map(g => picomatch(g, { dot: true }));
          const expected = sorted.filter(p => matchers.some(m => m(p)));
          expect(index.find(globs)).toEqual(expected);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('tests single paths as matchesAny and picomatch do', () => {
    fc.assert(
      fc.property(
        paths,
        fc.subarray(GLOBS, { minLength: 1 }),
        (list, globs) => {
          const matcher = pathMatcher(globs);
          const compiled = compileGlobs(globs);
          const matchers = globs.map(g => picomatch(g, { dot: true }));
          for (const path of list) {
            const expected = matchers.some(m => m(path));
            expect(matcher(path)).toBe(expected);
            expect(matchesAny(path, compiled)).toBe(expected);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('caches compiled globs by the identity of the list', () => {
    expect(compileGlobs(GLOBS)).toBe(compileGlobs(GLOBS));
    expect(compileGlobs('*.tf')).toBe(compileGlobs('*.tf'));
  });
});
