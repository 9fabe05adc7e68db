/*
 * Real-browser tests of the whole suite: `npm start` (the real backend with the catalog, the
 * scaffolder with the golden-path actions and the maturity plugin; the frontend dev app), driven
 * by Debian's chromium through Playwright. Run with `npm run test:e2e` from the repository root.
 */
import AxeBuilder from '@axe-core/playwright';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import {
  BACKEND_URL,
  backendGet,
  E2E_PREFIX,
  FRONTEND_URL,
  guestToken,
  LOCAL_REPOSITORIES,
  removeCreated,
  restartBackend,
  ROOT,
  SCREENSHOTS,
  startSuite,
  Suite,
} from './suite';

let suite: Suite;
let page: Page;
/**
 * The golden-path content the suite runs with: a copy of the example platform team's
 * (`examples/golden-path-content`), so that a test can release a new version of it.
 */
let goldenPathContent: string;

/**
 * Opens a frontend path, entering as the guest user when the sign-in page shows; on `on`, a page
 * of its own, when given; done when `ready` shows.
 */
async function open(route: string, on: Page = page, ready?: Locator) {
  await on.goto(`${FRONTEND_URL}${route}`);
  const enter = on.getByRole('button', { name: /^enter$/i });
  // The sidebar's link, unless the caller knows what the page shows (a phone has no sidebar).
  const nav =
    ready ?? on.getByRole('link', { name: 'Catalog', exact: true }).first();
  for (let i = 0; i < 240; i++) {
    if (await enter.isVisible().catch(() => false)) {
      await enter.click();
    } else if (await nav.isVisible().catch(() => false)) {
      return;
    }
    await on.waitForTimeout(500);
  }
  throw new Error(`${route} did not open`);
}

/** Runs a test body; on failure, keeps a screenshot of the page for the reader of the log. */
function withScreenshot(name: string, body: () => Promise<void>) {
  return async () => {
    try {
      await body();
    } catch (error) {
      await page
        .screenshot({ path: path.join(SCREENSHOTS, `failed-${name}.png`) })
        .catch(() => undefined);
      throw error;
    }
  };
}

/** The link to an entity's page, whatever title it shows. */
function entityLink(name: string) {
  return page.locator(`a[href*="/catalog/default/component/${name}"]`).first();
}

/** The maturity card of the entity page currently shown. */
function card() {
  return page
    .locator('article, .MuiCard-root')
    .filter({ has: page.getByText('Platform maturity', { exact: true }) })
    .filter({ has: page.getByLabel('Platform maturity score') })
    .first();
}

/** The lowest text contrast inside an element, as WCAG defines it, and the text that has it. */
async function lowestContrast(
  root: Locator,
): Promise<{ ratio: number; text: string; background: number }> {
  return root.evaluate(element => {
    type Rgba = [number, number, number, number];
    const parse = (css: string): Rgba => {
      const [r, g, b, a = 1] = (css.match(/[\d.]+/g) ?? []).map(Number);
      return [r, g, b, css.startsWith('rgba') ? a : 1];
    };
    const over = (top: Rgba, below: Rgba): Rgba => [
      top[0] * top[3] + below[0] * (1 - top[3]),
      top[1] * top[3] + below[1] * (1 - top[3]),
      top[2] * top[3] + below[2] * (1 - top[3]),
      1,
    ];
    const luminance = ([r, g, b]: Rgba) => {
      const channel = (c: number) => {
        const v = c / 255;
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    // The colour behind an element: its own and its ancestors' backgrounds, composed.
    const backdrop = (node: Element): Rgba => {
      const layers: Rgba[] = [];
      for (let at: Element | null = node; at; at = at.parentElement) {
        layers.push(parse(getComputedStyle(at).backgroundColor));
      }
      return layers.reduceRight<Rgba>(
        (below, layer) => over(layer, below),
        [255, 255, 255, 1],
      );
    };
    let lowest = {
      ratio: Infinity,
      text: '',
      background: luminance(backdrop(element)),
    };
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      const text = node.textContent?.trim();
      // WCAG sets no contrast for disabled controls.
      if (
        !parent ||
        !text ||
        parent.getClientRects().length === 0 ||
        parent.closest('[disabled], [aria-disabled="true"], .Mui-disabled')
      ) {
        continue;
      }
      const behind = backdrop(parent);
      // SVG text (the chart's axes) is painted with its fill, HTML text with its colour.
      const style = getComputedStyle(parent);
      const paint = parent instanceof SVGElement ? style.fill : style.color;
      const front = over(parse(paint), behind);
      const [light, dark] = [luminance(front), luminance(behind)].sort(
        (x, y) => y - x,
      );
      const ratio = (light + 0.05) / (dark + 0.05);
      if (ratio < lowest.ratio) {
        lowest = { ...lowest, ratio, text };
      }
    }
    return lowest;
  });
}

/** Opens search-indexer's page and returns its maturity card once the level shows. */
async function openSearchIndexerCard(): Promise<Locator> {
  // search-indexer ships but has no OpenTelemetry (its instrumentation check fails).
  await open('/catalog/default/component/search-indexer');
  const maturity = card();
  await maturity.getByText('Ships').first().waitFor();
  return maturity;
}

/** Expands the card's instrumentation capability and returns its first Fix link, once shown. */
async function expandInstrumentation(maturity: Locator): Promise<Locator> {
  await maturity
    .getByRole('button', { name: /Instrument, monitor & debug/ })
    .first()
    .click();
  const fix = maturity.getByRole('link', { name: /^Fix: / }).first();
  await fix.waitFor();
  return fix;
}

/** Opens the overview page, waits for its charts and table, and saves a full-page screenshot. */
async function openOverview(screenshot: string) {
  await open('/platform-maturity');
  await page.getByText('Level distribution').first().waitFor();
  await entityLink('search-indexer').waitFor();
  await page.screenshot({
    path: path.join(SCREENSHOTS, screenshot),
    fullPage: true,
  });
}

/**
 * Asserts that every visible text in an element reaches WCAG AA's 4.5:1 contrast with what is
 * behind it; returns the luminance of the element's background.
 */
async function assertReadable(root: Locator, where: string): Promise<number> {
  const lowest = await lowestContrast(root);
  assert.ok(
    lowest.ratio >= 4.5,
    `"${lowest.text}" on the ${where} has contrast ${lowest.ratio.toFixed(
      2,
    )}:1`,
  );
  return lowest.background;
}

describe('the local Paved suite', { timeout: 45 * 60_000 }, () => {
  before(
    async () => {
      // Left over by a run that was killed before its after hook.
      removeCreated();
      goldenPathContent = fs.mkdtempSync(
        path.join(os.tmpdir(), 'paved-e2e-content-'),
      );
      fs.cpSync(
        path.join(ROOT, 'examples/golden-path-content'),
        goldenPathContent,
        { recursive: true },
      );
      suite = await startSuite({
        APP_CONFIG_goldenPath_content_directory: goldenPathContent,
      });
      page = await suite.browser.newPage({
        viewport: { width: 1400, height: 1000 },
      });
      page.setDefaultTimeout(60_000);
    },
    { timeout: 20 * 60_000 },
  );

  // Runs whether the tests passed or failed, so that the next `npm test` finds a clean checkout.
  after(async () => {
    try {
      await suite?.stop();
    } finally {
      removeCreated();
      if (goldenPathContent) {
        fs.rmSync(goldenPathContent, { recursive: true, force: true });
      }
    }
  });

  it(
    'shows the card on an entity page, expands a capability and follows Fix into add-capabilities',
    withScreenshot('card', async () => {
      const maturity = await openSearchIndexerCard();
      await maturity.screenshot({ path: path.join(SCREENSHOTS, 'card.png') });

      const fix = await expandInstrumentation(maturity);
      await maturity.screenshot({
        path: path.join(SCREENSHOTS, 'card-expanded.png'),
      });
      await assertReadable(maturity, 'card');
      await fix.click();

      await page.waitForURL(/\/create\/templates\/default\/add-capabilities/);
      const url = new URL(page.url());
      const formData = JSON.parse(url.searchParams.get('formData') ?? '{}');
      assert.equal(formData.entity, 'component:default/search-indexer');
      assert.deepEqual(formData.capabilities, ['observe']);
      // The template form shows the entity prefilled.
      await page
        .locator('input[value*="search-indexer"]')
        .first()
        .waitFor({ timeout: 60_000 });
      await page.screenshot({
        path: path.join(SCREENSHOTS, 'add-capabilities.png'),
      });
    }),
  );

  it(
    'loads the overview page with the level distribution and the entity table',
    withScreenshot('overview', async () => {
      await openOverview('overview.png');
    }),
  );

  it(
    "shows each service's level in the catalog table, linked to its maturity tab",
    withScreenshot('catalog', async () => {
      const maturity = page.getByRole('columnheader', { name: 'Maturity' });
      await open(
        '/catalog?filters[kind]=component&filters[user]=all',
        page,
        maturity,
      );
      const row = page
        .getByRole('row')
        .filter({ has: page.locator('a[href$="/component/checkout-api"]') });
      const level = row.getByRole('link', { name: /^L\d / });
      await level.waitFor();
      await page.screenshot({ path: path.join(SCREENSHOTS, 'catalog.png') });
      await level.click();
      await page.waitForURL(
        /\/catalog\/default\/component\/checkout-api\/platform-maturity$/,
      );
      await page
        .locator('.paved-platform-maturity-tab')
        .getByText('History', { exact: true })
        .first()
        .waitFor();
    }),
  );

  it(
    'renders the card, the tab and the overview readably in the dark theme',
    withScreenshot('dark', async () => {
      await open('/catalog/default/component/search-indexer');
      // The app keeps the chosen theme in local storage, as its theme switcher does.
      await page.evaluate(() => localStorage.setItem('theme', 'dark'));
      try {
        const maturity = await openSearchIndexerCard();
        await expandInstrumentation(maturity);
        await maturity.screenshot({
          path: path.join(SCREENSHOTS, 'card-dark.png'),
        });
        const background = await assertReadable(maturity, 'card');
        assert.ok(
          background < 0.1,
          `the card has a dark background (luminance ${background})`,
        );

        await open(
          '/catalog/default/component/search-indexer/platform-maturity',
        );
        await page.getByText('History', { exact: true }).first().waitFor();
        await page.screenshot({
          path: path.join(SCREENSHOTS, 'tab-dark.png'),
          fullPage: true,
        });
        await assertReadable(page.locator('main').first(), 'tab');

        await openOverview('overview-dark.png');
        await assertReadable(page.locator('main').first(), 'overview');
      } finally {
        await page.evaluate(() => localStorage.removeItem('theme'));
      }
    }),
  );

  describe('reading the scorecard at desktop and phone sizes', () => {
    const VIEWPORTS = [
      { name: '1440', width: 1440, height: 900 },
      { name: '390', width: 390, height: 844 },
    ];

    /** WCAG 2.1 A and AA violations inside `selector`, as readable lines. */
    async function accessibilityViolations(
      on: Page,
      selector: string,
    ): Promise<string[]> {
      const results = await new AxeBuilder({ page: on })
        .include(selector)
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
        .analyze();
      return results.violations.map(
        v =>
          `${v.id} (${v.impact}): ${v.help} at ${v.nodes
            .slice(0, 3)
            .map(n => n.target.join(' '))
            .join(', ')}`,
      );
    }

    /**
     * Single words that the layout broke over two lines ("Sco re", "producti on") inside
     * `selector`: a word's text box has more than one line box.
     */
    async function brokenWords(on: Page, selector: string): Promise<string[]> {
      return on.locator(selector).evaluateAll(roots => {
        const broken: string[] = [];
        for (const root of roots) {
          const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const text = n.textContent ?? '';
            const range = document.createRange();
            let at = 0;
            for (const word of text.split(/(\s+)/)) {
              if (word.trim().length > 1) {
                range.setStart(n, at);
                range.setEnd(n, at + word.length);
                const lines = new Set(
                  [...range.getClientRects()]
                    .filter(r => r.width > 0)
                    .map(r => Math.round(r.top)),
                );
                if (lines.size > 1) {
                  broken.push(word);
                }
              }
              at += word.length;
            }
          }
        }
        return broken;
      });
    }

    /**
     * A screenshot of the whole page: the app scrolls inside its own container, not the document,
     * so the viewport grows to the tallest content for the shot.
     */
    async function fullShot(on: Page, file: string) {
      const size = on.viewportSize()!;
      const height = await on.evaluate(() =>
        Math.max(
          ...[...document.querySelectorAll('body, body *')].map(
            e => e.scrollHeight,
          ),
        ),
      );
      await on.setViewportSize({
        width: size.width,
        height: Math.min(Math.max(height, size.height), 12_000),
      });
      await on.waitForTimeout(500);
      await on.screenshot({ path: file });
      await on.setViewportSize(size);
    }

    async function assertAccessible(on: Page, selector: string, where: string) {
      const violations = await accessibilityViolations(on, selector);
      assert.deepEqual(violations, [], `accessibility of the ${where}`);
    }

    // forEach, not a loop: each test reads `suite` when it runs.
    VIEWPORTS.forEach(viewport => {
      it(`shows the card, the tab and the overview readably and accessibly at ${viewport.width}×${viewport.height}`, async () => {
        // A context of its own: axe-core's Playwright builder needs one.
        const context = await suite.browser.newContext({
          viewport: { width: viewport.width, height: viewport.height },
        });
        const on = await context.newPage();
        on.setDefaultTimeout(60_000);
        const shot = (name: string) =>
          path.join(SCREENSHOTS, `${name}-${viewport.name}.png`);
        try {
          // checkout-api: failing checks below its next level and a waiver that ran out.
          const maturity = on.locator('.paved-platform-maturity-card');
          await open(
            '/catalog/default/component/checkout-api',
            on,
            maturity.getByText(/^To reach level/),
          );
          await maturity.scrollIntoViewIfNeeded();
          await maturity.screenshot({ path: shot('card') });
          // The title is a heading; the next level's blockers each have a Fix link.
          await maturity
            .getByRole('heading', { name: 'Platform maturity' })
            .waitFor();
          const blockers = maturity.getByRole('region', {
            name: /^To reach level/,
          });
          assert.ok(
            (await blockers.getByRole('link', { name: /^Fix: / }).count()) > 0,
            'the checks that block the next level have Fix links',
          );
          await maturity
            .getByRole('region', { name: 'Waivers' })
            .getByText('Waiver expired')
            .waitFor();
          await assertAccessible(on, '.paved-platform-maturity-card', 'card');

          const tab = on.locator('.paved-platform-maturity-tab');
          await open(
            '/catalog/default/component/checkout-api/platform-maturity',
            on,
            tab.getByText('History', { exact: true }).first(),
          );
          await tab
            .getByRole('list', { name: 'History points, newest first' })
            .waitFor();
          await fullShot(on, shot('tab'));
          // History points are reachable by keyboard.
          const point = tab.locator('g[tabindex="0"][role="img"]').first();
          await point.focus();
          assert.match(
            (await point.getAttribute('aria-label')) ?? '',
            /\d{1,2}:\d{2}/,
            'a history point names its time',
          );
          await assertAccessible(on, '.paved-platform-maturity-tab', 'tab');

          const overview = on.locator('.paved-platform-maturity-overview');
          await open(
            '/platform-maturity',
            on,
            overview.getByText('Level distribution').first(),
          );
          const firstEntity = overview
            .getByRole('list', { name: 'Scorecards of the entities' })
            .or(
              overview.getByRole('table', {
                name: 'Scorecards of the entities',
              }),
            )
            .locator('a[href*="/catalog/default/component/"]')
            .first();
          await firstEntity.waitFor();

          // Rows lead to the maturity tab, not to the entity's overview.
          assert.match(
            (await firstEntity.getAttribute('href')) ?? '',
            /\/platform-maturity$/,
          );
          assert.deepEqual(
            await brokenWords(on, '.paved-platform-maturity-overview'),
            [],
            'no word is broken over two lines on the overview',
          );
          const overflow = await on.evaluate(
            () => document.documentElement.scrollWidth - window.innerWidth,
          );
          assert.ok(
            overflow <= 0,
            `the overview fits the width of the screen (${overflow} px too wide)`,
          );
          await fullShot(on, shot('overview'));
          await assertAccessible(
            on,
            '.paved-platform-maturity-overview',
            'overview',
          );
        } catch (error) {
          await on
            .screenshot({
              path: path.join(
                SCREENSHOTS,
                `failed-reading-${viewport.name}.png`,
              ),
              fullPage: true,
            })
            .catch(() => undefined);
          throw error;
        } finally {
          await context.close();
        }
      });
    });
  });

  it(
    'runs typescript-service to completion with the local target; the new entity reaches the top level and is listed',
    withScreenshot('typescript-service', async () => {
      const name = `${E2E_PREFIX}orders-${Date.now().toString(36)}`;
      await open('/create/templates/default/typescript-service');

      await page.getByLabel(/^Name/).first().fill(name);
      await page
        .getByLabel(/^Description/)
        .first()
        .fill('Orders placed in the end-to-end test');
      const owner = page.getByLabel(/^Owner/).first();
      await owner.click();
      // The pickers show entity titles.
      await owner.fill('Storefront');
      await page.getByRole('option', { name: 'Storefront' }).first().click();
      const system = page.getByLabel(/^System/).first();
      await system.click();
      await system.fill('shop');
      await page.getByRole('option', { name: /shop/i }).first().click();
      await page.getByRole('button', { name: 'Next' }).click();

      await page
        .getByLabel(/PagerDuty service id/)
        .first()
        .fill('PE2E001');
      await page.getByRole('button', { name: 'Next' }).click();

      await page
        .getByLabel(/^Publish to/)
        .first()
        .click();
      await page
        .getByRole('option', { name: /local repository root/ })
        .first()
        .click();
      await page.getByRole('button', { name: 'Review' }).click();
      await page.getByRole('button', { name: 'Create' }).click();

      // The task page: every step completes and the output links to the new entity.
      const openInCatalog = page.getByRole('link', {
        name: /open in catalog/i,
      });
      const failed = page.getByText(/^Error: /).first();
      await openInCatalog
        .first()
        .or(failed)
        .waitFor({ timeout: 10 * 60_000 });
      if (await failed.isVisible()) {
        throw new Error(
          `The template run failed: ${await failed.textContent()}`,
        );
      }
      await page.screenshot({
        path: path.join(SCREENSHOTS, 'typescript-service-task.png'),
        fullPage: true,
      });

      // The backend scores the registered entity on its next scheduled run (every minute here).
      let level: number | null | undefined;
      for (let i = 0; i < 180 && level !== 4; i++) {
        const response = await backendGet<{
          scorecard: { level: { level: number } | null };
        }>(`/api/platform-maturity/v1/scorecards/component/default/${name}`);
        level = response?.scorecard.level?.level;
        if (level !== 4) {
          await new Promise(resolve => setTimeout(resolve, 1000));
        }
      }
      assert.equal(level, 4, 'the new service is scored at the top level');

      await openInCatalog.first().click();
      const maturity = card();
      await maturity.getByText('Self-serve').first().waitFor();
      await maturity.screenshot({
        path: path.join(SCREENSHOTS, 'new-service-card.png'),
      });

      await open(`/platform-maturity?q=${name}`);
      await page
        .getByRole('link', { name: new RegExp(name) })
        .first()
        .waitFor();
    }),
  );

  describe('the golden-path forms and the Fix loop on an example service', () => {
    const repository = path.join(LOCAL_REPOSITORIES, 'search-indexer');
    /** git in the example's repository (a git repository under the local root). */
    const gitIn = (...args: string[]) =>
      execFileSync('git', ['-C', repository, ...args], {
        encoding: 'utf8',
      }).trim();
    let exampleCommit: string | undefined;

    // Fix commits to the example's repository; put it back as it was (every start makes the
    // same example commit).
    after(() => {
      if (exampleCommit && gitIn('rev-parse', 'HEAD') !== exampleCommit) {
        gitIn('reset', '--hard', '--quiet', exampleCommit);
      }
    });

    it(
      'fixes a failing check of search-indexer: Fix, Next, Review, Create; the run commits to its repository and the card shows the higher level',
      withScreenshot('fix-loop', async () => {
        exampleCommit = gitIn('rev-parse', 'HEAD');
        const maturity = await openSearchIndexerCard();
        const fix = await expandInstrumentation(maturity);
        await fix.click();
        await page.waitForURL(/\/create\/templates\/default\/add-capabilities/);

        // Before the first click: only the local commit can work for this service (no GitHub
        // credentials here, and its repository is a directory on the server); the form says so.
        const target = page.getByLabel(/^Deliver the change as/).first();
        await page
          .getByText(
            /^Not offered: A pull request to the service's repository\./,
          )
          .waitFor();
        await page
          .getByText('A new commit in the local repository root')
          .first()
          .waitFor();
        assert.match(
          (await target.textContent()) ?? '',
          /local repository root/,
          'the only target that works is chosen',
        );
        await page.screenshot({
          path: path.join(SCREENSHOTS, 'fix-loop-form.png'),
          fullPage: true,
        });
        await page.getByRole('button', { name: 'Next' }).click();

        // Details: only what the chosen capability needs.
        await page
          .getByLabel(/PagerDuty service id/)
          .first()
          .fill('PE2E001');
        assert.equal(
          await page.getByLabel(/Container image repository/).count(),
          0,
          'no image field for observe',
        );
        await page.getByRole('button', { name: 'Review' }).click();
        await page.getByRole('button', { name: 'Create' }).click();

        const openInCatalog = page.getByRole('link', {
          name: /open in catalog/i,
        });
        const failed = page.getByText(/^Error: /).first();
        await openInCatalog
          .first()
          .or(failed)
          .waitFor({ timeout: 10 * 60_000 });
        if (await failed.isVisible()) {
          throw new Error(
            `The template run failed: ${await failed.textContent()}`,
          );
        }
        await page.screenshot({
          path: path.join(SCREENSHOTS, 'fix-loop-task.png'),
          fullPage: true,
        });
        // No link to a file: URL, which the browser would block.
        assert.equal(await page.locator('a[href^="file:"]').count(), 0);

        // The run committed to the example's repository.
        assert.equal(gitIn('rev-parse', 'HEAD~1'), exampleCommit);
        assert.match(gitIn('log', '-1', '--format=%s'), /^Add observe/);

        // The backend scores the commit at its next run (every minute here).
        let level: number | undefined;
        for (let i = 0; i < 180 && level !== 3; i++) {
          const response = await backendGet<{
            scorecard: { level: { level: number } | null };
          }>(
            '/api/platform-maturity/v1/scorecards/component/default/search-indexer',
          ).catch(() => undefined); // asked again while the backend restarts
          level = response?.scorecard.level?.level;
          if (level !== 3) {
            await new Promise(resolve => setTimeout(resolve, 1000));
          }
        }
        assert.equal(level, 3, 'search-indexer reaches level 3 (Operable)');

        await openInCatalog.first().click();
        await card().getByText('Operable').first().waitFor();
        await card().screenshot({
          path: path.join(SCREENSHOTS, 'fix-loop-card.png'),
        });
      }),
    );

    it(
      "checks a new service's name as it is typed, and that it is free before the next step",
      withScreenshot('service-name', async () => {
        await open('/create/templates/default/typescript-service');
        const name = page.getByLabel(/^Name/).first();
        await name.fill('Orders_Svc.v2');
        // The server's rule, in words (no pattern mangled by Markdown), before any click.
        await page
          .getByText(
            "'Orders_Svc.v2' is not a valid service name: use lower-case letters, digits and dashes, starting and ending with a letter or digit (like orders-api).",
          )
          .waitFor();
        await name.fill('checkout-api');
        const owner = page.getByLabel(/^Owner/).first();
        await owner.click();
        await owner.fill('Storefront');
        await page.getByRole('option', { name: 'Storefront' }).first().click();
        const system = page.getByLabel(/^System/).first();
        await system.click();
        await system.fill('shop');
        await page.getByRole('option', { name: /shop/i }).first().click();
        await page.getByRole('button', { name: 'Next' }).click();
        await page
          .getByText(
            'component:default/checkout-api already exists in the catalog; choose another name.',
          )
          .first()
          .waitFor();
        await page.screenshot({
          path: path.join(SCREENSHOTS, 'service-name-taken.png'),
          fullPage: true,
        });
      }),
    );
  });
  describe('golden-path drift and upgrade', () => {
    /** The status and message of a service's golden-path check, as the backend stored it. */
    async function drift(name: string) {
      const response = await backendGet<{
        scorecard: {
          results: Array<{ checkId: string; status: string; message: string }>;
        };
      }>(
        `/api/platform-maturity/v1/scorecards/component/default/${name}`,
      ).catch(
        () => undefined, // asked again while the backend restarts
      );
      return response?.scorecard.results.find(
        r => r.checkId === 'as-code.golden-path-current',
      );
    }

    async function waitForDrift(name: string, status: string) {
      let result: Awaited<ReturnType<typeof drift>>;
      for (let i = 0; i < 300 && result?.status !== status; i++) {
        result = await drift(name);
        if (result?.status !== status) {
          await new Promise(resolve => setTimeout(resolve, 1000));
        }
      }
      assert.equal(result?.status, status, `${name}: ${result?.message}`);
      return result!;
    }

    it(
      'creates a service with content 1.0.0; after 1.1.0 the card says it is behind; the upgrade template brings it current',
      withScreenshot('golden-path-upgrade', async () => {
        const name = `${E2E_PREFIX}billing-${Date.now().toString(36)}`;
        // 1. A service made from the golden path at 1.0.0 (through the scaffolder's API).
        const token = await guestToken();
        const created = await fetch(`${BACKEND_URL}/api/scaffolder/v2/tasks`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({
            templateRef: 'template:default/typescript-service',
            values: {
              name,
              description: 'Bills in the end-to-end test',
              owner: 'group:default/team-storefront',
              system: 'system:default/shop',
              lifecycle: 'production',
              ciProvider: 'github-actions',
              onCallProvider: 'pagerduty',
              pagerDutyServiceId: 'PE2E002',
              publishTarget: 'local',
            },
          }),
        });
        assert.equal(created.status, 201, await created.clone().text());
        const { id } = (await created.json()) as { id: string };
        let status = '';
        for (
          let i = 0;
          i < 600 && !['completed', 'failed'].includes(status);
          i++
        ) {
          const task = await fetch(
            `${BACKEND_URL}/api/scaffolder/v2/tasks/${id}`,
            {
              headers: { authorization: `Bearer ${token}` },
            },
          );
          status = ((await task.json()) as { status: string }).status;
          await new Promise(resolve => setTimeout(resolve, 1000));
        }
        assert.equal(
          status,
          'completed',
          'typescript-service ran to completion',
        );
        const current = await waitForDrift(name, 'pass');
        assert.equal(
          current.message,
          'On the current golden path (acme-platform 1.0.0).',
        );

        // 2. The platform team releases 1.1.0: its disruption budget gains a line.
        const pdb = path.join(
          goldenPathContent,
          'deploy/helm/charts/${{ values.name }}/templates/pdb.yaml',
        );
        fs.appendFileSync(pdb, '# Reviewed by the platform team for 1.1.0.\n');
        const changelog = path.join(goldenPathContent, 'CHANGELOG.yaml');
        fs.writeFileSync(
          changelog,
          fs
            .readFileSync(changelog, 'utf8')
            .replace(
              'releases:\n',
              'releases:\n  - version: 1.1.0\n    changes:\n      - The disruption budget is reviewed.\n',
            ),
        );
        // A deployment restarts its backend to take new content; the scores follow at once.
        await restartBackend();
        const behind = await waitForDrift(name, 'fail');
        assert.equal(
          behind.message,
          'Behind the golden path: on 1.0.0, the current is 1.1.0. Changed since: 1.1.0: The disruption budget is reviewed.',
        );

        // 3. The card says so, with a Fix link to the upgrade template.
        await open(`/catalog/default/component/${name}`);
        const maturity = card();
        await maturity
          .getByText(/Behind the golden path: on 1\.0\.0/)
          .first()
          .waitFor();
        await maturity.screenshot({
          path: path.join(SCREENSHOTS, 'golden-path-behind.png'),
        });
        await maturity
          .getByRole('link', { name: 'Fix: On the current golden path' })
          .first()
          .click();
        await page.waitForURL(
          /\/create\/templates\/default\/upgrade-golden-path/,
        );
        await page
          .getByText('A new commit in the local repository root')
          .first()
          .waitFor();
        await page.getByRole('button', { name: 'Review' }).click();
        await page.getByRole('button', { name: 'Create' }).click();
        const openInCatalog = page.getByRole('link', {
          name: /open in catalog/i,
        });
        const failed = page.getByText(/^Error: /).first();
        await openInCatalog
          .first()
          .or(failed)
          .waitFor({ timeout: 10 * 60_000 });
        if (await failed.isVisible()) {
          throw new Error(`The upgrade failed: ${await failed.textContent()}`);
        }
        await page
          .getByText('From acme-platform 1.0.0 to acme-platform 1.1.0.')
          .first()
          .waitFor();
        await page.screenshot({
          path: path.join(SCREENSHOTS, 'golden-path-upgrade-task.png'),
          fullPage: true,
        });
        // The new content is committed to the service's repository.
        const repository = path.join(LOCAL_REPOSITORIES, name);
        assert.match(
          fs.readFileSync(
            path.join(repository, `charts/${name}/templates/pdb.yaml`),
            'utf8',
          ),
          /Reviewed by the platform team for 1\.1\.0/,
        );

        // 4. Scored again, the service is current.
        await waitForDrift(name, 'pass');
        await openInCatalog.first().click();
        const upgraded = card();
        await upgraded
          .getByRole('button', { name: /Everything as code/ })
          .first()
          .click();
        await upgraded
          .getByText('On the current golden path (acme-platform 1.1.0).')
          .first()
          .waitFor();
        await upgraded.screenshot({
          path: path.join(SCREENSHOTS, 'golden-path-current.png'),
        });
      }),
    );
  });
});
