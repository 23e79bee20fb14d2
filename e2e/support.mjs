// The browser harness the e2e tests share: one Chromium per test file, fresh contexts, steps that
// skip when an earlier step failed (and leave a screenshot and the page's errors when they fail),
// and screenshots at desktop and phone width. Lives outside tests/ so `node --test` does not run it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const BASE_URL = process.env.TEJIAN_BASE_URL || 'http://127.0.0.1:8080';
const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const SCREENSHOT_DIR =
  process.env.SCREENSHOT_DIR || path.join(path.dirname(fileURLToPath(import.meta.url)), 'screenshots');

// The SPA is a wasm module: the first paint can take a while on a busy 2-core machine.
export const WAIT_MS = 20_000;
const STEP_TIMEOUT_MS = 120_000;

export const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 375, height: 812 },
];

function slug(text) {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}

/**
 * Registers the browser's start and stop for the calling test file and returns its helpers.
 * `state` holds the flags steps set and `needs`; `contextOptions` add to every new context.
 */
export function harness({ state, contextOptions = {} }) {
  let browser;
  let context;
  let page;
  /** Uncaught exceptions in the page (a wasm panic shows up here). */
  const pageErrors = [];
  /** Console errors, printed when a step fails. */
  const consoleErrors = [];

  before(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  after(async () => {
    await browser?.close();
  });

  /** A fresh browser context (no cookies, no storage) and page, at desktop size. */
  async function freshPage() {
    await context?.close();
    context = await browser.newContext({
      baseURL: BASE_URL,
      viewport: VIEWPORTS[0],
      locale: 'zh-CN',
      ...contextOptions,
    });
    context.setDefaultTimeout(WAIT_MS);
    context.setDefaultNavigationTimeout(WAIT_MS * 2);
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
    });
    return page;
  }

  /**
   * One step of the scenario. `needs` names a `state` flag that an earlier step sets; without
   * it the step is skipped. On failure: a screenshot, the URL and the page's console errors.
   */
  function step(name, { needs } = {}, body) {
    test(name, { timeout: STEP_TIMEOUT_MS }, async (t) => {
      if (needs && !state[needs]) {
        t.skip(`an earlier step did not get to "${needs}"`);
        return;
      }
      try {
        await body();
      } catch (error) {
        const file = path.join(SCREENSHOT_DIR, `failed-${slug(name)}.png`);
        let where = '(no page)';
        if (page && !page.isClosed()) {
          where = page.url();
          await page.screenshot({ path: file, fullPage: true }).catch(() => {});
          const alerts = await page
            .locator('[role="alert"]')
            .allInnerTexts()
            .catch(() => []);
          if (alerts.length) t.diagnostic(`alerts on the page: ${alerts.join(' | ')}`);
        }
        const recent = consoleErrors.slice(-10).join('\n  ');
        t.diagnostic(`page: ${where}; screenshot: ${file}`);
        if (recent) t.diagnostic(`console errors:\n  ${recent}`);
        throw error;
      }
    });
  }

  /** Lets the page lay out (two animation frames). */
  async function settle() {
    await page.evaluate(
      () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
    );
  }

  /**
   * Full-page screenshots at desktop and phone size, `<name>-<w>x<h>.png`; at each size the page
   * must not scroll sideways.
   */
  async function screenshots(name) {
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      await settle();
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      );
      assert.ok(overflow <= 1, `${name} at ${viewport.width}px: the page scrolls sideways by ${overflow}px`);
      await page.screenshot({
        path: path.join(SCREENSHOT_DIR, `${name}-${viewport.width}x${viewport.height}.png`),
        fullPage: true,
      });
    }
    await page.setViewportSize(VIEWPORTS[0]);
    await settle();
  }

  return { freshPage, step, settle, screenshots, pageErrors };
}
