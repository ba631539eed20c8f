// Browser test: every main screen, in Bahasa Indonesia and in English, shows no raw message key
// (such as `programs.title`): the app has no fallback language, so a string missing in one
// language would show up as its key. The scan first proves it can fail: a key injected into the
// page must be reported.
// Usage: node tests/browser/app/languages.test.mjs [--out DIR]; $GOTONG_BIN, $GOTONG_WEB_DIR.
import fs from 'node:fs';
import path from 'node:path';
import { apiOf, expect, launch, messageNamespaces, newContext, options, pageText, seedWorkspace, settled, signIn, startServer, stepper, untranslatedKeys, USERS } from './support.mjs';

const opts = options('languages');
const { step } = stepper();

async function main() {
  fs.mkdirSync(opts.outDir, { recursive: true });
  const namespaces = messageNamespaces();
  expect(namespaces.has('common') && namespaces.has('programs') && namespaces.size > 15, `namespaces not found: ${[...namespaces]}`);
  const server = await startServer(opts, 'languages');
  const { origin } = server;
  const browser = await launch(opts);
  const pageErrors = [];
  try {
    const context = await newContext(browser, origin);
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await signIn(page, origin, USERS.admin);
    const api = apiOf(context, origin);
    const seeded = await seedWorkspace(api);
    const link = await api('POST', `/api/v1/orgs/demo/programs/${seeded.program.id}/feedback-link`);
    const screens = [
      '/o/demo',
      '/o/demo/programs',
      `/o/demo/programs/${seeded.program.id}`,
      `/o/demo/programs/${seeded.program.id}/activities`,
      `/o/demo/programs/${seeded.program.id}/budget`,
      `/o/demo/programs/${seeded.program.id}/sharing`,
      `/o/demo/programs/${seeded.program.id}/settings`,
      `/o/demo/programs/${seeded.program.id}/indicators/new`,
      `/o/demo/indicators/${seeded.indicator.id}`,
      `/o/demo/activities/${seeded.activity.id}`,
      `/o/demo/events/${seeded.event.id}`,
      '/o/demo/problems',
      `/o/demo/problems/${seeded.problem.id}`,
      `/o/demo/prioritisations/${seeded.session.id}`,
      '/o/demo/stakeholders',
      '/o/demo/engagements',
      '/o/demo/4w',
      '/o/demo/feedback',
      '/o/demo/audit',
      '/o/demo/users',
      '/o/demo/account',
      '/o/demo/forms',
      '/o/demo/submissions',
      '/o/demo/outbox',
      '/o/demo/no-such-screen',
      `/lapor/demo/${link.token}`,
    ];

    await step('the scan reports a key injected into the page', async () => {
      await page.goto(origin + '/o/demo/programs');
      await settled(page);
      expect(untranslatedKeys(await pageText(page), namespaces).length === 0, 'the programs screen should be clean before the injection');
      await page.evaluate(() => {
        const p = document.createElement('p');
        p.textContent = 'programs.thisKeyIsMissing';
        document.querySelector('main').append(p);
      });
      const found = untranslatedKeys(await pageText(page), namespaces);
      expect(found.length === 1 && found[0] === 'programs.thisKeyIsMissing', `the injected key was not reported: ${found}`);
      // Words with dots that are not keys stay quiet: e-mail addresses, hosts, decimals.
      expect(untranslatedKeys('admin@demo.gotong.id gotong.id 1.234,5 e.g. Rp 25.000.000', namespaces).length === 0, 'false alarm on ordinary text');
    });

    await step('switch to English with the language menu', async () => {
      await page.goto(origin + '/o/demo');
      await settled(page);
      await page.selectOption('[data-testid=language]', 'en');
      await page.waitForSelector('nav#nav >> text=Programs');
      expect((await page.getAttribute('html', 'lang')) === 'en', 'html lang should follow the language');
      await page.reload();
      await page.waitForSelector('nav#nav >> text=Programs'); // remembered
    });

    for (const lang of ['en', 'id']) {
      await step(`no untranslated key on ${screens.length} screens in ${lang}`, async () => {
        await page.evaluate((l) => localStorage.setItem('gotong.lang', l), lang);
        const problems = [];
        for (const url of screens) {
          await page.goto(origin + url);
          await settled(page);
          const keys = untranslatedKeys(await pageText(page), namespaces);
          if (keys.length) problems.push(`${url}: ${keys.join(', ')}`);
        }
        // The login page, signed out, in a separate context.
        const anon = await newContext(browser, origin);
        const ap = await anon.newPage();
        await ap.goto(origin + '/login');
        await ap.evaluate((l) => localStorage.setItem('gotong.lang', l), lang);
        await ap.reload();
        await ap.waitForSelector('input[type=email]');
        const keys = untranslatedKeys(await pageText(ap), namespaces);
        if (keys.length) problems.push(`/login: ${keys.join(', ')}`);
        await ap.screenshot({ path: path.join(opts.outDir, `login-${lang}.png`) });
        await anon.close();
        expect(problems.length === 0, `untranslated keys:\n        ${problems.join('\n        ')}`);
      });
    }
    expect(pageErrors.length === 0, `errors in the page: ${pageErrors.join(' | ')}`);
  } finally {
    await browser.close();
    server.stop();
  }
}

main().then(
  () => console.log('languages: all steps passed'),
  () => (process.exitCode = 1),
);
