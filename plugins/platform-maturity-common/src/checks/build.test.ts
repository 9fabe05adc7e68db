import { checkResult } from '../testing/fixtures';

describe('build checks', () => {
  describe('build.pipeline', () => {
    it.each([
      ['GitHub Actions', '.github/workflows/ci.yaml'],
      ['GitLab CI', '.gitlab-ci.yml'],
      ['Jenkins', 'Jenkinsfile'],
      ['CircleCI', '.circleci/config.yml'],
      ['Azure Pipelines', 'azure-pipelines.yml'],
      ['Buildkite', '.buildkite/pipeline.yml'],
      ['Bitbucket Pipelines', 'bitbucket-pipelines.yml'],
      ['Tekton', '.tekton/pull-request.yaml'],
      ['Drone', '.drone.yml'],
      ['Google Cloud Build', 'cloudbuild.yaml'],
    ])('passes with a %s pipeline', (system, path) => {
      const result = checkResult('build.pipeline', {
        files: { [path]: 'steps: []', 'src/index.ts': '' },
      });
      expect(result.status).toBe('pass');
      expect(result.message).toContain(system);
      expect(result.evidence).toEqual([
        { type: 'file', ref: path, detail: system },
      ]);
    });

    it('fails without a pipeline file', () => {
      const result = checkResult('build.pipeline', {
        files: { 'README.md': '# orders', 'docs/ci.yml': 'not a pipeline' },
      });
      expect(result.status).toBe('fail');
      expect(result.message).toMatch(/No CI pipeline/);
    });

    it('is unknown when the repository could not be read', () => {
      expect(checkResult('build.pipeline', {}).status).toBe('unknown');
    });
  });

  describe('build.tests', () => {
    it('passes when a GitHub workflow runs npm test and there are Jest tests', () => {
      const result = checkResult('build.tests', {
        files: {
          '.github/workflows/ci.yml':
            'jobs:\n  test:\n    steps:\n      - run: npm ci\n      - run: npm run test:unit\n',
          'src/orders.test.ts': '',
        },
      });
      expect(result.status).toBe('pass');
      expect(result.evidence[0]).toEqual({
        type: 'file',
        ref: '.github/workflows/ci.yml',
        line: 5,
        detail: '- run: npm run test:unit',
      });
    });

    it.each([
      [
        '.gitlab-ci.yml',
        'test:\n  script:\n    - go test ./...\n',
        'pkg/orders_test.go',
      ],
      [
        'Jenkinsfile',
        "stage('Test') { sh 'tox -e py311' }",
        'tests/test_orders.py',
      ],
      [
        '.circleci/config.yml',
        'steps:\n  - run: ./gradlew check',
        'src/test/java/OrdersTest.java',
      ],
      [
        'azure-pipelines.yml',
        '- script: dotnet test',
        'Orders.Tests/OrdersTests.cs',
      ],
      ['.drone.yml', 'commands:\n  - cargo test --locked', 'tests/orders.rs'],
      [
        'bitbucket-pipelines.yml',
        'script:\n  - make test',
        'spec/orders_spec.rb',
      ],
    ])('passes when %s runs the tests', (pipeline, content, testFile) => {
      const result = checkResult('build.tests', {
        files: { [pipeline]: content, [testFile]: '' },
      });
      expect(result.status).toBe('pass');
      expect(result.evidence.map(e => e.ref)).toEqual([pipeline, testFile]);
    });

    it('fails when the pipeline does not run tests', () => {
      const result = checkResult('build.tests', {
        files: {
          '.github/workflows/ci.yml':
            'steps:\n  - run: npm run lint\n  - run: npm run typecheck',
          'src/orders.test.ts': '',
        },
      });
      expect(result.status).toBe('fail');
      expect(result.message).toMatch(/no CI pipeline runs them/);
    });

    it('fails when there are no tests to run', () => {
      const result = checkResult('build.tests', {
        files: {
          '.github/workflows/ci.yml': '- run: npm test',
          'src/index.ts': '',
        },
      });
      expect(result.status).toBe('fail');
      expect(result.message).toMatch(/no test files/);
    });
  });

  describe('build.artifact', () => {
    it.each([
      ['.github/workflows/release.yml', '- uses: docker/build-push-action@v6'],
      [
        '.gitlab-ci.yml',
        'build:\n  script:\n    - /kaniko/executor --destination $IMAGE:$CI_COMMIT_TAG',
      ],
      ['Jenkinsfile', "sh 'ko build ./cmd/orders'"],
      ['.github/workflows/publish.yml', '- run: npm publish --provenance'],
      [
        'cloudbuild.yaml',
        'steps: []\nimages:\n  - gcr.io/$PROJECT_ID/orders:$TAG_NAME',
      ],
      ['.circleci/config.yml', '- store_artifacts:\n    path: dist'],
    ])('passes when %s builds an artifact', (pipeline, content) => {
      const result = checkResult('build.artifact', {
        files: { [pipeline]: content },
      });
      expect(result.status).toBe('pass');
      expect(result.evidence[0].ref).toBe(pipeline);
    });

    it('passes with a GoReleaser configuration', () => {
      const result = checkResult('build.artifact', {
        files: { '.goreleaser.yaml': 'builds: []' },
      });
      expect(result.status).toBe('pass');
      expect(result.message).toMatch(/GoReleaser/);
    });

    it('fails when the pipeline only tests', () => {
      const result = checkResult('build.artifact', {
        files: { '.github/workflows/ci.yml': '- run: npm test' },
      });
      expect(result.status).toBe('fail');
    });
  });

  describe('build.dependency-updates', () => {
    it.each([
      ['renovate.json', '{}', 'Renovate'],
      ['.github/dependabot.yml', 'version: 2', 'Dependabot'],
      [
        'package.json',
        '{ "name": "orders", "renovate": { "extends": ["config:recommended"] } }',
        'Renovate',
      ],
    ])('passes with %s', (path, content, bot) => {
      const result = checkResult('build.dependency-updates', {
        files: { [path]: content },
      });
      expect(result.status).toBe('pass');
      expect(result.message).toContain(bot);
    });

    it('fails without a bot', () => {
      const result = checkResult('build.dependency-updates', {
        files: { 'package.json': '{ "name": "orders" }' },
      });
      expect(result.status).toBe('fail');
    });
  });
});
