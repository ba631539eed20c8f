// Browser test: a partner sees only the programs shared with them. The coordinator shares one of
// two programs; the partner's program list holds that one only, and opening the other by its
// address shows "not found" without any of its content.
// Usage: node tests/browser/app/partner.test.mjs [--out DIR]; $GOTONG_BIN, $GOTONG_WEB_DIR.
import fs from 'node:fs';
import path from 'node:path';
import { apiOf, expect, launch, newContext, options, settled, signIn, startServer, stepper, USERS } from './support.mjs';

const opts = options('partner');
const { step } = stepper();

async function main() {
  fs.mkdirSync(opts.outDir, { recursive: true });
  const server = await startServer(opts, 'partner');
  const { origin } = server;
  const browser = await launch(opts);
  const pageErrors = [];
  try {
    const coord = await newContext(browser, origin);
    const cp = await coord.newPage();
    await signIn(cp, origin, USERS.coordinator);
    const api = apiOf(coord, origin);
    const shared = await api('POST', '/api/v1/orgs/demo/programs', { name: 'Program bersama mitra', start_date: '2026-01-01', end_date: '2026-12-31' });
    const secret = await api('POST', '/api/v1/orgs/demo/programs', { name: 'Program internal rahasia', start_date: '2026-01-01', end_date: '2026-12-31' });
    await api('POST', `/api/v1/orgs/demo/programs/${secret.id}/results`, { title: 'Hasil internal yang tidak dibagikan' });

    await step('the coordinator shares one program with the partner in the browser', async () => {
      await cp.goto(`${origin}/o/demo/programs/${shared.id}/sharing`);
      await settled(cp);
      const members = await api('GET', '/api/v1/orgs/demo/members');
      const partner = members.items.find((m) => m.email === USERS.partner);
      await cp.selectOption('main select', partner.id);
      await cp.click('main button[type=submit]');
      await cp.waitForSelector(`main li:has-text("${partner.email}")`);
      const shares = await api('GET', `/api/v1/orgs/demo/programs/${shared.id}/members`);
      expect(shares.items.some((m) => m.email === USERS.partner), 'the share was not saved');
    });

    const context = await newContext(browser, origin);
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await step('the partner lists only the shared program', async () => {
      await signIn(page, origin, USERS.partner);
      await page.goto(origin + '/o/demo/programs');
      await settled(page);
      const text = await page.locator('main').innerText();
      expect(text.includes('Program bersama mitra'), 'the shared program is missing');
      expect(!text.includes('Program internal rahasia'), 'the partner sees a program not shared with them');
      await page.screenshot({ path: path.join(opts.outDir, 'partner-programs.png'), fullPage: true });
    });

    await step('opening the other program by its address shows not found, and nothing of it', async () => {
      await page.goto(`${origin}/o/demo/programs/${secret.id}`);
      await settled(page);
      await page.waitForSelector('[role=alert]');
      const text = await page.locator('main').innerText();
      expect(/tidak ditemukan/i.test(text), `no not-found message: ${text}`);
      expect(!text.includes('Program internal rahasia') && !text.includes('Hasil internal'), 'content of the hidden program leaked');
      await page.goto(`${origin}/o/demo`);
      await settled(page);
      expect(!(await page.locator('main').innerText()).includes('Program internal rahasia'), 'the home screen shows the hidden program');
      await page.screenshot({ path: path.join(opts.outDir, 'partner-hidden.png'), fullPage: true });
    });
    expect(pageErrors.length === 0, `errors in the page: ${pageErrors.join(' | ')}`);
  } finally {
    await browser.close();
    server.stop();
  }
}

main().then(
  () => console.log('partner: all steps passed'),
  () => (process.exitCode = 1),
);
