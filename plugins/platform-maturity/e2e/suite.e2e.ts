/*
 * Real-browser tests of the whole suite: `npm start` (the real backend with the catalog, the
 * scaffolder with the golden-path actions and the maturity plugin; the frontend dev app), driven
 * by Debian's chromium through Playwright. Run with `npm run test:e2e` from the repository root.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import {
  backendGet,
  E2E_PREFIX,
  FRONTEND_URL,
  removeCreated,
  SCREENSHOTS,
  startSuite,
  Suite,
} from './suite';

let suite: Suite;
let page: Page;

/** Opens a frontend path, entering as the guest user when the sign-in page shows. */
async function open(route: string) {
  await page.goto(`${FRONTEND_URL}${route}`);
  const enter = page.getByRole('button', { name: /^enter$/i });
  const nav = page.getByRole('link', { name: 'Catalog', exact: true }).first();
  for (let i = 0; i < 240; i++) {
    if (await enter.isVisible().catch(() => false)) {
      await enter.click();
    } else if (await nav.isVisible().catch(() => false)) {
      return;
    }
    await page.waitForTimeout(500);
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

describe('the local Paved suite', { timeout: 30 * 60_000 }, () => {
  before(
    async () => {
      // Left over by a run that was killed before its after hook.
      removeCreated();
      suite = await startSuite();
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
});
