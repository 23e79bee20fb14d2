// 企业账号申请注册 (manual 3.1) end to end: from the login page's 「企业账号申请注册入口」 through
// the terms with their 10-second countdown, the form with a 营业执照 upload and the confirmation;
// then the institute approves over REST, the applicant's SMS (the server's log sender writes it
// to TEJIAN_SMS_LOG_FILE, set by `cargo xtask e2e`) carries the password, the new user logs in,
// must change it, and lands on the overview.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { BASE_URL, harness } from '../support.mjs';

const SMS_LOG = process.env.TEJIAN_SMS_LOG_FILE;
const NEW_PASSWORD = 'E2e-Registered-2026!';
// A 1×1 PNG: the server checks the content, not the name.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** A valid 统一社会信用代码 with a fresh organisation part (GB 32100 check character). */
function creditCode() {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const tail = String(Date.now() % 1_000_000_000).padStart(9, '0');
  const first17 = `91330502${tail}`;
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += alphabet.indexOf(first17[i]) * weights[i];
  return first17 + alphabet[(31 - (sum % 31)) % 31];
}

const CODE = creditCode();
const APPLICANT_PHONE = '13957205678';

let page;
const state = { onForm: false, submitted: false, approved: false, password: null };
const h = harness({ state });

async function api(path, { method = 'GET', token, body } = {}) {
  const response = await fetch(`${BASE_URL}/api/v1${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** The newest SMS to `to` whose text contains `needle`, waiting for the outbox to send it. */
async function smsTo(to, needle) {
  assert.ok(SMS_LOG, 'TEJIAN_SMS_LOG_FILE is not set (run through `cargo xtask e2e`)');
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const text = await readFile(SMS_LOG, 'utf8').catch(() => '');
    const found = text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
      .filter((m) => m.to === to && m.text.includes(needle))
      .pop();
    if (found) return found.text;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`no SMS to ${to} containing 「${needle}」 in ${SMS_LOG}`);
}

h.step('the login page links to the registration, which shows the terms with a countdown', {}, async () => {
  page = await h.freshPage();
  await page.goto('/login');
  const link = page.locator('#register-link');
  await link.waitFor({ state: 'visible' });
  assert.equal((await link.innerText()).trim(), '企业账号申请注册入口');
  assert.ok(await page.locator('#application-form-link').isVisible(), 'the paper form is linked');
  await link.click();
  await page.waitForURL((url) => url.pathname === '/register');

  await page.getByText('《湖州市特种设备企业服务平台企业客户服务条款》').waitFor({ state: 'visible' });
  const agree = page.locator('#reg-agree');
  await agree.waitFor({ state: 'visible' });
  assert.ok(await agree.isDisabled(), '「同意以上条款」 starts disabled');
  const countdown = await page.locator('#reg-countdown').innerText();
  assert.match(countdown, /\d+ 秒后可点击/);
  await h.screenshots('registration-terms');
  // Still disabled a few seconds in.
  await page.waitForTimeout(3_000);
  assert.ok(await agree.isDisabled(), 'still disabled after 3 s');
  // Enabled once the ten seconds are over.
  const started = Date.now();
  await page.waitForFunction(() => !document.querySelector('#reg-agree')?.disabled, null, {
    timeout: 15_000,
  });
  assert.ok(Date.now() - started > 3_000, 'the button waited for the countdown');
  await agree.click();
  await page.locator('#reg-name').waitFor({ state: 'visible' });
  state.onForm = true;
});

h.step('the form is filled in, a licence uploaded, and the registration submitted', { needs: 'onForm' }, async () => {
  assert.ok(await page.locator('#reg-form-download').isVisible(), 'the paper form is linked');
  assert.ok(
    await page.locator('input[name="unit_type"][value="use_unit"]').isChecked(),
    '使用单位 is the default unit type',
  );
  await page.fill('#reg-name', 'E2E 湖州注册测试有限公司');
  // A wrong check character is caught in the browser, by the domain's own parser.
  const wrongCheck = CODE.slice(0, 17) + (CODE[17] === '0' ? '1' : '0');
  await page.fill('#reg-credit-code', wrongCheck);
  await page.locator('#reg-district option[value="330502"]').waitFor({ state: 'attached' });
  await page.selectOption('#reg-district', '330502');
  await page.fill('#reg-address', '湖州市吴兴区安吉路 1 号');
  await page.fill('#reg-legal', '王建国');
  await page.fill('#reg-safety', '沈国强');
  await page.fill('#reg-safety-phone', '13857201234');
  await page.fill('#reg-applicant', '钱丽');
  await page.fill('#reg-applicant-phone', APPLICANT_PHONE);
  await page.setInputFiles('#reg-licence', { name: '营业执照.png', mimeType: 'image/png', buffer: PNG });
  await page.getByText('营业执照.png').waitFor({ state: 'visible' });
  await h.screenshots('registration-form');

  await page.click('#reg-submit');
  const codeError = page.locator('#reg-credit-code-error');
  await page.waitForFunction(() => document.querySelector('#reg-credit-code-error')?.textContent.trim());
  assert.match(await codeError.innerText(), /校验/);
  assert.equal(await page.locator('#reg-credit-code').getAttribute('aria-invalid'), 'true');

  // The server's field errors show under their fields too (an empty address).
  await page.fill('#reg-credit-code', CODE);
  await page.fill('#reg-address', '');
  await page.click('#reg-submit');
  await page.waitForFunction(() => document.querySelector('#reg-address-error')?.textContent.trim());
  assert.match(await page.locator('#reg-address-error').innerText(), /单位地址/);
  assert.equal(await codeError.innerText(), '', 'the fixed code shows no error');
  await h.screenshots('registration-form-errors');

  await page.fill('#reg-address', '湖州市吴兴区安吉路 1 号');
  await page.click('#reg-submit');
  const done = page.locator('#reg-done');
  await done.waitFor({ state: 'visible' });
  const reference = (await page.locator('#reg-reference-no').innerText()).trim();
  assert.match(reference, /^ZC\d{8}-[A-Z0-9]{6}$/);
  assert.ok((await done.innerText()).includes('139****5678'), 'the confirmation names the masked mobile');
  state.submitted = true;
  await h.screenshots('registration-done');
});

h.step('the institute approves over REST and the applicant gets the password by SMS', { needs: 'submitted' }, async () => {
  const login = await api('/auth/login', {
    method: 'POST',
    body: { username: 'demo-institute', password: 'Tejian-demo-2026' },
  });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  const token = login.body.access_token;
  const list = await api(`/registrations?state=pending&q=${CODE}`, { token });
  assert.equal(list.status, 200);
  assert.equal(list.body.total, 1);
  const id = list.body.items[0].id;
  const approved = await api(`/registrations/${id}/approve`, { method: 'POST', token });
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  assert.equal(approved.body.username, CODE.toLowerCase());
  const sms = await smsTo(APPLICANT_PHONE, CODE.toLowerCase());
  const match = sms.match(/初始密码：([^，]+)，/);
  assert.ok(match, `no password in the SMS: ${sms}`);
  assert.ok(!JSON.stringify(approved.body).includes(match[1]), 'the answer does not hold the password');
  state.password = match[1];
  state.approved = true;
});

h.step('the new user logs in with the SMS password, must change it, and lands on the overview', { needs: 'approved' }, async () => {
  page = await h.freshPage();
  await page.goto('/login');
  await page.locator('#username').waitFor({ state: 'visible' });
  await page.fill('#username', CODE);
  await page.fill('#password', state.password);
  await page.click('#login-submit');
  await page.waitForURL((url) => url.pathname === '/change-password');
  await page.locator('#current-password').waitFor({ state: 'visible' });
  await page.fill('#current-password', state.password);
  await page.fill('#new-password', NEW_PASSWORD);
  await page.fill('#confirm-password', NEW_PASSWORD);
  await page.click('#password-submit');
  await page.waitForURL((url) => url.pathname === '/equipment/overview');
  await page.locator('nav.topbar').waitFor({ state: 'visible' });
});

h.step('no uncaught errors in the page', {}, async () => {
  assert.deepEqual(h.pageErrors, [], `uncaught errors in the page:\n${h.pageErrors.join('\n')}`);
});
