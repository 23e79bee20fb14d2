// 网上自助缴费 and 电子发票下载 (manual §5.5–5.6) in a real Chromium: the query form (both fields
// required), the unpaid notice found by name and number, 在线支付 (微信支付 refused with the
// problem's detail on this server; 模拟支付 gives the QR code and countdown), the sandbox payer
// page confirming in a second tab, 缴费成功 on the first; the report the fee held back becomes
// downloadable; then the invoice list, 下载 (a PDF) and 打印 (a new tab).
//
// Run through `cargo xtask e2e`, which starts a server with fresh demo data and sets
// TEJIAN_BASE_URL, CHROMIUM_PATH and SCREENSHOT_DIR. Signs in as demo-ent-2 (auth.test.mjs changes
// demo-ent-1's password), which has one unpaid and one paid payment notice and one invoice.

import assert from 'node:assert/strict';
import { BASE_URL, harness } from '../support.mjs';

const USERNAME = 'demo-ent-2';
const PASSWORD = 'Tejian-demo-2026';
/** Payment happens within this (the page polls every 2 s). */
const PAID_WITHIN_MS = 10_000;

let page;
const state = { loggedIn: false, found: false, qrShown: false, paid: false };
/** The unpaid notice: its number and payer name as the page shows them. */
const unpaid = { notice_no: '', payer_name: '' };
/** Reports that the unpaid fee held back (not_downloadable_code = report_unpaid). */
let heldReports = [];
let token = '';

const h = harness({ state, contextOptions: { acceptDownloads: true } });

/** A JSON call to the API as demo-ent-2 (its own token, apart from the browser's session). */
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

/** Opens a screen of the left menu and waits for its route and title. */
async function openFromSideMenu(name, pathname) {
  await page.locator('nav.sidemenu').getByText(name, { exact: true }).first().click();
  await page.waitForURL((url) => url.pathname === pathname);
  await page.locator('h1.page-title', { hasText: name }).first().waitFor({ state: 'visible' });
}

h.step('demo-ent-2 logs in and opens 网上自助缴费', {}, async () => {
  page = await h.freshPage();
  await page.goto('/login');
  await page.fill('#username', USERNAME);
  await page.fill('#password', PASSWORD);
  await page.click('#login-submit');
  await page.locator('nav.topbar').waitFor({ state: 'visible' });
  await page.locator('nav.topbar').getByText('企业自助服务', { exact: true }).click();
  await page.locator('nav.sidemenu').waitFor({ state: 'visible' });
  await openFromSideMenu('网上自助缴费', '/services/payments');
  state.loggedIn = true;
});

h.step('本单位的缴款通知书 lists one unpaid and one paid notice', { needs: 'loggedIn' }, async () => {
  const own = page.locator('#pay-own');
  await own.locator('.loading').waitFor({ state: 'detached' });
  const unpaidCard = own.locator('li.pay-notice[data-state="unpaid"]').first();
  await unpaidCard.waitFor({ state: 'visible' });
  assert.ok((await own.locator('li.pay-notice[data-state="paid"]').count()) >= 1, 'a paid notice');
  unpaid.notice_no = await unpaidCard.getAttribute('data-notice-no');
  unpaid.payer_name = (await unpaidCard.locator('.pay-payer').innerText()).trim();
  assert.match(unpaid.notice_no, /^\d{20}$/);
  assert.ok(unpaid.payer_name.length > 0);
  const text = await unpaidCard.innerText();
  for (const word of ['缴款单位', '金额', '大写', '缴费期限', '未缴', '收费项目']) {
    assert.ok(text.includes(word), `the notice shows ${word}: ${text}`);
  }
  assert.equal(await unpaidCard.locator('.pay-online').innerText(), '在线支付');
  assert.equal(
    await own.locator('li.pay-notice[data-state="paid"] .pay-online').count(),
    0,
    'no 在线支付 on a paid notice',
  );

  // The reports this fee holds back, seen over the API before paying.
  const notices = await (await api('/payment-notices')).json();
  const notice = notices.items.find((n) => n.notice_no === unpaid.notice_no);
  assert.ok(notice, 'the API lists the unpaid notice');
  const reports = await (await api('/reports?year=0&per_page=200')).json();
  const descriptions = notice.items.map((i) => i.description).join(' ');
  heldReports = reports.items.filter(
    (r) => r.not_downloadable_code === 'report_unpaid' && descriptions.includes(r.equipment_label),
  );
  assert.ok(heldReports.length > 0, `a report waits for notice ${unpaid.notice_no}`);
  for (const r of heldReports) {
    const res = await api(`/reports/${r.id}/download`);
    assert.notEqual(res.status, 200, `report ${r.report_no} is not downloadable before paying`);
  }
});

h.step('缴费查询 needs both name and number, then finds the notice', { needs: 'loggedIn' }, async () => {
  await page.click('#pay-search');
  const message = page.locator('#pay-query-error');
  await message.waitFor({ state: 'visible' });
  assert.match(await message.innerText(), /同时输入缴款单位名称和缴款单编号/);
  assert.equal(await page.locator('#pay-payer').getAttribute('aria-invalid'), 'true');

  await page.fill('#pay-payer', unpaid.payer_name);
  await page.click('#pay-search');
  await message.waitFor({ state: 'visible' });
  assert.match(await page.locator('#pay-notice-no-error').innerText(), /请输入缴款单编号/);

  await page.fill('#pay-notice-no', '12345');
  await page.click('#pay-search');
  assert.match(await page.locator('#pay-notice-no-error').innerText(), /20 位数字/);

  await page.fill('#pay-notice-no', unpaid.notice_no);
  await page.click('#pay-search');
  const card = page.locator(`#pay-found li.pay-notice[data-notice-no="${unpaid.notice_no}"]`);
  await card.waitFor({ state: 'visible' });
  assert.equal(await page.locator('#pay-found li.pay-notice').count(), 1, 'exactly the notice');
  assert.equal(await page.locator('#pay-query-error').count(), 0, 'the message is gone');
  await h.screenshots('payments');
  state.found = true;
});

h.step('在线支付 (模拟支付) shows the QR code and its countdown', { needs: 'found' }, async () => {
  const card = page.locator(`#pay-found li.pay-notice[data-notice-no="${unpaid.notice_no}"]`);
  await card.locator('.pay-online').click();
  const panel = page.locator('#pay-panel');
  await panel.waitFor({ state: 'visible' });
  assert.ok(await panel.locator('input[value="sandbox"]').isChecked(), '模拟支付 is the default');
  // 微信支付 is not configured on the test server: the problem's detail is shown.
  await panel.locator('input[value="wechat"]').check();
  await page.click('#pay-start');
  const refused = panel.locator('#pay-refused');
  await refused.waitFor({ state: 'visible' });
  assert.match(await refused.innerText(), /暂不支持微信支付/);
  await panel.locator('input[value="sandbox"]').check();
  await page.click('#pay-start');
  const qr = panel.locator('img.pay-qr');
  await qr.waitFor({ state: 'visible' });
  assert.match(await qr.getAttribute('src'), /^data:image\/svg\+xml;utf8,%3C/);
  const loaded = await qr.evaluate((img) => img.complete && img.naturalWidth > 0);
  assert.ok(loaded, 'the QR image decodes');
  const first = await panel.locator('.pay-countdown').innerText();
  assert.match(first, /^\d+ 分 \d{2} 秒$/);
  assert.match(await panel.locator('.pay-qr-amount').innerText(), /^¥\d+\.\d{2}$/);
  assert.match(await panel.innerText(), /模拟支付/);
  await page.waitForFunction(
    (before) => document.querySelector('.pay-countdown')?.textContent !== before,
    first,
    { timeout: 5000 },
  );
  await h.screenshots('payments-qr');
  state.qrShown = true;
});

h.step('the sandbox payer page confirms; the first page turns to 缴费成功', { needs: 'qrShown' }, async () => {
  const href = await page.locator('#pay-sandbox-link').getAttribute('href');
  assert.match(href, /\/sandbox\/pay\/[^/]+$/);
  assert.equal(await page.locator('#pay-sandbox-link').getAttribute('target'), '_blank');
  const payer = await page.context().newPage();
  try {
    await payer.goto(href);
    await payer.getByRole('button', { name: /确认支付/ }).click();
    await payer.locator('.state').waitFor({ state: 'visible' });
    assert.match(await payer.locator('.state').innerText(), /已支付/);
  } finally {
    await payer.close();
  }
  const success = page.locator('#pay-success');
  await success.waitFor({ state: 'visible', timeout: PAID_WITHIN_MS });
  assert.match(await success.innerText(), /缴费成功/);
  // The lists reload: the notice is 已缴 now and offers no payment.
  await page
    .locator(`#pay-own li.pay-notice[data-notice-no="${unpaid.notice_no}"][data-state="paid"]`)
    .waitFor({ state: 'visible' });
  await page
    .locator(`#pay-found li.pay-notice[data-notice-no="${unpaid.notice_no}"][data-state="paid"]`)
    .waitFor({ state: 'visible' });
  await h.screenshots('payments-paid');
  state.paid = true;
});

h.step('the report the fee held back is downloadable now', { needs: 'paid' }, async () => {
  for (const r of heldReports) {
    const res = await api(`/reports/${r.id}/download`);
    assert.equal(res.status, 200, `report ${r.report_no} downloads after paying`);
    assert.match(res.headers.get('content-type') || '', /zip/);
  }
});

h.step('电子发票下载 lists the invoice; 下载 saves a PDF, 打印 opens a tab', { needs: 'loggedIn' }, async () => {
  await openFromSideMenu('电子发票下载', '/services/invoices');
  const rows = page.locator('tr.invoice-row');
  await rows.first().waitFor({ state: 'visible' });
  const headers = (await page.locator('.invoice-table thead th').allInnerTexts()).map((t) => t.trim());
  for (const h of ['发票号码', '票据种类', '缴款单号', '金额（元）', '税额（元）', '价税合计（元）', '开具时间']) {
    assert.ok(headers.includes(h), `column ${h}: ${headers.join(',')}`);
  }

  // By 缴款单号: the demo's paid notice has its invoice.
  const noticeNo = (await rows.first().locator('td').nth(3).innerText()).trim();
  await page.fill('#invoice-notice-no', '1234');
  await page.click('#invoice-search');
  assert.match(await page.locator('#invoice-notice-no-error').innerText(), /20 位数字/);
  await page.fill('#invoice-notice-no', noticeNo);
  await page.click('#invoice-search');
  await page.locator('#invoice-results .loading').waitFor({ state: 'detached' });
  const row = page.locator('tr.invoice-row').first();
  await row.waitFor({ state: 'visible' });
  assert.equal((await row.locator('td').nth(3).innerText()).trim(), noticeNo);
  await h.screenshots('invoices');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    row.locator('.invoice-download').click(),
  ]);
  assert.match(download.suggestedFilename(), /\.pdf$/);
  const bytes = await download.createReadStream().then(async (stream) => {
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    return Buffer.concat(chunks);
  });
  assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-', 'a PDF');

  const [tab] = await Promise.all([
    page.context().waitForEvent('page'),
    row.locator('.invoice-print').click(),
  ]);
  await tab.waitForURL((url) => url.protocol === 'blob:', { timeout: 15_000 }).catch(() => {});
  const url = tab.url();
  await tab.close();
  assert.ok(url.startsWith('blob:') || url === 'about:blank', `打印 opened ${url}`);
  assert.equal(await page.locator('tr.invoice-row .field-error').count(), 0, 'no error on the row');
});

h.step('no uncaught errors in the page', { needs: 'loggedIn' }, async () => {
  assert.deepEqual(h.pageErrors, []);
});
