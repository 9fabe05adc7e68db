import type { CheckImplementation, FileMatch } from '../engine/checkTypes';
import { charMask, compileGlobs, pathMatcher, testAny } from '../engine/globs';
import { CI_GLOBS, CI_SYSTEMS } from './ci';
import { focusLine } from './kubernetes';
import { CALLED_GLOBS, describeVia, searchPipelines } from './pipelineCalls';
import {
  commentedOut,
  fail,
  fileEvidence,
  listPaths,
  matchEvidence,
  nearMissAt,
  nearMissFile,
  pass,
  rejectedNote,
  repositoryUnavailable,
} from './helpers';
import type { NearMiss } from '../types';

/** Test runners of the JavaScript ecosystem, run through a package runner. */
const JS_TEST_RUNNERS =
  'jest|vitest|mocha|playwright[ \\t]+test|ava|tap|cypress[ \\t]+run|karma|jasmine|nyc|c8|uvu|wdio';

/**
 * Commands that run a test suite, across the common toolchains. Make, just and task targets count
 * by their whole name (`make check`, not `make check-clean-work-tree`); other targets are followed
 * into the Makefile.
 */
const TEST_COMMANDS: readonly RegExp[] = [
  /\b(?:npm|pnpm|yarn|bun)\s+(?:run(?:-script)?\s+)?(?:test|t)(?::[\w:-]+)?(?![\w-])/,
  /\bnpm\s+(?:cit|install-ci-test|it|install-test)\b/,
  new RegExp(
    String.raw`\b(?:npx|bunx|pnpx|pnpm[ \t]+(?:exec|dlx)|npm[ \t]+exec|yarn(?:[ \t]+(?:run|exec|dlx))?|pnpm(?:[ \t]+run)?)[ \t]+(?:--?[\w-]+(?:=\S*)?[ \t]+)*(?:${JS_TEST_RUNNERS})\b`,
  ),
  /\bbun\s+test\b|\bdeno\s+test\b|\bnode\s+--test\b/,
  // A runner called by name, as package.json scripts do: `"test": "tsc && vitest run"`.
  new RegExp(
    String.raw`(?:^|[;&|(:-])[ \t]*(?:${JS_TEST_RUNNERS})(?![\w-])`,
    'm',
  ),
  /\bgo\s+test\b|\bgotestsum\b|\bginkgo\b/,
  /\bpytest\b|\btox\b|\bnox\b|\bpython3?\s+-m\s+(?:pytest|unittest)\b|\bmanage\.py\s+test\b/,
  /\b(?:mvn|mvnw)\b[^\n]*\b(?:test|verify|package|install)\b/,
  /\bgradlew?\b[^\n]*\b(?:test|check|build)\b/,
  /\bcargo\s+(?:test|nextest)\b/,
  /\bdotnet\s+test\b/,
  // A target named for the tests: `test`, `check`, or test words first or last (`test-e2e`,
  // `run-integration-tests`), not a word in between (`build-test-image`).
  /(?:\bg?make\b|\$\(MAKE\))[^\n;&|#]{0,200}?[ \t](?:check|(?:[\w]{1,30}[-_]){0,4}tests?|tests?(?:[-_][\w]{1,30}){1,4})(?![\w./:=-])|\b(?:just|task)[ \t]+(?:check|(?:[\w]{1,30}[-_:]){0,4}tests?|tests?(?:[-_:][\w]{1,30}){1,4})(?![\w.:-])/,
  // Nx targets named `test` or `test:<kind>`, run for one project or the affected ones.
  /\bnx[ \t]+(?:affected|run-many)\b[^\n]{0,200}?[ \t](?:--targets?[= ]|-t[ \t]+)["']?(?:[\w:-]+,)*test(?::[\w-]+)?(?![\w-])|\bnx[ \t]+(?:run[ \t]+[\w@/.-]+:test\b|test[ \t])/,
  // Rails' test runner, also with the command in a variable named for the tests (a matrix of
  // `test` and `test:system`), composer's and artisan's test commands.
  /\b(?:rails|rake)[ \t]+(?:test|spec)(?![\w-])|\b(?:rails|rake)[ \t]+["']?\$\{?\w*TEST\w*|\bcomposer[ \t]+(?:run(?:-script)?[ \t]+)?test(?![\w-])|\bartisan[ \t]+test\b/,
  // A job that calls another repository's reusable workflow and says it runs the tests.
  /^[ \t]+name:[ \t]*["']?[^\n]*\b[Tt]ests?\b[^\n]*\n(?:[^\n]*\n){0,3}?[ \t]+uses:[ \t]*[\w.-]+\/[\w.-]+\/\.github\/workflows\/|^[ \t]+[\w-]*tests?:[ \t]*\r?\n(?:[^\n]*\n){0,3}?[ \t]+uses:[ \t]*[\w.-]+\/[\w.-]+\/\.github\/workflows\//m,
  /\b(?:rspec|rake\s+(?:test|spec)|mix\s+test|phpunit|vendor\/bin\/pest|ctest|bazel\s+test|sbt\s+test|swift\s+test|flutter\s+test)\b/,
];

/** Where tests live, across the common stacks. */
const TEST_FILE_GLOBS: readonly string[] = [
  '**/*.{test,spec}.{js,jsx,ts,tsx,mjs,cjs,mts,cts}',
  '**/__tests__/**',
  '**/*_test.go',
  '**/test_*.py',
  '**/*_test.py',
  '**/tests/**/*.py',
  '**/src/test/**',
  '**/*{Test,Tests,IT}.{java,kt,scala}',
  '**/*{Test,Tests}.cs',
  '**/*_spec.rb',
  '**/*_test.{rb,exs}',
  '**/tests/**/*.rs',
  '**/*Test.php',
  '**/*Tests.swift',
];

/** An upload of files as CI artifacts: a build artifact, unless what it uploads is test output. */
const UPLOAD_STEP =
  /actions\/upload-artifact|^[ \t]*artifacts:|\bstore_artifacts\b|\barchiveArtifacts\b|Publish(?:Build|Pipeline)Artifacts?|buildkite-agent\s+artifact\s+upload/m;

/** What uploads of test, coverage and report output are named after. */
const TEST_OUTPUT =
  /test|coverage|lcov|junit|report|results|screenshot|video|trace|\blogs?\b|sarif|bench|playwright|cypress|jacoco|surefire|allure|htmlcov|cobertura|e2e/i;

/** The indentation of a line, counting a list item's `- ` as indentation. */
function indentOf(line: string): number {
  return line.length - line.replace(/^[ \t]*(?:-[ \t]+)?/, '').length;
}

/**
 * The lines of the step or block that a matched line belongs to: back to the list item that holds
 * it (a workflow step), and on while the lines are more indented than that item or key.
 */
function blockAround(content: string, line: number): string {
  const lines = content.split('\n');
  const own = indentOf(lines[line - 1] ?? '');
  let start = line - 1;
  for (let i = line - 1; i >= 0 && line - i <= 8; i--) {
    if (lines[i].trim() === '' || indentOf(lines[i]) !== own) {
      break;
    }
    if (/^[ \t]*-[ \t]/.test(lines[i])) {
      start = i;
      break;
    }
  }
  const base = (lines[start] ?? '').search(/\S/);
  let end = line;
  while (
    end < lines.length &&
    end - line < 20 &&
    (lines[end].trim() === '' || lines[end].search(/\S/) > base)
  ) {
    end++;
  }
  return lines.slice(start, end).join('\n');
}

/** Steps that build and publish a versioned artifact. */
const ARTIFACT_COMMANDS: readonly RegExp[] = [
  /docker\/(?:build-push|bake)-action|\bdocker\s+(?:buildx\s+)?(?:build|push|bake)\b|\bdocker\s+image\s+push\b|\bbuildah\s+(?:bud|build|push)\b|\bpodman\s+(?:build|push)\b|\bdocker\.build\s*\(/,
  /kaniko-project\/executor|\/kaniko\/executor|\bko\s+(?:build|publish|resolve|apply)\b|\bjib(?::build|DockerBuild|Build)?\b|\bpack\s+build\b|spring-boot:build-image|\bbootBuildImage\b|buildpacks\/github-actions|\bgcloud\s+builds\s+submit\b|\bskaffold\s+(?:build|run)\b/,
  /redhat-actions\/(?:buildah-build|push-to-registry)|depot\/build-push-action|\bdepot\s+build\b|azure\/acr-build|\baz\s+acr\s+build\b|mr-smithers-excellent\/docker-build-push|elgohr\/Publish-Docker-Github-Action|whoan\/docker-build-with-cache-action|gcr\.io\/cloud-builders\/docker|\bcontainerd\s+build\b|\bnerdctl\s+(?:build|push)\b/,
  /goreleaser/,
  /\b(?:npm|yarn|pnpm)\s+publish\b|changesets\/action|\bsemantic-release\b/,
  /\btwine\s+upload\b|\b(?:poetry|flit|uv|hatch)\s+publish\b|pypa\/gh-action-pypi-publish/,
  /\bmvn\b[^\n]*\bdeploy\b|\bgradlew?\b[^\n]*\bpublish\b|\bcargo\s+publish\b|\bdotnet\s+nuget\s+push\b|\bhelm\s+push\b|\bgem\s+push\b/,
  // Build output attached to a release: `gh release upload`, or a release action given files.
  /\bgh[ \t]+release[ \t]+upload\b|softprops\/action-gh-release[^\n]*\n(?:[^\n]*\n){0,12}?[ \t]+files:|ncipollo\/release-action[^\n]*\n(?:[^\n]*\n){0,12}?[ \t]+artifacts:/m,
  // Skaffold given as an argument list (Cloud Build's `args: ["skaffold", "build", …]`).
  /\bskaffold["']?[ \t]*,?[ \t]*\r?\n?[ \t]*-?[ \t]*["']build["']/,
  // Cloud Build's top-level `images:` (pushed when the build ends); an indented `images:` is
  // another tool's input, such as docker/metadata-action's, which only computes tags.
  /^images:/m,
  UPLOAD_STEP,
];

/**
 * The Azure Developer CLI deploying from the pipeline, and an `azure.yaml` service hosted on
 * Container Apps or AKS, for which `azd deploy` builds the image and pushes it to the registry.
 */
const AZD_DEPLOY: readonly RegExp[] = [/\bazd[ \t]+(?:deploy|up)\b/];
const AZD_PROJECT_GLOBS: readonly string[] = ['azure.{yaml,yml}'];
const AZD_CONTAINER_HOST = /^[ \t]+host:[ \t]*["']?(?:containerapp|aks)\b/m;

/** Dockerfiles: listed, not read, to say which image the pipeline never builds. */
const DOCKERFILE_GLOBS: readonly string[] = [
  '**/Dockerfile',
  '**/Dockerfile.*',
  '**/*.Dockerfile',
];

/**
 * Files that the test globs match but that are not tests, with why: a package marker, shared
 * pytest fixtures, recorded snapshots, fixture data and placeholders of otherwise empty test
 * directories.
 */
const NOT_A_TEST: ReadonlyArray<{ pattern: RegExp; reason: string }> = [
  {
    pattern: /(?:^|\/)__init__\.py$/,
    reason: 'is a Python package marker, not a test',
  },
  {
    pattern: /(?:^|\/)conftest\.py$/,
    reason: 'holds shared pytest fixtures, not tests',
  },
  {
    pattern: /(?:^|\/)__snapshots__\/|\.snap$/,
    reason: 'is a recorded snapshot, not a test',
  },
  {
    pattern:
      /(?:^|\/)(?:__fixtures__|fixtures|testdata|__mocks__|src\/test\/resources)\//,
    reason: 'is test data, not a test',
  },
  {
    pattern: /(?:^|\/)\.(?:gitkeep|keep|gitignore)$/,
    reason: 'only keeps an empty test directory',
  },
];

/** Why a file the test globs match is not a test, or undefined when it is one. */
export function notATest(path: string): string | undefined {
  for (const rule of NOT_A_TEST) {
    if (rule.pattern.test(path)) {
      return rule.reason;
    }
  }
  return undefined;
}

function isRealTest(path: string): boolean {
  return notATest(path) === undefined;
}

/** The files the test globs match that are not tests, as near-misses. */
function notTests(paths: readonly string[]): NearMiss[] {
  const found: NearMiss[] = [];
  for (const path of paths) {
    const reason = notATest(path);
    if (reason) {
      found.push(nearMissFile(path, reason));
    }
  }
  return found;
}

/**
 * A Make, just or Task target in a pipeline whose name has "test" or "check" in it but is not
 * named for the tests (`make check-clean-work-tree`, `make build-test-image`). Searched only when
 * the check fails.
 */
const TEST_WORD_TARGET =
  /(?:\bg?make\b|\$\(MAKE\)|\bjust\b|\btask\b)[^\n;&|#]{0,200}?[ \t][\w:-]*(?:test|check)[\w:-]*/;

/** A basename of a test (`test_orders.py`, `orders_test.go`, `OrdersTest.java`), not a helper. */
const TEST_BASENAME = /[_.-](?:test|spec)\.\w+$|(?:Tests?|IT|Spec)\.\w+$/;

function namedAsTest(path: string): boolean {
  const basename = path.slice(path.lastIndexOf('/') + 1);
  return basename.startsWith('test_') || TEST_BASENAME.test(basename);
}

/**
 * The test files with the first one named as a test in front, so that the file cited is a real
 * test and not a helper beside the tests (`tests/constants.py`).
 */
function citeTestsFirst(paths: string[]): string[] {
  if (paths.length === 0 || namedAsTest(paths[0])) {
    return paths;
  }
  const i = paths.findIndex(namedAsTest);
  return i <= 0
    ? paths
    : [paths[i], ...paths.slice(0, i), ...paths.slice(i + 1)];
}

/** Cargo runs the unit tests that Rust keeps inline, in `#[cfg(test)]` modules of `src/`. */
const RUST_TESTS = /\bcargo\s+(?:test|nextest)\b/;
const RUST_SOURCE_GLOBS: readonly string[] = ['**/src/**/*.rs'];
const RUST_INLINE_TEST = /^[ \t]*#\[(?:cfg\(test\)|test|tokio::test)\]/m;

const RELEASE_TOOL_FILES = [
  '.goreleaser.{yml,yaml}',
  '**/.goreleaser.{yml,yaml}',
];

/** Dependency update bots and their config files. */
const DEPENDENCY_BOTS: ReadonlyArray<{ name: string; globs: string[] }> = [
  {
    name: 'Renovate',
    globs: [
      'renovate.json',
      'renovate.json5',
      '.renovaterc',
      '.renovaterc.json',
      '.renovaterc.json5',
      '.github/renovate.json',
      '.github/renovate.json5',
      '.gitlab/renovate.json',
      '.gitlab/renovate.json5',
    ],
  },
  { name: 'Dependabot', globs: ['.github/dependabot.{yml,yaml}'] },
  {
    name: 'Scala Steward',
    globs: ['.scala-steward.conf', '.github/.scala-steward.conf'],
  },
  {
    name: 'Updatecli',
    globs: ['updatecli.{yml,yaml}', 'updatecli.d/**/*.{yml,yaml}'],
  },
  { name: 'PyUp', globs: ['.pyup.{yml,yaml}'] },
];

/** Files named for a bot, looked for only when no bot's config is where the bot reads it. */
const BOT_NAMED_GLOBS: readonly string[] = [
  '**/{,.}renovate{,rc}{,.json,.json5}',
  '**/{,.}dependabot.{yml,yaml}',
];

/** Paths that look like pipeline files; listed only when no pipeline file was found. */
const MISPLACED_PIPELINE_GLOBS: readonly string[] = [
  '**/.github/workflows/**',
  '**/.gitlab-ci.{yml,yaml}',
  '**/.circleci/config.{yml,yaml}',
];

/**
 * Why a path that looks like a pipeline file is not one the CI system runs: asked only when no
 * pipeline file was found.
 */
function misplacedPipelineReason(path: string): string {
  const workflows = path.indexOf('.github/workflows/');
  if (workflows > 0) {
    return 'is in a sub-directory; GitHub Actions runs only the workflows in .github/workflows/ at the root';
  }
  if (workflows === 0) {
    return path.includes('/', '.github/workflows/'.length)
      ? 'is in a sub-directory of .github/workflows/, which GitHub Actions does not read'
      : 'is not a .yml or .yaml file, which GitHub Actions does not run';
  }
  return 'is in a sub-directory; the CI system reads it only at the root';
}

/** Every bot's config files, for one lookup of them all: most repositories have none. */
const BOT_GLOBS: readonly string[] = DEPENDENCY_BOTS.flatMap(b => b.globs);

let botMatcher: ((path: string) => boolean) | undefined;

/**
 * Whether a repository path is the configuration of a dependency update bot (Renovate,
 * Dependabot and the others `build.dependency-updates` recognises).
 */
export function isDependencyBotConfig(path: string): boolean {
  botMatcher ??= pathMatcher(BOT_GLOBS);
  return botMatcher(path);
}

const ROOT_MANIFEST = ['package.json'];

type CiSystem = (typeof CI_SYSTEMS)[number];

const CI_MATCHERS = CI_SYSTEMS.map(system => ({
  system,
  globs: compileGlobs(system.globs),
}));

/** Checks of the `build` capability. */
export const buildChecks: CheckImplementation[] = [
  {
    id: 'build.pipeline',
    capability: 'build',
    title: 'CI pipeline as code',
    description:
      'A continuous integration pipeline is defined in the repository (GitHub Actions, GitLab CI, Jenkins, CircleCI, Azure Pipelines, Buildkite, Bitbucket Pipelines, Tekton, Drone, Cloud Build and others), so every change is built the same way.',
    weight: 2,
    evidence: 'entity+repository',
    version: '2',
    evaluate({ repository }) {
      if (!repository) {
        return repositoryUnavailable('a CI pipeline');
      }
      // One lookup of every pipeline file, then sorted by system: the same files as a lookup of
      // each system's globs, without one per system.
      const pipelineFiles = repository.find(CI_GLOBS);
      const found: Array<{ system: CiSystem; files: string[] }> = [];
      const masks = pipelineFiles.map(charMask);
      for (let i = 0; i < CI_MATCHERS.length; i++) {
        const { system, globs } = CI_MATCHERS[i];
        let files: string[] | undefined;
        for (let j = 0; j < pipelineFiles.length; j++) {
          if (testAny(pipelineFiles[j], masks[j], globs)) {
            (files ??= []).push(pipelineFiles[j]);
          }
        }
        if (files) {
          found.push({ system, files });
        }
      }
      if (found.length === 0) {
        const nearMisses = repository
          .find(MISPLACED_PIPELINE_GLOBS)
          .map(path => nearMissFile(path, misplacedPipelineReason(path)));
        return fail(
          `No CI pipeline definition found (looked for GitHub Actions workflows, .gitlab-ci.yml, Jenkinsfile, CircleCI, Azure Pipelines, Buildkite, Bitbucket Pipelines, Tekton, Drone, Cloud Build and others).${rejectedNote(
            nearMisses,
          )}`,
          [],
          nearMisses,
        );
      }
      return pass(
        `${found.map(f => f.system.name).join(' and ')} pipeline: ${listPaths(
          found.flatMap(f => f.files),
        )}.`,
        found.flatMap(f =>
          f.files.slice(0, 5).map(path => fileEvidence(path, f.system.name)),
        ),
      );
    },
  },
  {
    id: 'build.tests',
    capability: 'build',
    title: 'Pipeline runs the tests',
    description:
      "The CI pipeline runs the test suite (npm/yarn/pnpm test, npx/bunx/pnpm exec with a test runner, go test, pytest or tox, Maven or Gradle, cargo test, dotnet test, make test or make check and targets named for the tests (`test-e2e`, `run-integration-tests`), Nx `test` targets, the `test:` section of Skaffold configs that `skaffold test` runs, `bin/rails test`, `composer test`, a job calling another repository's reusable workflow that says it runs the tests, and others), directly or through a script, Make/just/Task target or package.json script it calls, and the repository has tests for it to run (Rust tests inline in `src/` count).",
    weight: 2,
    evidence: 'entity+repository',
    version: '4',
    reads: [...CI_GLOBS, ...CALLED_GLOBS, ...RUST_SOURCE_GLOBS],
    evaluate({ repository }) {
      if (!repository) {
        return repositoryUnavailable('tests run by a pipeline');
      }
      const candidates = repository.find(TEST_FILE_GLOBS);
      const testFiles = citeTestsFirst(candidates.filter(isRealTest));
      const step = searchPipelines(repository, TEST_COMMANDS);
      // A job calling a reusable workflow matches over several lines: cite its `uses:` line.
      const command = step && focusLine(step.match, /\buses:/);
      if (step && testFiles.length === 0 && RUST_TESTS.test(step.match.text)) {
        const inline = repository.search(RUST_SOURCE_GLOBS, RUST_INLINE_TEST);
        if (inline) {
          testFiles.push(inline.path);
        }
      }
      if (step && command && testFiles.length > 0) {
        return pass(
          `${command.path} runs \`${command.text}\`${describeVia(step)}; ${
            testFiles.length
          } test file(s) such as ${testFiles[0]}.`,
          [
            ...step.via.slice(0, 1).map(matchEvidence),
            matchEvidence(command),
            fileEvidence(testFiles[0], 'test file'),
          ],
        );
      }
      const nearMisses = testFiles.length === 0 ? notTests(candidates) : [];
      if (!step || !command) {
        nearMisses.unshift(
          ...commentedOut(
            repository,
            CI_GLOBS,
            TEST_COMMANDS,
            'runs the tests only in a commented-out line, which is not evidence',
          ),
        );
        const target = repository.search(CI_GLOBS, TEST_WORD_TARGET);
        if (target) {
          nearMisses.unshift(
            nearMissAt(
              target,
              'runs a target that is not named for the tests (a test target is `test`, `check`, or a name that starts or ends with `test`)',
            ),
          );
        }
        return fail(
          `${
            testFiles.length > 0
              ? `The repository has tests (${testFiles[0]}), but no CI pipeline runs them (looked in the pipeline files and the scripts, Make/just/Task targets and package.json scripts they call).`
              : 'No CI pipeline runs a test command, and no test files were found.'
          }${rejectedNote(nearMisses)}`,
          testFiles.length > 0 ? [fileEvidence(testFiles[0], 'test file')] : [],
          nearMisses,
        );
      }
      return fail(
        `${command.path} runs \`${command.text}\`${describeVia(
          step,
        )}, but the repository has no test files.${rejectedNote(nearMisses)}`,
        [matchEvidence(command)],
        nearMisses,
      );
    },
  },
  {
    id: 'build.artifact',
    capability: 'build',
    title: 'Versioned artifact is built',
    description:
      'The pipeline builds and publishes an artifact that can be deployed, directly or through a script or build-tool target it calls: a container image (docker build/push, buildx, bake, kaniko, buildah, ko, Jib, buildpacks, Skaffold, vendor build actions), a release (goreleaser, archives uploaded to a GitHub release with `gh release upload` or a release action given `files`) or a package (npm, PyPI, Maven, cargo, NuGet), `azd deploy` of a service hosted on Container Apps or AKS (it builds and pushes the image), or uploads the build output. Uploads of test, coverage or report output are not build artifacts.',
    weight: 1,
    evidence: 'entity+repository',
    version: '4',
    reads: [...CI_GLOBS, ...CALLED_GLOBS, ...AZD_PROJECT_GLOBS],
    evaluate({ repository }) {
      if (!repository) {
        return repositoryUnavailable('an artifact build');
      }
      const releaseConfig = repository.find(RELEASE_TOOL_FILES);
      if (releaseConfig.length > 0) {
        return pass(
          `GoReleaser builds the release artifacts (${releaseConfig[0]}).`,
          [fileEvidence(releaseConfig[0], 'GoReleaser')],
        );
      }
      const testUploads: FileMatch[] = [];
      const step = searchPipelines(repository, ARTIFACT_COMMANDS, match => {
        if (!UPLOAD_STEP.test(match.text)) {
          return true;
        }
        const content = repository.read(match.path);
        if (
          content !== undefined &&
          TEST_OUTPUT.test(blockAround(content, match.line))
        ) {
          testUploads.push(match);
          return false;
        }
        return true;
      });
      if (step) {
        const shown = focusLine(step.match, /files:|artifacts:/);
        return pass(
          `${shown.path} builds an artifact: \`${shown.text}\`${describeVia(
            step,
          )}.`,
          [...step.via.slice(0, 1).map(matchEvidence), matchEvidence(shown)],
        );
      }
      const azdHost = repository.search(AZD_PROJECT_GLOBS, AZD_CONTAINER_HOST);
      const azd = azdHost && searchPipelines(repository, AZD_DEPLOY);
      if (azdHost && azd) {
        return pass(
          `${azd.match.path} runs \`${azd.match.text}\`${describeVia(
            azd,
          )}, which builds the image of each service that ${
            azdHost.path
          } hosts on \`${azdHost.text.replace(
            /^host:\s*/,
            '',
          )}\` and pushes it to the environment's registry.`,
          [matchEvidence(azd.match), matchEvidence(azdHost)],
        );
      }
      const nearMisses = [
        ...commentedOut(
          repository,
          CI_GLOBS,
          ARTIFACT_COMMANDS,
          'builds or publishes an artifact only in a commented-out line, which is not evidence',
        ),
        ...testUploads.map(m =>
          nearMissAt(
            m,
            'uploads test, coverage or report output, which is not a build artifact',
          ),
        ),
        ...repository
          .find(DOCKERFILE_GLOBS)
          .map(path =>
            nearMissFile(
              path,
              'is a container image that no pipeline step builds and pushes',
            ),
          ),
      ];
      return fail(
        `No pipeline step builds or publishes an artifact (container image, release or package), in the pipeline files or the scripts and targets they call.${rejectedNote(
          nearMisses,
        )}`,
        [],
        nearMisses,
      );
    },
  },
  {
    id: 'build.dependency-updates',
    capability: 'build',
    title: 'Dependencies are kept up to date',
    description:
      'A dependency update bot (Renovate, Dependabot, Scala Steward, Updatecli) is configured, so that security fixes and upgrades arrive as tested pull requests instead of piling up.',
    weight: 1,
    evidence: 'entity+repository',
    version: '2',
    reads: ROOT_MANIFEST,
    evaluate({ repository }) {
      if (!repository) {
        return repositoryUnavailable('a dependency update bot');
      }
      if (repository.has(BOT_GLOBS)) {
        for (const bot of DEPENDENCY_BOTS) {
          const files = repository.find(bot.globs);
          if (files.length > 0) {
            return pass(`${bot.name} is configured (${files[0]}).`, [
              fileEvidence(files[0], bot.name),
            ]);
          }
        }
      }
      const inManifest = repository.search(ROOT_MANIFEST, /"renovate"\s*:/);
      if (inManifest) {
        return pass('Renovate is configured in package.json.', [
          matchEvidence(inManifest),
        ]);
      }
      const nearMisses = repository
        .find(BOT_NAMED_GLOBS)
        .map(path =>
          nearMissFile(
            path,
            'is named for a dependency update bot but is not where the bot reads its configuration',
          ),
        );
      return fail(
        `No dependency update bot is configured (looked for Renovate, Dependabot, Scala Steward, Updatecli and PyUp configuration).${rejectedNote(
          nearMisses,
        )}`,
        [],
        nearMisses,
      );
    },
  },
];
