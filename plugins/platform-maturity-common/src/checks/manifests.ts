/**
 * A repository's own files (without vendored code) and its dependency manifests, shared by the
 * observe, data and as-code checks.
 */
import { CompiledGlob, charMask, compileGlobs, testAny } from '../engine/globs';
import { matchIn } from '../engine/repository';
import type { FileMatch, RepositoryView } from '../engine/checkTypes';

/**
 * Directories of vendored or downloaded code, whose manifests and files describe someone else's
 * project.
 */
const VENDORED =
  /(?:^|\/)(?:node_modules|vendor|bower_components|\.venv|venv|site-packages|\.terraform|testdata)\//;

/** The paths matching the globs, without vendored code. */
export function findOwnFiles(
  repository: RepositoryView,
  globs: readonly string[],
): string[] {
  const paths = repository.find(globs);
  return paths.some(p => VENDORED.test(p))
    ? paths.filter(p => !VENDORED.test(p))
    : paths;
}

/**
 * The first line matching the pattern in the files matching the globs, leaving out vendored code.
 * The globs must be among the check's `reads`.
 */
export function searchOwnFiles(
  repository: RepositoryView,
  globs: readonly string[],
  pattern: RegExp,
): FileMatch | undefined {
  const paths = repository.find(globs);
  if (!paths.some(p => VENDORED.test(p))) {
    // The engine's search is cached per evaluation.
    return repository.search(globs, pattern);
  }
  for (const path of paths) {
    if (VENDORED.test(path)) {
      continue;
    }
    const content = repository.read(path);
    const match =
      content === undefined ? undefined : matchIn(path, content, pattern);
    if (match) {
      return match;
    }
  }
  return undefined;
}

/** The dependency manifests of each ecosystem, at any depth. */
export const MANIFESTS = {
  npm: ['**/package.json'],
  Go: ['**/go.mod'],
  Python: [
    '**/requirements*.txt',
    '**/requirements/*.txt',
    '**/pyproject.toml',
    '**/Pipfile',
    '**/setup.py',
    '**/setup.cfg',
  ],
  Java: [
    '**/pom.xml',
    '**/build.gradle',
    '**/build.gradle.kts',
    '**/libs.versions.toml',
  ],
  '.NET': [
    '**/*.csproj',
    '**/*.fsproj',
    '**/Directory.Packages.props',
    '**/packages.config',
  ],
  Rust: ['**/Cargo.toml'],
  Ruby: ['**/Gemfile', '**/*.gemspec'],
  PHP: ['**/composer.json'],
  Elixir: ['**/mix.exs'],
} as const satisfies Record<string, readonly string[]>;

/** The ecosystems whose manifests the checks read. */
export type Ecosystem = keyof typeof MANIFESTS;

/** Every manifest glob, for a check's `reads`. */
export const DEPENDENCY_MANIFEST_GLOBS: readonly string[] =
  Object.values(MANIFESTS).flat();

/** What marks a dependency in one ecosystem's manifests. */
export type DependencyPatterns = Partial<Record<Ecosystem, RegExp>>;

/** The manifests present, without vendored code, for a message. */
export function manifestsPresent(repository: RepositoryView): string[] {
  return findOwnFiles(repository, DEPENDENCY_MANIFEST_GLOBS);
}

const dependencyEntries = new WeakMap<
  DependencyPatterns,
  Array<[Ecosystem, RegExp]>
>();

/** Each ecosystem's manifest globs, compiled. */
const MANIFEST_MATCHERS = Object.fromEntries(
  Object.entries(MANIFESTS).map(([ecosystem, globs]) => [
    ecosystem,
    compileGlobs(globs),
  ]),
) as Record<Ecosystem, CompiledGlob[]>;

/** The manifests last looked at by {@link ecosystemsOf}, and the ecosystems they belong to. */
let lastManifests: readonly string[] | undefined;
let lastEcosystems = new Set<Ecosystem>();

/**
 * The ecosystems with a manifest among the paths: a list the engine keeps for the whole
 * evaluation, so the set is worked out once for every check that asks.
 */
function ecosystemsOf(manifests: readonly string[]): ReadonlySet<Ecosystem> {
  if (manifests !== lastManifests) {
    const present = new Set<Ecosystem>();
    const masks = manifests.map(charMask);
    for (const ecosystem of Object.keys(MANIFESTS) as Ecosystem[]) {
      for (let i = 0; i < manifests.length; i++) {
        if (testAny(manifests[i], masks[i], MANIFEST_MATCHERS[ecosystem])) {
          present.add(ecosystem);
          break;
        }
      }
    }
    lastManifests = manifests;
    lastEcosystems = present;
  }
  return lastEcosystems;
}

/** The first manifest line, in ecosystem order, that declares one of the dependencies. */
export function findDependency(
  repository: RepositoryView,
  patterns: DependencyPatterns,
): (FileMatch & { ecosystem: Ecosystem }) | undefined {
  // The patterns are constants: list their entries once.
  let entries = dependencyEntries.get(patterns);
  if (!entries) {
    entries = Object.entries(patterns) as Array<[Ecosystem, RegExp]>;
    dependencyEntries.set(patterns, entries);
  }
  // One lookup of every manifest, so that only the ecosystems present are searched.
  const present = ecosystemsOf(repository.find(DEPENDENCY_MANIFEST_GLOBS));
  for (const [ecosystem, pattern] of entries) {
    if (!present.has(ecosystem)) {
      continue;
    }
    const match = searchOwnFiles(repository, MANIFESTS[ecosystem], pattern);
    if (match) {
      // Copied field by field: a spread followed by a new key is slow in V8.
      return {
        path: match.path,
        line: match.line,
        text: match.text,
        ecosystem,
      };
    }
  }
  return undefined;
}
