// The 计费 calculator runs in the browser (wasm) with the same domain code as the server: on the
// shared case table (crates/domain/tests/fee_cases.json) the wasm build and POST
// /api/v1/fees/estimate must give identical estimates, line for line, and both the expected
// totals. Signs in over the API only (as demo-ent-2); the page is used to run the wasm module.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { harness, BASE_URL } from '../support.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const CASES = path.join(here, '..', '..', 'crates', 'domain', 'tests', 'fee_cases.json');

let page;
const state = {};
const h = harness({ state });

h.step('the wasm build and the API agree on every shared fee case', {}, async () => {
  const table = JSON.parse(await readFile(CASES, 'utf8'));
  assert.ok(table.cases.length >= 20, 'the case table has cases');

  const login = await fetch(`${BASE_URL}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'demo-ent-2', password: 'Tejian-demo-2026' }),
  });
  assert.equal(login.status, 200);
  const token = (await login.json()).access_token;
  const auth = { authorization: `Bearer ${token}` };
  const book = await (await fetch(`${BASE_URL}/api/v1/fees/tariff`, { headers: auth })).text();

  // The server estimates with the tariff in force today in 湖州 (330500).
  const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
  const api = [];
  for (const c of table.cases) {
    const res = await fetch(`${BASE_URL}/api/v1/fees/estimate`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(c.request),
    });
    const body = await res.json();
    api.push(res.ok ? body : { error: body.errors?.[0]?.code ?? body.code });
  }

  page = await h.freshPage();
  await page.goto('/login');
  await page.locator('form').first().waitFor({ state: 'visible' });
  const wasm = await page.evaluate(
    async ({ book, cases, today }) => {
      const m = await import('/tejian_web.js');
      return cases.map((c) =>
        JSON.parse(m.tejian_fee_estimate(book, '330500', today, JSON.stringify(c.request))),
      );
    },
    { book, cases: table.cases, today },
  );

  table.cases.forEach((c, i) => {
    assert.deepEqual(wasm[i], api[i], `${c.name}: wasm and API differ`);
    if (c.total) assert.equal(api[i].total, c.total, `${c.name}: total`);
    if (c.error) assert.equal(api[i].error, c.error, `${c.name}: error`);
  });
});
