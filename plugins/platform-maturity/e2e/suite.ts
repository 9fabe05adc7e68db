/*
 * Starts the local suite exactly as `npm start` does and drives it with Debian's chromium.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Browser, chromium } from 'playwright-core';

/** The repository root. */
export const ROOT = path.resolve(__dirname, '../../..');
export const FRONTEND_URL = 'http://localhost:3000';
export const BACKEND_URL = 'http://localhost:7007';
/** Screenshots go to this git-ignored folder. */
export const SCREENSHOTS = path.join(ROOT, 'screenshots');

const LOG = path.join(ROOT, 'test-results', 'suite.log');

/** Where the local suite publishes the repositories its templates create (`app-config.yaml`). */
export const LOCAL_REPOSITORIES = path.join(ROOT, '.paved', 'repositories');
/** What the browser tests create is named with this prefix, so that it can be removed. */
export const E2E_PREFIX = 'e2e-';

/**
 * Removes what the browser tests created in the checkout: the repositories their template runs
 * published (`.paved/repositories/e2e-*`). The catalog and the scorecards live in the in-memory
 * database of `npm start` and go with it.
 */
export function removeCreated(): void {
  let names: string[];
  try {
    names = fs.readdirSync(LOCAL_REPOSITORIES);
  } catch {
    return;
  }
  for (const name of names) {
    if (name.startsWith(E2E_PREFIX)) {
      fs.rmSync(path.join(LOCAL_REPOSITORIES, name), {
        recursive: true,
        force: true,
      });
    }
  }
}

async function waitFor(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs: number,
  suite?: ChildProcess,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (suite && suite.exitCode !== null) {
      throw new Error(
        `npm start exited (code ${suite.exitCode}) before ${what}; see ${LOG}`,
      );
    }
    if (await probe().catch(() => false)) {
      return;
    }
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
  throw new Error(`Timed out waiting for ${what}; see ${LOG}`);
}

/** A token of the guest user, as the frontend gets it at sign-in. */
export async function guestToken(): Promise<string> {
  const res = await fetch(`${BACKEND_URL}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  if (!res.ok) {
    throw new Error(`Guest sign-in failed: ${res.status} ${await res.text()}`);
  }
  const body = (await res.json()) as { backstageIdentity: { token: string } };
  return body.backstageIdentity.token;
}

/** GET a backend route as the guest user. */
export async function backendGet<T>(route: string): Promise<T | undefined> {
  const res = await fetch(`${BACKEND_URL}${route}`, {
    headers: { authorization: `Bearer ${await guestToken()}` },
  });
  if (res.status === 404) {
    return undefined;
  }
  if (!res.ok) {
    throw new Error(`GET ${route}: ${res.status} ${await res.text()}`);
  }
  return (await res.json()) as T;
}

/** Debian's chromium, headless; no background networking (the machine has no internet). */
function launchChromium(): Promise<Browser> {
  return chromium.launch({
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
}

/** The running suite: `npm start`, plus a browser. */
export interface Suite {
  browser: Browser;
  stop(): Promise<void>;
}

/**
 * Restarts the backend of the running suite, as a deployment restarts it after a configuration
 * or content change: `npm start` restarts its backend when a file the backend loaded changes, so
 * touching its entry point is enough. Waits until it is ready again.
 */
export async function restartBackend(): Promise<void> {
  const before = await fetch(`${BACKEND_URL}/.backstage/health/v1/readiness`)
    .then(r => r.ok)
    .catch(() => false);
  if (!before) {
    throw new Error('The backend is not running');
  }
  const entry = path.join(
    ROOT,
    'plugins/platform-maturity-backend/dev/index.ts',
  );
  const now = new Date();
  fs.utimesSync(entry, now, now);
  // Down first (the old process stops), then up again.
  await waitFor(
    'the backend to stop',
    async () =>
      !(await fetch(`${BACKEND_URL}/.backstage/health/v1/readiness`)
        .then(r => r.ok)
        .catch(() => false)),
    60_000,
  );
  await waitFor(
    'the backend to start again',
    async () =>
      (
        await fetch(`${BACKEND_URL}/.backstage/health/v1/readiness`)
      ).ok,
    5 * 60_000,
  );
}

/**
 * Runs `npm start` from the repository root, waits until the backend is ready, the frontend is
 * served and the first evaluation run has finished, and launches chromium. `env` is added to
 * the environment of `npm start` (such as `APP_CONFIG_*` settings).
 */
export async function startSuite(
  env: Record<string, string> = {},
): Promise<Suite> {
  fs.mkdirSync(path.dirname(LOG), { recursive: true });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  if (process.env.PAVED_E2E_EXTERNAL) {
    // Against an `npm start` that is already running (handy while writing tests).
    const browser = await launchChromium();
    return { browser, stop: () => browser.close() };
  }
  const log = fs.openSync(LOG, 'w');
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, ...env, BROWSER: 'none' },
  });
  const stopChild = async () => {
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      await new Promise(resolve => setTimeout(resolve, 2000));
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  try {
    await waitFor(
      'the backend',
      async () =>
        (
          await fetch(`${BACKEND_URL}/.backstage/health/v1/readiness`)
        ).ok,
      5 * 60_000,
      child,
    );
    await waitFor(
      'the frontend',
      async () => (await fetch(FRONTEND_URL)).ok,
      10 * 60_000,
      child,
    );
    await waitFor(
      'the first evaluation run',
      async () =>
        (
          await backendGet<{ status: string }>(
            '/api/platform-maturity/v1/runs/latest',
          )
        )?.status === 'succeeded',
      5 * 60_000,
      child,
    );
    const browser = await launchChromium();
    return {
      browser,
      async stop() {
        await browser.close();
        await stopChild();
      },
    };
  } catch (error) {
    await stopChild();
    throw error;
  }
}
