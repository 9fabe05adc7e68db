/*
 * The running part of the adopter test: starts the adopter's app (`yarn start`, backend and
 * frontend on free ports) and checks what an adopter sees once README's install steps are applied:
 * the backend starts without errors, the maturity routes answer 401 without a token and 200 with a
 * guest token, the scaffolder lists the `paved:*` actions, the schedule scores the example
 * entities, a dry run of the typescript-service template reaches level 4, and in Debian's chromium
 * the card, the tab and the overview render and the Fix link opens the prefilled form.
 *
 * Usage: node --require <cli>/config/nodeTransform.cjs scripts/adopter/check-app.ts <app> <logs>
 */
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { chromium, Page } from 'playwright-core';
import yaml from 'yaml';

const [app, logs] = process.argv.slice(2).map(p => path.resolve(p));
const LOG = path.join(logs, 'app.log');

/** A port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs: number,
  child: ChildProcess,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(
        `yarn start exited (code ${child.exitCode}) before ${what}; see ${LOG}`,
      );
    }
    // A probe that knows the wait is hopeless says so; other errors mean "not yet".
    const ready = await probe().catch(error =>
      String(error).includes('did not start') ? Promise.reject(error) : false,
    );
    if (ready) return;
    await new Promise(resolve => setTimeout(resolve, 2000));
  }
  throw new Error(`Timed out waiting for ${what}; see ${LOG}`);
}

const timings: string[] = [];
/** Failures that do not stop the later checks; reported at the end. */
const failures: string[] = [];
async function step<T>(name: string, body: () => Promise<T>): Promise<T> {
  const started = Date.now();
  console.log(`-- ${name} ...`);
  const result = await body();
  const took = ((Date.now() - started) / 1000).toFixed(0);
  timings.push(`${name.padEnd(44)} ${took.padStart(5)} s`);
  console.log(`-- ${name}: ${took} s`);
  return result;
}

async function main() {
  const backendPort = await freePort();
  const frontendPort = await freePort();
  const backendUrl = `http://localhost:${backendPort}`;
  const frontendUrl = `http://localhost:${frontendPort}`;
  // Only the ports differ from the adopter's configuration (3000 and 7007 may be taken).
  const ports = path.join(logs, 'app-config.ports.yaml');
  fs.writeFileSync(
    ports,
    yaml.stringify({
      app: { baseUrl: frontendUrl },
      backend: {
        baseUrl: backendUrl,
        listen: { port: backendPort },
        cors: { origin: frontendUrl },
      },
    }),
  );

  const log = fs.openSync(LOG, 'w');
  const child = spawn(
    'yarn',
    ['start', '--config', path.join(app, 'app-config.yaml'), '--config', ports],
    {
      cwd: app,
      detached: true,
      stdio: ['ignore', log, log],
      env: { ...process.env, BROWSER: 'none' },
    },
  );
  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
        try {
          process.kill(-child.pid, signal);
        } catch {
          return;
        }
        await new Promise(resolve => setTimeout(resolve, 3000));
      }
    }
  };

  async function guestToken(): Promise<string> {
    const res = await fetch(`${backendUrl}/api/auth/guest/refresh`, {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    if (res.status !== 200) {
      throw new Error(`Guest sign-in: ${res.status} ${await res.text()}`);
    }
    const body = (await res.json()) as {
      backstageIdentity: { token: string };
    };
    return body.backstageIdentity.token;
  }
  async function get(route: string, token?: string) {
    return fetch(`${backendUrl}${route}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  }

  try {
    await step('backend ready', () =>
      waitFor(
        'the backend',
        async () => {
          if (fs.readFileSync(LOG, 'utf8').includes('Backend startup failed')) {
            throw new Error(`The backend did not start; see ${LOG}`);
          }
          return (await fetch(`${backendUrl}/.backstage/health/v1/readiness`))
            .ok;
        },
        10 * 60_000,
        child,
      ),
    );
    const token = await guestToken();

    await step('routes: 401 without a token, 200 with one', async () => {
      for (const route of [
        '/api/platform-maturity/v1/checklist',
        '/api/platform-maturity/v1/scorecards',
        '/api/platform-maturity/v1/summary',
      ]) {
        assert.equal((await get(route)).status, 401, `${route} without token`);
        assert.equal((await get(route, token)).status, 200, `${route}`);
      }
    });

    await step('scaffolder lists the paved:* actions', async () => {
      const res = await get('/api/scaffolder/v2/actions', token);
      assert.equal(res.status, 200);
      const ids = ((await res.json()) as Array<{ id: string }>).map(a => a.id);
      for (const id of [
        'paved:catalog:write',
        'paved:build:add',
        'paved:deploy:add',
        'paved:observe:add',
        'paved:data:add',
        'paved:capacity:add',
        'paved:policy:check',
        'paved:maturity:verify',
        'paved:publish:local',
        'paved:fetch:local',
      ]) {
        assert.ok(ids.includes(id), `${id} is not listed`);
      }
    });

    const scorecard = '/v1/scorecards/component/default/example-website';
    await step('the schedule scores the example entities', async () => {
      try {
        await waitFor(
          `a scorecard of component:default/example-website`,
          async () =>
            (await get(`/api/platform-maturity${scorecard}`, token)).status ===
            200,
          3 * 60_000,
          child,
        );
      } catch {
        const run = await get('/api/platform-maturity/v1/runs/latest', token);
        failures.push(
          `the schedule scored nothing within 3 minutes of the backend start (latest run: ${await run.text()})`,
        );
        // "Evaluate now", as the card offers, so that the browser checks can go on.
        const res = await fetch(
          `${backendUrl}/api/platform-maturity${scorecard}/refresh`,
          { method: 'POST', headers: { authorization: `Bearer ${token}` } },
        );
        if (res.status !== 200) {
          throw new Error(`Refresh: ${res.status} ${await res.text()}`);
        }
      }
    });

    await step('template dry run reaches level 4', async () => {
      const dir = path.join(app, 'paved-templates/typescript-service');
      const contents = fs
        .readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter(e => e.isFile())
        .map(e => {
          const file = path.join(e.parentPath, e.name);
          return {
            path: path.relative(dir, file).split(path.sep).join('/'),
            base64Content: fs.readFileSync(file).toString('base64'),
          };
        });
      const res = await fetch(`${backendUrl}/api/scaffolder/v2/dry-run`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          template: yaml.parse(
            fs.readFileSync(path.join(dir, 'template.yaml'), 'utf8'),
          ),
          values: {
            name: 'adopter-orders',
            description: 'Takes and tracks customer orders',
            owner: 'group:default/guests',
            system: 'system:default/examples',
            lifecycle: 'production',
            ciProvider: 'github-actions',
            onCallProvider: 'pagerduty',
            pagerDutyServiceId: 'PX1A2B3',
            publishTarget: 'scm',
            repoUrl: 'github.com?owner=adopter&repo=adopter-orders',
          },
          directoryContents: contents,
        }),
      });
      const body = (await res.json()) as {
        log?: Array<{ body: { message: string; stepId?: string } }>;
      };
      const verify = (body.log ?? [])
        .filter(l => l.body.stepId === 'verify')
        .map(l => l.body.message)
        .join('\n');
      assert.equal(res.status, 200, JSON.stringify(body).slice(0, 2000));
      assert.match(verify, /level 4 \(Self-serve\), score 100/);
    });

    await step('frontend served', () =>
      waitFor(
        'the frontend',
        async () => (await fetch(frontendUrl)).ok,
        15 * 60_000,
        child,
      ),
    );

    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const page = await browser.newPage({
      viewport: { width: 1400, height: 1000 },
    });
    page.setDefaultTimeout(60_000);
    const shot = (name: string) =>
      page
        .screenshot({ path: path.join(logs, `${name}.png`), fullPage: true })
        .catch(() => undefined);
    try {
      await step('browser: card, Fix link, tab, overview', async () => {
        await open(
          page,
          `${frontendUrl}/catalog/default/component/example-website`,
        );
        const card = page
          .locator('article, .MuiCard-root')
          .filter({ has: page.getByText('Platform maturity', { exact: true }) })
          .filter({ has: page.getByLabel('Platform maturity score') })
          .first();
        await card.waitFor();
        await shot('card');
        // The example entities have no on-call or dashboard annotations: their observe checks
        // fail, and a failing check has a Fix link once its capability is expanded.
        await card
          .getByRole('button', { name: /Instrument, monitor & debug/ })
          .first()
          .click();
        const fix = card.getByRole('link', { name: /^Fix: / }).first();
        await fix.waitFor();
        await fix.click();
        await page.waitForURL(/\/create\/templates\/default\/add-capabilities/);
        const formData = JSON.parse(
          new URL(page.url()).searchParams.get('formData') ?? '{}',
        );
        assert.equal(formData.entity, 'component:default/example-website');
        await page.locator('input[value*="example-website"]').first().waitFor();
        await shot('fix-form');

        await open(
          page,
          `${frontendUrl}/catalog/default/component/example-website/platform-maturity`,
        );
        await page.getByText('History', { exact: true }).first().waitFor();
        await shot('tab');

        await open(page, `${frontendUrl}/platform-maturity`);
        await page.getByText('Level distribution').first().waitFor();
        await page
          .locator('a[href*="/catalog/default/component/example-website"]')
          .first()
          .waitFor();
        await shot('overview');
      });
    } catch (error) {
      await shot('failed');
      throw error;
    } finally {
      await browser.close();
    }

    await step('backend log has no errors', async () => {
      // Backstage's log lines: <time> <plugin> <level> <message>, coloured.
      const errors = fs
        .readFileSync(LOG, 'utf8')
        .replace(/\x1b\[[0-9;]*m/g, '')
        .split('\n')
        .filter(l => /^\S*\d{4}-\d\d-\d\dT[\d:.]+Z \S+ error /.test(l));
      if (errors.length > 0) {
        failures.push(`the backend logged errors:\n${errors.join('\n')}`);
      }
    });
  } finally {
    await stop();
  }
  console.log('\nChecks of the running app:');
  for (const line of timings) console.log(`  ${line}`);
  if (failures.length > 0) {
    throw new Error(`Failed:\n- ${failures.join('\n- ')}`);
  }
}

/** Opens a page, entering as the guest user when the sign-in page shows. */
async function open(page: Page, url: string) {
  await page.goto(url);
  const enter = page.getByRole('button', { name: /^enter$/i });
  const nav = page.getByRole('link', { name: /^(Catalog|Home)$/ }).first();
  for (let i = 0; i < 240; i++) {
    if (await enter.isVisible().catch(() => false)) {
      await enter.click();
    } else if (await nav.isVisible().catch(() => false)) {
      return;
    }
    await page.waitForTimeout(500);
  }
  throw new Error(`${url} did not open`);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
