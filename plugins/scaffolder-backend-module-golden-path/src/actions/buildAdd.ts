import type { Config } from '@backstage/config';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { isMap, isSeq, parseDocument } from 'yaml';
import { checkWorkspace, passes } from '../lib/evidence';
import {
  commonInputSchema,
  filesOutputSchema,
  goldenPathPolicy,
  portInput,
  requiredServiceName,
  serviceNameInputSchema,
  validateImage,
} from '../lib/inputs';
import { GITLAB_CI_FILE, planPipelineJobs } from '../lib/pipelines';
import {
  CI_PROVIDERS,
  CiProvider,
  resolveCiProvider,
  resolveStack,
  Stack,
  STACKS,
} from '../lib/stacks';
import { WorkspaceFiles } from '../lib/workspace';
import { examples } from './buildAdd.examples';

/**
 * Options of {@link createBuildAddAction}.
 *
 * @public
 */
export interface BuildAddActionOptions {
  /**
   * The root config; the action reads `goldenPath.policy` (allowed stacks
   * and CI providers, the naming rule). Without it, everything is allowed.
   */
  config?: Config;
}

/** The GitHub Actions workflow the action writes. */
const GITHUB_CI_WORKFLOW = '.github/workflows/ci.yaml';

const DEPENDABOT_FILE = '.github/dependabot.yml';
const RENOVATE_FILE = 'renovate.json';

/** The runtime versions the generated files use. */
const RUNTIME = { node: '22', go: '1.24', python: '3.12' } as const;

/** Where the starter test of each stack goes. */
const STARTER_TESTS: Record<Stack, string> = {
  node: 'test/smoke.test.mjs',
  go: 'internal/smoke/smoke_test.go',
  python: 'tests/test_smoke.py',
};

/** npm's placeholder test script, which always fails. */
const NPM_PLACEHOLDER_TEST = /no test specified/;

/** The Dependabot ecosystem of each stack's dependency manifest. */
const DEPENDABOT_ECOSYSTEM: Record<Stack, string> = {
  node: 'npm',
  go: 'gomod',
  python: 'pip',
};

/** The inputs the files are rendered from. */
type BuildSettings = {
  name: string;
  stack: Stack;
  provider: CiProvider;
  /** The image repository, or a CI expression for the provider's registry. */
  image: string;
  /** The registry host to log in to, when it is not Docker Hub. */
  registry?: string;
  dockerfile: string;
  port: number;
};

function registryOf(image: string): string | undefined {
  const first = image.split('/')[0];
  return image.includes('/') && /[.:]|^localhost$/.test(first)
    ? first
    : undefined;
}

function githubTestJob(stack: Stack): string {
  const setup: Record<Stack, string> = {
    node: `      - uses: actions/setup-node@v4
        with:
          node-version: ${RUNTIME.node}
      - name: Install dependencies
        run: if [ -f package-lock.json ]; then npm ci; else npm install; fi
      - name: Run the tests
        run: npm test`,
    go: `      - uses: actions/setup-go@v5
        with:
          go-version-file: go.mod
      - name: Vet
        run: go vet ./...
      - name: Run the tests
        run: go test -race ./...`,
    python: `      - uses: actions/setup-python@v5
        with:
          python-version: '${RUNTIME.python}'
      - name: Install dependencies
        run: |
          python -m pip install --upgrade pip pytest
          if [ -f requirements.txt ]; then pip install -r requirements.txt; fi
      - name: Run the tests
        run: python -m pytest`,
  };
  return `  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
${setup[stack]}
`;
}

function githubImageJob(settings: BuildSettings, needsTest: boolean): string {
  const ghcr = settings.registry === 'ghcr.io';
  const login = ghcr
    ? `      - uses: docker/login-action@v3
        with:
          registry: ghcr.io
          username: \${{ github.actor }}
          password: \${{ secrets.GITHUB_TOKEN }}`
    : `      # Set the REGISTRY_USERNAME and REGISTRY_PASSWORD secrets of the repository.
      - uses: docker/login-action@v3
        with:${
          settings.registry ? `\n          registry: ${settings.registry}` : ''
        }
          username: \${{ secrets.REGISTRY_USERNAME }}
          password: \${{ secrets.REGISTRY_PASSWORD }}`;
  return `  build-image:
    # Every image is tagged with the commit SHA, and release tags (v1.2.3) add the version.
${needsTest ? '    needs: [test]\n' : ''}    if: github.event_name == 'push'
    runs-on: ubuntu-latest
    permissions:
      contents: read
      packages: write
    steps:
      - uses: actions/checkout@v4
      - uses: docker/setup-buildx-action@v3
${login}
      - id: meta
        uses: docker/metadata-action@v5
        with:
          images: ${settings.image}
          tags: |
            type=sha,format=long
            type=semver,pattern={{version}}
            type=ref,event=branch
      - uses: docker/build-push-action@v6
        with:
          context: .
          file: ${settings.dockerfile}
          push: true
          tags: \${{ steps.meta.outputs.tags }}
          labels: \${{ steps.meta.outputs.labels }}
`;
}

function renderGithubWorkflow(settings: BuildSettings, jobs: string[]): string {
  const body = [
    jobs.includes('test') ? githubTestJob(settings.stack) : '',
    jobs.includes('build-image')
      ? githubImageJob(settings, jobs.includes('test'))
      : '',
  ]
    .filter(Boolean)
    .join('\n');
  return `# Written by paved:build:add: runs the tests and builds and pushes a versioned container image.
name: CI

on:
  push:
    branches: [main]
    tags: ['v*']
  pull_request:

permissions:
  contents: read

jobs:
${body}`;
}

function gitlabTestJob(stack: Stack): string {
  const script: Record<Stack, string> = {
    node: `  image: node:${RUNTIME.node}
  script:
    - if [ -f package-lock.json ]; then npm ci; else npm install; fi
    - npm test`,
    go: `  image: golang:${RUNTIME.go}
  script:
    - go vet ./...
    - go test -race ./...`,
    python: `  image: python:${RUNTIME.python}
  script:
    - python -m pip install --upgrade pip pytest
    - if [ -f requirements.txt ]; then pip install -r requirements.txt; fi
    - python -m pytest`,
  };
  return `test:
  stage: test
${script[stack]}
`;
}

function gitlabImageJob(settings: BuildSettings): string {
  const ownRegistry = settings.image === '$CI_REGISTRY_IMAGE';
  const login = ownRegistry
    ? 'echo "$CI_REGISTRY_PASSWORD" | docker login --username "$CI_REGISTRY_USER" --password-stdin "$CI_REGISTRY"'
    : `echo "$REGISTRY_PASSWORD" | docker login --username "$REGISTRY_USER" --password-stdin${
        settings.registry ? ` ${settings.registry}` : ''
      }`;
  return `# Every image is tagged with the commit SHA, and release tags (v1.2.3) add the version.
build-image:
  stage: publish
  image: docker:27
  services:
    - docker:27-dind
  variables:
    IMAGE: ${settings.image}
  script:${
    ownRegistry
      ? ''
      : '\n    # Set the REGISTRY_USER and REGISTRY_PASSWORD CI/CD variables of the project.'
  }
    - ${login}
    - docker build --file ${settings.dockerfile} --tag "$IMAGE:$CI_COMMIT_SHA" .
    - docker push "$IMAGE:$CI_COMMIT_SHA"
    - |
      if [ -n "$CI_COMMIT_TAG" ]; then
        docker tag "$IMAGE:$CI_COMMIT_SHA" "$IMAGE:\${CI_COMMIT_TAG#v}"
        docker push "$IMAGE:\${CI_COMMIT_TAG#v}"
      fi
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
    - if: $CI_COMMIT_TAG
`;
}

function renderGitlabPipeline(settings: BuildSettings, jobs: string[]): string {
  const stages = [
    jobs.includes('test') ? 'test' : undefined,
    jobs.includes('build-image') ? 'publish' : undefined,
  ].filter(Boolean);
  const body = [
    jobs.includes('test') ? gitlabTestJob(settings.stack) : '',
    jobs.includes('build-image') ? gitlabImageJob(settings) : '',
  ]
    .filter(Boolean)
    .join('\n');
  return `# Written by paved:build:add: runs the tests and builds and pushes a versioned container image.
stages: [${stages.join(', ')}]

${body}`;
}

function renderDockerfile(settings: BuildSettings): string {
  const { port } = settings;
  switch (settings.stack) {
    case 'node':
      return `# syntax=docker/dockerfile:1
# Build stage: install every dependency, build, then keep only the production dependencies.
FROM node:${RUNTIME.node}-alpine AS build
WORKDIR /app
COPY package*.json ./
RUN if [ -f package-lock.json ]; then npm ci; else npm install; fi
COPY . .
RUN npm run build --if-present && npm prune --omit=dev

# Runtime stage: the application only, run by the image's unprivileged user.
FROM node:${RUNTIME.node}-alpine
ENV NODE_ENV=production PORT=${port}
WORKDIR /app
COPY --from=build --chown=1000:1000 /app ./
# The node user, by id so that Kubernetes can verify runAsNonRoot.
USER 1000
EXPOSE ${port}
CMD ["npm", "start"]
`;
    case 'go':
      return `# syntax=docker/dockerfile:1
# Build stage: a static binary of the main package (MAIN_PACKAGE, default the module root).
FROM golang:${RUNTIME.go} AS build
ARG MAIN_PACKAGE=.
WORKDIR /src
COPY go.mod go.sum* ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/service "$MAIN_PACKAGE"

# Runtime stage: the binary alone on a distroless base, as its nonroot user.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/service /service
ENV PORT=${port}
USER 65532:65532
EXPOSE ${port}
ENTRYPOINT ["/service"]
`;
    case 'python':
    default:
      return `# syntax=docker/dockerfile:1
# Build stage: the dependencies in a virtual environment.
FROM python:${RUNTIME.python}-slim AS build
RUN python -m venv /venv
ENV PATH=/venv/bin:$PATH
WORKDIR /app
COPY . .
RUN if [ -f requirements.txt ]; then pip install --no-cache-dir -r requirements.txt; fi

# Runtime stage: the virtual environment and the code, run by an unprivileged user.
FROM python:${RUNTIME.python}-slim
RUN useradd --uid 10001 --no-create-home --shell /usr/sbin/nologin app
COPY --from=build /venv /venv
COPY --from=build /app /app
WORKDIR /app
ENV PATH=/venv/bin:$PATH PYTHONUNBUFFERED=1 PORT=${port}
USER 10001
EXPOSE ${port}
CMD ["python", "-m", "${settings.name.replace(/-/g, '_')}"]
`;
  }
}

const DOCKERIGNORE: Record<Stack, string[]> = {
  node: ['.git', 'node_modules', 'dist', 'coverage', 'npm-debug.log'],
  go: ['.git', 'bin'],
  python: ['.git', '.venv', '__pycache__', '*.pyc', '.pytest_cache'],
};

/** Appends the missing lines to an ignore file. */
function mergeLines(existing: string, lines: readonly string[]): string {
  const present = new Set(existing.split(/\r?\n/).map(l => l.trim()));
  const missing = lines.filter(l => !present.has(l));
  if (missing.length === 0) {
    return existing;
  }
  const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
  return `${existing}${separator}${missing.join('\n')}\n`;
}

function starterTest(stack: Stack): string {
  switch (stack) {
    case 'node':
      return `// A first test, so that the pipeline has tests to run from day one. Replace it with real tests.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import test from 'node:test';

test('the package manifest names the service', async () => {
  const manifest = JSON.parse(
    await readFile(new URL('../package.json', import.meta.url), 'utf8'),
  );
  assert.equal(typeof manifest.name, 'string');
});
`;
    case 'go':
      return `// Package smoke holds a first test, so that the pipeline has tests to run from day one.
// Replace it with real tests next to the code they test.
package smoke

import (
	"os"
	"testing"
)

func TestModuleFileExists(t *testing.T) {
	if _, err := os.Stat("../../go.mod"); err != nil {
		t.Fatalf("go.mod not found: %v", err)
	}
}
`;
    case 'python':
    default:
      return `"""A first test, so that the pipeline has tests to run from day one. Replace it with real tests."""
import sys


def test_python_version_is_supported():
    assert sys.version_info >= (3, 9)
`;
  }
}

/** Sets `scripts.test` to the Node.js test runner when package.json has no real test script. */
function withTestScript(existing: string): string | { conflict: string } {
  let manifest: any;
  try {
    manifest = JSON.parse(existing);
  } catch {
    return { conflict: 'package.json is not valid JSON' };
  }
  const current = manifest?.scripts?.test;
  if (typeof current === 'string' && !NPM_PLACEHOLDER_TEST.test(current)) {
    return existing;
  }
  manifest.scripts = { ...manifest.scripts, test: 'node --test' };
  const indent = existing.match(/^[ \t]+(?=")/m)?.[0] ?? '  ';
  return `${JSON.stringify(manifest, null, indent)}\n`;
}

function renderDependabot(stack: Stack): string {
  return `# Written by paved:build:add: dependency updates arrive as pull requests.
version: 2
updates:
${[DEPENDABOT_ECOSYSTEM[stack], 'docker', 'github-actions']
  .map(
    ecosystem => `  - package-ecosystem: ${ecosystem}
    directory: /
    schedule:
      interval: weekly
`,
  )
  .join('')}`;
}

/** Adds the `updates` entries (by ecosystem and directory) that the user's Dependabot config lacks. */
function mergeDependabot(existing: string, ours: string) {
  const doc = parseDocument(existing);
  const updates = doc.get('updates');
  if (doc.errors.length > 0 || !isMap(doc.contents) || !isSeq(updates)) {
    return {
      conflict: `${DEPENDABOT_FILE} is not a Dependabot config with an updates list`,
    };
  }
  const key = (u: any) =>
    `${u?.['package-ecosystem']}@${
      String(u?.directory ?? '/').replace(/\/+$/, '') || '/'
    }`;
  const present = new Set((updates.toJSON() as any[]).map(key));
  const add = (parseDocument(ours).toJS().updates as any[]).filter(
    u => !present.has(key(u)),
  );
  if (add.length === 0) {
    return existing;
  }
  for (const update of add) {
    updates.add(doc.createNode(update));
  }
  return doc.toString({ lineWidth: 0 });
}

/**
 * Creates the `paved:build:add` action: a CI pipeline (GitHub Actions or
 * GitLab CI) for a Node.js, Go or Python service that runs the tests and
 * builds and pushes a container image tagged with the commit SHA and the
 * release version; a multi-stage, non-root Dockerfile when there is none; a
 * starter test when the repository has no tests; and a dependency update
 * bot (Dependabot on GitHub, Renovate on GitLab).
 *
 * Only what the build checks find missing is added: an existing pipeline
 * that already runs the tests, or another bot already configured, is
 * recognised the way the scorecard recognises it, and left alone.
 *
 * @public
 */
export function createBuildAddAction(options: BuildAddActionOptions = {}) {
  const policy = goldenPathPolicy(options.config);

  return createTemplateAction({
    id: 'paved:build:add',
    description:
      'Adds the build capability: a CI pipeline (GitHub Actions or GitLab CI) for a node, go or python service that runs the tests and builds and pushes a container image tagged with the commit SHA and the release version; a multi-stage non-root Dockerfile when there is none; a starter test when there are no tests; and Dependabot (GitHub) or Renovate (GitLab). Adds only what the build checks find missing.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: serviceNameInputSchema(
          'The service name; default the name in package.json, pyproject.toml or go.mod',
        ),
        stack: z =>
          z
            .enum(STACKS)
            .optional()
            .describe(
              'The stack: node, go or python; default detected from package.json, go.mod, pyproject.toml or requirements.txt',
            ),
        ciProvider: z =>
          z
            .enum(CI_PROVIDERS)
            .optional()
            .describe(
              'github-actions or gitlab-ci; default gitlab-ci when the repository has a .gitlab-ci.yml, else github-actions',
            ),
        image: z =>
          z
            .string()
            .optional()
            .describe(
              "The container image repository without a tag, such as ghcr.io/acme/orders; default the CI provider's registry (ghcr.io/<owner>/<repo> or $CI_REGISTRY_IMAGE)",
            ),
        port: z =>
          z
            .number()
            .int()
            .optional()
            .describe(
              'The port the service listens on, for the Dockerfile; default 8080',
            ),
        dependencyUpdates: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Configure a dependency update bot (Dependabot on GitHub, Renovate on GitLab) unless one is configured; default true',
            ),
        starterTest: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Add a first test when the repository has none, so that the pipeline has tests to run; default true',
            ),
        ...commonInputSchema,
      },
      output: {
        stack: z => z.string().describe('The stack used'),
        ciProvider: z => z.string().describe('The CI provider used'),
        image: z =>
          z.string().describe('The image repository the pipeline pushes to'),
        addedJobs: z =>
          z
            .array(z.string())
            .describe(
              'The pipeline jobs added (test, build-image); empty when the pipeline already met the checks',
            ),
        ...filesOutputSchema,
      },
    },
    async handler(ctx) {
      const input = ctx.input;
      const files = WorkspaceFiles.forAction(ctx);
      const stack = await resolveStack(
        files,
        input.stack,
        policy?.allowedStacks,
      );
      const provider = await resolveCiProvider(
        files,
        input.ciProvider,
        policy?.allowedCiProviders,
      );
      const name = await requiredServiceName(
        files,
        input.name,
        policy?.namePattern,
      );
      const port = portInput(input.port);
      let image: string;
      if (input.image !== undefined) {
        image = validateImage(input.image);
      } else {
        image =
          provider === 'github-actions'
            ? 'ghcr.io/${{ github.repository }}'
            : '$CI_REGISTRY_IMAGE';
      }
      const containerfile = (await files.exists('Containerfile'))
        ? 'Containerfile'
        : undefined;
      const settings: BuildSettings = {
        name,
        stack,
        provider,
        image,
        registry:
          input.image === undefined && provider === 'github-actions'
            ? 'ghcr.io'
            : registryOf(image),
        dockerfile: containerfile ?? 'Dockerfile',
        port,
      };

      // A starter test, when the repository has no tests at all. The build.tests check is
      // asked with a probe pipeline that runs tests, so that it answers "are there tests?"
      // exactly as the scorecard would.
      const starterPath = STARTER_TESTS[stack];
      const probe = await checkWorkspace(files, {
        without: [starterPath],
        add: { '.github/workflows/paved-probe.yaml': 'run: npm test\n' },
      });
      const addStarter =
        (input.starterTest ?? true) && !passes(probe, 'build.tests');
      const starter: Record<string, string> = {};
      if (addStarter) {
        starter[starterPath] = starterTest(stack);
        files.plan(starterPath, starter[starterPath], {
          keepReason: `kept the existing ${starterPath}`,
        });
        if (stack === 'node') {
          files.plan(
            'package.json',
            `${JSON.stringify(
              {
                name,
                version: '0.1.0',
                private: true,
                scripts: { start: 'node .', test: 'node --test' },
              },
              null,
              2,
            )}\n`,
            { merge: withTestScript },
          );
        } else if (stack === 'go') {
          // The user's go.mod is never changed; the test only needs one to exist.
          files.plan('go.mod', `module ${name}\n\ngo ${RUNTIME.go}\n`, {
            merge: existing => existing,
          });
        }
      }

      // The Dockerfile, unless the repository builds from a Containerfile.
      if (!containerfile) {
        files.plan('Dockerfile', renderDockerfile(settings), {
          keepReason: 'kept the existing Dockerfile, which the pipeline builds',
        });
        files.plan('.dockerignore', `${DOCKERIGNORE[stack].join('\n')}\n`, {
          merge: existing => mergeLines(existing, DOCKERIGNORE[stack]),
        });
      }

      // The pipeline: only the jobs whose checks do not pass yet.
      const target =
        provider === 'github-actions' ? GITHUB_CI_WORKFLOW : GITLAB_CI_FILE;
      const botFile =
        provider === 'github-actions' ? DEPENDABOT_FILE : RENOVATE_FILE;
      const pipeline = await planPipelineJobs(files, {
        target,
        provider,
        jobs: [
          { id: 'test', check: 'build.tests' },
          { id: 'build-image', check: 'build.artifact' },
        ],
        render: jobs =>
          provider === 'github-actions'
            ? renderGithubWorkflow(settings, jobs)
            : renderGitlabPipeline(settings, jobs),
        add: starter,
      });
      for (const [check, message] of Object.entries(pipeline.alreadyMet)) {
        ctx.logger.info(`${check} already passes, nothing to add: ${message}`);
      }

      // The dependency update bot, unless one is configured.
      if (input.dependencyUpdates ?? true) {
        const bots = await checkWorkspace(files, { without: [botFile] });
        if (passes(bots, 'build.dependency-updates')) {
          ctx.logger.info(
            `build.dependency-updates already passes: ${
              bots.get('build.dependency-updates')!.message
            }`,
          );
        } else if (provider === 'github-actions') {
          const dependabot = renderDependabot(stack);
          files.plan(DEPENDABOT_FILE, dependabot, {
            merge: existing => mergeDependabot(existing, dependabot),
          });
        } else {
          files.plan(
            RENOVATE_FILE,
            `${JSON.stringify(
              {
                $schema: 'https://docs.renovatebot.com/renovate-schema.json',
                extends: ['config:recommended'],
              },
              null,
              2,
            )}\n`,
            // The user's own Renovate config wins.
            { merge: existing => existing },
          );
        }
      }

      const results = await files.apply();
      ctx.output('stack', stack);
      ctx.output('ciProvider', provider);
      ctx.output('image', image);
      ctx.output('addedJobs', pipeline.jobs);
      ctx.output('files', results);
    },
  });
}
