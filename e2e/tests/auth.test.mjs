// Sign-in, password change and sign-out in a real Chromium (manual 7.1 and 8.1).
//
// Run through `cargo xtask e2e`, which starts a server with fresh demo data and sets
// TEJIAN_BASE_URL, CHROMIUM_PATH and SCREENSHOT_DIR. The steps run in order and share one
// browser; a step whose precondition failed is skipped rather than failing a second time.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BASE_URL = process.env.TEJIAN_BASE_URL || 'http://127.0.0.1:8080';
const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SCREENSHOT_DIR =
  process.env.SCREENSHOT_DIR ||
  path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'screenshots');

// The SPA is a wasm module: the first paint can take a while on a busy 2-core machine.
const WAIT_MS = 20_000;
const STEP_TIMEOUT_MS = 120_000;

const USERNAME = 'demo-ent-1';
const OLD_PASSWORD = 'Tejian-demo-2026';
const NEW_PASSWORD = 'E2e-New-Pass-2026!';
const GENERIC_LOGIN_ERROR = '用户名或密码错误，请重新输入';
const TOP_MENUS = ['设备管理', '企业自助服务', '企业信息维护', '系统管理'];
const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 375, height: 812 },
];

let browser;
let context;
let page;
/** Uncaught exceptions in the page (a wasm panic shows up here). */
const pageErrors = [];
/** Console errors, printed when a step fails. */
const consoleErrors = [];
const state = { loggedIn: false, passwordChanged: false, loggedOut: false };

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

function slug(text) {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}

/** Full-page screenshots at desktop and phone size, `<name>-<w>x<h>.png`. */
async function screenshots(name) {
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize(viewport);
    await settle();
    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, `${name}-${viewport.width}x${viewport.height}.png`),
      fullPage: true,
    });
  }
  await page.setViewportSize(VIEWPORTS[0]);
  await settle();
}

/** Lets the page lay out (two animation frames). */
async function settle() {
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
}

async function openLoginPage() {
  await page.goto('/login');
  await page.locator('#username').waitFor({ state: 'visible' });
  await page.locator('#password').waitFor({ state: 'visible' });
  await page.locator('#login-submit').waitFor({ state: 'visible' });
}

async function submitLogin(username, password) {
  await openLoginPage();
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('#login-submit');
}

async function expectGenericLoginError(what) {
  const alert = page.locator('.alert-error').first();
  await alert.waitFor({ state: 'visible' });
  const text = await alert.innerText();
  assert.ok(
    text.includes(GENERIC_LOGIN_ERROR),
    `${what}: .alert-error should say 「${GENERIC_LOGIN_ERROR}」, it says 「${text.trim()}」`,
  );
  assert.equal(await alert.getAttribute('role'), 'alert', `${what}: .alert-error needs role="alert"`);
  assert.equal(new URL(page.url()).pathname, '/login', `${what}: should stay on /login`);
  assert.equal(await page.locator('nav.topbar').count(), 0, `${what}: must not show the app frame`);
}

async function expectAppFrame() {
  const topbar = page.locator('nav.topbar');
  await topbar.waitFor({ state: 'visible' });
  const text = await topbar.innerText();
  for (const menu of TOP_MENUS) {
    assert.ok(text.includes(menu), `nav.topbar should show 「${menu}」; it shows 「${text.trim()}」`);
  }
  await page.locator('nav.sidemenu').waitFor({ state: 'visible' });
  await page.locator('#logout').waitFor({ state: 'attached' });
  assert.notEqual(new URL(page.url()).pathname, '/login', 'after login the app leaves /login');
}

step('the login page rejects a wrong password with the generic message', {}, async () => {
  await freshPage();
  await openLoginPage();
  await screenshots('login');
  await submitLogin(USERNAME, 'Wrong-password-2026');
  await expectGenericLoginError('wrong password');
});

step('an unknown user name gets exactly the same message', {}, async () => {
  await freshPage();
  await submitLogin('no-such-user-e2e', OLD_PASSWORD);
  await expectGenericLoginError('unknown user');
});

step('demo-ent-1 logs in and sees the four top menus', {}, async () => {
  await freshPage();
  await submitLogin(USERNAME, OLD_PASSWORD);
  await expectAppFrame();
  state.loggedIn = true;
  await screenshots('app-frame');
});

step('系统管理 › 账户信息维护 › 账户安全 changes the password', { needs: 'loggedIn' }, async () => {
  await page.locator('nav.topbar').getByText('系统管理', { exact: true }).first().click();
  await page.locator('nav.sidemenu').getByText('账户信息维护', { exact: true }).first().click();
  await page.waitForURL((url) => url.pathname === '/system/account');

  const profileTab = page.locator('button', { hasText: '个人资料' }).first();
  const securityTab = page.locator('button', { hasText: '账户安全' }).first();
  await profileTab.waitFor({ state: 'visible' });
  await securityTab.waitFor({ state: 'visible' });
  await securityTab.click();
  await page.locator('#current-password').waitFor({ state: 'visible' });
  await screenshots('account');

  await page.fill('#current-password', OLD_PASSWORD);
  await page.fill('#new-password', NEW_PASSWORD);
  await page.fill('#confirm-password', NEW_PASSWORD);
  await page.click('#password-submit');
  await page.locator('.alert-success').first().waitFor({ state: 'visible' });
  state.passwordChanged = true;
  await screenshots('account-password-changed');
});

step('logout ends on the login page', { needs: 'loggedIn' }, async () => {
  await page.click('#logout');
  await page.waitForURL((url) => url.pathname === '/login');
  await page.locator('#username').waitFor({ state: 'visible' });
  assert.equal(await page.locator('nav.topbar').count(), 0, 'no app frame after logout');
  state.loggedOut = true;
});

step('the new password logs in', { needs: 'passwordChanged' }, async () => {
  // Right after a logout, in the same tab (stale state shows up here); else in a fresh one.
  if (!state.loggedOut) await freshPage();
  await submitLogin(USERNAME, NEW_PASSWORD);
  await expectAppFrame();
});

step('the old password no longer does', { needs: 'passwordChanged' }, async () => {
  await freshPage();
  await submitLogin(USERNAME, OLD_PASSWORD);
  await expectGenericLoginError('old password after the change');
});

step('no uncaught errors in the page', {}, async () => {
  assert.deepEqual(pageErrors, [], `uncaught errors in the page:\n${pageErrors.join('\n')}`);
});
