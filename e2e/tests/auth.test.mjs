// Sign-in, password change and sign-out in a real Chromium (manual 7.1 and 8.1).
//
// Run through `cargo xtask e2e`, which starts a server with fresh demo data and sets
// TEJIAN_BASE_URL, CHROMIUM_PATH and SCREENSHOT_DIR. The steps run in order and share one
// browser; a step whose precondition failed is skipped rather than failing a second time.

import assert from 'node:assert/strict';
import { harness } from '../support.mjs';

const USERNAME = 'demo-ent-1';
const OLD_PASSWORD = 'Tejian-demo-2026';
const NEW_PASSWORD = 'E2e-New-Pass-2026!';
const GENERIC_LOGIN_ERROR = '用户名或密码错误，请重新输入';
const TOP_MENUS = ['设备管理', '企业自助服务', '企业信息维护', '系统管理'];

/** The page of the current browser context (set by `h.freshPage()`). */
let page;
const state = { loggedIn: false, passwordChanged: false, loggedOut: false };

const h = harness({ state });

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

h.step('the login page rejects a wrong password with the generic message', {}, async () => {
  page = await h.freshPage();
  await openLoginPage();
  await h.screenshots('login');
  await submitLogin(USERNAME, 'Wrong-password-2026');
  await expectGenericLoginError('wrong password');
});

h.step('an unknown user name gets exactly the same message', {}, async () => {
  page = await h.freshPage();
  await submitLogin('no-such-user-e2e', OLD_PASSWORD);
  await expectGenericLoginError('unknown user');
});

h.step('demo-ent-1 logs in and sees the four top menus', {}, async () => {
  page = await h.freshPage();
  await submitLogin(USERNAME, OLD_PASSWORD);
  await expectAppFrame();
  state.loggedIn = true;
  await h.screenshots('app-frame');
});

h.step('系统管理 › 账户信息维护 › 账户安全 changes the password', { needs: 'loggedIn' }, async () => {
  await page.locator('nav.topbar').getByText('系统管理', { exact: true }).first().click();
  await page.locator('nav.sidemenu').getByText('账户信息维护', { exact: true }).first().click();
  await page.waitForURL((url) => url.pathname === '/system/account');

  const profileTab = page.locator('button', { hasText: '个人资料' }).first();
  const securityTab = page.locator('button', { hasText: '账户安全' }).first();
  await profileTab.waitFor({ state: 'visible' });
  await securityTab.waitFor({ state: 'visible' });
  await securityTab.click();
  await page.locator('#current-password').waitFor({ state: 'visible' });
  await h.screenshots('account');

  await page.fill('#current-password', OLD_PASSWORD);
  await page.fill('#new-password', NEW_PASSWORD);
  await page.fill('#confirm-password', NEW_PASSWORD);
  await page.click('#password-submit');
  await page.locator('.alert-success').first().waitFor({ state: 'visible' });
  state.passwordChanged = true;
  await h.screenshots('account-password-changed');
});

h.step('logout ends on the login page', { needs: 'loggedIn' }, async () => {
  await page.click('#logout');
  await page.waitForURL((url) => url.pathname === '/login');
  await page.locator('#username').waitFor({ state: 'visible' });
  assert.equal(await page.locator('nav.topbar').count(), 0, 'no app frame after logout');
  state.loggedOut = true;
});

h.step('the new password logs in', { needs: 'passwordChanged' }, async () => {
  // Right after a logout, in the same tab (stale state shows up here); else in a fresh one.
  if (!state.loggedOut) page = await h.freshPage();
  await submitLogin(USERNAME, NEW_PASSWORD);
  await expectAppFrame();
});

h.step('the old password no longer does', { needs: 'passwordChanged' }, async () => {
  page = await h.freshPage();
  await submitLogin(USERNAME, OLD_PASSWORD);
  await expectGenericLoginError('old password after the change');
});

h.step('no uncaught errors in the page', {}, async () => {
  assert.deepEqual(h.pageErrors, [], `uncaught errors in the page:\n${h.pageErrors.join('\n')}`);
});
