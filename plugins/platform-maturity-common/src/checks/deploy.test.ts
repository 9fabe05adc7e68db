import { checkResult, serviceEntity } from '../testing/fixtures';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: orders
spec:
  replicas: 2
  selector:
    matchLabels:
      app: orders
  template:
    spec:
      containers:
        - name: orders
          image: ghcr.io/acme/orders:1.4.2
`;

const ARGO_CD_APPLICATION = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: orders
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://github.com/acme/orders
    path: deploy/overlays/prod
  destination:
    server: https://kubernetes.default.svc
    namespace: orders
  syncPolicy:
    automated: { prune: true, selfHeal: true }
`;

const FLUX_HELM_RELEASE = `---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: orders
spec:
  interval: 10m
  chart:
    spec:
      chart: ./charts/orders
      sourceRef:
        kind: GitRepository
        name: orders
`;

const ARGO_ROLLOUT = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: orders
spec:
  strategy:
    canary:
      steps:
        - setWeight: 20
        - pause: { duration: 5m }
`;

const SAM_TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      AutoPublishAlias: live
      DeploymentPreference:
        Type: Canary10Percent5Minutes
        Alarms:
          - !Ref OrdersErrorsAlarm
`;

const CLOUD_RUN_SERVICE = `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: orders
spec:
  template:
    spec:
      containers:
        - image: europe-docker.pkg.dev/acme/orders/orders:1.4.2
`;

describe('deploy checks', () => {
  describe('deploy.manifests', () => {
    it.each([
      [
        'Helm chart',
        {
          'charts/orders/Chart.yaml':
            'apiVersion: v2\nname: orders\nversion: 0.3.1\n',
          'charts/orders/values.yaml':
            'image:\n  repository: ghcr.io/acme/orders\n',
        },
        'charts/orders/Chart.yaml',
      ],
      [
        'Kustomize',
        {
          'deploy/base/kustomization.yaml':
            'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n',
        },
        'deploy/base/kustomization.yaml',
      ],
      [
        'Kubernetes manifests',
        { 'k8s/deployment.yaml': DEPLOYMENT },
        'k8s/deployment.yaml',
      ],
      [
        'Kubernetes manifests',
        {
          'orders/kubernetes.yml': `apiVersion: v1\nkind: Service\n---\n${DEPLOYMENT}`,
        },
        'orders/kubernetes.yml',
      ],
      [
        'Argo CD Application',
        { 'argocd/orders.yaml': ARGO_CD_APPLICATION },
        'argocd/orders.yaml',
      ],
      [
        'Flux',
        { 'deploy/flux/orders.yaml': FLUX_HELM_RELEASE },
        'deploy/flux/orders.yaml',
      ],
      [
        'Serverless Framework',
        {
          'serverless.yml':
            'service: orders\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n  api:\n    handler: src/handler.api\n',
        },
        'serverless.yml',
      ],
      ['AWS SAM template', { 'template.yaml': SAM_TEMPLATE }, 'template.yaml'],
      [
        'Cloud Run (Knative) service',
        { 'service.yaml': CLOUD_RUN_SERVICE },
        'service.yaml',
      ],
      [
        'App Engine',
        {
          'app.yaml':
            'runtime: python312\ninstance_class: F2\nentrypoint: gunicorn -b :$PORT main:app\n',
        },
        'app.yaml',
      ],
      [
        'Fly.io',
        { 'fly.toml': "app = 'orders'\nprimary_region = 'ams'\n" },
        'fly.toml',
      ],
      [
        'Render Blueprint',
        {
          'render.yaml':
            'services:\n  - type: web\n    name: orders\n    runtime: node\n',
        },
        'render.yaml',
      ],
      [
        'Terraform',
        {
          'infra/main.tf':
            'resource "google_storage_bucket" "assets" {\n  name = "orders-assets"\n}\n\nresource "google_cloud_run_v2_service" "orders" {\n  name     = "orders"\n  location = "europe-west1"\n}\n',
        },
        'infra/main.tf',
      ],
      [
        'deploy step in the pipeline',
        {
          '.github/workflows/deploy.yml':
            'jobs:\n  deploy:\n    steps:\n      - run: gcloud run deploy orders --image "$IMAGE" --region europe-west1\n',
        },
        '.github/workflows/deploy.yml',
      ],
      [
        'deploy step in the pipeline',
        {
          '.gitlab-ci.yml':
            'deploy:\n  stage: deploy\n  script:\n    - helm upgrade orders platform/service --install -f values-prod.yaml\n',
        },
        '.gitlab-ci.yml',
      ],
    ])('passes with %s', (form, files, ref) => {
      const result = checkResult('deploy.manifests', {
        files: { ...files, 'src/index.ts': '' },
      });
      expect(result.status).toBe('pass');
      expect(result.message).toContain(form);
      expect(result.evidence[0].ref).toBe(ref);
    });

    it('reports the matched line of a manifest', () => {
      const result = checkResult('deploy.manifests', {
        files: { 'k8s/deployment.yaml': DEPLOYMENT },
      });
      expect(result.evidence).toEqual([
        {
          type: 'file',
          ref: 'k8s/deployment.yaml',
          line: 2,
          detail: 'kind: Deployment',
        },
      ]);
    });

    it('passes on the Argo CD annotation, without the repository', () => {
      const result = checkResult('deploy.manifests', {
        entity: serviceEntity({
          metadata: { annotations: { 'argocd/app-name': 'orders-prod' } },
        }),
      });
      expect(result.status).toBe('pass');
      expect(result.evidence).toEqual([
        { type: 'annotation', ref: 'argocd/app-name', detail: 'orders-prod' },
      ]);
    });

    it('fails with only a docker-compose file, and says why it does not count', () => {
      const result = checkResult('deploy.manifests', {
        files: {
          'docker-compose.yml':
            'services:\n  orders:\n    build: .\n    ports: ["8080:8080"]\n    deploy:\n      replicas: 2\n',
          Dockerfile: 'FROM node:20\n',
        },
      });
      expect(result.status).toBe('fail');
      expect(result.message).toMatch(/No deployment definition found/);
      expect(result.message).toMatch(
        /docker-compose.yml only describes containers for local use/,
      );
      expect(result.evidence).toEqual([]);
      expect(result.nearMisses).toEqual([
        {
          type: 'file',
          ref: 'docker-compose.yml',
          reason:
            'only describes containers for local use, which is not a deployment',
        },
      ]);
    });

    it('fails when only backstage.io/kubernetes-id links the entity to a cluster', () => {
      const result = checkResult('deploy.manifests', {
        entity: serviceEntity({
          metadata: { annotations: { 'backstage.io/kubernetes-id': 'orders' } },
        }),
        files: {
          'infra/main.tf':
            'resource "aws_s3_bucket" "assets" {\n  bucket = "orders-assets"\n}\n',
          'k8s/configmap.yaml':
            'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: orders\n',
        },
      });
      expect(result.status).toBe('fail');
      expect(result.message).toMatch(
        /backstage\.io\/kubernetes-id annotation links the entity to a cluster/,
      );
      expect(result.nearMisses).toEqual([
        {
          type: 'annotation',
          ref: 'backstage.io/kubernetes-id',
          detail: 'orders',
          reason:
            'links the entity to a cluster but does not define how it is deployed',
        },
      ]);
    });

    it('is unknown when the repository could not be read', () => {
      const result = checkResult('deploy.manifests', {});
      expect(result.status).toBe('unknown');
      expect(result.message).toMatch(/deployment definition/);
    });
    it('follows the pipeline into the script that deploys', () => {
      const result = checkResult('deploy.manifests', {
        files: {
          '.github/workflows/deploy.yml':
            'steps:\n  - run: bash scripts/deploy.sh production\n',
          'scripts/deploy.sh':
            '#!/usr/bin/env bash\nset -euo pipefail\nhelm upgrade --install orders ./chart-src --wait\n',
        },
      });
      expect(result.status).toBe('pass');
      expect(result.evidence[1]).toMatchObject({
        ref: 'scripts/deploy.sh',
        line: 3,
      });
    });

    it('does not take a commented-out deploy step or manifest', () => {
      const result = checkResult('deploy.manifests', {
        files: {
          '.github/workflows/deploy.yml':
            'steps:\n  # - run: kubectl apply -f k8s/\n  - run: echo skipped\n',
          'k8s/app.yaml': '# apiVersion: apps/v1\n# kind: Deployment\n',
        },
      });
      expect(result.status).toBe('fail');
    });
  });

  describe('deploy.versioning', () => {
    it.each([
      [
        'release-please',
        'release-please-config.json',
        '{ "packages": { ".": {} } }',
      ],
      ['semantic-release', '.releaserc.json', '{ "branches": ["main"] }'],
      ['Changesets', '.changeset/config.json', '{ "baseBranch": "main" }'],
      [
        'GoReleaser',
        '.goreleaser.yaml',
        'version: 2\nbuilds:\n  - main: ./cmd/orders\n',
      ],
    ])('passes with %s', (tool, path, content) => {
      const result = checkResult('deploy.versioning', {
        files: { [path]: content },
      });
      expect(result.status).toBe('pass');
      expect(result.message).toContain(tool);
      expect(result.evidence).toEqual([
        { type: 'file', ref: path, detail: tool },
      ]);
    });

    it.each([
      [
        'semantic-release configured in package.json',
        'package.json',
        '{\n  "name": "orders",\n  "release": {\n    "branches": ["main"]\n  }\n}',
        '"release": {',
      ],
      [
        'the release-please action',
        '.github/workflows/release.yml',
        'on:\n  push:\n    branches: [main]\njobs:\n  release:\n    steps:\n      - uses: googleapis/release-please-action@v4\n',
        '- uses: googleapis/release-please-action@v4',
      ],
      [
        'semantic-release in GitLab CI',
        '.gitlab-ci.yml',
        'release:\n  stage: release\n  script:\n    - npx semantic-release\n',
        '- npx semantic-release',
      ],
      [
        'docker/metadata-action with semver tags',
        '.github/workflows/image.yml',
        'steps:\n  - uses: docker/metadata-action@v5\n    with:\n      images: ghcr.io/acme/orders\n      tags: |\n        type=semver,pattern={{version}}\n',
        'type=semver,pattern={{version}}',
      ],
      [
        'an image tagged with the Git tag in GitLab CI',
        '.gitlab-ci.yml',
        'build:\n  script:\n    - docker build -t $CI_REGISTRY_IMAGE:$CI_COMMIT_TAG .\n    - docker push $CI_REGISTRY_IMAGE:$CI_COMMIT_TAG\n',
        '- docker build -t $CI_REGISTRY_IMAGE:$CI_COMMIT_TAG .',
      ],
      [
        'an image tagged with the commit SHA in GitHub Actions',
        '.github/workflows/ci.yml',
        'steps:\n  - run: docker build -t ghcr.io/acme/orders:${{ github.sha }} .\n',
        '- run: docker build -t ghcr.io/acme/orders:${{ github.sha }} .',
      ],
      [
        'a Cloud Build image tagged with the short SHA',
        'cloudbuild.yaml',
        "steps:\n  - name: gcr.io/cloud-builders/docker\n    args: ['build', '-t', 'gcr.io/$PROJECT_ID/orders:$SHORT_SHA', '.']\n",
        "args: ['build', '-t', 'gcr.io/$PROJECT_ID/orders:$SHORT_SHA', '.']",
      ],
      [
        'a release workflow triggered by version tags',
        '.github/workflows/release.yml',
        "on:\n  push:\n    tags: ['v*']\njobs:\n  release:\n    steps:\n      - run: make release\n",
        "tags: ['v*']",
      ],
      [
        'a changelog with version headings',
        'CHANGELOG.md',
        '# Changelog\n\n## [Unreleased]\n\n## [1.4.2] - 2026-10-02\n\n### Fixed\n\n- Retry payment webhooks\n',
        '## [1.4.2] - 2026-10-02',
      ],
      [
        'a changelog with bare versions',
        'CHANGELOG.md',
        '# orders\n\n## v2.0.0\n\n- Drop Node 18\n',
        '## v2.0.0',
      ],
    ])('passes with %s', (_form, path, content, line) => {
      const result = checkResult('deploy.versioning', {
        files: { [path]: content },
      });
      expect(result.status).toBe('pass');
      expect(result.evidence[0]).toMatchObject({
        type: 'file',
        ref: path,
        detail: line,
      });
    });

    it('names the first form that a pipeline file shows, wherever in the file it is', () => {
      // The image tag comes first in the file, but release tooling comes first in the list of
      // forms: the file's release tooling is reported.
      const result = checkResult('deploy.versioning', {
        files: {
          '.github/workflows/release.yml': [
            'jobs:',
            '  image:',
            '    steps:',
            '      - run: docker push ghcr.io/acme/orders:${{ github.sha }}',
            '  release:',
            '    steps:',
            '      - uses: googleapis/release-please-action@v4',
          ].join('\n'),
        },
      });
      expect(result.status).toBe('pass');
      expect(result.message).toContain('release tooling in the pipeline');
      expect(result.evidence).toEqual([
        {
          type: 'file',
          ref: '.github/workflows/release.yml',
          line: 7,
          detail: '- uses: googleapis/release-please-action@v4',
        },
      ]);
    });

    it('fails when images are only tagged latest, and says so', () => {
      const result = checkResult('deploy.versioning', {
        files: {
          '.github/workflows/ci.yml':
            'jobs:\n  image:\n    steps:\n      - uses: actions/checkout@v4\n      - run: docker build -t ghcr.io/acme/orders:latest .\n      - run: docker push ghcr.io/acme/orders:latest\n',
        },
      });
      expect(result.status).toBe('fail');
      expect(result.message).toMatch(/only tagged `latest`/);
      expect(result.evidence).toEqual([
        {
          type: 'file',
          ref: '.github/workflows/ci.yml',
          line: 5,
          detail: '- run: docker build -t ghcr.io/acme/orders:latest .',
        },
      ]);
    });

    it('fails with an unreleased changelog and a release script that versions nothing', () => {
      const result = checkResult('deploy.versioning', {
        files: {
          'CHANGELOG.md': '# Changelog\n\n## [Unreleased]\n\n- First draft\n',
          'package.json':
            '{ "name": "orders", "scripts": { "release": "npm run build && ./deploy.sh" } }',
          '.github/workflows/ci.yml':
            'steps:\n  - uses: actions/checkout@v4\n  - run: npm test\n',
        },
      });
      expect(result.status).toBe('fail');
      expect(result.message).toMatch(/CHANGELOG\.md has no version headings/);
      expect(result.nearMisses).toEqual([
        {
          type: 'file',
          ref: 'CHANGELOG.md',
          reason: 'has no version headings',
        },
      ]);
    });

    it('is unknown when the repository could not be read', () => {
      expect(checkResult('deploy.versioning', {}).status).toBe('unknown');
    });
  });

  describe('deploy.versioning: the forms seen in real repositories', () => {
    it.each([
      [
        '.github/workflows/release.yml',
        '- run: docker build -t ghcr.io/acme/orders:${{ env.version }} .',
      ],
      [
        '.github/workflows/release.yml',
        '- run: docker push acme/orders:${{ inputs.version }}',
      ],
      [
        '.github/workflows/release.yml',
        '- run: docker build -t $REGISTRY/orders:$TAG .',
      ],
      [
        '.github/workflows/release.yml',
        '- run: docker build -t orders:${VERSION}-${SHORT_SHA} .',
      ],
      [
        '.github/workflows/release.yml',
        '- run: docker build -t orders:$(git rev-parse --short HEAD) .',
      ],
      [
        '.github/workflows/release.yml',
        '- run: gh release create "$TAG" --generate-notes',
      ],
      [
        '.github/workflows/release.yml',
        '- uses: softprops/action-gh-release@v2',
      ],
      [
        'RELEASE_NOTES.md',
        '# Release notes\n\n## 2.3.0\n\n- Faster checkout\n',
      ],
      ['NEWS.md', '## v1.4\n'],
      ['docs/release-notes.md', '## 1.0.0 (2026-01-02)\n'],
      [
        'deploy/production/deployment.yaml',
        'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: orders\n          image: ghcr.io/acme/orders:1.4.2-3f9c2ab\n',
      ],
    ])('passes with %s (%#)', (path, content) => {
      const result = checkResult('deploy.versioning', {
        files: { [path]: content },
      });
      expect(result.status).toBe('pass');
      expect(result.evidence[0].ref).toBe(path);
    });

    it('follows the pipeline into the Make target that tags the image', () => {
      const result = checkResult('deploy.versioning', {
        files: {
          '.github/workflows/release.yml': 'steps:\n  - run: make push\n',
          Makefile:
            'IMAGE ?= ghcr.io/acme/orders\npush:\n\tdocker push $(IMAGE):$(VERSION)\n',
        },
      });
      expect(result.status).toBe('pass');
      expect(result.evidence.map(e => e.ref)).toEqual([
        '.github/workflows/release.yml',
        'Makefile',
      ]);
    });

    it('does not take a commented-out release step or an image pinned to latest', () => {
      const result = checkResult('deploy.versioning', {
        files: {
          '.github/workflows/release.yml':
            'steps:\n  # - uses: softprops/action-gh-release@v2\n  - run: docker push acme/orders:latest\n',
          'k8s/deployment.yaml':
            'apiVersion: apps/v1\nkind: Deployment\n# image: acme/orders:1.2.3\n',
        },
      });
      expect(result.status).toBe('fail');
    });
  });

  describe('deploy: the forms seen in real repositories', () => {
    it.each([
      [
        'an Argo Rollouts Rollout under examples/',
        {
          'examples/canary/rollout.yaml':
            'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: shop\n',
        },
        'examples/canary/rollout.yaml',
      ],
      [
        'an ERB-templated Deployment (krane)',
        {
          'config/deploy/production/web.yaml.erb':
            'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n    shipit.sha: <%= current_sha %>\n',
        },
        'config/deploy/production/web.yaml.erb',
      ],
      [
        'a Heroku Procfile',
        { Procfile: 'web: bin/server --port $PORT\n' },
        'Procfile',
      ],
      [
        'a Heroku app manifest',
        {
          'app.json':
            '{\n  "name": "shop",\n  "buildpacks": [{ "url": "heroku/nodejs" }],\n  "addons": ["heroku-postgresql"]\n}\n',
        },
        'app.json',
      ],
      [
        'a Railway config',
        {
          'railway.json':
            '{ "deploy": { "startCommand": "node server.js" } }\n',
        },
        'railway.json',
      ],
      [
        'a DigitalOcean App Platform spec',
        { '.do/app.yaml': 'name: shop\nservices:\n  - name: web\n' },
        '.do/app.yaml',
      ],
      [
        'an Elastic Beanstalk config',
        {
          '.elasticbeanstalk/config.yml':
            'deploy:\n  artifact: build/shop.zip\nglobal:\n  application_name: shop\n',
        },
        '.elasticbeanstalk/config.yml',
      ],
      [
        'a Cloud Foundry manifest',
        {
          'manifest.yml':
            'applications:\n  - name: shop\n    memory: 512M\n    instances: 2\n',
        },
        'manifest.yml',
      ],
      [
        'a fortrabbit config',
        { 'fortrabbit.yml': 'version: 2\npost: php artisan migrate --force\n' },
        'fortrabbit.yml',
      ],
      [
        'Fly.io configs named per environment',
        {
          'ops/fly/staging.toml':
            'app = "shop-staging"\nprimary_region = "ams"\n',
        },
        'ops/fly/staging.toml',
      ],
      [
        'a Netlify site of the service',
        {
          'netlify.toml':
            '[build]\ncommand = "npm run build"\n\n[[plugins]]\npackage = "@netlify/plugin-nextjs"\n',
        },
        'netlify.toml',
      ],
    ])('deploy.manifests passes with %s', (_name, files, path) => {
      const result = checkResult('deploy.manifests', { files });
      expect(result.status).toBe('pass');
      expect(result.evidence[0].ref).toBe(path);
    });

    it('cites the kind line of a Kubernetes object found by its content', () => {
      const result = checkResult('deploy.manifests', {
        files: {
          'environments/prod/api.yml':
            'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: api\n',
        },
      });
      expect(result.status).toBe('pass');
      expect(result.evidence[0]).toMatchObject({
        ref: 'environments/prod/api.yml',
        line: 2,
        detail: 'kind: StatefulSet',
      });
    });

    it.each([
      [
        'a kind key without an apiVersion',
        { 'tools/lint.yaml': 'rules:\n  - id: naming\nkind: Service\n' },
      ],
      [
        'a Netlify site that publishes the documentation',
        {
          'netlify.toml':
            '[build]\npublish = "docs/site/"\ncommand = "mkdocs build"\n',
        },
      ],
      [
        'an app.json of another tool',
        { 'mobile/app.json': '{ "expo": { "name": "shop" } }\n' },
      ],
      ['a local Procfile', { 'Procfile.dev': 'web: bin/rails server\n' }],
      [
        'a manifest.yml of another tool',
        { 'web/manifest.yml': 'name: shop\nicons: []\n' },
      ],
    ])('deploy.manifests fails with %s', (_name, files) => {
      expect(checkResult('deploy.manifests', { files }).status).toBe('fail');
    });

    it.each([
      [
        'a Shipit rollback command',
        {
          'shipit.yml':
            'deploy:\n  override:\n    - ./bin/deploy\nrollback:\n  override:\n    - ./bin/deploy --previous\n',
        },
        'shipit.yml',
      ],
      [
        'Fly.io automatic rollback',
        {
          'deploy/fly/prod.toml':
            'app = "shop"\n\n[experimental]\n  auto_rollback = true\n',
        },
        'deploy/fly/prod.toml',
      ],
      [
        'an Argo Rollouts Rollout outside the usual directories',
        {
          'examples/blue-green/rollout.yaml':
            'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: shop\n',
        },
        'examples/blue-green/rollout.yaml',
      ],
    ])('deploy.rollback passes with %s', (_name, files, path) => {
      const result = checkResult('deploy.rollback', { files });
      expect(result.status).toBe('pass');
      expect(result.evidence[0].ref).toBe(path);
    });

    it('does not take a test of database migration rollbacks for a way back', () => {
      const result = checkResult('deploy.rollback', {
        files: {
          '.github/workflows/test.yml':
            'jobs:\n  test:\n    steps:\n      - name: Start migration:rollback test\n        run: php artisan migrate:rollback --force\n',
        },
      });
      expect(result.status).toBe('fail');
    });

    it.each([
      [
        'a tag list with a commit tag of its own',
        {
          '.github/workflows/images.yml':
            'jobs:\n  push:\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          push: true\n          tags: ${{ steps.name.outputs.result }},${{ github.sha }}\n',
        },
        '.github/workflows/images.yml',
      ],
      ['a committed version file', { VERSION: '3.2.0\n' }, 'VERSION'],
      [
        'a pipeline on version tags that publishes the release',
        {
          '.github/workflows/release.yml':
            "on:\n  push:\n    tags:\n      - 'v*'\njobs:\n  publish:\n    steps:\n      - run: ./gradlew publish\n",
        },
        '.github/workflows/release.yml',
      ],
      [
        'a GitLab job on version tags that creates the release',
        {
          '.gitlab-ci.yml':
            'release:\n  stage: release\n  image: registry.gitlab.com/gitlab-org/release-cli:v0.24.0\n  rules:\n    - if: $CI_COMMIT_TAG =~ /^v\\d+\\.\\d+\\.\\d+/\n  script:\n    - echo "Releasing $CI_COMMIT_TAG"\n  release:\n    tag_name: $CI_COMMIT_TAG\n',
        },
        '.gitlab-ci.yml',
      ],
    ])('deploy.versioning passes with %s', (_name, files, path) => {
      const result = checkResult('deploy.versioning', { files });
      expect(result.status).toBe('pass');
      expect(result.evidence[0].ref).toBe(path);
    });

    it.each([
      [
        'a pipeline on version tags that only builds and tests',
        {
          '.github/workflows/ci.yml':
            "on:\n  push:\n    tags:\n      - 'v*'\njobs:\n  build:\n    steps:\n      - run: ./gradlew test\n",
        },
      ],
      [
        'a tag list passed in from the caller',
        {
          '.github/workflows/image.yml':
            'jobs:\n  push:\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          tags: ${{ inputs.tags }}\n',
        },
      ],
    ])('deploy.versioning fails with %s', (_name, files) => {
      expect(checkResult('deploy.versioning', { files }).status).toBe('fail');
    });

    it.each([
      [
        'a Skaffold build tagged with the release version, in a script the pipeline calls',
        {
          '.github/workflows/release.yml':
            'jobs:\n  release:\n    steps:\n      - run: bash ./docs/release/cut.sh\n',
          'docs/release/cut.sh':
            'skaffold build --default-repo="$REPO" --tag="${NEW_VERSION}"\n',
        },
        'docs/release/cut.sh',
      ],
      [
        'a Cloud Deploy release named after the commit',
        {
          'cloudbuild.yaml':
            'steps:\n  - name: gcr.io/cloud-builders/gcloud\n    args:\n      - "deploy"\n      - "releases"\n      - "create"\n      - "shop-$SHORT_SHA"\n',
        },
        'cloudbuild.yaml',
      ],
    ])('deploy.versioning passes with %s', (_name, files, path) => {
      const result = checkResult('deploy.versioning', { files });
      expect(result.status).toBe('pass');
      expect(result.evidence.map(e => e.ref)).toContain(path);
    });
  });

  describe('deploy.rollback', () => {
    it.each([
      [
        'a rollback step with helm rollback',
        '.gitlab-ci.yml',
        'rollback:prod:\n  stage: deploy\n  when: manual\n  script:\n    - helm rollback orders 0 --wait\n',
        '- helm rollback orders 0 --wait',
      ],
      [
        'kubectl rollout undo in a Jenkinsfile',
        'Jenkinsfile',
        "pipeline {\n  stages {\n    stage('Undo') {\n      steps { sh 'kubectl -n orders rollout undo deployment/orders' }\n    }\n  }\n}\n",
        "steps { sh 'kubectl -n orders rollout undo deployment/orders' }",
      ],
      [
        'a rollback command in a release script',
        'scripts/release.sh',
        '#!/usr/bin/env bash\nset -euo pipefail\nif ! ./smoke-test.sh; then\n  helm rollback "$RELEASE" 0 --wait\nfi\n',
        'helm rollback "$RELEASE" 0 --wait',
      ],
      [
        'helm upgrade --atomic',
        '.github/workflows/deploy.yml',
        'steps:\n  - run: helm upgrade --install orders ./charts/orders --atomic --timeout 5m\n',
        '- run: helm upgrade --install orders ./charts/orders --atomic --timeout 5m',
      ],
      [
        'a rollback job in the pipeline',
        '.github/workflows/deploy.yml',
        'on: workflow_dispatch\njobs:\n  deploy:\n    steps:\n      - run: ./deploy.sh\n  roll-back:\n    if: failure()\n    steps:\n      - run: ./deploy.sh --previous\n',
        'roll-back:',
      ],
      [
        'an Argo CD Application in the repository',
        'deploy/argocd/orders.yaml',
        ARGO_CD_APPLICATION,
        'apiVersion: argoproj.io/v1alpha1',
      ],
      [
        'a Flux HelmRelease',
        'deploy/flux/orders.yaml',
        FLUX_HELM_RELEASE,
        'apiVersion: helm.toolkit.fluxcd.io/v2',
      ],
      ['an Argo Rollout', 'k8s/rollout.yaml', ARGO_ROLLOUT, 'kind: Rollout'],
      [
        'an ECS deployment circuit breaker',
        'infra/ecs.tf',
        'resource "aws_ecs_service" "orders" {\n  name = "orders"\n  deployment_circuit_breaker {\n    enable   = true\n    rollback = true\n  }\n}\n',
        'rollback = true',
      ],
      [
        'SAM deployment preferences',
        'template.yaml',
        SAM_TEMPLATE,
        'DeploymentPreference:',
      ],
      [
        'a runbook section',
        'docs/runbooks/orders.md',
        '# Orders runbook\n\n## Deploying\n\nMerge to main.\n\n## Rolling back a release\n\nRedeploy the previous tag.\n',
        '## Rolling back a release',
      ],
      [
        'a README heading',
        'README.md',
        '# orders\n\n### Roll back\n\nRun the deploy workflow with the previous version.\n',
        '### Roll back',
      ],
      [
        'a Cloud Run traffic shift in the runbook',
        'RUNBOOK.md',
        '# Orders\n\nIf a release misbehaves:\n\n```sh\ngcloud run services update-traffic orders --to-revisions=orders-00041-abc=100\n```\n',
        'gcloud run services update-traffic orders --to-revisions=orders-00041-abc=100',
      ],
    ])('passes with %s', (_form, path, content, line) => {
      const result = checkResult('deploy.rollback', {
        files: { [path]: content },
      });
      expect(result.status).toBe('pass');
      expect(result.evidence[0]).toMatchObject({
        type: 'file',
        ref: path,
        detail: line,
      });
    });

    it('passes with a rollback workflow, by its name', () => {
      const result = checkResult('deploy.rollback', {
        files: {
          '.github/workflows/rollback.yml': 'on: workflow_dispatch\njobs: {}\n',
        },
      });
      expect(result.status).toBe('pass');
      expect(result.message).toContain('.github/workflows/rollback.yml');
      expect(result.evidence).toEqual([
        {
          type: 'file',
          ref: '.github/workflows/rollback.yml',
          detail: 'rollback workflow',
        },
      ]);
    });

    it('passes on the Argo CD annotation, without the repository', () => {
      const result = checkResult('deploy.rollback', {
        entity: serviceEntity({
          metadata: { annotations: { 'argocd/app-selector': 'app=orders' } },
        }),
      });
      expect(result.status).toBe('pass');
      expect(result.message).toMatch(/reverting the commit/);
      expect(result.evidence[0]).toMatchObject({
        type: 'annotation',
        ref: 'argocd/app-selector',
      });
    });

    it('fails when the pipeline only deploys forward and the docs say nothing about going back', () => {
      const result = checkResult('deploy.rollback', {
        files: {
          '.github/workflows/deploy.yml':
            'jobs:\n  deploy:\n    steps:\n      - run: kubectl apply -f k8s/\n      - run: kubectl rollout status deployment/orders\n',
          'README.md':
            '# orders\n\n## Deploy\n\nMerging to main deploys. Rollbacks are rare.\n',
          'k8s/deployment.yaml': DEPLOYMENT,
        },
      });
      expect(result.status).toBe('fail');
      expect(result.message).toMatch(/No rollback path found/);
      // It names the workloads the way back is missing for.
      expect(result.message).toMatch(
        /Rejected: k8s\/deployment\.yaml:2 defines Kubernetes workloads that no rollback command, GitOps controller or progressive delivery rolls back\./,
      );
      expect(result.nearMisses).toEqual([
        {
          type: 'file',
          ref: 'k8s/deployment.yaml',
          line: 2,
          detail: 'kind: Deployment',
          reason:
            'defines Kubernetes workloads that no rollback command, GitOps controller or progressive delivery rolls back',
        },
      ]);
    });

    it('stays fast on large, odd pipeline files', () => {
      const started = Date.now();
      const result = checkResult('deploy.rollback', {
        files: {
          '.github/workflows/ci.yml': `  ${'rollback-'.repeat(
            20000,
          )}\n${'helm upgrade '.repeat(5000)}\nname:${' '.repeat(50000)}`,
          'README.md': `# ${' '.repeat(50000)}\n`,
        },
      });
      expect(result.status).toBe('fail');
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it('is unknown when the repository could not be read', () => {
      expect(checkResult('deploy.rollback', {}).status).toBe('unknown');
    });
  });
});
