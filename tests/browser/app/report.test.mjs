// Browser test: the program report screen. The coordinator opens the demo program's report, sees
// the server's HTML view of it inside the app, writes the summary of the narrative (saved with
// If-Match and shown in the view), and downloads the PDF through the button: pdfinfo must count at
// least two pages and pdftotext must find the program's name and the summary just written. The
// XLSX and IATI buttons must download a workbook (a ZIP) and IATI XML.
// Usage: node tests/browser/app/report.test.mjs [--out DIR]; $GOTONG_BIN, $GOTONG_WEB_DIR; needs
// pdfinfo and pdftotext (poppler-utils).
import fs from 'node:fs';
import path from 'node:path';
import { apiOf, expect, launch, newContext, options, run, settled, signIn, startServer, stepper, USERS } from './support.mjs';

const opts = options('report');
const { step } = stepper();
const SUMMARY = 'Sambungan air perpipaan kini menjangkau tiga dusun; Dusun IV Nenas menyusul tahun depan.';

async function main() {
  fs.mkdirSync(opts.outDir, { recursive: true });
  const server = await startServer(opts, 'report');
  const { origin } = server;
  const browser = await launch(opts);
  const pageErrors = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'id-ID', serviceWorkers: 'block', acceptDownloads: true });
    context.setDefaultTimeout(30_000);
    await context.route((url) => url.origin !== origin, (route) => route.abort('blockedbyclient'));
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await signIn(page, origin, USERS.coordinator);
    const api = apiOf(context, origin);
    const program = (await api('GET', '/api/v1/orgs/demo/programs')).items.find((p) => p.name === 'Air Bersih untuk Desa Bosen');
    expect(program, 'the demo program is missing');

    await step('the report tab shows the HTML view of the report', async () => {
      await page.goto(`${origin}/o/demo/programs/${program.id}`);
      await settled(page);
      await page.click(`main nav.tabs a[href$="/programs/${program.id}/report"]`);
      await page.waitForURL(/\/report$/);
      await settled(page);
      const frame = page.frameLocator('[data-testid=report-frame]');
      await frame.locator('body').getByText(program.name).first().waitFor();
    });

    await step('the coordinator writes the summary and the view shows it', async () => {
      await page.fill('[data-testid=narrative-summary]', SUMMARY);
      await page.click('[data-testid=narrative-save]');
      await page.waitForSelector('text=Tersimpan.');
      const n = await api('GET', `/api/v1/orgs/demo/programs/${program.id}/report/narrative?from=${program.start_date}&to=${program.end_date}&lang=id`);
      expect(n.sections.summary === SUMMARY && n.version === 1, `the narrative was not saved: ${JSON.stringify(n)}`);
      await page.frameLocator('[data-testid=report-frame]').getByText(SUMMARY).waitFor();
      await page.screenshot({ path: path.join(opts.outDir, 'report.png'), fullPage: true });
    });

    await step('the PDF button downloads a report of at least two pages with the program name', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-pdf]')]);
      const file = path.join(opts.outDir, 'report.pdf');
      await download.saveAs(file);
      const info = await run('pdfinfo', [file]);
      const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1] ?? 0);
      expect(pages >= 2, `the PDF has ${pages} pages`);
      const text = (await run('pdftotext', ['-layout', file, '-'])).replace(/\s+/g, ' ');
      expect(text.includes(program.name), 'the program name is not in the PDF text');
      expect(text.includes('tiga dusun'), 'the summary written in the app is not in the PDF');
    });

    await step('the Excel and IATI buttons download a workbook and IATI XML', async () => {
      const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-xlsx]')]);
      const xf = path.join(opts.outDir, 'report.xlsx');
      await xlsx.saveAs(xf);
      expect(fs.readFileSync(xf).subarray(0, 2).toString() === 'PK', 'the XLSX is not a ZIP file');
      const [iati] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-iati]')]);
      const iff = path.join(opts.outDir, 'iati.xml');
      await iati.saveAs(iff);
      const xml = fs.readFileSync(iff, 'utf8');
      expect(xml.includes('<iati-activities') && xml.includes(program.name), 'the IATI file lacks iati-activities or the program');
    });
    expect(pageErrors.length === 0, `errors in the page: ${pageErrors.join(' | ')}`);
  } finally {
    await browser.close();
    server.stop();
  }
}

main().then(
  () => console.log('report: all steps passed'),
  () => (process.exitCode = 1),
);
