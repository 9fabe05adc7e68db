import path from 'node:path';
import { temporaryDirectory, writeFiles } from './__testUtils__/fixtures';
import { runPaved } from './__testUtils__/runPaved';

// Each run of the binary starts Node.js; CI machines are slow.
jest.setTimeout(180_000);

const component = (name: string, type = 'service') =>
  `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\nspec:\n  type: ${type}\n  lifecycle: production\n  owner: group:default/shop\n`;

/** A monorepo: a root workflow that tests both services, each service with its own files. */
const MONOREPO: Record<string, string> = {
  'catalog-info.yaml':
    'apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  name: shop\nspec:\n  owner: group:default/shop\n',
  '.github/workflows/ci.yml':
    'on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test --workspaces\n',
  'services/cart/catalog-info.yaml': component('cart'),
  'services/cart/package.json':
    '{ "name": "cart", "scripts": { "test": "jest" }, "dependencies": { "ioredis": "^5.4.1" } }\n',
  'services/cart/src/cart.test.js': "test('adds', () => {});\n",
  'services/orders/catalog-info.yaml': component('orders'),
  'services/orders/package.json':
    '{ "name": "orders", "scripts": { "test": "jest" }, "dependencies": { "pg": "^8.12.0" } }\n',
  'services/orders/src/orders.test.js': "test('orders', () => {});\n",
  'services/orders/k8s/deployment.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders\n',
  'packages/money/catalog-info.yaml': component('money', 'library'),
  'packages/money/package.json': '{ "name": "money" }\n',
};

/** The parts of a JSON report the tests read. */
interface Report {
  entity: { entityRef: string; name: string };
  scorecard: {
    inScope: boolean;
    results: Array<{ checkId: string; status: string }>;
  };
  run: { entityFile: string; notes: string[] };
  gate: { outOfScope?: string };
}

describe('paved score: monorepos', () => {
  const tmp = temporaryDirectory();
  const repo = path.join(tmp.dir, 'shop');
  beforeAll(() => writeFiles(repo, MONOREPO));
  afterAll(() => tmp.remove());

  const resultOf = (report: Report, checkId: string) =>
    report.scorecard.results.find(r => r.checkId === checkId)!;

  it('scores every Component of the catalog files in sub-directories, each with its own files and the root pipelines', async () => {
    const run = await runPaved([
      'score',
      repo,
      '--format',
      'json',
      '--allow-out-of-scope',
    ]);
    expect(run.code).toBe(0);
    const { reports } = JSON.parse(run.stdout);
    expect(
      reports.map((r: Report) => [r.entity.entityRef, r.run.entityFile]).sort(),
    ).toEqual([
      ['component:default/cart', 'services/cart/catalog-info.yaml'],
      ['component:default/money', 'packages/money/catalog-info.yaml'],
      ['component:default/orders', 'services/orders/catalog-info.yaml'],
    ]);
    const cart = reports.find((r: Report) => r.entity.name === 'cart');
    const orders = reports.find((r: Report) => r.entity.name === 'orders');
    // The root workflow runs the tests of both.
    expect(resultOf(cart, 'build.tests').status).toBe('pass');
    expect(resultOf(orders, 'build.tests').status).toBe('pass');
    // Each sees its own files only: the Deployment and pg are the orders service's.
    expect(resultOf(orders, 'deploy.manifests').status).toBe('pass');
    expect(resultOf(cart, 'deploy.manifests').status).toBe('fail');
    expect(resultOf(orders, 'data.migrations').status).toBe('fail');
    expect(resultOf(cart, 'data.migrations').status).toBe('not-applicable');
    expect(orders.run.notes.join(' ')).toContain(
      'Scored with the files of services/orders/ and the pipelines at the root',
    );
    // The library is scored too, and said to be out of scope.
    const money = reports.find((r: Report) => r.entity.name === 'money');
    expect(money.scorecard.inScope).toBe(false);
    expect(money.gate.outOfScope).toContain(
      'component:default/money is out of scope',
    );
  });

  it('exits 3 and names the out-of-scope entity in the table, even when the others pass', async () => {
    const run = await runPaved(['score', repo]);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('component:default/cart');
    expect(run.stdout).toContain('component:default/orders');
    expect(run.stdout).toContain(
      'OUT OF SCOPE: component:default/money is out of scope',
    );
  });

  it('scores one entity of the monorepo when pointed at it, by ref or by file', async () => {
    const byRef = await runPaved([
      'score',
      repo,
      '--entity-ref',
      'orders',
      '--format',
      'json',
    ]);
    expect(byRef.code).toBe(0);
    const report = JSON.parse(byRef.stdout);
    expect(report.entity.entityRef).toBe('component:default/orders');
    expect(resultOf(report, 'build.tests').status).toBe('pass');

    const byFile = await runPaved([
      'score',
      repo,
      '--entity',
      path.join(repo, 'services/cart/catalog-info.yaml'),
      '--format',
      'json',
    ]);
    expect(byFile.code).toBe(0);
    const cart = JSON.parse(byFile.stdout);
    expect(cart.entity.entityRef).toBe('component:default/cart');
    expect(cart.run.entityFile).toBe('services/cart/catalog-info.yaml');
    expect(resultOf(cart, 'build.tests').status).toBe('pass');
    expect(resultOf(cart, 'deploy.manifests').status).toBe('fail');
  });

  it('names the entities it found when --entity-ref matches none, and asks for one entity with a baseline', async () => {
    const unknown = await runPaved(['score', repo, '--entity-ref', 'billing']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--entity-ref: no catalog file of');
    expect(unknown.stderr).toContain('component:default/orders');

    const baseline = await runPaved([
      'score',
      repo,
      '--baseline',
      path.join(repo, 'baseline.json'),
    ]);
    expect(baseline.code).toBe(2);
    expect(baseline.stderr).toContain(
      'choose one with --entity-ref or --entity',
    );
  });
});
