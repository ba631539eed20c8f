// Browser test: a coordinator creates a baseline/endline evaluation with a comparison hamlet on the
// demo household survey through the app, then reads its results table: the plain sentence of the
// row and its before/after figures must be those the server computed, in id-ID number format, and
// the English sentence after switching the language. Screenshots of the list, the form, the
// results, and the OECD-DAC criteria.
// Usage: node tests/browser/app/evaluation.test.mjs [--out DIR]; $GOTONG_BIN, $GOTONG_WEB_DIR.
import fs from 'node:fs';
import path from 'node:path';
import { apiOf, expect, launch, messageNamespaces, newContext, options, pageText, settled, signIn, startServer, stepper, untranslatedKeys, USERS } from './support.mjs';

const opts = options('evaluation');
const { step } = stepper();
const TITLE = 'Evaluasi cuci tangan uji peramban';

async function main() {
  fs.mkdirSync(opts.outDir, { recursive: true });
  const server = await startServer(opts, 'evaluation');
  const { origin } = server;
  const browser = await launch(opts);
  const pageErrors = [];
  try {
    const context = await newContext(browser, origin);
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await signIn(page, origin, USERS.coordinator);
    const api = apiOf(context, origin);
    const program = (await api('GET', '/api/v1/orgs/demo/programs')).items.find((p) => p.name === 'Air Bersih untuk Desa Bosen');
    expect(program, 'the demo program is missing');
    const form = (await api('GET', '/api/v1/orgs/demo/forms')).items.find((f) => f.title.includes('WASH'));
    expect(form, 'the demo household survey is missing');
    let evaluationId = '';

    await step('the program lists its demo evaluation', async () => {
      await page.goto(`${origin}/o/demo/programs/${program.id}`);
      await settled(page);
      await page.click(`main nav.tabs a[href$="/programs/${program.id}/evaluations"]`);
      await page.waitForURL(/\/evaluations$/);
      await settled(page);
      const text = await page.locator('main').innerText();
      expect(text.includes('Evaluasi baseline–endline Air Bersih Bosen'), `the demo evaluation is not listed: ${text}`);
      await page.screenshot({ path: path.join(opts.outDir, 'evaluations.png'), fullPage: true });
    });

    await step('the coordinator creates an evaluation with rounds, a variable and a comparison hamlet', async () => {
      await page.click('[data-testid=new-evaluation]');
      await settled(page);
      await page.fill('[data-testid=evaluation-title]', TITLE);
      await page.selectOption('[data-testid=evaluation-form]', form.id);
      await page.fill('[data-testid=baseline-from]', '2025-03-01');
      await page.fill('[data-testid=baseline-to]', '2025-05-31');
      await page.fill('[data-testid=endline-from]', '2026-09-01');
      await page.fill('[data-testid=endline-to]', '2026-11-30');
      const v = page.locator('[data-testid=variable-0]');
      await v.getByLabel('Nama (Bahasa Indonesia)').fill('Rumah tangga dengan sabun di tempat cuci tangan');
      await v.getByLabel('Nama (Inggris)').fill('Households with soap at the handwashing place');
      await v.getByLabel('Pertanyaan pilihan').selectOption('hw_soap');
      await v.getByLabel('Jawaban yang dihitung').selectOption('yes');
      await v.getByLabel('Hanya isian yang (opsional)').fill("${consent} = 'yes'");
      for (const [input, name] of [['#ev-treatment', 'Dusun I Bosen'], ['#ev-treatment', 'Dusun II Oelbubuk'], ['#ev-treatment', 'Dusun III Fatumnasi'], ['#ev-control', 'Dusun IV Nenas']]) {
        await page.fill(input, name.split(' ').slice(-1)[0]);
        await page.locator(`${input} + ul[role=listbox] button`, { hasText: name }).first().click();
      }
      await page.screenshot({ path: path.join(opts.outDir, 'evaluation-new.png'), fullPage: true });
      await page.click('[data-testid=evaluation-save]');
      await page.waitForURL(/\/o\/demo\/evaluations\/\d+$/);
      evaluationId = page.url().split('/').pop();
      const saved = await api('GET', `/api/v1/orgs/demo/evaluations/${evaluationId}`);
      expect(saved.title === TITLE && saved.variables.length === 1 && saved.control_areas.length === 1 && saved.treatment_areas.length === 3,
        `the evaluation was not saved as entered: ${JSON.stringify(saved).slice(0, 400)}`);
      expect(saved.variables[0].expression === "selected(${hw_soap}, 'yes')", `unexpected expression ${saved.variables[0].expression}`);
    });

    await step('its results table shows the sentence and the figures the server computed', async () => {
      await settled(page);
      await page.waitForSelector('[data-testid=results-table] [data-testid=result-sentence]');
      const results = await api('GET', `/api/v1/orgs/demo/evaluations/${evaluationId}/results`);
      const row = results.rows[0];
      expect(row.before.value !== null && row.after.value !== null && row.did, `the server found no data: ${JSON.stringify(row)}`);
      const sentence = (await page.locator('[data-testid=result-sentence]').first().innerText()).trim();
      expect(sentence === row.sentence.trim(), `sentence differs:\n  page: ${sentence}\n  api:  ${row.sentence}`);
      expect(/sebelum program/.test(sentence), `not a plain Indonesian sentence: ${sentence}`);
      const table = await page.locator('[data-testid=results-table]').innerText();
      const idNum = (v) => new Intl.NumberFormat('id-ID', { maximumFractionDigits: 1 }).format(v);
      for (const v of [row.before.value, row.after.value, row.did.estimate])
        expect(table.includes(idNum(v)), `the table lacks ${idNum(v)}:\n${table}`);
      expect(table.includes(`${row.before.n} / ${row.after.n}`), `the table lacks n ${row.before.n} / ${row.after.n}`);
      expect(!/NaN|undefined/.test(table), `the table shows NaN or undefined:\n${table}`);
      await page.screenshot({ path: path.join(opts.outDir, 'evaluation-results.png'), fullPage: true });
    });

    await step('in English the row reads in English', async () => {
      await page.selectOption('[data-testid=language]', 'en');
      const results = await api('GET', `/api/v1/orgs/demo/evaluations/${evaluationId}/results`);
      await page.waitForFunction((s) => document.querySelector('[data-testid=result-sentence]')?.textContent?.trim() === s, results.rows[0].sentence_en.trim());
      const raw = untranslatedKeys(await pageText(page), messageNamespaces());
      expect(raw.length === 0, `untranslated keys: ${raw.join(', ')}`);
      await page.screenshot({ path: path.join(opts.outDir, 'evaluation-results-en.png'), fullPage: true });
      await page.selectOption('[data-testid=language]', 'id');
    });

    await step('the coordinator rates a criterion and writes a lesson (saved with If-Match)', async () => {
      await page.goto(`${origin}/o/demo/evaluations/${evaluationId}`);
      await settled(page);
      await page.click('main nav.tabs a[href="#criteria"]');
      await page.click('main button:has-text("Nilai kriteria")');
      const relevance = page.locator('main fieldset', { hasText: 'Relevansi' });
      await relevance.getByLabel('Penilaian').selectOption('3');
      await relevance.getByLabel('Bukti').fill('Musyawarah desa 2025\nBaseline 2025');
      await relevance.getByLabel('Uraian').fill('Cuci tangan pakai sabun jadi prioritas posyandu.');
      await page.click('main button[type=submit]:has-text("Simpan")');
      await page.waitForSelector('main button:has-text("Nilai kriteria")');
      expect((await page.locator('main').innerText()).includes('Memuaskan'), 'the rating is not shown after saving');
      await page.click('main nav.tabs a[href="#lessons"]');
      await page.click('main button:has-text("Ubah pelajaran")');
      await page.click('main button:has-text("Tambah pelajaran")');
      await page.getByLabel('Pelajaran 1').fill('Sabun murah di kios desa membuat kebiasaan bertahan.');
      await page.getByLabel('Kategori').fill('perilaku');
      await page.click('main button[type=submit]:has-text("Simpan")');
      await page.waitForSelector('main button:has-text("Ubah pelajaran")');
      const saved = await api('GET', `/api/v1/orgs/demo/evaluations/${evaluationId}`);
      const rel = saved.criteria.find((c) => c.criterion === 'relevance');
      expect(rel.rating === 3 && rel.evidence.length === 2 && rel.narrative.startsWith('Cuci tangan'), `criterion not saved: ${JSON.stringify(rel)}`);
      expect(saved.lessons.length === 1 && saved.lessons[0].category === 'perilaku' && saved.version === 3, `lesson not saved: ${JSON.stringify(saved.lessons)} v${saved.version}`);
      await page.screenshot({ path: path.join(opts.outDir, 'evaluation-lessons.png'), fullPage: true });
    });

    await step('the demo evaluation has a sentence per variable and shows its OECD-DAC ratings', async () => {
      const demo = (await api('GET', `/api/v1/orgs/demo/programs/${program.id}/evaluations`)).items.find((e) => e.title.startsWith('Evaluasi baseline'));
      await page.goto(`${origin}/o/demo/evaluations/${demo.id}`);
      await settled(page);
      await page.waitForSelector('[data-testid=result-sentence]');
      expect((await page.locator('[data-testid=result-sentence]').count()) === demo.variables.length, 'not one sentence per variable');
      await page.screenshot({ path: path.join(opts.outDir, 'evaluation-demo-results.png'), fullPage: true });
      await page.click('main nav.tabs a[href="#criteria"]');
      await page.waitForSelector('text=Relevansi');
      expect((await page.locator('main').innerText()).includes('Sangat memuaskan'), 'the relevance rating is not shown');
      await page.screenshot({ path: path.join(opts.outDir, 'evaluation-criteria.png'), fullPage: true });
    });

    await step('a round without data reads "not enough data" in words, never NaN', async () => {
      const empty = await api('POST', `/api/v1/orgs/demo/programs/${program.id}/evaluations`, {
        title: 'Evaluasi tanpa data baseline',
        baseline: { form_id: form.id, from: '2020-01-01', to: '2020-12-31' },
        endline: { form_id: form.id, from: '2026-09-01', to: '2026-11-30' },
        variables: [{ label: 'Waktu mengambil air', kind: 'mean', field: 'water_time', unit_label: 'menit', desired: 'decrease' }],
      });
      const results = await api('GET', `/api/v1/orgs/demo/evaluations/${empty.id}/results`);
      const row = results.rows[0];
      expect(row.before.value === null && row.before.shortfall, `expected no baseline data: ${JSON.stringify(row.before)}`);
      await page.goto(`${origin}/o/demo/evaluations/${empty.id}`);
      await settled(page);
      const table = await page.locator('[data-testid=results-table]').innerText();
      expect(table.includes(row.before.shortfall.message), `the shortfall "${row.before.shortfall.message}" is not shown:\n${table}`);
      expect(!/NaN|undefined|null/.test(table), `the table shows NaN, undefined or null:\n${table}`);
      await page.screenshot({ path: path.join(opts.outDir, 'evaluation-not-enough-data.png'), fullPage: true });
    });
    expect(pageErrors.length === 0, `errors in the page: ${pageErrors.join(' | ')}`);
  } finally {
    await browser.close();
    server.stop();
  }
}

main().then(
  () => console.log('evaluation: all steps passed'),
  () => (process.exitCode = 1),
);
