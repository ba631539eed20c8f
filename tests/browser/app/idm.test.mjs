// Browser test: the village development index (IDM) screens. The demo's three years of Desa Bosen
// show as a table with statuses; a CSV with mistakes is refused with its row and column named, a
// correct one adds a fourth year (chart and table); a weak indicator is linked to the program and shows it.
// Usage: node tests/browser/app/idm.test.mjs [--out DIR]; $GOTONG_BIN, $GOTONG_WEB_DIR.
import fs from 'node:fs';
import path from 'node:path';
import { apiOf, expect, launch, newContext, options, settled, signIn, startServer, stepper, USERS } from './support.mjs';

const opts = options('idm');
const { step } = stepper();
const BOSEN = '53.02.03.2003';

async function main() {
  fs.mkdirSync(opts.outDir, { recursive: true });
  const server = await startServer(opts, 'idm');
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

    await step('the IDM screen lists Bosen with its latest status', async () => {
      await page.goto(`${origin}/o/demo`);
      await settled(page);
      await page.click('nav#nav a:has-text("IDM desa")');
      await page.waitForURL(/\/o\/demo\/idm$/);
      await settled(page);
      const text = await page.locator('main table').innerText();
      expect(/Bosen/.test(text) && /2025/.test(text) && /0,6047/.test(text) && /Berkembang/.test(text), `Bosen's 2025 IDM is not listed: ${text}`);
    });

    await step('a CSV with mistakes is refused with the rows and columns named', async () => {
      const bad = path.join(opts.outDir, 'idm-bad.csv');
      fs.writeFileSync(bad, `desa,tahun,indikator,skor\n${BOSEN},2025,IKS.11,7\n${BOSEN},2025,XYZ.99,3\n`);
      await page.setInputFiles('[data-testid=idm-csv]', bad);
      await page.click('main form button[type=submit]');
      const alert = page.locator('main form [role=alert]');
      await alert.waitFor();
      const text = await alert.innerText();
      expect(text.includes('row 2, column skor') && text.includes('row 3, column indikator'), `errors do not name row and column: ${text}`);
      await page.screenshot({ path: path.join(opts.outDir, 'idm-import-errors.png'), fullPage: true });
    });

    await step('a correct CSV adds the 2026 assessment', async () => {
      const y2025 = (await api('GET', '/api/v1/orgs/demo/idm/assessments?year=2025')).items[0];
      const full = await api('GET', `/api/v1/orgs/demo/idm/assessments/${y2025.id}`);
      const lines = full.scores.map((x) => `${BOSEN},2026,${x.indicator},${x.indicator === 'IKE.02' ? 3 : x.score},`);
      const good = path.join(opts.outDir, 'idm-good.csv');
      fs.writeFileSync(good, `desa,tahun,indikator,skor,catatan\n${lines.join('\n')}\n`);
      await page.setInputFiles('[data-testid=idm-csv]', good);
      await page.click('main form button[type=submit]');
      await page.waitForSelector('main form [role=status]');
      const status = await page.locator('main form [role=status]').innerText();
      expect(status.includes(`${lines.length} baris diimpor`) && status.includes('1 penilaian baru'), `unexpected import result: ${status}`);
      const y2026 = (await api('GET', '/api/v1/orgs/demo/idm/assessments?year=2026')).items[0];
      expect(y2026 && y2026.ike > y2025.ike, 'the 2026 assessment is missing or IKE did not rise');
      await page.waitForSelector('main table td:has-text("2026")');
    });

    await step("the village's history, scores and weakest indicators; one is linked to the program", async () => {
      await page.click('main table a:has-text("Bosen")');
      await page.waitForURL(/\/idm\/villages\/\d+$/);
      await settled(page);
      expect((await page.locator('[data-testid=idm-history] tbody tr').count()) === 4, 'not four years');
      await page.waitForSelector('canvas');
      const weak = page.locator('[data-testid="weak-IKE.05"]');
      await weak.waitFor().catch(async (e) => {
        await page.screenshot({ path: path.join(opts.outDir, 'idm-village-failed.png'), fullPage: true });
        throw e;
      });
      await weak.getByRole('button', { name: 'Hubungkan' }).click();
      await weak.getByLabel('Hubungkan dengan').selectOption(`program:${program.id}`);
      await weak.locator('button[type=submit]').click();
      await weak.getByRole('link', { name: program.name }).waitFor();
      const links = await api('GET', '/api/v1/orgs/demo/idm/links?indicator=IKE.05');
      expect(links.items.some((l) => l.program_id === program.id), 'the link was not saved');
      await page.screenshot({ path: path.join(opts.outDir, 'idm-village.png'), fullPage: true });
      await page.setViewportSize({ width: 360, height: 740 });
      await page.screenshot({ path: path.join(opts.outDir, 'idm-village-360.png'), fullPage: true });
    });
    expect(pageErrors.length === 0, `errors in the page: ${pageErrors.join(' | ')}`);
  } finally {
    await browser.close();
    server.stop();
  }
}

main().then(
  () => console.log('idm: all steps passed'),
  () => (process.exitCode = 1),
);
