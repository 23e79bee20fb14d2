// 设备管理 (manual §4) in a real Chromium: the six menu screens, 更多条件, an archive, the
// 即将到期 horizon, and a 停用 change with a PDF attachment that then shows as 待审批.
//
// Run through `cargo xtask e2e`, which starts a server with fresh demo data and sets
// TEJIAN_BASE_URL, CHROMIUM_PATH and SCREENSHOT_DIR. Signs in as demo-ent-2 (auth.test.mjs changes
// demo-ent-1's password). The steps run in order and share one browser; a step whose precondition
// failed is skipped rather than failing a second time.

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { harness } from '../support.mjs';

const USERNAME = 'demo-ent-2';
const PASSWORD = 'Tejian-demo-2026';

/** The page of the current browser context (set by `h.freshPage()`). */
let page;
let tempDir;
const state = { loggedIn: false, archiveOpened: false };

const h = harness({ state, contextOptions: { acceptDownloads: true } });

before(async () => {
  tempDir = await mkdtemp(path.join(os.tmpdir(), 'tejian-e2e-equipment-'));
});

after(async () => {
  if (tempDir) await rm(tempDir, { recursive: true, force: true });
});

/** Opens a screen of the 设备管理 left menu and waits for its route. */
async function openFromSideMenu(name, pathname) {
  await page.locator('nav.sidemenu').getByText(name, { exact: true }).first().click();
  await page.waitForURL((url) => url.pathname === pathname);
  await page.locator('h1.page-title', { hasText: name }).first().waitFor({ state: 'visible' });
}

/** Waits for a list to finish loading and returns its rows (at least one). */
async function expectRows(what) {
  await page.locator('.results .loading').waitFor({ state: 'detached' });
  const errors = await page.locator('.results .alert-error').allInnerTexts();
  assert.deepEqual(errors, [], `${what}: the list shows an error`);
  const rows = page.locator('tr.equipment-row');
  await rows.first().waitFor({ state: 'visible' });
  const count = await rows.count();
  assert.ok(count > 0, `${what}: no rows`);
  return count;
}

/** The column headers of the list. */
async function headers() {
  return (await page.locator('.results thead th').allInnerTexts()).map((h) => h.trim());
}

h.step('demo-ent-2 logs in', {}, async () => {
  page = await h.freshPage();
  await page.goto('/login');
  await page.fill('#username', USERNAME);
  await page.fill('#password', PASSWORD);
  await page.click('#login-submit');
  await page.locator('nav.topbar').waitFor({ state: 'visible' });
  await page.locator('nav.sidemenu').waitFor({ state: 'visible' });
  state.loggedIn = true;
});

h.step('设备总览 counts by category, every number links to its list', { needs: 'loggedIn' }, async () => {
  await openFromSideMenu('设备总览', '/equipment/overview');
  const rows = page.locator('.overview-table tbody tr');
  await rows.first().waitFor({ state: 'visible' });
  assert.ok((await rows.count()) > 0, 'the overview lists categories');
  await page.locator('.overview-table .total-row').waitFor({ state: 'visible' });
  assert.equal(await page.locator('.tile').count(), 4, 'four summary tiles');
  const firstTotal = await rows.first().locator('td a').first().getAttribute('href');
  assert.match(firstTotal, /^\/equipment\/search\?category=\w+$/, `全部 links to the list: ${firstTotal}`);
  const overdue = await page.locator('.overview-table .total-row td a').nth(2).getAttribute('href');
  assert.equal(overdue, '/equipment/overdue');
  await h.screenshots('equipment-overview');
});

h.step('设备综合查询 lists everything, 更多条件 › 所在辖区 吴兴区 narrows it', { needs: 'loggedIn' }, async () => {
  await openFromSideMenu('设备综合查询', '/equipment/search');
  await expectRows('设备综合查询');
  const cols = await headers();
  for (const col of ['注册代码', '使用登记证编号', '下次检验日期', '受理状态', '相关操作']) {
    assert.ok(cols.includes(col), `设备综合查询 has the column 「${col}」: ${cols.join(' ')}`);
  }
  assert.match(await page.locator('.pagination').innerText(), /共 \d+ 台/);
  await h.screenshots('equipment-search');

  await page.click('#more-filters');
  await page.locator('#f-district').waitFor({ state: 'visible' });
  await page.selectOption('#f-district', { label: '吴兴区' });
  await page.click('#search-submit');
  await page.waitForURL((url) => url.pathname === '/equipment/search' && url.searchParams.get('district') === '330502');
  await expectRows('设备综合查询 in 吴兴区');
  // The panel stays open with the condition shown (it comes from the URL).
  assert.equal(await page.locator('#f-district').inputValue(), '330502');
  await h.screenshots('equipment-search-more');
});

h.step('设备档案 shows 基本信息 and 检验信息', { needs: 'loggedIn' }, async () => {
  await page.locator('tr.equipment-row').first().getByRole('link', { name: '设备档案' }).click();
  await page.waitForURL((url) => /^\/equipment\/\d+$/.test(url.pathname));
  await page.locator('h2.section-title', { hasText: '基本信息' }).waitFor({ state: 'visible' });
  await page.locator('h2.section-title', { hasText: '检验信息' }).waitFor({ state: 'visible' });
  await page.locator('h2.section-title', { hasText: '参数信息' }).waitFor({ state: 'visible' });
  const facts = await page.locator('.archive .facts').first().innerText();
  assert.ok(facts.includes('使用状态'), `基本信息 names the 使用状态: ${facts}`);
  await page.locator('.timeline, .archive .empty').last().waitFor({ state: 'visible' });
  state.archiveOpened = true;
  await h.screenshots('equipment-archive');
});

h.step('超期设备查询 shows 下次检验日期 and 超期天数', { needs: 'loggedIn' }, async () => {
  await openFromSideMenu('超期设备查询', '/equipment/overdue');
  await expectRows('超期设备查询');
  const cols = await headers();
  assert.ok(cols.includes('超期天数') && cols.includes('下次检验日期'), cols.join(' '));
  await h.screenshots('equipment-overdue');
});

h.step('不合格设备查询 shows 受理状态 and the conclusion', { needs: 'loggedIn' }, async () => {
  await openFromSideMenu('不合格设备查询', '/equipment/unqualified');
  await expectRows('不合格设备查询');
  const cols = await headers();
  assert.ok(cols.includes('受理状态') && cols.includes('最近检验结论'), cols.join(' '));
  assert.ok(
    (await page.locator('tr.equipment-row .badge-error', { hasText: '不合格' }).count()) > 0,
    'the rows say 不合格',
  );
  await h.screenshots('equipment-unqualified');
});

h.step('非在用设备查询 shows 使用状态 and 变更日期', { needs: 'loggedIn' }, async () => {
  await openFromSideMenu('非在用设备查询', '/equipment/inactive');
  await expectRows('非在用设备查询');
  const cols = await headers();
  assert.ok(cols.includes('变更日期') && cols.includes('使用状态'), cols.join(' '));
  await h.screenshots('equipment-inactive');
});

h.step('即将到期设备 switches from 30 to 90 天', { needs: 'loggedIn' }, async () => {
  await openFromSideMenu('即将到期设备', '/equipment/expiring');
  const within30 = await expectRows('即将到期设备 (30 天)');
  const thirty = page.locator('button.seg', { hasText: '30 天' });
  assert.equal(await thirty.getAttribute('aria-pressed'), 'true', '30 天 is the default');
  await page.locator('button.seg', { hasText: '90 天' }).click();
  await page.waitForURL((url) => url.searchParams.get('within_days') === '90');
  assert.equal(
    await page.locator('button.seg', { hasText: '90 天' }).getAttribute('aria-pressed'),
    'true',
  );
  const within90 = await expectRows('即将到期设备 (90 天)');
  const total = async () => Number((await page.locator('.page-total').innerText()).replace(/\D+/g, ''));
  assert.ok(within90 >= Math.min(within30, 20), `90 天 lists at least as many as 30 天 (${within90} < ${within30})`);
  assert.ok((await total()) > 0);
  await h.screenshots('equipment-expiring');
});

h.step('a 停用 change with a PDF goes to the bureau and shows as 待审批', { needs: 'loggedIn' }, async () => {
  // An in-use piece of equipment (demo-ent-2 has no pending changes in the demo data).
  await openFromSideMenu('设备综合查询', '/equipment/search');
  await expectRows('设备综合查询');
  await page.selectOption('#f-use-status', 'in_use');
  await page.click('#search-submit');
  await page.waitForURL((url) => url.searchParams.get('use_status') === 'in_use');
  await expectRows('在用设备');
  const row = page.locator('tr.equipment-row').first();
  assert.ok((await row.innerText()).includes('在用'));
  await row.getByRole('link', { name: '变更申请' }).click();
  await page.waitForURL((url) => /^\/equipment\/\d+\/change$/.test(url.pathname));
  const equipmentPath = new URL(page.url()).pathname.replace(/\/change$/, '');

  await page.locator('#change-kind').waitFor({ state: 'visible' });
  await page.selectOption('#change-kind', { label: '停用' });
  const hint = await page.locator('#change-kind-hint').innerText();
  assert.ok(hint.includes('停用报废注销登记表'), `the required documents are named: ${hint}`);
  await page.fill('#change-reason', '车间停产检修，设备停用一年（浏览器测试）');
  assert.ok(/^\d{4}-\d{2}-\d{2}$/.test(await page.locator('#effective-date').inputValue()), '生效日期 defaults to today');

  const pdf = path.join(tempDir, '停用报废注销登记表.pdf');
  await writeFile(pdf, '%PDF-1.4\n%%EOF\n');
  await page.setInputFiles('#attachments', pdf);
  await page.locator('.uploads .upload.done').waitFor({ state: 'visible' });
  assert.ok(await page.locator('#change-submit').isEnabled(), '提交 is enabled once uploaded');
  await h.screenshots('equipment-change-form');

  await page.click('#change-submit');
  await page.waitForURL((url) => url.pathname === `${equipmentPath}/changes`);
  await page.locator('.alert-success').first().waitFor({ state: 'visible' });
  const first = page.locator('tr.change-row').first();
  await first.waitFor({ state: 'visible' });
  const text = await first.innerText();
  assert.ok(text.includes('停用'), `the change is a 停用: ${text}`);
  assert.ok(text.includes('待审批'), `the change waits for the bureau: ${text}`);
  assert.ok(text.includes('停用报废注销登记表.pdf'), `the attachment is listed: ${text}`);
  await h.screenshots('equipment-change-history');

  // A second request while this one waits: the form says so instead of offering itself.
  await page.goto(`${equipmentPath}/change`);
  const warning = page.locator('.alert-warn');
  await warning.waitFor({ state: 'visible' });
  assert.ok((await warning.innerText()).includes('待审批的变更申请'), 'the pending change is named');
  assert.equal(await page.locator('#change-kind').count(), 0, 'no form while a change is pending');
  await h.screenshots('equipment-change-pending');
});

h.step('no uncaught errors in the page', {}, async () => {
  assert.deepEqual(h.pageErrors, [], `uncaught errors in the page:\n${h.pageErrors.join('\n')}`);
});
