/**
 * A repository's own files (without vendored code) and its dependency manifests, shared by the
 * observe, data and as-code checks.
 */
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
  for (const [ecosystem, pattern] of entries) {
    const match = searchOwnFiles(repository, MANIFESTS[ecosystem], pattern);
    if (match) {
      return { ...match, ecosystem };
    }
  }
  return undefined;
}
