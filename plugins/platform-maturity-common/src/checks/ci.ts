import { pathMatcher } from '../engine/globs';

/**
 * The CI systems whose pipeline-as-code files the build checks recognise, and where those files
 * live. Shared by the build and deploy checks, which read pipeline files for test, artifact,
 * release and rollback steps.
 */
export const CI_SYSTEMS: ReadonlyArray<{ name: string; globs: string[] }> = [
  { name: 'GitHub Actions', globs: ['.github/workflows/*.{yml,yaml}'] },
  {
    name: 'GitLab CI',
    globs: ['.gitlab-ci.yml', '.gitlab-ci.yaml', '.gitlab/ci/**/*.{yml,yaml}'],
  },
  {
    name: 'Jenkins',
    globs: ['**/Jenkinsfile', '**/Jenkinsfile.*', '**/*.jenkinsfile'],
  },
  { name: 'CircleCI', globs: ['.circleci/config.{yml,yaml}'] },
  {
    name: 'Azure Pipelines',
    globs: [
      'azure-pipelines.{yml,yaml}',
      'azure-pipelines-*.{yml,yaml}',
      '.azure-pipelines/**/*.{yml,yaml}',
      '.azuredevops/**/*.{yml,yaml}',
    ],
  },
  {
    name: 'Buildkite',
    globs: ['.buildkite/**/*.{yml,yaml}', 'buildkite.{yml,yaml}'],
  },
  { name: 'Bitbucket Pipelines', globs: ['bitbucket-pipelines.{yml,yaml}'] },
  {
    name: 'Tekton',
    globs: ['.tekton/**/*.{yml,yaml}', 'tekton/**/*.{yml,yaml}'],
  },
  { name: 'Drone', globs: ['.drone.{yml,yaml}'] },
  {
    name: 'Google Cloud Build',
    // Build configs named for their trigger sit in a `cloudbuild/` directory (`.github/cloudbuild/ci-pr.yaml`).
    globs: ['**/cloudbuild.{yml,yaml,json}', '**/cloudbuild/*.{yml,yaml,json}'],
  },
  { name: 'Travis CI', globs: ['.travis.{yml,yaml}'] },
  {
    name: 'Woodpecker CI',
    globs: ['.woodpecker.{yml,yaml}', '.woodpecker/*.{yml,yaml}'],
  },
  {
    name: 'AWS CodeBuild',
    globs: ['buildspec.{yml,yaml}', '**/buildspec.{yml,yaml}'],
  },
  { name: 'TeamCity', globs: ['.teamcity/**/*.kts'] },
];

/** Every pipeline file glob. */
export const CI_GLOBS: readonly string[] = CI_SYSTEMS.flatMap(s => s.globs);

let pipelineMatcher: ((path: string) => boolean) | undefined;

/**
 * Whether a repository path (relative, `/`-separated) is a pipeline file of one of the CI systems
 * that the build checks recognise. The backend uses it to find the pipelines at the root of a
 * monorepo whose component lives in a sub-directory.
 *
 * @public
 */
export function isPipelineFile(path: string): boolean {
  pipelineMatcher ??= pathMatcher(CI_GLOBS);
  return pipelineMatcher(path);
}
