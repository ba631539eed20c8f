// Browser test: converts every XLSForm of the corpus (tests/data/xlsform) with `gotong form convert`
// and loads each XForm it accepts in the real ODK Web Forms engine (@getodk/web-forms, npm) inside
// Debian's Chromium, driven by playwright-core. A form that converts but does not load and render
// is a failure, unless it is listed in EXPECTED_FAILURES below with the engine's message.
//
// Usage: node run.mjs [--out DIR] [--only TEXT]   (binary: $GOTONG_BIN, default build/release/gotong)
//        node run.mjs --build-only [--out DIR]    (just bundles the harness page with Vite)
// Needs `npm ci` in this folder first (./test does it). Prints one line per corpus file and a summary;
// exits 1 on any failure. Everything is served on 127.0.0.1; the page may reach nothing else.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
const CORPUS = path.join(REPO, 'tests', 'data', 'xlsform');
// The two folders of XLSForms; test_expected_output/ holds pyxform's XForms, not forms to convert.
const CORPUS_FOLDERS = ['example_xls', 'bug_example_xls'];
const FORM_EXTENSIONS = new Set(['.xls', '.xlsx', '.xlsm', '.csv', '.md']);

// Forms that convert but that this version of Web Forms cannot load because of a limitation of
// the engine itself (not of our XForm): corpus path -> a part of the engine's message. Such a form
// that loads after all, or fails with another message, fails the test, so the list stays true.
// Empty: every form the converter accepts loads in @getodk/web-forms 0.22.0.
const EXPECTED_FAILURES = new Map([
  // ['example_xls/some_form.xlsx', 'part of the message the engine shows'],
]);

const FORM_TIMEOUT_MS = 30_000;   // load + render of one form (they take well under a second)
const TOTAL_TIMEOUT_MS = 400_000; // below the CTest TIMEOUT of 600 s, so we report, not CTest

function parseArgs(argv) {
  const args = { out: path.join(HERE, 'artifacts'), only: null, buildOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out') args.out = path.resolve(argv[++i]);
    else if (a === '--only') args.only = argv[++i];
    else if (a === '--build-only') args.buildOnly = true;
    else throw new Error(`unknown argument ${a}`);
  }
  return args;
}

// ---- the harness page (harness/), bundled with Vite; rebuilt only when its inputs change ----

function harnessConfig(outDir) {
  return {
    configFile: false,
    root: path.join(HERE, 'harness'),
    base: './',
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      // The engine is one large bundle (with tree-sitter's WebAssembly inlined): no point warning.
      chunkSizeWarningLimit: 20_000,
      reportCompressedSize: false,
      rollupOptions: {
        // tree-sitter's Emscripten loader inside the engine uses eval; that is theirs, not ours.
        onwarn: (warning, warn) => (warning.code === 'EVAL' ? undefined : warn(warning)),
      },
    },
  };
}

async function buildHarness(outDir) {
  const config = harnessConfig(outDir);
  const hash = createHash('sha256').update(JSON.stringify(config));
  for (const f of ['package-lock.json', 'harness/index.html', 'harness/main.js']) {
    hash.update(fs.readFileSync(path.join(HERE, f)));
  }
  const stamp = hash.digest('hex');
  const stampFile = path.join(outDir, '.inputs-sha256');
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) return false;
  const { build } = await import('vite');
  await build(config);
  fs.writeFileSync(stampFile, stamp);
  return true;
}

// ---- conversion ----

function listCorpus(only) {
  const files = [];
  for (const folder of CORPUS_FOLDERS) {
    for (const name of fs.readdirSync(path.join(CORPUS, folder)).sort()) {
      if (!FORM_EXTENSIONS.has(path.extname(name).toLowerCase())) continue;
      const rel = `${folder}/${name}`;
      if (only && !rel.includes(only)) continue;
      files.push({ rel, source: path.join(CORPUS, folder, name), id: `${folder}__${name}` });
    }
  }
  return files;
}

function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (error) => resolve({ code: null, signal: null, stdout, stderr: String(error) }));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

// The first error diagnostic of a refusal, for the report line (warnings come first on stderr).
function firstError(stderr) {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const error = lines.find((l) => /^(error: )?\S*:\d+:\d+: /.test(l) && !l.startsWith('warning:'));
  return (error ?? lines.find((l) => !l.startsWith('warning:')) ?? lines[0] ?? '').slice(0, 160);
}

async function convert(gotong, form, formsDir) {
  const dir = path.join(formsDir, form.id);
  fs.mkdirSync(dir, { recursive: true });
  form.xformPath = path.join(dir, 'form.xml');
  fs.rmSync(form.xformPath, { force: true });
  const r = await run(gotong, ['form', 'convert', form.source, '-o', form.xformPath]);
  if (r.code === 0 && fs.existsSync(form.xformPath) && fs.statSync(form.xformPath).size > 0) {
    form.xform = fs.readFileSync(form.xformPath, 'utf8');
    form.outcome = 'converted';
  } else if (r.code === 1) {
    form.outcome = 'refused';
    form.detail = firstError(r.stderr);
  } else {
    form.outcome = 'failed';
    form.detail = `converter ${r.signal ? `killed by ${r.signal}` : `exited with ${r.code}`}` +
      (r.code === 0 ? ' but wrote no XForm' : '') + `: ${r.stderr.trim().slice(0, 300)}`;
  }
}

async function inParallel(items, limit, fn) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

// What the XForm's body asks the engine to show: its title and whether it has any control.
function expectations(xform) {
  const unescape = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  const title = /<h:title>([\s\S]*?)<\/h:title>/.exec(xform);
  const body = xform.slice(Math.max(0, xform.indexOf('<h:body')));
  return {
    title: title ? unescape(title[1]).trim() : '',
    hasControls: /<(input|select1|select|upload|trigger|range|odk:rank)[\s>/]/.test(body),
  };
}

// The canary: a copy of a converted form with one broken expression. Web Forms must refuse it and
// this test must notice, or a broken harness (or engine that shows nothing) would pass everything.
function makeCanary(form, formsDir) {
  const xform = form.xform.replace(/<bind (?![^>]*\brelevant=)/, '<bind relevant="1 +" ');
  if (xform === form.xform) throw new Error(`canary: no <bind> without relevant in ${form.rel}`);
  const canary = { rel: `canary (${form.rel} with relevant="1 +")`, id: 'canary', source: form.source, xform };
  fs.mkdirSync(path.join(formsDir, canary.id), { recursive: true });
  canary.xformPath = path.join(formsDir, canary.id, 'form.xml');
  fs.writeFileSync(canary.xformPath, xform);
  return canary;
}

// ---- loopback HTTP server: the harness, the converted XForms and the corpus's attachments ----

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css',
  '.xml': 'application/xml; charset=utf-8', '.csv': 'text/csv; charset=utf-8', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.jpg': 'image/jpeg', '.ico': 'image/x-icon', '.json': 'application/json',
  '.wasm': 'application/wasm',
};

function startServer(harnessDir, formsById) {
  const sendFile = (res, file) => {
    res.writeHead(200, {
      'Content-Type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Cache-Control': 'max-age=3600',
    });
    fs.createReadStream(file).pipe(res);
  };
  const isFile = (file) => fs.existsSync(file) && fs.statSync(file).isFile();
  const server = http.createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://127.0.0.1');
    const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
    let file = null;
    if (parts[0] === 'harness' && parts.length >= 2) {
      const candidate = path.resolve(harnessDir, ...parts.slice(1));
      if (candidate.startsWith(harnessDir + path.sep)) file = candidate;
    } else if (parts[0] === 'forms' && formsById.has(parts[1])) {
      const form = formsById.get(parts[1]);
      if (parts.length === 3 && parts[2] === 'form.xml') file = form.xformPath;
      // An attachment is a plain file name looked up beside the XLSForm (pull_data's fruits.csv).
      else if (parts.length === 4 && parts[2] === 'attachments' && !parts[3].includes('/') &&
               !parts[3].startsWith('.')) file = path.join(path.dirname(form.source), parts[3]);
    }
    if (req.method === 'GET' && file && isFile(file)) return sendFile(res, file);
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// ---- the browser ----

// One tab for all forms: a navigation gives each form a fresh page (its own JavaScript realm)
// while Chromium keeps the compiled engine cached, about 3 times faster than a new tab per form.
// A tab that crashed or closed is replaced.
async function openTab(context) {
  const tab = { page: await context.newPage(), pageErrors: [], consoleErrors: [] };
  tab.page.on('pageerror', (e) => tab.pageErrors.push(String(e.stack ?? e.message ?? e)));
  tab.page.on('console', (m) => { if (m.type() === 'error') tab.consoleErrors.push(m.text()); });
  tab.page.on('crash', () => tab.pageErrors.push('the page crashed'));
  return tab;
}

async function loadInWebForms(tab, origin, form, failuresDir) {
  const loadStarted = Date.now();
  const { page } = tab;
  const pageErrors = (tab.pageErrors = []);
  const consoleErrors = (tab.consoleErrors = []);
  const problems = [];
  let info = null;
  try {
    await page.goto(`${origin}/harness/index.html?form=${encodeURIComponent(`/forms/${form.id}/form.xml`)}`,
      { waitUntil: 'domcontentloaded', timeout: FORM_TIMEOUT_MS });
    await page.waitForFunction(
      () => document.querySelector('.form-initialization-status.ready, .form-initialization-status.error') ||
        window.__harness?.errors.length,
      null, { timeout: FORM_TIMEOUT_MS, polling: 50 });
    // Let the first render finish and its follow-up tasks run, so late errors are caught too.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
    info = await page.evaluate(() => {
      const status = document.querySelector('.form-initialization-status');
      const state = status ? (['ready', 'error', 'loading'].find((c) => status.classList.contains(c)) ?? 'unknown')
        : 'absent';
      const titles = [...document.querySelectorAll('.odk-form .form-title h1, .odk-form h1')];
      return {
        state,
        failure: document.querySelector('.form-load-failure-dialog .message')?.textContent?.trim() ?? null,
        titles: titles.map((h) => h.textContent.trim()),
        questions: document.querySelectorAll('.odk-form .question-container').length,
        errors: window.__harness?.errors ?? [],
        attachments: window.__harness?.attachments ?? [],
      };
    });
  } catch (error) {
    problems.push(`no result: ${String(error.message ?? error).split('\n')[0]}`);
  }
  if (info) {
    const expected = expectations(form.xform);
    if (info.state === 'error') {
      problems.push(`Web Forms could not load the form: ${info.failure ?? '(the engine showed no message)'}`);
    } else if (info.state !== 'ready') {
      problems.push(`form status is '${info.state}', not 'ready'`);
    } else {
      if (expected.title && !info.titles.includes(expected.title)) {
        problems.push(`title ${JSON.stringify(expected.title)} not shown (shown: ${JSON.stringify(info.titles)})`);
      }
      if (expected.hasControls && info.questions === 0) problems.push('the form body has controls but none is shown');
      if (!expected.hasControls && !expected.title && info.questions === 0) problems.push('nothing is shown');
    }
    problems.push(...info.errors);
    form.questions = info.questions;
    form.attachments = info.attachments;
  }
  problems.push(...pageErrors.map((e) => `uncaught page error: ${e}`));
  // Console errors fail the form too (the engine logs some of its own problems that way), except
  // the browser's notes about resources it could not fetch: the corpus ships no images, audio or
  // video, and map tiles are refused because the test has no network.
  problems.push(...consoleErrors.filter((e) => !e.startsWith('Failed to load resource:'))
    .map((e) => `console error: ${e}`));
  if (problems.length > 0) {
    fs.mkdirSync(failuresDir, { recursive: true });
    await page.screenshot({ path: path.join(failuresDir, `${form.id}.png`), fullPage: true }).catch(() => {});
  }
  form.ms = Date.now() - loadStarted;
  return problems;
}

async function main() {
  const started = Date.now();
  const args = parseArgs(process.argv.slice(2));
  const harnessDir = path.join(args.out, 'harness');
  const formsDir = path.join(args.out, 'forms');
  const failuresDir = path.join(args.out, 'failures');
  if (!fs.existsSync(path.join(HERE, 'node_modules', 'playwright-core'))) {
    throw new Error(`npm packages missing: run 'npm ci' in ${HERE} (./test does it)`);
  }
  const built = await buildHarness(harnessDir);
  if (args.buildOnly) {
    console.log(`harness ${built ? 'built' : 'up to date'} in ${harnessDir}`);
    return 0;
  }
  const gotong = path.resolve(process.env.GOTONG_BIN ?? path.join(REPO, 'build', 'release', 'gotong'));
  if (!fs.existsSync(gotong)) throw new Error(`no gotong binary at ${gotong} (set GOTONG_BIN)`);
  const chromiumPath = process.env.GOTONG_CHROMIUM ?? '/usr/bin/chromium';
  if (!fs.existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath} (Debian package chromium)`);
  fs.rmSync(formsDir, { recursive: true, force: true });
  fs.rmSync(failuresDir, { recursive: true, force: true });

  const forms = listCorpus(args.only);
  if (forms.length === 0) throw new Error(`no corpus file matches in ${CORPUS}`);
  await inParallel(forms, 2, (form) => convert(gotong, form, formsDir));
  const converted = forms.filter((f) => f.outcome === 'converted');
  const canary = converted.length > 0 ? makeCanary(converted[0], formsDir) : null;

  const served = new Map(converted.map((f) => [f.id, f]));
  if (canary) served.set(canary.id, canary);
  const server = await startServer(harnessDir, served);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    timeout: 60_000,
  });
  const blocked = new Set();
  try {
    const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1280, height: 900 } });
    // No network at test time: anything but our server (map tiles, fonts, ...) is refused at once.
    await context.route((url) => url.origin !== origin, (route) => {
      blocked.add(route.request().url());
      return route.abort('blockedbyclient');
    });
    let tab = await openTab(context);
    if (canary) {
      const problems = await loadInWebForms(tab, origin, canary, failuresDir);
      canary.outcome = problems.some((p) => p.startsWith('Web Forms could not load the form: ')) ? 'ok' : 'failed';
      canary.detail = problems.length ? problems.join('\n    ') : 'Web Forms loaded it';
      fs.rmSync(path.join(failuresDir, `${canary.id}.png`), { force: true });
    }
    for (const form of converted) {
      if (tab.page.isClosed() || tab.pageErrors.includes('the page crashed')) {
        await tab.page.close().catch(() => {});
        tab = await openTab(context);
      }
      if (Date.now() - started > TOTAL_TIMEOUT_MS) {
        form.outcome = 'failed';
        form.detail = 'not run: the test ran out of time';
        continue;
      }
      const problems = await loadInWebForms(tab, origin, form, failuresDir);
      const expected = EXPECTED_FAILURES.get(form.rel);
      if (expected === undefined) {
        if (problems.length === 0) form.outcome = 'ok';
        else { form.outcome = 'failed'; form.detail = problems.join('\n    '); }
      } else if (problems.length === 0) {
        form.outcome = 'failed';
        form.detail = 'listed in EXPECTED_FAILURES but loads now: remove it from the list';
      } else if (problems.some((p) => p.includes(expected))) {
        form.outcome = 'expected-failure';
        form.detail = problems.join('\n    ');
      } else {
        form.outcome = 'failed';
        form.detail = `expected a failure with "${expected}", got:\n    ${problems.join('\n    ')}`;
      }
    }
  } finally {
    await browser.close();
    server.close();
  }

  for (const rel of EXPECTED_FAILURES.keys()) {
    const form = forms.find((f) => f.rel === rel);
    if (form?.outcome === 'refused') {
      form.outcome = 'failed';
      form.detail = `listed in EXPECTED_FAILURES but the converter refuses it (${form.detail}): remove it from the list`;
    } else if (!form && !args.only) {
      forms.push({ rel, outcome: 'failed', detail: 'listed in EXPECTED_FAILURES but not in the corpus: remove it from the list' });
    }
  }

  if (canary) {
    // Not counted as a corpus file: it proves the test can see a form that fails to load.
    console.log(`canary ${canary.outcome === 'ok' ? 'refused as it must be' : 'FAILED: a broken XForm was not reported'}: ` +
      `${canary.rel}: ${canary.detail.split('\n')[0].slice(0, 200)}`);
  }
  const counts = { ok: 0, refused: 0, 'expected-failure': 0, failed: canary?.outcome === 'failed' ? 1 : 0 };
  for (const form of forms) {
    counts[form.outcome] = (counts[form.outcome] ?? 0) + 1;
    if (form.outcome === 'ok') {
      const attachments = form.attachments.length ? `, ${form.attachments.length} attachment requests` : '';
      console.log(`ok                     ${form.rel} (${form.questions} questions shown${attachments}, ${form.ms} ms)`);
    } else if (form.outcome === 'refused') {
      console.log(`refused-by-converter   ${form.rel}: ${form.detail}`);
    } else if (form.outcome === 'expected-failure') {
      console.log(`expected-failure       ${form.rel}: ${form.detail}`);
    } else {
      console.log(`FAILED                 ${form.rel}: ${form.detail}`);
    }
  }
  if (blocked.size > 0) console.log(`note: refused ${blocked.size} non-loopback requests, e.g. ${[...blocked][0]}`);
  if (counts.ok + counts['expected-failure'] === 0 && counts.failed === 0) {
    console.log('FAILED: no corpus form was converted, so nothing was loaded');
    counts.failed++;
  }
  if (counts.failed > 0) console.log(`XForms and screenshots of failures: ${args.out}`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`summary: ${forms.length} corpus files: ${counts.ok} ok, ${counts.refused} refused-by-converter, ` +
    `${counts['expected-failure']} expected failures, ${counts.failed} FAILED (${seconds} s)`);
  return counts.failed === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (error) => {
  console.error(`FAILED: ${error.stack ?? error}`);
  process.exit(1);
});
