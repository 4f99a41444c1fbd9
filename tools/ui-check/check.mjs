// Drives the Management Center (router-for-me/Cli-Proxy-API-Management-Center) against a running
// gateway in headless Chromium: logs in, opens the pages below, and prints every /v0/management call
// with its status, console errors, failed requests and downloads; screenshots go to the output folder.
// See README "Checking the Management Center".
//
//   node check.mjs [gateway=http://127.0.0.1:18317] [management key] [output folder=./shots]
//   env PAGES     steps to run, comma-separated (default: all of usage,logs,errors,system,quota,auth-files,ai-providers)
//       UI_URL    the UI's address when it is served from another origin (default: <gateway>/management.html)
//       UPLOAD    auth file the auth-files step uploads (default ./upload.json)
//       IMPORT    usage export the usage step imports (optional)
//       CLEAR_LOGS=1  the logs step also clears the log, sends one proxy request (CLIENT_KEY) and refreshes
//       CHROMIUM  browser binary (default /usr/bin/chromium)
// Exit code 1 when a step failed or a management call answered >= 400 (but a request-log-by-id 404).
import { chromium } from 'playwright-core';
import fs from 'node:fs';

const base = process.argv[2] ?? 'http://127.0.0.1:18317';
const key = process.argv[3] ?? process.env.MANAGEMENT_KEY ?? '';
const out = process.argv[4] ?? './shots';
const steps = (process.env.PAGES ?? 'usage,logs,errors,system,quota,auth-files,ai-providers').split(',');
const uiUrl = process.env.UI_URL ?? `${base}/management.html`;
fs.mkdirSync(out, { recursive: true });

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
const page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true })).newPage();
let current = 'login';
const calls = [];
const problems = [];
page.on('console', (m) => { if (m.type() === 'error') problems.push(`[${current}] console: ${m.text().slice(0, 300)}`); });
page.on('pageerror', (e) => problems.push(`[${current}] page error: ${e.message.slice(0, 300)}`));
page.on('requestfailed', (r) => problems.push(`[${current}] request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`));
page.on('response', async (r) => {
  const url = new URL(r.url());
  if (!url.pathname.startsWith('/v0/management')) return;
  const entry = `${r.request().method()} ${url.pathname}${url.search} -> ${r.status()}`;
  calls.push(`[${current}] ${entry}`);
  if (r.status() >= 400) problems.push(`[${current}] HTTP ${entry} ${(await r.text().catch(() => '')).slice(0, 200)}`);
});

const settle = async (ms = 2500) => { await page.waitForLoadState('networkidle').catch(() => {}); await page.waitForTimeout(ms); };
const shot = (name) => page.screenshot({ path: `${out}/${name}.png` });
const text = async () => (await page.evaluate(() => document.body.innerText)).replace(/\s+/g, ' ');
const button = (name) => page.getByRole('button', { name });
const open = async (hash) => {
  const link = page.locator(`a[href="#${hash}"]`).first();
  if (await link.count()) await link.click();
  else await page.evaluate((h) => { window.location.hash = h; }, hash);
  await settle();
};
const download = async (trigger, label) => {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout: 10000 }).catch(() => null), trigger()]);
  if (!file) { problems.push(`[${current}] ${label}: no download`); return null; }
  const path = `${out}/${file.suggestedFilename()}`;
  await file.saveAs(path);
  console.log(`${label}: ${file.suggestedFilename()} (${fs.statSync(path).size} bytes)`);
  return path;
};

// Each step is written for the UI generations seen so far: Feb 2026 (usage page, stats from /usage),
// May 2026 (last with the usage page) and later (no usage page, quota timeline, providers workbench).
const run = {
  async usage() {
    await open('/usage');
    await shot('usage');
    console.log('usage page:', (await text()).slice(0, 500));
    const exported = await download(() => button(/^(Export|导出)$/).click(), 'usage export');
    if (exported) console.log('export total_requests:', JSON.parse(fs.readFileSync(exported, 'utf8')).usage?.total_requests);
    if (process.env.IMPORT) {
      await page.locator('input[type="file"]').first().setInputFiles(process.env.IMPORT);
      await settle(3000);
      await shot('usage-imported');
      console.log('after import:', (await text()).slice(0, 200));
    }
    for (let i = 1; i <= 3; i++) { await page.mouse.move(800, 600); await page.mouse.wheel(0, 900); await page.waitForTimeout(600); await shot(`usage-${i}`); }
  },
  async logs() {
    await open('/logs');
    await shot('logs');
    console.log('logs page (end):', (await text()).slice(-300));
    const trace = button(/^(Trace|追踪)$/);
    if (await trace.count()) {
      await trace.last().click();
      await settle(1500);
      await shot('logs-trace');
      await download(() => button(/Download Request Log|下载请求日志/).click(), 'request log by id');
      await button(/^(Close|关闭)$/).last().click();
    }
    if (process.env.CLEAR_LOGS) {
      await button(/Clear Logs|清空日志/).click();
      await page.waitForTimeout(500);
      await button(/^(Confirm|确认|OK|Clear|清空)$/).last().click();
      await settle(1500);
      await fetch(`${base}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${process.env.CLIENT_KEY ?? ''}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'fake-gpt', messages: [{ role: 'user', content: 'after clear' }] }),
      });
      await button(/Refresh Logs|刷新日志/).click();
      await settle(1500);
      await shot('logs-cleared-refreshed');
      console.log('logs after clear + refresh:', (await text()).slice(-300));
    }
  },
  async errors() {
    await open('/logs');
    await button(/Error Request Logs|错误请求日志/).click();
    await settle();
    await shot('error-logs');
    const first = button(/^(Download|下载)$/).first();
    if (await first.count()) await download(() => first.click(), 'error log');
    else console.log('no error logs listed (request-log on, or no failed request yet)');
  },
  async system() {
    // The request-log switch hides behind seven taps on the UI version tile.
    await open('/system');
    const tile = page.locator('button', { hasText: /Management UI Version|管理中心版本/ }).first();
    for (let i = 0; i < 7; i++) await tile.click();
    await page.waitForTimeout(500);
    const toggle = page.locator('.request-log-modal input[type="checkbox"]');
    if (!(await toggle.count())) { console.log('request-log switch not found in this UI version'); return; }
    const before = await toggle.isChecked();
    await page.locator('.request-log-modal label').first().click();
    await button(/^(Save|保存)$/).click();
    await settle(1500);
    await shot('request-log-toggled');
    console.log(`request-log switched ${before ? 'off' : 'on'}`);
  },
  async quota() {
    await open('/quota');
    for (const b of await button(/Refresh files & quota|刷新文件与额度/).all()) { await b.click(); await page.waitForTimeout(1500); }
    const refresh = page.getByText(/Click here to refresh quota|点击此处刷新额度/);
    for (let i = 0; i < 10 && (await refresh.count()); i++) { await refresh.first().click(); await page.waitForTimeout(1500); }
    await settle(3000);
    await shot('quota');
    console.log('quota page:', (await text()).slice(0, 900));
  },
  async 'auth-files'() {
    await open('/auth-files');
    await page.locator('input[type="file"]').first().setInputFiles(process.env.UPLOAD ?? './upload.json');
    await settle(3000);
    await shot('auth-files-uploaded');
    console.log('auth files page:', (await text()).slice(0, 500));
  },
  async 'ai-providers'() {
    await open('/ai-providers');
    await shot('ai-providers');
    await page.evaluate(() => { window.location.hash = '/ai-providers/openai/0'; });
    await settle();
    const prefix = page.locator('xpath=//label[contains(., "Prefix")]/following::input[1]');
    if (!(await prefix.count())) { console.log('no OpenAI-compatible edit page in this UI version'); return; }
    await prefix.fill(`p${Date.now() % 1000}`);
    await button(/^(Save|保存)$/).first().click();
    await settle(3000);
    await shot('ai-providers-saved');
    console.log('after save:', (await text()).slice(0, 200));
    await page.evaluate(() => { window.location.hash = '/ai-providers/openai/0'; });
    await settle();
    const testAll = button(/Test All Keys|测试全部/);
    if (await testAll.count()) { await testAll.click(); await settle(4000); await shot('ai-providers-key-test'); }
  },
};

await page.goto(uiUrl);
await settle(1000);
if (process.env.UI_URL) {
  await page.getByText(/Custom Connection URL|自定义连接/).first().click();
  await page.locator('input[type="text"], input:not([type])').first().fill(base);
}
await page.locator('input[type="password"]').fill(key);
await button(/^(Login|登录)$/).click();
await settle();
await shot('dashboard');
for (const step of steps) {
  current = step;
  try { await run[step](); } catch (e) { problems.push(`[${step}] step failed: ${e.message.split('\n')[0]}`); await shot(`failed-${step}`); }
}
await browser.close();

console.log('\n== management calls ==');
for (const c of calls) console.log(c);
console.log('\n== problems ==');
for (const p of problems) console.log(p);
// A request log exists only for failed requests while request-log is off: a 404 for another id is expected.
process.exitCode = problems.some((p) => / step failed|HTTP /.test(p) && !/request-log-by-id\/\S+ -> 404/.test(p)) ? 1 : 0;
