// Browser test of the screens used in the village, on a 360 px phone:
//   1. attendance at an event: find a registered participant by two letters and tap, add a
//      walk-in with name, sex and birth year; the server's attendance list has both;
//   2. a pairwise ranking run by the facilitator: every pair chosen with big buttons, the
//      ranking follows the votes;
//   3. the public feedback page (no sign-in): a complaint gets a reference and lands in the
//      coordinator's inbox.
// Usage: node tests/browser/app/field.test.mjs [--out DIR]; $GOTONG_BIN, $GOTONG_WEB_DIR.
import fs from 'node:fs';
import path from 'node:path';
import { apiOf, expect, launch, newContext, options, seedWorkspace, settled, signIn, startServer, stepper, USERS } from './support.mjs';

const opts = options('field');
const { step } = stepper();
const PHONE = { width: 360, height: 740 };

async function main() {
  fs.mkdirSync(opts.outDir, { recursive: true });
  const server = await startServer(opts, 'field');
  const { origin } = server;
  const browser = await launch(opts);
  const pageErrors = [];
  try {
    const context = await newContext(browser, origin, PHONE);
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await signIn(page, origin, USERS.coordinator);
    const api = apiOf(context, origin);
    const seeded = await seedWorkspace(api);
    const registered = await api('POST', '/api/v1/orgs/demo/participants', { name: 'Agustina Sanam', sex: 'female', birth_year: 1978 });

    await step('attendance on a phone: search and tap, then a walk-in', async () => {
      await page.goto(`${origin}/o/demo/events/${seeded.event.id}`);
      await settled(page);
      await page.fill('[data-testid=attendance-search]', 'agus');
      await page.click(`button:has-text("${registered.name}")`);
      await page.waitForSelector(`.notice:has-text("${registered.name}")`);
      await page.fill('[data-testid=attendance-search]', 'Paulus Neno');
      await page.click('button.link:has-text("Tambah peserta baru")');
      expect((await page.inputValue('form.card input[autocomplete=off]')) === 'Paulus Neno', 'the typed name should carry over to the walk-in form');
      await page.check('input[type=radio][value=male]');
      await page.fill('input[inputmode=numeric][maxlength="4"]', '1969');
      await page.click('form.card button[type=submit]');
      await page.waitForSelector('.notice:has-text("Paulus Neno")');
      const att = await api('GET', `/api/v1/orgs/demo/events/${seeded.event.id}/attendance`);
      const names = att.items.map((p) => p.name);
      expect(names.includes(registered.name) && names.includes('Paulus Neno') && att.counts.total === 4, `attendance on the server: ${names}`);
      await page.screenshot({ path: path.join(opts.outDir, 'attendance-360.png'), fullPage: true });
    });

    await step('a pairwise ranking with the big buttons', async () => {
      const p3 = await api('POST', '/api/v1/orgs/demo/problems', { title: 'Jalan ke kebun rusak' });
      const session = await api('POST', '/api/v1/orgs/demo/prioritisations', { title: 'Musdes: perbandingan berpasangan', method: 'pairwise', problem_ids: [seeded.problem.id, p3.id] });
      await page.goto(`${origin}/o/demo/prioritisations/${session.id}`);
      await settled(page);
      await page.fill('input[placeholder]', 'Kelompok perempuan');
      await page.click('button:has-text("Muat isian peserta")');
      // One pair: the water problem wins.
      await page.click(`.pair button:has-text("${seeded.problem.title}")`);
      await page.waitForSelector('.notice:has-text("Kelompok perempuan")');
      const ranking = await api('GET', `/api/v1/orgs/demo/prioritisations/${session.id}/ranking`);
      expect(ranking.items[0].problem_id === seeded.problem.id && ranking.items[0].wins === 1, `ranking: ${JSON.stringify(ranking.items)}`);
      const first = await page.locator('section[aria-labelledby=h-ranking] tbody tr').first().innerText();
      expect(first.includes(seeded.problem.title), `the ranking table shows ${first}`);
      await page.screenshot({ path: path.join(opts.outDir, 'pairwise-360.png'), fullPage: true });
    });

    await step('the public feedback page takes a complaint without signing in', async () => {
      const link = await api('POST', `/api/v1/orgs/demo/programs/${seeded.program.id}/feedback-link`);
      const anon = await newContext(browser, origin, PHONE);
      const pp = await anon.newPage();
      pp.on('pageerror', (e) => pageErrors.push(e.message));
      await pp.goto(`${origin}/lapor/demo/${link.token}`);
      await pp.check('input[type=radio][value=complaint]');
      await pp.fill('textarea', 'Keran umum di dusun 2 rusak sejak seminggu.');
      await pp.check('input[type=checkbox]');
      await pp.click('button[type=submit]');
      const ref = (await pp.locator('[data-testid=feedback-reference]').innerText()).trim();
      expect(ref.length > 0, 'no reference shown');
      await pp.screenshot({ path: path.join(opts.outDir, 'public-feedback-360.png'), fullPage: true });
      await anon.close();
      await page.goto(`${origin}/o/demo/feedback`);
      await settled(page);
      await page.waitForSelector(`li:has-text("${ref}")`);
      const item = (await api('GET', `/api/v1/orgs/demo/feedback?reference=${encodeURIComponent(ref)}`)).items[0];
      expect(item && item.category === 'complaint' && item.anonymous && item.channel === 'public_link', `feedback on the server: ${JSON.stringify(item)}`);
    });
    expect(pageErrors.length === 0, `errors in the page: ${pageErrors.join(' | ')}`);
  } finally {
    await browser.close();
    server.stop();
  }
}

main().then(
  () => console.log('field: all steps passed'),
  () => (process.exitCode = 1),
);
