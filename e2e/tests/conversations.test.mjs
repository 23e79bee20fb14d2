// 交流互动 (manual §5.4) in a real Chromium: the list with its status badges and 受理机构, 发起交流
// (主题, 内容, an attachment uploaded at once, 保存) going to the bureau of the enterprise's district,
// 提交监察机构 to 南浔 and back, the bureau's reply over REST, the reloaded list showing 已回复 and the
// thread showing the reply and a downloadable attachment; after the bureau closes it over REST the
// thread says 交流已关闭 and offers no reply box.
//
// Run through `cargo xtask e2e`. Signs in as demo-ent-2 (auth.test.mjs changes demo-ent-1's
// password); its enterprise is in 吴兴区 (330502), whose bureau is demo-bureau.

import assert from 'node:assert/strict';
import { BASE_URL, harness } from '../support.mjs';

const PASSWORD = 'Tejian-demo-2026';
const SUBJECT = `电梯集中检验咨询 ${Date.now()}`;
const QUESTION = '我单位 3 台电梯下月到期，能否安排在同一天检验？';
const REPLY = '可以安排在同一天，请提前 5 个工作日网上报检。';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

let page;
const state = { loggedIn: false, sent: false, forwarded: false, replied: false };
let conversationId = 0;
const tokens = {};

const h = harness({ state, contextOptions: { acceptDownloads: true } });

/** A JSON call to the API as `username` (its own token, apart from the browser's session). */
async function api(username, path, init = {}) {
  if (!tokens[username]) {
    const login = await fetch(`${BASE_URL}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: PASSWORD, use_cookie: false }),
    });
    assert.equal(login.status, 200, `API login as ${username}`);
    tokens[username] = (await login.json()).access_token;
  }
  return fetch(`${BASE_URL}/api/v1${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${tokens[username]}`,
      'content-type': 'application/json',
      ...(init.headers || {}),
    },
  });
}

/** The list row of the conversation started here. */
function row() {
  return page.locator(`tr.conversation-row[data-subject="${SUBJECT}"]`);
}

async function listReady() {
  await page.locator('h1.page-title', { hasText: '交流互动' }).waitFor({ state: 'visible' });
  await page.locator('.results .loading').waitFor({ state: 'detached' });
}

h.step('demo-ent-2 logs in and opens 交流互动', {}, async () => {
  page = await h.freshPage();
  await page.goto('/login');
  await page.fill('#username', 'demo-ent-2');
  await page.fill('#password', PASSWORD);
  await page.click('#login-submit');
  await page.locator('nav.topbar').waitFor({ state: 'visible' });
  await page.locator('nav.topbar').getByText('企业自助服务', { exact: true }).click();
  await page.locator('nav.sidemenu').getByText('交流互动', { exact: true }).first().click();
  await page.waitForURL((url) => url.pathname === '/services/messages');
  await listReady();
  // The demo data: a conversation the 吴兴 bureau has answered.
  const replied = page.locator('tr.conversation-row .badge[data-state="replied"]').first();
  await replied.waitFor({ state: 'visible' });
  const text = await page.locator('table.conversation-table').innerText();
  for (const word of ['状态', '受理机构', '湖州市市场监督管理局吴兴分局', '交流记录', '已回复']) {
    assert.ok(text.includes(word), `the list shows ${word}`);
  }
  state.loggedIn = true;
});

h.step('发起交流: the form checks its fields, then 保存 sends it to the district bureau', { needs: 'loggedIn' }, async () => {
  await page.click('#conv-new');
  await page.locator('#conv-form').waitFor({ state: 'visible' });
  await page.click('#conv-save');
  await page.locator('#conv-subject-error').waitFor({ state: 'visible' });
  assert.match(await page.locator('#conv-subject-error').innerText(), /请填写交流主题/);
  assert.match(await page.locator('#conv-content-error').innerText(), /请填写交流内容/);
  await h.screenshots('conversation-new');

  await page.fill('#conv-subject', SUBJECT);
  await page.fill('#conv-content', QUESTION);
  await page.setInputFiles('#conv-files', { name: '电梯清单.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.locator('#conv-form li.upload.done').waitFor({ state: 'visible' });
  await page.click('#conv-save');
  const sent = page.locator('#conv-sent');
  await sent.waitFor({ state: 'visible' });
  assert.match(await sent.innerText(), /已提交至湖州市市场监督管理局吴兴分局/);
  await row().waitFor({ state: 'visible' });
  assert.equal(await row().locator('.badge').getAttribute('data-state'), 'awaiting_reply');
  assert.match(await row().locator('.conv-bureau').innerText(), /吴兴分局/);
  assert.match(await row().locator('.conv-excerpt').innerText(), /同一天检验/);
  conversationId = Number(await row().getAttribute('data-id'));
  assert.ok(conversationId > 0);
  await h.screenshots('conversations');
  state.sent = true;
});

h.step('提交监察机构 passes it to 南浔 and back to 吴兴; the thread records both', { needs: 'sent' }, async () => {
  await row().locator('a.conv-thread').click();
  await page.waitForURL((url) => url.pathname === `/services/messages/${conversationId}`);
  await page.locator('#conv-thread').waitFor({ state: 'visible' });
  assert.equal((await page.locator('#conv-title').innerText()).trim(), SUBJECT);
  // Forwarding needs a bureau chosen.
  await page.click('#forward-submit');
  assert.match(await page.locator('#forward-error').innerText(), /请选择要提交的监管局/);
  const options = await page.locator('#forward-bureau option').allInnerTexts();
  assert.ok(!options.includes('湖州市市场监督管理局吴兴分局'), 'the current bureau is not offered');

  await page.selectOption('#forward-bureau', 'nanxun');
  await page.click('#forward-submit');
  await page.locator('#conv-bureau', { hasText: '南浔分局' }).waitFor({ state: 'visible' });
  await page.selectOption('#forward-bureau', 'wuxing');
  await page.click('#forward-submit');
  await page.locator('#conv-bureau', { hasText: '吴兴分局' }).waitFor({ state: 'visible' });
  const events = page.locator('#conv-thread li[data-kind="forward"]');
  assert.equal(await events.count(), 2);
  assert.match(await events.first().innerText(), /吴兴分局 → 湖州市市场监督管理局南浔分局/);
  state.forwarded = true;
});

h.step('the bureau replies over REST; after a reload the list says 已回复', { needs: 'forwarded' }, async () => {
  const queue = await (await api('demo-bureau', `/conversations?text=${encodeURIComponent(SUBJECT)}`)).json();
  assert.deepEqual(
    queue.items.map((c) => c.id),
    [conversationId],
    'the 吴兴 bureau has it in its queue',
  );
  const res = await api('demo-bureau', `/conversations/${conversationId}/messages`, {
    method: 'POST',
    body: JSON.stringify({ content: REPLY }),
  });
  assert.equal(res.status, 201);
  assert.equal((await res.json()).conversation.state, 'replied');

  await page.goto('/services/messages');
  await listReady();
  await row().waitFor({ state: 'visible' });
  const badge = row().locator('.badge');
  assert.equal(await badge.getAttribute('data-state'), 'replied');
  assert.equal((await badge.innerText()).trim(), '已回复');
  assert.match(await row().locator('.conv-excerpt').innerText(), /监管局：可以安排在同一天/);

  await row().locator('a.conv-thread').click();
  const reply = page.locator('#conv-thread li.from-bureau', { hasText: REPLY });
  await reply.waitFor({ state: 'visible' });
  assert.match(await reply.innerText(), /湖州市市场监督管理局吴兴分局/);
  // The attachment of the first message downloads under its own name.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('#conv-thread li.from-enterprise .attachment button').first().click(),
  ]);
  assert.equal(download.suggestedFilename(), '电梯清单.pdf');
  await h.screenshots('conversation-thread');
  state.replied = true;
});

h.step('the enterprise replies in the SPA; once the bureau closes it, no reply box is left', { needs: 'replied' }, async () => {
  await page.fill('#reply-content', '好的，谢谢！');
  await page.click('#reply-send');
  await page.locator('#conv-thread li.from-enterprise', { hasText: '好的，谢谢！' }).waitFor({ state: 'visible' });
  assert.equal(await page.locator('#conv-state .badge').getAttribute('data-state'), 'awaiting_reply');

  const res = await api('demo-bureau', `/conversations/${conversationId}/close`, {
    method: 'POST',
    body: JSON.stringify({ note: '问题已答复，交流关闭。' }),
  });
  assert.equal(res.status, 200);
  await page.reload();
  await page.locator('#conv-closed').waitFor({ state: 'visible' });
  assert.match(await page.locator('#conv-closed').innerText(), /交流已关闭/);
  assert.equal(await page.locator('#reply').count(), 0, 'no reply box');
  assert.equal(await page.locator('#forward').count(), 0, 'no forwarding');
  assert.equal((await page.locator('#conv-state .badge').innerText()).trim(), '交流关闭');
  await h.screenshots('conversation-closed');
});

h.step('a 查看 user (demo-viewer) reads the threads but gets no reply box and no 发起交流', { needs: 'loggedIn' }, async () => {
  page = await h.freshPage();
  await page.goto('/login');
  await page.fill('#username', 'demo-viewer');
  await page.fill('#password', PASSWORD);
  await page.click('#login-submit');
  await page.locator('nav.topbar').waitFor({ state: 'visible' });
  await page.goto('/services/messages');
  await listReady();
  const open = page.locator('tr.conversation-row:has(.badge[data-state="awaiting_reply"])').first();
  await open.waitFor({ state: 'visible' });
  assert.equal(await page.locator('#conv-new').count(), 0, 'no 发起交流');
  assert.equal(await open.locator('a.conv-reply').count(), 0, 'no 回复 link');
  await open.locator('a.conv-thread').click();
  await page.locator('#conv-read-only').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#reply').count(), 0, 'no reply box');
  assert.equal(await page.locator('#forward').count(), 0, 'no forwarding');
});

h.step('no uncaught errors in the page', { needs: 'loggedIn' }, async () => {
  assert.deepEqual(h.pageErrors, []);
});
