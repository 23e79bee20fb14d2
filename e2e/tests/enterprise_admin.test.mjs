// 基本信息维护 (manual §6.1) and the admin screens of 系统管理 (用户管理, API 令牌, 操作日志) in a
// real Chromium: the enterprise admin saves the address, changes the 安全管理负责人 mobile (which asks
// for the password again), adds a colleague, creates an API token that is shown once, uses it from
// outside the browser, revokes it, and finds all of it in the audit log. A viewer sees none of the
// admin screens and a read-only form.
//
// Run through `cargo xtask e2e`. Signs in as demo-ent-2 (auth.test.mjs changes demo-ent-1's
// password), the admin of its enterprise, and as demo-viewer.

import assert from 'node:assert/strict';
import { BASE_URL, harness } from '../support.mjs';

const PASSWORD = 'Tejian-demo-2026';

let page;
const state = { loggedIn: false, tokenMade: false };
let secret = '';

const h = harness({ state });

async function login(username) {
  page = await h.freshPage();
  await page.goto('/login');
  await page.fill('#username', username);
  await page.fill('#password', PASSWORD);
  await page.click('#login-submit');
  await page.locator('nav.topbar').waitFor({ state: 'visible' });
}

async function openFromSideMenu(name, pathname) {
  await page.locator('nav.sidemenu').getByText(name, { exact: true }).first().click();
  await page.waitForURL((url) => url.pathname === pathname);
  await page.locator('h1.page-title', { hasText: name }).first().waitFor({ state: 'visible' });
}

h.step('the admin opens 基本信息维护 and saves a new address', {}, async () => {
  await login('demo-ent-2');
  await page.locator('nav.topbar').getByText('企业信息维护', { exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/enterprise/info');
  await page.locator('#ent-address').waitFor({ state: 'visible' });
  const facts = await page.locator('dl.facts').innerText();
  assert.match(facts, /统一社会信用代码/);
  assert.equal(await page.locator('#ent-password').count(), 0, 'no password field while the mobile is unchanged');
  await page.fill('#ent-address', '湖州市南浔区练市镇工业园 8 号');
  await page.click('#enterprise-save');
  await page.locator('.alert-success', { hasText: '单位信息已保存' }).waitFor();
  state.loggedIn = true;
  await h.screenshots('enterprise-info');
});

h.step('a new 安全管理负责人 mobile asks for the password again', { needs: 'loggedIn' }, async () => {
  await page.fill('#ent-manager-phone', '13900002222');
  await page.locator('#ent-password').waitFor({ state: 'visible' });
  const note = await page.locator('#ent-manager-phone-hint').innerText();
  assert.match(note, /接收检验信息、电子发票、检验意见通知书等短信/);
  await page.click('#enterprise-save');
  await page.locator('#ent-password-error', { hasText: '密码' }).waitFor();
  await page.fill('#ent-password', PASSWORD);
  await page.click('#enterprise-save');
  await page.locator('.alert-success', { hasText: '单位信息已保存' }).waitFor();
  await page.locator('#ent-password').waitFor({ state: 'detached' });
});

h.step('用户管理: the admin adds an operator', { needs: 'loggedIn' }, async () => {
  await page.locator('nav.topbar').getByText('系统管理', { exact: true }).click();
  await openFromSideMenu('用户管理', '/system/users');
  await page.locator('#users-table').waitFor();
  await page.click('#user-add-toggle');
  await page.fill('#new-username', 'e2e-colleague');
  await page.fill('#new-name', '测试同事');
  await page.fill('#new-phone', '13900003333');
  await page.click('#user-add-submit');
  await page.locator('.alert-success', { hasText: '初始密码已通过短信发送' }).waitFor();
  const row = page.locator('#users-table tr', { hasText: 'e2e-colleague' });
  await row.waitFor();
  assert.match(await row.innerText(), /待首次修改密码/);
  assert.equal(await row.locator('select').inputValue(), 'operator');
  await h.screenshots('enterprise-users');
});

h.step('API 令牌: a token is shown once, works outside the browser, and is revoked', { needs: 'loggedIn' }, async () => {
  await openFromSideMenu('API 令牌', '/system/api-tokens');
  await page.fill('#token-name', 'ERP 同步');
  await page.click('#token-create');
  const shown = page.locator('#new-token');
  await shown.waitFor();
  secret = (await shown.innerText()).trim();
  assert.match(secret, /^tjk_[A-Za-z0-9_-]{43}$/);
  const row = page.locator('#tokens-table tr', { hasText: 'ERP 同步' });
  await row.waitFor();
  assert.ok(!(await page.locator('#tokens-table').innerText()).includes(secret), 'the list never shows the secret');
  await h.screenshots('api-tokens');
  const read = await fetch(`${BASE_URL}/api/v1/equipment?per_page=1`, { headers: { authorization: `Bearer ${secret}` } });
  assert.equal(read.status, 200);
  const write = await fetch(`${BASE_URL}/api/v1/files`, { method: 'POST', headers: { authorization: `Bearer ${secret}` } });
  assert.equal(write.status, 403, 'a read-only token cannot write');
  assert.equal((await write.json()).code, 'read_only_access');
  page.once('dialog', (dialog) => dialog.accept());
  await row.getByRole('button', { name: '吊销' }).click();
  await page.locator('#tokens-table tr', { hasText: 'ERP 同步' }).locator('.badge', { hasText: '已吊销' }).waitFor();
  const after = await fetch(`${BASE_URL}/api/v1/equipment?per_page=1`, { headers: { authorization: `Bearer ${secret}` } });
  assert.equal(after.status, 401, 'a revoked token is refused at once');
  state.tokenMade = true;
});

h.step('操作日志 shows what the admin did', { needs: 'tokenMade' }, async () => {
  await openFromSideMenu('操作日志', '/system/audit');
  const table = page.locator('#audit-table');
  await table.waitFor();
  const text = await table.innerText();
  for (const action of ['修改单位信息', '新增用户', '新建 API 令牌', '吊销 API 令牌', '登录']) {
    assert.ok(text.includes(action), `the log shows ${action}`);
  }
  await page.selectOption('#audit-action', 'api_token_revoked');
  await page.click('#audit-search');
  await page.locator('#audit-table tbody tr').first().waitFor();
  const rows = await page.locator('#audit-table tbody tr').allInnerTexts();
  assert.ok(rows.length >= 1 && rows.every((r) => r.includes('吊销 API 令牌')), rows.join(' | '));
  await h.screenshots('audit-log');
});

h.step('a viewer sees no admin screens and a read-only form', {}, async () => {
  await login('demo-viewer');
  await page.locator('nav.topbar').getByText('系统管理', { exact: true }).click();
  await page.locator('nav.sidemenu').getByText('账户信息维护', { exact: true }).waitFor();
  const menu = await page.locator('nav.sidemenu').innerText();
  for (const hidden of ['用户管理', 'API 令牌', '操作日志']) {
    assert.ok(!menu.includes(hidden), `a viewer's menu has no ${hidden}`);
  }
  await page.goto('/enterprise/info');
  await page.locator('#ent-address').waitFor();
  assert.ok(await page.locator('#ent-address').isDisabled(), 'the form is read-only');
  assert.equal(await page.locator('#enterprise-save').count(), 0);
  await page.locator('.alert-info', { hasText: '只有本单位管理员' }).waitFor();
});
