// 企业自助服务 (manual §5.1–5.3) and the public report verification in a real Chromium: an
// application for two pressure vessels in one batch with the 计费 dialog, the application in 报检查询,
// 报告领取查询 (a paid report downloads as a zip, an unpaid one says why not), 检验意见通知书 with the
// overdue notice and a rectification with evidence, and /verify without login.
//
// Run through `cargo xtask e2e` (fresh demo data). Signs in as demo-ent-2 (auth.test.mjs changes
// demo-ent-1's password); equipment.test.mjs only files a status change, which does not stand in
// the way of an application. The genuine report number and its 验证码 come from the API as
// demo-institute (only staff see the code).

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { harness, BASE_URL } from '../support.mjs';

const USERNAME = 'demo-ent-2';
const STAFF = 'demo-institute';
const PASSWORD = 'Tejian-demo-2026';

let page;
let tempDir;
const state = { loggedIn: false, applied: false, serialNo: '' };

const h = harness({ state, contextOptions: { acceptDownloads: true } });

before(async () => {
  tempDir = await mkdtemp(path.join(os.tmpdir(), 'tejian-e2e-inspection-'));
});

after(async () => {
  if (tempDir) await rm(tempDir, { recursive: true, force: true });
});

/** Opens a screen of the 企业自助服务 left menu and waits for its route. */
async function openFromSideMenu(name, pathname) {
  await page.locator('nav.sidemenu').getByText(name, { exact: true }).first().click();
  await page.waitForURL((url) => url.pathname === pathname);
}

/** Waits for the results card to finish loading; fails on an error box. */
async function settledResults(what) {
  await page.locator('.results').first().waitFor({ state: 'visible' });
  await page.locator('.results .loading').waitFor({ state: 'detached' });
  const errors = await page.locator('.results .alert-error').allInnerTexts();
  assert.deepEqual(errors, [], `${what}: the list shows an error`);
}

/** A JSON call to the API, with a bearer token when given. */
async function api(pathname, { token, method = 'GET', body } = {}) {
  const response = await fetch(`${BASE_URL}/api/v1${pathname}`, {
    method,
    headers: {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${pathname}: ${response.status} ${text}`);
  return JSON.parse(text);
}

h.step('the login page links to 报告真伪验证; demo-ent-2 logs in', {}, async () => {
  page = await h.freshPage();
  await page.goto('/login');
  const link = page.locator('#verify-link');
  await link.waitFor({ state: 'visible' });
  assert.equal(await link.getAttribute('href'), '/verify');
  await page.fill('#username', USERNAME);
  await page.fill('#password', PASSWORD);
  await page.click('#login-submit');
  await page.locator('nav.topbar').waitFor({ state: 'visible' });
  state.loggedIn = true;
});

h.step('网上报检: two pressure vessels in one batch, 计费 shows a 参考费用, 提交 gives a serial number', { needs: 'loggedIn' }, async () => {
  await page.locator('nav.topbar').getByText('企业自助服务', { exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/services/applications');
  await page.locator('h1.page-title', { hasText: '网上报检' }).waitFor({ state: 'visible' });
  await settledResults('网上报检');
  // 压力容器 in use: the register has what their fee needs.
  await page.locator('#f-category option', { hasText: '压力容器' }).first().waitFor({ state: 'attached' });
  await page.selectOption('#f-category', { label: '压力容器' });
  await page.selectOption('#f-use-status', 'in_use');
  await page.click('#search-submit');
  await page.waitForURL((url) => url.searchParams.get('category') === '2000');
  await settledResults('网上报检 (压力容器)');
  const rows = page.locator('tr.equipment-row');
  await rows.first().waitFor({ state: 'visible' });
  assert.ok((await rows.count()) >= 2, 'at least two vessels can be applied for');
  assert.ok(await rows.first().getByRole('link', { name: '申报登记' }).isVisible(), 'each row has 申报登记');
  await rows.nth(0).locator('.row-check').check();
  await rows.nth(1).locator('.row-check').check();
  assert.match(await page.locator('.batch-count').innerText(), /已选 2 台/);
  await h.screenshots('apply-search');

  await page.click('#batch-apply');
  await page.waitForURL((url) => url.pathname === '/services/applications/new');
  const items = page.locator('tr.apply-row');
  await items.nth(1).waitFor({ state: 'visible' });
  assert.equal(await items.count(), 2, 'the form lists both units');
  // The tariff arrives and each unit gets its reference fee.
  await page.locator('tr.apply-row .item-fee').nth(1).waitFor({ state: 'visible' });

  await items.first().locator('.fee-open').click();
  const dialog = page.locator('dialog.fee-dialog');
  await dialog.waitFor({ state: 'visible' });
  await dialog.locator('#fee-total').click();
  const total = dialog.locator('.fee-total');
  await total.waitFor({ state: 'visible' });
  const first = await total.innerText();
  assert.match(first, /¥\d+\.\d\d/, `a total in yuan: ${first}`);
  const result = await dialog.locator('.fee-result').innerText();
  assert.ok(result.includes('参考费用'), `the total is labelled 参考费用: ${result}`);
  assert.ok(result.includes('本费用仅为参考值，实际费用以缴款通知书为准'), `with the note: ${result}`);
  // An optional item (安全阀校验 …) adds to the total.
  const option = dialog.locator('.fee-option input[type="checkbox"]').first();
  if ((await option.count()) > 0) {
    await option.check();
    await dialog.locator('#fee-total').click();
    await page.waitForFunction(
      (before) => document.querySelector('dialog .fee-total')?.innerText !== before,
      first,
    );
    assert.notEqual(await total.innerText(), first, 'the optional item changes the total');
  }
  // The total at the bottom of the dialog is in the screenshots.
  await dialog.evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  await h.screenshots('apply-fee-dialog');
  await dialog.locator('#fee-save').click();
  await dialog.waitFor({ state: 'detached' });
  assert.ok((await items.first().innerText()).includes('按计费参数'), 'the unit uses the dialog\'s inputs');
  assert.match(await page.locator('#estimated-total').innerText(), /¥\d+\.\d\d/);

  await page.fill('#contact-name', '沈国强');
  await page.fill('#contact-phone', '0572-2523106');
  await page.fill('#contact-address', '湖州市吴兴区凤凰路 88 号（浏览器测试）');
  await h.screenshots('apply-form');
  await page.click('#apply-submit');
  const success = page.locator('#apply-success');
  await success.waitFor({ state: 'visible' });
  state.serialNo = (await success.locator('.serial-no').innerText()).trim();
  assert.match(state.serialNo, /^SB\d{8}-\w+$/, `外网申报序列号: ${state.serialNo}`);
  state.applied = true;
  await h.screenshots('apply-success');
});

h.step('报检查询 shows the new application as 待受理', { needs: 'applied' }, async () => {
  await page.click('#to-history');
  await page.waitForURL((url) => url.pathname === '/services/applications/history');
  await settledResults('报检查询');
  const card = page.locator('article.application', { hasText: state.serialNo });
  await card.waitFor({ state: 'visible' });
  assert.equal(await card.locator('tr.application-item').count(), 2);
  assert.equal(await card.locator('.badge', { hasText: '待受理' }).count(), 2, 'both units wait for a decision');
  assert.equal((await card.locator('.step.current').innerText()).trim(), '已提交');
  assert.equal(new URL(page.url()).searchParams.get('serial_no'), state.serialNo, 'the link finds it by its number');
  // Every application: the demo ones were rejected with a reason, and scheduled.
  await page.click('#search-reset');
  await page.waitForURL((url) => url.pathname === '/services/applications/history' && url.search === '');
  await settledResults('报检查询 (全部)');
  await page.locator('.badge', { hasText: '不同意' }).first().waitFor({ state: 'visible' });
  assert.ok((await page.locator('article.application').count()) >= 4, 'the demo applications are listed too');
  await h.screenshots('apply-history');
});

h.step('报告领取查询: a paid report downloads as a zip, an unpaid one says the fee is due', { needs: 'loggedIn' }, async () => {
  await openFromSideMenu('报告领取查询', '/services/reports');
  await settledResults('报告领取查询');
  await page.selectOption('#f-year', '0');
  await page.click('#search-submit');
  await page.waitForURL((url) => url.searchParams.get('year') === '0');
  await settledResults('报告领取查询 (全部年度)');
  const cols = (await page.locator('.results thead th').allInnerTexts()).map((c) => c.trim());
  for (const col of ['报告下载', '报告编号', '业务流水号', '检验类别', '检验日期', '结论', '流转状态', '费用']) {
    assert.ok(cols.includes(col), `the column 「${col}」: ${cols.join(' ')}`);
  }
  await h.screenshots('reports');

  const paid = page.locator('tr.report-row', { has: page.locator('button.report-download:not(.unavailable)') }).first();
  await paid.waitFor({ state: 'visible' });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    paid.locator('button.report-download').click(),
  ]);
  const name = download.suggestedFilename();
  assert.ok(name.endsWith('.zip'), `the report comes as a zip: ${name}`);
  const saved = path.join(tempDir, name);
  await download.saveAs(saved);

  const unpaid = page.locator('tr.report-row', { has: page.locator('.why-short', { hasText: '费用未缴' }) }).first();
  await unpaid.locator('button.report-download').click();
  const why = unpaid.locator('.not-downloadable');
  await why.waitFor({ state: 'visible' });
  assert.ok((await why.innerText()).includes('检验费用尚未交纳'), `the unpaid message: ${await why.innerText()}`);
  await h.screenshots('reports-unpaid');
});

h.step('检验意见通知书 shows the overdue notice; 提交整改 with evidence', { needs: 'loggedIn' }, async () => {
  await openFromSideMenu('检验意见通知书', '/services/notices');
  await settledResults('检验意见通知书');
  await page.locator('tr.notice-row').first().waitFor({ state: 'visible' });
  await page.check('#f-overdue');
  await page.click('#search-submit');
  await page.waitForURL((url) => url.searchParams.get('overdue') === '1');
  await settledResults('逾期通知书');
  const overdue = page.locator('tr.notice-row.overdue').first();
  await overdue.waitFor({ state: 'visible' });
  assert.ok(await overdue.locator('.overdue-badge').isVisible(), 'the deadline says 逾期');
  const text = await overdue.innerText();
  assert.ok(text.includes('退回整改'), `the overdue one was returned: ${text}`);
  assert.ok(text.includes('退回意见'), `with the institute's comment: ${text}`);
  await h.screenshots('notices');

  const noticeNo = await overdue.getAttribute('data-notice-no');
  await overdue.locator('.feedback-open').click();
  await page.waitForURL((url) => /^\/services\/notices\/\d+\/feedback$/.test(url.pathname));
  await page.locator('#feedback-statement').waitFor({ state: 'visible' });
  assert.ok(await page.locator('.review-returned').isVisible(), 'the returned comment is shown');
  await page.fill('#feedback-statement', '已清理机房杂物，检修通道畅通，附整改后全景照片（浏览器测试）。');
  const pdf = path.join(tempDir, '整改后全景照片.pdf');
  await writeFile(pdf, '%PDF-1.4\n%%EOF\n');
  await page.setInputFiles('#evidence', pdf);
  await page.locator('.uploads .upload.done').waitFor({ state: 'visible' });
  await h.screenshots('notice-feedback');
  await page.click('#feedback-submit');
  await page.waitForURL((url) => url.pathname === '/services/notices' && url.searchParams.get('submitted') === noticeNo);
  await page.locator('.alert-success').first().waitFor({ state: 'visible' });
  await settledResults('检验意见通知书 after 提交整改');
  const row = page.locator(`tr.notice-row[data-notice-no="${noticeNo}"]`);
  await row.waitFor({ state: 'visible' });
  assert.ok((await row.innerText()).includes('整改已提交'), 'the notice now waits for the institute');
});

h.step('/verify without login: a genuine report, then a wrong code', {}, async () => {
  const { access_token: token } = await api('/auth/login', {
    method: 'POST',
    body: { username: STAFF, password: PASSWORD },
  });
  const list = await api('/reports?year=0&state=printed&per_page=50', { token });
  const issued = list.items.length ? list.items : (await api('/reports?year=0&state=archived', { token })).items;
  assert.ok(issued.length > 0, 'the demo data has an issued report');
  const report = await api(`/reports/${issued[0].id}`, { token });
  assert.ok(report.verification_code, 'staff see the verification code');

  page = await h.freshPage();
  await page.goto('/verify');
  await page.fill('#verify-report-no', report.report_no);
  await page.fill('#verify-code', report.verification_code);
  await page.click('#verify-submit');
  const genuine = page.locator('.verify-result.genuine');
  await genuine.waitFor({ state: 'visible' });
  const text = await genuine.innerText();
  assert.ok(text.includes('真'), `genuine: ${text}`);
  assert.ok(text.includes(report.report_no), `shows the report number: ${text}`);
  assert.ok(text.includes(report.conclusion), `shows the conclusion: ${text}`);
  assert.equal(new URL(page.url()).searchParams.get('report_no'), report.report_no, 'the address says what was verified');
  await h.screenshots('verify-genuine');

  await page.fill('#verify-code', 'WRONG000');
  await page.click('#verify-submit');
  const refused = page.locator('.verify-result.not-genuine');
  await refused.waitFor({ state: 'visible' });
  assert.ok((await refused.innerText()).includes('未找到'), `not found: ${await refused.innerText()}`);
  await h.screenshots('verify-not-found');

  // A scanned QR code: both in the address, verified at once.
  await page.goto(`/verify?report_no=${encodeURIComponent(report.report_no)}&code=${report.verification_code}`);
  await page.locator('.verify-result.genuine').waitFor({ state: 'visible' });
});

h.step('no uncaught errors in the page', {}, async () => {
  assert.deepEqual(h.pageErrors, [], `uncaught errors in the page:\n${h.pageErrors.join('\n')}`);
});
