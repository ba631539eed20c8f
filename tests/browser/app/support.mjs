// Shared pieces of the app's browser tests: a fresh `gotong serve` with the built web app, the
// demo data, extra users made with the CLI, Chromium, and the API as a signed-in user.
// Each test file imports this and stays runnable alone: node tests/browser/app/<name>.test.mjs.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, '..', '..', '..');
const require = createRequire(path.join(REPO, 'tests', 'browser', 'package.json'));
export const { chromium } = require('playwright-core');

export const PASSWORD = 'gotong-demo';
export const USERS = {
  admin: 'admin@demo.gotong.id',
  coordinator: 'koordinator@demo.gotong.id',
  officer: 'petugas@demo.gotong.id',
  partner: 'mitra@demo.gotong.id',
  viewer: 'pemantau@demo.gotong.id',
};

export function options(name) {
  const args = process.argv.slice(2);
  const outDir = path.resolve(args.includes('--out') ? args[args.indexOf('--out') + 1] : path.join(HERE, 'artifacts', name));
  return {
    outDir,
    bin: path.resolve(process.env.GOTONG_BIN ?? path.join(REPO, 'build', 'release', 'gotong')),
    webDir: path.resolve(process.env.GOTONG_WEB_DIR ?? path.join(REPO, 'web', 'dist')),
    chromiumPath: process.env.GOTONG_CHROMIUM ?? '/usr/bin/chromium',
  };
}

export function run(cmd, argv, input) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${argv.join(' ')}: exit ${code}\n${out}`))));
    child.stdin.end(input ?? '');
  });
}

/** A fresh demo database and `gotong serve` on a free port with the built app. */
export async function startServer(opts, prefix) {
  for (const [what, p] of [['gotong binary (set GOTONG_BIN)', opts.bin], ['built web app (npm run build in web/)', path.join(opts.webDir, 'index.html')], ['Chromium', opts.chromiumPath]])
    if (!fs.existsSync(p)) throw new Error(`no ${what} at ${p}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `gotong-${prefix}-`));
  const db = `sqlite:${path.join(dir, 'gotong.db')}`;
  await run(opts.bin, ['demo', 'load', '--database', db]);
  const child = spawn(opts.bin, ['serve', '--listen', '127.0.0.1:0', '--database', db, '--attachments', path.join(dir, 'files'), '--web-dir', opts.webDir, '--quiet'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (d) => (log += d));
  const origin = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gotong serve did not start\n${log}`)), 20_000);
    child.stdout.on('data', (d) => {
      const m = /listening on (http:\/\/[^\s]+)/.exec(String(d));
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`gotong serve exited with ${code}\n${log}`)));
  });
  return {
    origin,
    db,
    dir,
    /** `gotong user add` for the demo organisation. */
    addUser: (email, role, name) => run(opts.bin, ['user', 'add', '--database', db, '--org', 'demo', '--email', email, '--role', role, '--name', name, '--password-stdin'], PASSWORD + '\n'),
    stop: () => {
      child.kill('SIGTERM');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function launch(opts) {
  return chromium.launch({ executablePath: opts.chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

/** A browser context that talks only to our server (no CDN may be needed), without the service worker. */
export async function newContext(browser, origin, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport, locale: 'id-ID', serviceWorkers: 'block' });
  context.setDefaultTimeout(20_000);
  await context.route((url) => url.origin !== origin, (route) => route.abort('blockedbyclient'));
  return context;
}

/** The JSON API with the context's cookies (after signing in through the page). */
export function apiOf(context, origin) {
  let csrf = '';
  const call = async (method, url, data, headers = {}) => {
    if (!csrf && method !== 'GET') csrf = (await call('GET', '/api/v1/me')).csrf_token;
    const res = await context.request.fetch(origin + url, { method, headers: method === 'GET' ? headers : { 'X-CSRF-Token': csrf, ...headers }, data });
    const body = res.headers()['content-type']?.includes('json') ? await res.json() : await res.text();
    if (!res.ok()) throw new Error(`${method} ${url}: HTTP ${res.status()} ${JSON.stringify(body)}`);
    return body;
  };
  return call;
}

export async function signIn(page, origin, email) {
  await page.goto(origin + '/login');
  await page.fill('input[type=email]', email);
  await page.fill('input[type=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/o\/demo/);
}

export function expect(cond, message) {
  if (!cond) throw new Error(message);
}

/** Runs named steps, printing one line each; the first failure ends the test. */
export function stepper() {
  const results = [];
  async function step(name, fn) {
    const started = Date.now();
    try {
      await fn();
      results.push({ name, ok: true });
      console.log(`ok    ${name} (${Date.now() - started} ms)`);
    } catch (e) {
      results.push({ name, ok: false });
      console.log(`FAIL  ${name}\n      ${String(e?.stack ?? e).split('\n').slice(0, 8).join('\n      ')}`);
      throw e;
    }
  }
  return { step, results };
}

/** Waits until no "loading" placeholder is left on the page. */
export async function settled(page) {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), null, { timeout: 15_000 });
}

/**
 * Through the API: a program with a goal, an outcome, an output, an indicator computed from the
 * demo household survey, and a little of everything else, so every screen has content.
 */
export async function seedWorkspace(api, name = 'Air bersih Desa Bosen') {
  const program = await api('POST', '/api/v1/orgs/demo/programs', { name, start_date: '2025-01-01', end_date: '2027-12-31', status: 'active', framework_template: 'default' });
  const p = `/api/v1/orgs/demo/programs/${program.id}`;
  const goal = await api('POST', `${p}/results`, { title: 'Warga Desa Bosen sehat', code: 'G' });
  const outcome = await api('POST', `${p}/results`, { title: 'Rumah tangga memakai air minum aman', code: '1', parent_id: goal.id });
  const output = await api('POST', `${p}/results`, { title: 'Sambungan air bersih terpasang', code: '1.1', parent_id: outcome.id });
  const forms = await api('GET', '/api/v1/orgs/demo/forms');
  const form = forms.items.find((f) => f.published);
  const indicator = await api('POST', `${p}/indicators`, {
    result_node_id: outcome.id, code: '1a', title: 'Rumah tangga yang disurvei', measure: 'unit', direction: 'increase', frequency: 'quarterly',
    source: 'submissions', computation: { form_id: form.id, calculation: 'count' }, targets: [{ period: 'LOP', value: 100 }],
  });
  const activity = await api('POST', `${p}/activities`, { result_node_id: output.id, code: 'A1', title: 'Pelatihan kader air', planned_start: '2026-09-01', planned_end: '2027-02-28' });
  const event = await api('POST', `/api/v1/orgs/demo/activities/${activity.id}/events`, { kind: 'training', title: 'Pelatihan hari 1', held_on: '2026-10-05', place: 'Balai desa' });
  await api('POST', `/api/v1/orgs/demo/events/${event.id}/attendance`, { walk_ins: [{ name: 'Maria Nenobais', sex: 'female', birth_year: 1990 }, { name: 'Yosef Tefa', sex: 'male', birth_year: 1985 }] });
  const line = await api('POST', `${p}/budget-lines`, { code: 'B1', name: 'Pipa dan sambungan', category: 'apbdes_2', funding_source: 'swadaya', planned: [{ period: '2026-10', amount: 25_000_000 }] });
  await api('POST', `/api/v1/orgs/demo/budget-lines/${line.id}/expenditures`, { spent_on: '2026-10-10', amount: 7_500_000, payee: 'Toko Bangunan Kapan', description: 'Pipa PVC' });
  const p1 = await api('POST', '/api/v1/orgs/demo/problems', { title: 'Air bersih sulit didapat di musim kemarau', source: 'musyawarah_desa' });
  const p2 = await api('POST', '/api/v1/orgs/demo/problems', { title: 'Banyak balita diare', source: 'survey' });
  await api('PUT', `/api/v1/orgs/demo/problems/${p1.id}/tree`, {
    nodes: [
      { id: 'c', parent_id: null, kind: 'core', text: 'Air bersih sulit didapat' },
      { id: 'e1', parent_id: 'c', kind: 'effect', text: 'Balita diare' },
      { id: 'k1', parent_id: 'c', kind: 'cause', text: 'Mata air jauh dari dusun' },
      { id: 'k2', parent_id: 'c', kind: 'cause', text: 'Bak penampung bocor' },
    ],
  }, { 'If-Match': '"v1"' });
  const session = await api('POST', '/api/v1/orgs/demo/prioritisations', { title: 'Musdes prioritas 2026', method: 'scoring', problem_ids: [p1.id, p2.id] });
  const s1 = await api('POST', '/api/v1/orgs/demo/stakeholders', { kind: 'organisation', name: 'Pemerintah Desa Bosen', type: 'village_government', power: 5, interest: 4 });
  await api('POST', '/api/v1/orgs/demo/stakeholders', { kind: 'organisation', name: 'Puskesmas Kapan', type: 'government_office', power: 3, interest: 5 });
  await api('POST', '/api/v1/orgs/demo/engagements', { kind: 'meeting', held_on: '2026-10-01', subject: 'Rencana jaringan pipa', stakeholder_ids: [s1.id], program_id: program.id, follow_ups: [{ description: 'Kirim gambar teknis', due_date: '2026-12-01' }] });
  await api('POST', '/api/v1/orgs/demo/feedback', { channel: 'in_person', category: 'complaint', message: 'Air di dusun 3 belum mengalir.', program_id: program.id });
  return { program, goal, outcome, output, indicator, activity, event, problem: p1, session, form };
}

/**
 * The top-level message namespaces of the app (`common`, `nav`, `programs`, …), read from the
 * sources, so the untranslated-key scan knows what a raw key looks like.
 */
export function messageNamespaces() {
  const src = path.join(REPO, 'web', 'src');
  const names = new Set();
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'messages.ts') {
        // `export default { id: { <ns>: {...}, ... }, en: {...} }`: namespaces sit at 4 spaces.
        for (const m of fs.readFileSync(p, 'utf8').matchAll(/^ {4}([A-Za-z_]\w*): \{/gm)) names.add(m[1]);
      }
    }
  };
  walk(src);
  for (const f of ['id.ts', 'en.ts']) for (const m of fs.readFileSync(path.join(src, 'i18n', f), 'utf8').matchAll(/^ {2}([A-Za-z_]\w*): /gm)) names.add(m[1]);
  return names;
}

/**
 * Text a user meets on the page: visible text plus labels read out or shown on hover. Data the
 * app shows verbatim (audit action codes, expressions) is marked translate="no" and left out.
 */
export function pageText(page) {
  return page.evaluate(() => {
    const raw = [...document.querySelectorAll('[translate=no]')];
    const before = raw.map((el) => el.style.display);
    raw.forEach((el) => (el.style.display = 'none'));
    const parts = [document.body.innerText, document.title];
    raw.forEach((el, i) => (el.style.display = before[i]));
    for (const el of document.querySelectorAll('[aria-label],[placeholder],[title],[alt]'))
      for (const a of ['aria-label', 'placeholder', 'title', 'alt']) if (el.hasAttribute(a)) parts.push(el.getAttribute(a));
    for (const o of document.querySelectorAll('option')) parts.push(o.textContent);
    return parts.join('\n');
  });
}

/** Raw message keys (`programs.title`, `indicator.measures.unit`) left in a text. */
export function untranslatedKeys(text, namespaces) {
  const found = new Set();
  for (const m of text.matchAll(/(?<![\w@.\/-])([A-Za-z_]\w*)((?:\.[A-Za-z_][\w-]*)+)(?![\w@\/-])/g)) {
    if (namespaces.has(m[1])) found.add(m[0]);
  }
  return [...found];
}
