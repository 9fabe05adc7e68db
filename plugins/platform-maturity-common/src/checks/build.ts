import type { CheckImplementation } from '../engine/checkTypes';
import { charMask, compileGlobs, testAny } from '../engine/globs';
import { CI_GLOBS, CI_SYSTEMS } from './ci';
import {
  fail,
  fileEvidence,
  listPaths,
  matchEvidence,
  pass,
  repositoryUnavailable,
  searchAny,
} from './helpers';

/** Commands that run a test suite, across the common toolchains. */
const TEST_COMMANDS: readonly RegExp[] = [
  /\b(?:npm|pnpm|yarn|bun)\s+(?:run\s+)?(?:test|t)(?::[\w:-]+)?\b/,
  /\bnpx\s+(?:jest|vitest|mocha|playwright\s+test|ava|tap)\b/,
  /\bgo\s+test\b|\bgotestsum\b|\bginkgo\b/,
  /\bpytest\b|\btox\b|\bnox\b|\bpython3?\s+-m\s+(?:pytest|unittest)\b|\bmanage\.py\s+test\b/,
  /\b(?:mvn|mvnw)\b[^\n]*\b(?:test|verify|package|install)\b/,
  /\bgradlew?\b[^\n]*\b(?:test|check|build)\b/,
  /\bcargo\s+(?:test|nextest)\b/,
  /\bdotnet\s+test\b/,
  /\bmake\s+(?:test|check|tests)\b/,
  /\b(?:rspec|rake\s+(?:test|spec)|mix\s+test|phpunit|ctest|bazel\s+test|sbt\s+test|swift\s+test|flutter\s+test)\b/,
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

/** Steps that build and publish a versioned artifact. */
const ARTIFACT_COMMANDS: readonly RegExp[] = [
  /docker\/build-push-action|\bdocker\s+(?:buildx\s+)?(?:build|push)\b|\bbuildah\s+(?:bud|build|push)\b|\bpodman\s+(?:build|push)\b/,
  /kaniko-project\/executor|\/kaniko\/executor|\bko\s+(?:build|publish|resolve|apply)\b|\bjib(?::build|DockerBuild|Build)?\b|\bpack\s+build\b|\bgcloud\s+builds\s+submit\b/,
  /goreleaser/,
  /\b(?:npm|yarn|pnpm)\s+publish\b|changesets\/action|\bsemantic-release\b/,
  /\btwine\s+upload\b|\b(?:poetry|flit|uv|hatch)\s+publish\b|pypa\/gh-action-pypi-publish/,
  /\bmvn\b[^\n]*\bdeploy\b|\bgradlew?\b[^\n]*\bpublish\b|\bcargo\s+publish\b|\bdotnet\s+nuget\s+push\b|\bhelm\s+push\b|\bgem\s+push\b/,
  /actions\/upload-artifact|^[ \t]*artifacts:|\bstore_artifacts\b|\barchiveArtifacts\b|Publish(?:Build|Pipeline)Artifacts?|buildkite-agent\s+artifact\s+upload|^[ \t]*images:/m,
];

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

/** Every bot's config files, for one lookup of them all: most repositories have none. */
const BOT_GLOBS: readonly string[] = DEPENDENCY_BOTS.flatMap(b => b.globs);

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
        return fail(
          'No CI pipeline definition found (looked for GitHub Actions workflows, .gitlab-ci.yml, Jenkinsfile, CircleCI, Azure Pipelines, Buildkite, Bitbucket Pipelines, Tekton, Drone, Cloud Build and others).',
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
      'The CI pipeline runs the test suite (npm/yarn/pnpm test, go test, pytest or tox, Maven or Gradle, cargo test, dotnet test, make test and others) and the repository has tests for it to run.',
    weight: 2,
    evidence: 'entity+repository',
    reads: CI_GLOBS,
    evaluate({ repository }) {
      if (!repository) {
        return repositoryUnavailable('tests run by a pipeline');
      }
      const testFiles = repository.find(TEST_FILE_GLOBS);
      const command = searchAny(repository, CI_GLOBS, TEST_COMMANDS);
      if (command && testFiles.length > 0) {
        return pass(
          `${command.path} runs \`${command.text}\`; ${testFiles.length} test file(s) such as ${testFiles[0]}.`,
          [matchEvidence(command), fileEvidence(testFiles[0], 'test file')],
        );
      }
      if (!command) {
        return fail(
          testFiles.length > 0
            ? `The repository has tests (${testFiles[0]}), but no CI pipeline runs them.`
            : 'No CI pipeline runs a test command, and no test files were found.',
          testFiles.length > 0 ? [fileEvidence(testFiles[0], 'test file')] : [],
        );
      }
      return fail(
        `${command.path} runs \`${command.text}\`, but the repository has no test files.`,
        [matchEvidence(command)],
      );
    },
  },
  {
    id: 'build.artifact',
    capability: 'build',
    title: 'Versioned artifact is built',
    description:
      'The pipeline builds and publishes an artifact that can be deployed: a container image (docker, buildx, kaniko, buildah, ko, Jib, buildpacks), a release (goreleaser) or a package (npm, PyPI, Maven, cargo, NuGet), or uploads the build output.',
    weight: 1,
    evidence: 'entity+repository',
    reads: CI_GLOBS,
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
      const step = searchAny(repository, CI_GLOBS, ARTIFACT_COMMANDS);
      if (step) {
        return pass(`${step.path} builds an artifact: \`${step.text}\`.`, [
          matchEvidence(step),
        ]);
      }
      return fail(
        'No pipeline step builds or publishes an artifact (container image, release or package).',
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
      return fail(
        'No dependency update bot is configured (looked for Renovate, Dependabot, Scala Steward, Updatecli and PyUp configuration).',
      );
    },
  },
];
