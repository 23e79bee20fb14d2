// 站内消息 and 提醒设置 (issue 6 item 8) in a real Chromium: the demo server ran the reminder pass
// at start, so demo-ent-2 has reminders; the bell in the top bar shows the unread count, the inbox
// lists the reminders with links to the equipment archive, 标为已读 lowers the count, 全部标为已读
// clears the bell; 提醒设置 shows the defaults and saves a change.
//
// Run through `cargo xtask e2e`. Signs in as demo-ent-2 (auth.test.mjs changes demo-ent-1's
// password).

import assert from 'node:assert/strict';
import { BASE_URL, harness } from '../support.mjs';

const USERNAME = 'demo-ent-2';
const PASSWORD = 'Tejian-demo-2026';

let page;
const state = { loggedIn: false, inbox: false, cleared: false };
let token = '';

const h = harness({ state });

/** A JSON call to the API as demo-ent-2 (its own session; read marks are per user, so the
 * browser's marks show here too). */
async function api(path, init = {}) {
  if (!token) {
    const login = await fetch(`${BASE_URL}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: USERNAME, password: PASSWORD, use_cookie: false }),
    });
    assert.equal(login.status, 200, 'API login');
    token = (await login.json()).access_token;
  }
  return fetch(`${BASE_URL}/api/v1${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.headers || {}) },
  });
}

async function unread() {
  const response = await api('/notifications?per_page=1');
  assert.equal(response.status, 200);
  return (await response.json()).unread;
}

async function bellCount() {
  return Number((await page.locator('#bell-count').innerText()).replace('+', ''));
}

h.step('demo-ent-2 logs in; the bell shows the unread reminders', {}, async () => {
  const before = await unread();
  assert.ok(before > 0, 'the start-up reminder pass gave demo-ent-2 reminders');
  page = await h.freshPage();
  await page.goto('/login');
  await page.fill('#username', USERNAME);
  await page.fill('#password', PASSWORD);
  await page.click('#login-submit');
  await page.locator('nav.topbar').waitFor({ state: 'visible' });
  await page.locator('#bell-count').waitFor({ state: 'visible' });
  assert.equal(await bellCount(), Math.min(before, 99));
  const label = await page.locator('#bell').getAttribute('aria-label');
  assert.ok(label.includes('条未读'), label);
  state.loggedIn = true;
});

h.step('the bell opens 站内消息, which lists the reminders', { needs: 'loggedIn' }, async () => {
  await page.click('#bell');
  await page.waitForURL((url) => url.pathname === '/system/notifications');
  await page.locator('h1.page-title', { hasText: '站内消息' }).waitFor({ state: 'visible' });
  const items = page.locator('#inbox li.inbox-item');
  await items.first().waitFor({ state: 'visible' });
  assert.ok((await items.count()) >= 1);
  assert.ok((await page.locator('#inbox li.inbox-item.unread').count()) >= 1);
  const text = await items.first().innerText();
  assert.match(text, /(到期提醒|超期提醒)/);
  assert.match(text, /下次检验日期为 \d{4}-\d{2}-\d{2}/);
  const link = items.first().getByText('查看设备档案');
  assert.match(await link.getAttribute('href'), /^\/equipment\/\d+$/);
  // The left menu of 系统管理 has both new screens.
  const side = page.locator('nav.sidemenu');
  await side.getByText('提醒设置', { exact: true }).waitFor({ state: 'visible' });
  await h.screenshots('notifications-inbox');
  state.inbox = true;
});

h.step('标为已读 lowers the count by one', { needs: 'inbox' }, async () => {
  const before = await unread();
  const first = page.locator('#inbox li.inbox-item.unread').first();
  const id = await first.getAttribute('data-id');
  await first.locator('button.mark-read').click();
  await page
    .locator(`#inbox li.inbox-item[data-id="${id}"]:not(.unread)`)
    .waitFor({ state: 'visible' });
  assert.equal(await unread(), before - 1);
  if (before - 1 > 0) {
    await page.waitForFunction(
      (n) => document.querySelector('#bell-count')?.textContent === String(n),
      Math.min(before - 1, 99),
    );
  }
});

h.step('全部标为已读 clears the bell', { needs: 'inbox' }, async () => {
  await page.click('#mark-all-read');
  await page.locator('#bell-count').waitFor({ state: 'detached' });
  await page.locator('#inbox li.inbox-item').first().waitFor({ state: 'visible' });
  assert.equal(await page.locator('#inbox li.inbox-item.unread').count(), 0);
  assert.equal(await unread(), 0);
  assert.ok(await page.locator('#mark-all-read').isDisabled());
  // 只看未读 now shows the empty state.
  await page.check('#unread-only');
  await page.locator('.empty', { hasText: '没有未读消息' }).waitFor({ state: 'visible' });
  await page.uncheck('#unread-only');
  await page.locator('#inbox li.inbox-item').first().waitFor({ state: 'visible' });
  await h.screenshots('notifications-read');
  state.cleared = true;
});

h.step('a reminder links to the equipment archive', { needs: 'inbox' }, async () => {
  const link = page.locator('#inbox li.inbox-item').first().getByText('查看设备档案');
  const href = await link.getAttribute('href');
  await link.click();
  await page.waitForURL((url) => url.pathname === href);
  await page.locator('h1.page-title').first().waitFor({ state: 'visible' });
});

h.step('提醒设置 shows the defaults and saves a change', { needs: 'loggedIn' }, async () => {
  await page.goto('/system/reminders');
  await page.locator('h1.page-title', { hasText: '提醒设置' }).waitFor({ state: 'visible' });
  await page.locator('#window-days').waitFor({ state: 'visible' });
  assert.equal(await page.inputValue('#window-days'), '30');
  assert.equal(await page.inputValue('#marks'), '7,1');
  assert.ok(await page.isChecked('#weekly-overdue'));
  assert.ok(await page.isChecked('#sms-manager'));
  await h.screenshots('reminder-settings');
  // A bad number is refused by the server with the field's message.
  await page.fill('#extra-phones', '12345');
  await page.click('#reminder-save');
  await page.locator('#extra-phones-error', { hasText: '手机号码' }).waitFor({ state: 'visible' });
  await page.fill('#extra-phones', '139 5720 0001');
  await page.fill('#marks', '14, 7, 1');
  await page.click('#reminder-save');
  await page.locator('.alert-success', { hasText: '提醒设置已保存' }).waitFor({ state: 'visible' });
  assert.equal(await page.inputValue('#marks'), '14,7,1');
  assert.equal(await page.inputValue('#extra-phones'), '13957200001');
  const saved = await (await api('/reminder-settings')).json();
  assert.deepEqual(saved.marks, [14, 7, 1]);
  assert.deepEqual(saved.extra_phones, ['13957200001']);
});
