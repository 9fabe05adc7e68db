import { isPipelineFile } from './ci';

describe('isPipelineFile', () => {
  it.each([
    '.github/workflows/ci.yml',
    '.gitlab-ci.yml',
    '.gitlab/ci/build.yaml',
    'Jenkinsfile',
    'services/orders/Jenkinsfile',
    '.circleci/config.yml',
    'azure-pipelines.yml',
    '.buildkite/pipeline.yml',
    'bitbucket-pipelines.yml',
    '.tekton/push.yaml',
    'cloudbuild.yaml',
  ])('recognises %s', path => {
    expect(isPipelineFile(path)).toBe(true);
  });

  it.each([
    'README.md',
    '.github/dependabot.yml',
    '.github/workflows/nested/ci.yml',
    'src/workflows/ci.yml',
    'gitlab-ci.yml',
  ])('does not take %s for a pipeline', path => {
    expect(isPipelineFile(path)).toBe(false);
  });
});
