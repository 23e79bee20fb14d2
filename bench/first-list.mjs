// SPA time to first rendered list (issue 7): signs in through the API (the refresh cookie lands in
// a fresh browser context, as after the login page), then opens 设备查询 with a cold cache and
// times navigation start → the frame that paints the first equipment row. Prints one JSON object.
//
//   node bench/first-list.mjs --base http://127.0.0.1:8080 --user demo-ent-2 --runs 5
//
// Needs playwright-core (from e2e/: `cd e2e && npm ci`) and Chromium (/usr/bin/chromium or
// CHROMIUM_PATH). A measurement, never an assertion: it exits non-zero only when it could not
// measure at all.

import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

// playwright-core lives in e2e/node_modules; this script shares it instead of a second copy.
const require = createRequire(new URL('../e2e/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const { values: args } = parseArgs({
  options: {
    base: { type: 'string', default: process.env.TEJIAN_BASE_URL || 'http://127.0.0.1:8080' },
    user: { type: 'string', default: 'demo-ent-2' },
    password: { type: 'string', default: 'Tejian-demo-2026' },
    path: { type: 'string', default: '/equipment/search' },
    runs: { type: 'string', default: '5' },
    timeout: { type: 'string', default: '30000' },
  },
});

const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const runs = Math.max(1, Number.parseInt(args.runs, 10) || 5);
const timeout = Number.parseInt(args.timeout, 10) || 30000;

// Runs in the page before any of its scripts: notes when the first row is in the DOM and the
// frame after that (when it is painted), on the page's own clock (0 = navigation start).
function watchFirstRow() {
  const marks = {};
  window.__firstList = marks;
  const seen = () => {
    if (marks.inserted !== undefined) return;
    const row = document.querySelector('tr.equipment-row');
    if (!row || row.getBoundingClientRect().height === 0) return;
    marks.inserted = performance.now();
    requestAnimationFrame(() => {
      marks.painted = performance.now();
    });
  };
  new MutationObserver(seen).observe(document, { childList: true, subtree: true });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function measureOnce(browser) {
  // A fresh context: no cookies, empty HTTP and compiled-wasm caches.
  const context = await browser.newContext({
    baseURL: args.base,
    viewport: { width: 1280, height: 800 },
    locale: 'zh-CN',
  });
  try {
    const login = await context.request.post('/api/v1/auth/login', {
      data: { username: args.user, password: args.password, use_cookie: true },
    });
    if (!login.ok()) {
      throw new Error(`login as ${args.user} failed: HTTP ${login.status()} ${await login.text()}`);
    }
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(watchFirstRow);
    await page.goto(args.path, { waitUntil: 'commit', timeout });
    try {
      await page.waitForFunction(() => window.__firstList?.painted !== undefined, null, {
        timeout,
        polling: 50,
      });
    } catch (e) {
      throw new Error(`no equipment row within ${timeout} ms at ${page.url()}${errors.length ? `; page errors: ${errors.join(' | ')}` : ''}`);
    }
    return await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const wasm = performance
        .getEntriesByType('resource')
        .find((r) => r.name.endsWith('.wasm'));
      return {
        first_row_ms: window.__firstList.painted,
        in_dom_ms: window.__firstList.inserted,
        dom_content_loaded_ms: nav ? nav.domContentLoadedEventEnd : null,
        wasm_loaded_ms: wasm ? wasm.responseEnd : null,
        wasm_transfer_bytes: wasm ? wasm.transferSize : null,
        wasm_encoded_bytes: wasm ? wasm.encodedBodySize : null,
        wasm_decoded_bytes: wasm ? wasm.decodedBodySize : null,
      };
    });
  } finally {
    await context.close();
  }
}

async function main() {
  const browser = await chromium.launch({
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
  try {
    // One unmeasured run warms the server (database pages, the first login's hashing pool), not
    // the browser: every measured run has a fresh context.
    await measureOnce(browser);
    const samples = [];
    for (let i = 0; i < runs; i += 1) samples.push(await measureOnce(browser));
    const firstRow = samples.map((s) => s.first_row_ms);
    const round = (v) => (v === null || v === undefined ? null : Math.round(v * 10) / 10);
    const last = samples[samples.length - 1];
    console.log(
      JSON.stringify({
        base: args.base,
        path: args.path,
        user: args.user,
        runs,
        median_ms: round(median(firstRow)),
        min_ms: round(Math.min(...firstRow)),
        max_ms: round(Math.max(...firstRow)),
        median_wasm_loaded_ms: round(median(samples.map((s) => s.wasm_loaded_ms ?? 0))),
        wasm_transfer_bytes: last.wasm_transfer_bytes,
        wasm_encoded_bytes: last.wasm_encoded_bytes,
        wasm_decoded_bytes: last.wasm_decoded_bytes,
        samples_ms: firstRow.map(round),
      }),
    );
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(`first-list: ${e.message}`);
  process.exit(1);
});
