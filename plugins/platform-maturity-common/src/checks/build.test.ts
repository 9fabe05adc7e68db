import { checkResult } from '../testing/fixtures';

describe('build checks', () => {
  describe('build.pipeline', () => {
    it.each([
      ['GitHub Actions', '.github/workflows/ci.yaml'],
      ['GitLab CI', '.gitlab-ci.yml'],
      ['Jenkins', 'Jenkinsfile'],
      ['CircleCI', '.circleci/config.yml'],
      ['Google Cloud Build', '.github/cloudbuild/ci-pr.yaml'],
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

    it('does not count a commented-out test step', () => {
      const result = checkResult('build.tests', {
        files: {
          '.github/workflows/ci.yml':
            'jobs:\n  build:\n    steps:\n      - run: npm run lint\n      # - run: npm test\n',
          'src/orders.test.ts': '',
        },
      });
      expect(result.status).toBe('fail');
      // Never evidence: only named as a near-miss, with why it does not count.
      expect(JSON.stringify(result.evidence)).not.toContain('npm test');
      expect(result.nearMisses).toEqual([
        {
          type: 'file',
          ref: '.github/workflows/ci.yml',
          line: 5,
          detail: '# - run: npm test',
          reason:
            'runs the tests only in a commented-out line, which is not evidence',
        },
      ]);
    });

    it.each([
      ['bunx vitest run'],
      ['pnpm exec jest --ci'],
      ['yarn vitest --coverage'],
      ['npx --yes playwright test'],
      ['make check'],
      ['make -C services/orders test'],
      ['bun test'],
    ])('passes when the pipeline runs `%s`', command => {
      const result = checkResult('build.tests', {
        files: {
          '.github/workflows/ci.yml': `steps:\n  - run: ${command}\n`,
          'src/orders.test.ts': '',
        },
      });
      expect(result.status).toBe('pass');
    });

    it('does not take a target whose name only starts with check for `make check`', () => {
      const result = checkResult('build.tests', {
        files: {
          '.github/workflows/ci.yml':
            'steps:\n  - run: make check-clean-work-tree\n',
          Makefile: 'check-clean-work-tree:\n\tgit diff --exit-code\n',
          'orders_test.go': '',
        },
      });
      expect(result.status).toBe('fail');
    });

    it('counts Rust unit tests kept inline in src when cargo test runs', () => {
      const result = checkResult('build.tests', {
        files: {
          '.github/workflows/ci.yml': 'steps:\n  - run: cargo test --all\n',
          'Cargo.toml': '[package]\nname = "orders"\n',
          'src/lib.rs':
            'pub fn total() -> u32 { 1 }\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn adds() {}\n}\n',
        },
      });
      expect(result.status).toBe('pass');
      expect(result.evidence.map(e => e.ref)).toContain('src/lib.rs');
    });

    it('does not count a commented-out Rust test module', () => {
      const result = checkResult('build.tests', {
        files: {
          '.github/workflows/ci.yml': 'steps:\n  - run: cargo test\n',
          'src/lib.rs': '// #[cfg(test)]\n// mod tests {}\npub fn a() {}\n',
        },
      });
      expect(result.status).toBe('fail');
    });

    it('does not take a package marker for a test', () => {
      const result = checkResult('build.tests', {
        files: {
          '.github/workflows/ci.yml': 'steps:\n  - run: pytest\n',
          'tests/__init__.py': '',
        },
      });
      expect(result.status).toBe('fail');
      expect(result.message).toMatch(/no test files/);
    });

    it('follows the pipeline into a Makefile target and its prerequisites', () => {
      const result = checkResult('build.tests', {
        files: {
          '.github/workflows/ci.yml':
            'jobs:\n  ci:\n    steps:\n      - run: make ci\n',
          Makefile:
            '.PHONY: ci\nci: lint unit\n\nlint:\n\tgolangci-lint run\n\nunit:\n\tgo test -race ./...\n',
          'orders_test.go': '',
        },
      });
      expect(result.status).toBe('pass');
      expect(result.evidence[0]).toMatchObject({
        ref: '.github/workflows/ci.yml',
        line: 4,
      });
      expect(result.evidence[1]).toEqual({
        type: 'file',
        ref: 'Makefile',
        line: 8,
        detail: 'go test -race ./...',
      });
      expect(result.message).toContain(
        'called from .github/workflows/ci.yml:4',
      );
    });

    it('follows a script that calls a package.json script, two levels deep', () => {
      const result = checkResult('build.tests', {
        files: {
          '.gitlab-ci.yml': 'test:\n  script:\n    - ./scripts/ci.sh\n',
          'scripts/ci.sh': '#!/bin/sh\nset -e\nyarn verify\n',
          'package.json': JSON.stringify(
            { scripts: { verify: 'tsc && vitest run' } },
            null,
            2,
          ),
          'src/orders.test.ts': '',
        },
      });
      expect(result.status).toBe('pass');
      expect(result.evidence[1]).toMatchObject({
        ref: 'package.json',
        detail: 'tsc && vitest run',
      });
    });

    it('follows justfile recipes and Taskfile tasks', () => {
      for (const [file, content, call] of [
        [
          'justfile',
          'check:\n    cargo fmt --check\n    pytest -q\n',
          'just check',
        ],
        [
          'Taskfile.yml',
          'version: 3\ntasks:\n  verify:\n    cmds:\n      - task: unit\n  unit:\n    cmds:\n      - pytest\n',
          'task verify',
        ],
      ]) {
        const result = checkResult('build.tests', {
          files: {
            '.github/workflows/ci.yml': `steps:\n  - run: ${call}\n`,
            [file]: content,
            'tests/test_orders.py': '',
          },
        });
        expect(result.status).toBe('pass');
      }
    });

    it('does not follow a target that is commented out', () => {
      const result = checkResult('build.tests', {
        files: {
          '.github/workflows/ci.yml': 'steps:\n  - run: make ci\n',
          Makefile: 'ci:\n#\tgo test ./...\n\tgo vet ./...\n',
          'orders_test.go': '',
        },
      });
      expect(result.status).toBe('fail');
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

    it.each([
      [
        '.github/workflows/release.yml',
        '- run: docker buildx build --push -t $IMAGE .',
      ],
      [
        '.github/workflows/release.yml',
        '- run: skaffold build --default-repo=$REGISTRY',
      ],
      [
        '.github/workflows/release.yml',
        '- run: ./mvnw -Pnative spring-boot:build-image',
      ],
      [
        '.github/workflows/release.yml',
        '- uses: redhat-actions/buildah-build@v2',
      ],
      ['.gitlab-ci.yml', 'build:\n  artifacts:\n    paths:\n      - dist/\n'],
    ])(
      'passes when %s builds or uploads a build artifact (%#)',
      (pipeline, content) => {
        const result = checkResult('build.artifact', {
          files: { [pipeline]: content },
        });
        expect(result.status).toBe('pass');
      },
    );

    it('does not count uploads of test and coverage output as a build artifact', () => {
      const result = checkResult('build.artifact', {
        files: {
          '.github/workflows/ci.yml': [
            'jobs:',
            '  test:',
            '    steps:',
            '      - run: npm test -- --coverage',
            '      - name: Keep the coverage report',
            '        uses: actions/upload-artifact@v4',
            '        with:',
            '          name: coverage',
            '          path: coverage/',
            '      - uses: actions/upload-artifact@v4',
            '        with:',
            '          path: playwright-report/',
          ].join('\n'),
          '.gitlab-ci.yml':
            'test:\n  script: [pytest]\n  artifacts:\n    reports:\n      junit: report.xml\n',
        },
      });
      expect(result.status).toBe('fail');
      expect(result.message).toContain(
        'Rejected: .github/workflows/ci.yml:6 uploads test, coverage or report output, which is not a build artifact;',
      );
      expect(result.nearMisses?.map(n => `${n.ref}:${n.line}`)).toEqual([
        '.github/workflows/ci.yml:6',
        '.github/workflows/ci.yml:10',
        '.gitlab-ci.yml:3',
      ]);
    });

    it('does not count a commented-out image push', () => {
      const result = checkResult('build.artifact', {
        files: {
          '.github/workflows/ci.yml':
            'steps:\n  - run: npm test\n  # - run: docker push $IMAGE:${{ github.sha }}\n',
        },
      });
      expect(result.status).toBe('fail');
    });

    it('follows the pipeline into the script or Make target that pushes the image', () => {
      const result = checkResult('build.artifact', {
        files: {
          '.github/workflows/release.yml': 'steps:\n  - run: make release\n',
          Makefile: 'release: image\n\nimage:\n\t./hack/push-image.sh\n',
          'hack/push-image.sh':
            '#!/usr/bin/env bash\nko build --bare ./cmd/orders\n',
        },
      });
      expect(result.status).toBe('pass');
      expect(result.evidence.map(e => e.ref)).toEqual([
        '.github/workflows/release.yml',
        'hack/push-image.sh',
      ]);
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

  describe('build: the forms seen in real repositories', () => {
    const GO_TEST = { 'orders/handler_test.go': 'package orders\n' };
    it.each([
      [
        'a Make target named for the tests, words first or last',
        {
          '.github/workflows/ci.yml':
            'jobs:\n  e2e:\n    steps:\n      - run: make run-contract-tests\n',
          Makefile: 'run-contract-tests:\n\tdocker run --rm contract-suite\n',
        },
      ],
      [
        'an Nx test target of the affected projects',
        {
          '.github/workflows/pr.yml':
            'jobs:\n  check:\n    steps:\n      - run: pnpm nx affected --targets=lint,test --base origin/main\n',
        },
      ],
      [
        'the Rails test runner',
        {
          '.github/workflows/ci.yml':
            'jobs:\n  test:\n    steps:\n      - run: bin/rails test\n',
        },
      ],
      [
        'the Rails runner with the command in a variable named for the tests',
        {
          '.github/workflows/ci.yml':
            'jobs:\n  test:\n    strategy:\n      matrix:\n        suite: [test, "test:system"]\n    steps:\n      - run: bin/rails $TEST_TASK\n        env:\n          TEST_TASK: ${{ matrix.suite }}\n',
        },
      ],
      [
        "composer's test script",
        {
          '.github/workflows/backend.yml':
            'jobs:\n  test:\n    steps:\n      - run: composer test\n',
        },
      ],
      [
        "a job calling another repository's reusable workflow that says it runs the tests",
        {
          '.github/workflows/ci.yml':
            'jobs:\n  tests:\n    name: Run tests\n    uses: acme/workflows/.github/workflows/php.yml@v3\n',
        },
      ],
      [
        "the unit tests of a Skaffold config's test section",
        {
          'services/orders/cloudbuild.yaml':
            'steps:\n  - name: gcr.io/k8s-skaffold/skaffold\n    script: skaffold test --module=orders\n',
          'services/orders/skaffold.yaml':
            'apiVersion: skaffold/v4beta11\nkind: Config\ntest:\n  - image: orders\n    custom:\n      - command: go test ./...\ndeploy:\n  kubectl: {}\n',
        },
      ],
    ])('build.tests passes with %s', (_name, files) => {
      const result = checkResult('build.tests', {
        files: { ...GO_TEST, ...files },
      });
      expect(result.status).toBe('pass');
      expect(result.evidence.map(e => e.ref)).toContain(
        'orders/handler_test.go',
      );
    });

    it.each([
      [
        'a Make target with test only in the middle of its name',
        {
          '.github/workflows/ci.yml':
            'jobs:\n  image:\n    steps:\n      - run: make build-test-image\n',
          Makefile: 'build-test-image:\n\tdocker build -t fixtures .\n',
        },
      ],
      [
        'a Skaffold test section that only lints',
        {
          'cloudbuild.yaml': 'steps:\n  - script: skaffold test\n',
          'skaffold.yaml':
            'test:\n  - image: orders\n    custom:\n      - command: golangci-lint run\n',
        },
      ],
      [
        'a reusable workflow that builds assets',
        {
          '.github/workflows/ci.yml':
            'jobs:\n  assets:\n    name: Build assets\n    uses: acme/workflows/.github/workflows/assets.yml@v3\n',
        },
      ],
    ])('build.tests fails with %s', (_name, files) => {
      const result = checkResult('build.tests', {
        files: { ...GO_TEST, ...files },
      });
      expect(result.status).toBe('fail');
    });

    it('cites a file named as a test before a helper beside the tests', () => {
      const result = checkResult('build.tests', {
        files: {
          '.github/workflows/ci.yml': 'steps:\n  - run: pytest\n',
          'app/tests/constants.py': 'USER = "ada"\n',
          'app/tests/test_orders.py': 'def test_total():\n    assert True\n',
        },
      });
      expect(result.status).toBe('pass');
      expect(result.evidence.map(e => e.ref)).toContain(
        'app/tests/test_orders.py',
      );
    });

    it.each([
      [
        'archives uploaded to the release with gh',
        {
          '.github/workflows/release.yml':
            'jobs:\n  release:\n    steps:\n      - run: zip -r shop.zip dist\n      - run: gh release upload "$TAG" shop.zip\n',
        },
        '.github/workflows/release.yml',
      ],
      [
        'a release action given the built files',
        {
          '.github/workflows/release.yml':
            'jobs:\n  release:\n    steps:\n      - uses: softprops/action-gh-release@v2\n        with:\n          draft: true\n          files: |\n            dist/shop.tar.gz\n',
        },
        '.github/workflows/release.yml',
      ],
      [
        'Skaffold as a Cloud Build argument list',
        {
          'cloudbuild.yaml':
            'steps:\n  - name: gcr.io/k8s-skaffold/skaffold\n    args:\n      - "skaffold"\n      - "build"\n      - "--default-repo=$_REGISTRY"\n',
        },
        'cloudbuild.yaml',
      ],
      [
        'azd deploying a service hosted on Container Apps',
        {
          '.github/workflows/azure-dev.yml':
            'jobs:\n  deploy:\n    steps:\n      - run: azd deploy --no-prompt\n',
          'azure.yaml':
            'name: shop\nservices:\n  api:\n    project: ./src/api\n    language: py\n    host: containerapp\n',
        },
        '.github/workflows/azure-dev.yml',
      ],
    ])('build.artifact passes with %s', (_name, files, path) => {
      const result = checkResult('build.artifact', { files });
      expect(result.status).toBe('pass');
      expect(result.evidence[0].ref).toBe(path);
    });

    it.each([
      [
        'a release action without files',
        {
          '.github/workflows/release.yml':
            'jobs:\n  release:\n    steps:\n      - uses: softprops/action-gh-release@v2\n        with:\n          generate_release_notes: true\n',
        },
      ],
      [
        'azd deploying code straight to App Service',
        {
          '.github/workflows/azure-dev.yml':
            'jobs:\n  deploy:\n    steps:\n      - run: azd deploy --no-prompt\n',
          'azure.yaml':
            'name: shop\nservices:\n  web:\n    project: ./src/web\n    host: appservice\n',
        },
      ],
      [
        'image tags computed but no image built',
        {
          '.github/workflows/release.yml':
            'jobs:\n  image:\n    steps:\n      - uses: docker/metadata-action@v5\n        with:\n          images: ghcr.io/acme/orders\n',
        },
      ],
    ])('build.artifact fails with %s', (_name, files) => {
      expect(checkResult('build.artifact', { files }).status).toBe('fail');
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
