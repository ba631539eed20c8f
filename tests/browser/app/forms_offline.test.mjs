// Browser test of the forms and data collection screens against the real binary with a fresh
// demo database, in Debian's Chromium (playwright-core):
//   1. an XLSForm of the corpus with an error is refused and the page names its row and column;
//      a correct one is uploaded and published;
//   2. the form is filled in the browser and sent; the server has it and the indicator computed
//      from the form changes on its page;
//   3. it is reviewed: found by filtering, approved with a comment, its answers edited;
//   4. answers typed are still there after the tab is closed (draft in IndexedDB);
//   5. offline (context.setOffline): two submissions go to the outbox, the page is reloaded while
//      still offline, the connection comes back, and the server ends up with exactly two new
//      submissions; sending them again makes no duplicate.
// Usage: node tests/browser/app/forms_offline.test.mjs [--out DIR]
//   $GOTONG_BIN (default build/release/gotong), $GOTONG_WEB_DIR (default web/dist),
//   $GOTONG_CHROMIUM (default /usr/bin/chromium). Prints one line per step and a summary.
import fs from 'node:fs';
import path from 'node:path';
import { apiOf, expect, launch, options, REPO, signIn, startServer, stepper, USERS } from './support.mjs';

const CORPUS = path.join(REPO, 'tests', 'data', 'xlsform');
const BAD_FORM = path.join(CORPUS, 'bug_example_xls', 'bad_calc.xlsx'); // survey:2:4, calculation
const GOOD_FORM = path.join(CORPUS, 'example_xls', 'text_and_integer.xls'); // your_name, your_age
const STEP_TIMEOUT = 30_000;

const opts = options('forms_offline');
const { step, results } = stepper();

async function main() {
  fs.mkdirSync(opts.outDir, { recursive: true });
  const server = await startServer(opts, 'forms');
  const { origin } = server;
  const browser = await launch(opts);
  const pageErrors = [];
  try {
    // Service workers stay on (unlike the other tests): the offline part needs the app shell
    // from the worker's cache.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    context.setDefaultTimeout(STEP_TIMEOUT);
    await context.route((url) => url.origin !== origin, (route) => route.abort('blockedbyclient'));
    let page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const shot = (name) => page.screenshot({ path: path.join(opts.outDir, `${name}.png`), fullPage: true });
    const apiCall = apiOf(context, origin);
    const submissionsOf = async (formId) => (await apiCall('GET', `/api/v1/orgs/demo/submissions?form=${formId}&limit=500`)).items;

    await step('sign in', async () => {
      await signIn(page, origin, USERS.coordinator);
      // English, so the ODK engine and our screens speak the same language in the screenshots.
      await page.evaluate(() => localStorage.setItem('gotong.lang', 'en'));
    });

    let formId = '';
    await step('an XLSForm with an error is refused with its sheet, row and column', async () => {
      await page.goto(origin + '/o/demo/forms');
      await page.setInputFiles('[data-testid=form-file]', BAD_FORM);
      await page.click('[data-testid=form-upload]');
      const row = page.locator('[data-testid=upload-error]').first();
      await row.waitFor();
      const cells = await row.locator('td').allInnerTexts();
      expect(cells[0] === 'survey' && cells[1] === '2' && cells[2] === 'D', `error row reads ${JSON.stringify(cells)}`);
      expect(/calculation/.test(cells[3]), `the message does not name the calculation: ${cells[3]}`);
      await shot('forms-upload-error');
    });

    await step('a correct XLSForm is uploaded, previewed and published', async () => {
      await page.setInputFiles('[data-testid=form-file]', GOOD_FORM);
      await page.click('[data-testid=form-upload]');
      await page.locator('[data-testid=upload-ok] a').click();
      await page.waitForURL(/\/forms\/\d+$/);
      formId = /\/forms\/(\d+)$/.exec(page.url())[1];
      await page.locator('[data-testid=fields-preview]').getByText('What is your name?').waitFor();
      // The draft tried in the form engine before publishing: nothing is sent.
      await page.getByRole('link', { name: 'Try the draft' }).click();
      await page.locator('.form-initialization-status.ready').waitFor({ state: 'attached' });
      await page.getByLabel('What is your name?').fill('Coba');
      await page.getByRole('button', { name: 'Send' }).click();
      await page.locator('[data-testid=preview-ok]').waitFor();
      expect((await submissionsOf(formId)).length === 0, 'the preview sent a submission');
      await page.goBack();
      await page.click('[data-testid=publish]');
      await page.locator('[data-testid=form-state]').getByText('Open').waitFor();
      await page.locator('[data-testid=fill]').waitFor();
      await shot('form-published');
    });

    // An indicator counting this form's submissions, to watch it move.
    let indicatorId = '';
    await step('an indicator computed from the form', async () => {
      const program = await apiCall('POST', '/api/v1/orgs/demo/programs', {
        name: 'Uji formulir di peramban', start_date: '2026-01-01', end_date: '2027-12-31',
      });
      const goal = await apiCall('POST', `/api/v1/orgs/demo/programs/${program.id}/results`, { title: 'Data terkumpul' });
      const indicator = await apiCall('POST', `/api/v1/orgs/demo/programs/${program.id}/indicators`, {
        result_node_id: goal.id, title: 'Jumlah responden', measure: 'unit', direction: 'increase',
        frequency: 'life_of_program', source: 'submissions', computation: { form_id: formId, calculation: 'count' },
      });
      indicatorId = indicator.id;
    });

    const indicatorShown = async () => {
      await page.goto(origin + `/o/demo/indicators/${indicatorId}`);
      const text = (await page.locator('[data-testid=ind-lop]').innerText()).trim();
      return text === '–' ? 0 : Number(text.replace(/[^\d]/g, ''));
    };

    // The number control reads keystrokes, not a pasted value: type it, then leave the field.
    const typeNumber = async (n) => {
      const input = page.locator('.question-container', { hasText: 'How many years old' }).locator('input');
      await input.click();
      await input.press('Control+A');
      await input.pressSequentially(String(n));
      await input.press('Tab');
    };
    const fill = async (name, age) => {
      await page.locator('.form-initialization-status.ready').waitFor({ state: 'attached' });
      await page.getByLabel('What is your name?').fill(name);
      await typeNumber(age);
    };
    const send = async () => {
      await page.getByRole('button', { name: 'Send' }).click();
      await page.locator('[data-testid=submit-status]').waitFor();
    };

    await step('the form is filled in the browser, sent, and the indicator changes', async () => {
      const before = await indicatorShown();
      await page.goto(origin + `/o/demo/forms/${formId}/fill`);
      await fill('Yohana Bana', 34);
      await shot('form-fill');
      await send();
      await page.locator('[data-testid=submit-status][data-state=sent]').waitFor();
      const subs = await submissionsOf(formId);
      expect(subs.length === 1, `the server has ${subs.length} submissions of the form, not 1`);
      const detail = await apiCall('GET', `/api/v1/orgs/demo/submissions/${subs[0].id}`);
      expect(detail.answers.your_name === 'Yohana Bana' && Number(detail.answers.your_age) === 34,
        `answers on the server: ${JSON.stringify(detail.answers)}`);
      const after = await indicatorShown();
      expect(after === before + 1, `the indicator shows ${after}, expected ${before + 1}`);
      await shot('indicator-after-submission');
    });

    await step('the submission is reviewed: filtered list, answers, approval with a comment', async () => {
      await page.goto(origin + `/o/demo/submissions?form=${formId}`);
      const rows = page.locator('[data-testid=submission-row]');
      await rows.first().waitFor();
      expect((await rows.count()) === 1, `the filtered list shows ${await rows.count()} rows, not 1`);
      await page.locator('[data-testid=exports] summary').click();
      const csv = await page.locator('[data-testid=export-csv]').getAttribute('href');
      expect(csv.includes(`/forms/${formId}/export.csv.zip`), `export link ${csv}`);
      await rows.first().locator('a').click();
      await page.getByText('Yohana Bana').waitFor();
      await page.fill('#review-note', 'Sudah diperiksa di lapangan');
      await page.click('[data-testid=approve]');
      await page.locator('[data-testid=submission-state]').getByText('Approved').waitFor();
      await page.locator('[data-testid=comment]').getByText('Sudah diperiksa di lapangan').waitFor();
      await shot('submission-approved');
      const subs = await submissionsOf(formId);
      expect(subs[0].state === 'approved', `the server has the submission as ${subs[0].state}`);
    });

    await step('the answers are edited in the form engine and the history keeps the change', async () => {
      await page.click('[data-testid=edit-answers]');
      await page.locator('.form-initialization-status.ready').waitFor({ state: 'attached' });
      const name = page.getByLabel('What is your name?');
      expect((await name.inputValue()) === 'Yohana Bana', `the edit starts from ${await name.inputValue()}`);
      await name.fill('Yohana Bana-Tefa');
      await page.fill('[data-testid=edit-reason]', 'Nama keluarga lengkap');
      await page.getByRole('button', { name: 'Send' }).click();
      await page.locator('[data-testid=edited]').waitFor();
      await page.getByText('Yohana Bana-Tefa').waitFor();
      await page.getByText('Nama keluarga lengkap').waitFor();
      await shot('submission-edited');
      const subs = await submissionsOf(formId);
      expect(subs.length === 1, `an edit made ${subs.length} submissions`);
      const detail = await apiCall('GET', `/api/v1/orgs/demo/submissions/${subs[0].id}`);
      expect(detail.answers.your_name === 'Yohana Bana-Tefa' && detail.edits.length === 1,
        `after the edit: ${JSON.stringify(detail.answers)}, ${detail.edits.length} edits`);
    });

    await step('answers typed survive closing the tab', async () => {
      await page.goto(origin + `/o/demo/forms/${formId}/fill`);
      await page.locator('.form-initialization-status.ready').waitFor({ state: 'attached' });
      await page.getByLabel('What is your name?').fill('Draf Tersimpan');
      await page.locator('[data-testid=draft-saved]').waitFor();
      await page.close();
      page = await context.newPage();
      page.on('pageerror', (e) => pageErrors.push(e.message));
      await page.goto(origin + `/o/demo/forms/${formId}/fill`);
      await page.locator('[data-testid=draft-restored]').waitFor();
      await page.locator('.form-initialization-status.ready').waitFor({ state: 'attached' });
      const value = await page.getByLabel('What is your name?').inputValue();
      expect(value === 'Draf Tersimpan', `the restored answer is ${JSON.stringify(value)}`);
      // Sent from the restored draft: a new submission, not an edit of an earlier one.
      await typeNumber(51);
      await send();
      await page.locator('[data-testid=submit-status][data-state=sent]').waitFor();
      const subs = await submissionsOf(formId);
      expect(subs.length === 2, `the server has ${subs.length} submissions, not 2`);
    });

    await step('offline: two submissions wait in the outbox across a reload and are sent once online', async () => {
      // The app shell must be in the service worker's cache before the connection goes.
      await page.goto(origin + `/o/demo/forms/${formId}/fill`);
      const controlled = await page.evaluate(async () => {
        const ready = (async () => {
          await navigator.serviceWorker.ready;
          if (!navigator.serviceWorker.controller) {
            await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
          }
          return true;
        })();
        return Promise.race([ready, new Promise((resolve) => setTimeout(() => resolve(false), 20_000))]);
      });
      expect(controlled, 'no service worker took control of the page within 20 s');
      await page.reload();
      const before = (await submissionsOf(formId)).length;
      const indicatorBefore = await indicatorShown();
      await page.goto(origin + `/o/demo/forms/${formId}/fill`);
      await page.locator('.form-initialization-status.ready').waitFor({ state: 'attached' });

      await context.setOffline(true);
      await fill('Luar Jaringan Satu', 20);
      await send();
      await page.locator('[data-testid=submit-status][data-state=failed], [data-testid=submit-status][data-state=pending]').waitFor();
      await fill('Luar Jaringan Dua', 21);
      await send();
      await page.getByText('Outbox (2 waiting)').waitFor();
      await page.locator('[data-testid=outbox-status]', { hasText: 'No connection · 2 submissions waiting' }).waitFor();
      await shot('offline-queued');

      await page.reload(); // still offline: the shell comes from the service worker
      await page.locator('.form-initialization-status.ready').waitFor({ state: 'attached' });
      await page.locator('[data-testid=offline-copy]').waitFor();
      await page.goto(origin + '/o/demo/outbox');
      const waiting = page.locator('[data-testid=outbox-row]:not([data-state=sent])');
      await waiting.nth(1).waitFor();
      expect((await waiting.count()) === 2, `${await waiting.count()} submissions wait in the outbox, not 2`);
      await shot('outbox-offline');

      await context.setOffline(false);
      await page.locator('[data-testid=connection][data-online=true]').waitFor();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid=outbox-row]:not([data-state=sent])').length === 0, null, { timeout: STEP_TIMEOUT });
      await shot('outbox-sent');
      await page.locator('[data-testid=outbox-status]').waitFor({ state: 'detached' });
      const after = await submissionsOf(formId);
      expect(after.length === before + 2, `the server has ${after.length - before} new submissions, not 2`);
      const names = after.map((s) => s.instance_id);
      expect(new Set(names).size === names.length, 'two submissions share an instanceID');

      // Sending the same two again (as after an answer lost on the way) makes no copy.
      await page.evaluate(async () => {
        const db = await new Promise((resolve, reject) => {
          const r = indexedDB.open('gotong-offline');
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(r.error);
        });
        const items = await new Promise((resolve) => {
          const r = db.transaction('outbox').objectStore('outbox').getAll();
          r.onsuccess = () => resolve(r.result);
        });
        const tx = db.transaction('outbox', 'readwrite');
        for (const item of items) tx.objectStore('outbox').put({ ...item, state: 'pending' });
        await new Promise((resolve) => (tx.oncomplete = resolve));
        db.close();
      });
      await page.reload();
      await page.waitForFunction(() => {
        const rows = document.querySelectorAll('[data-testid=outbox-row]');
        return rows.length > 0 && [...rows].every((r) => r.getAttribute('data-state') === 'sent');
      }, null, { timeout: STEP_TIMEOUT });
      const again = await submissionsOf(formId);
      expect(again.length === after.length, `sending again made ${again.length - after.length} copies`);
      const indicatorAfter = await indicatorShown();
      expect(indicatorAfter === indicatorBefore + 2, `the indicator shows ${indicatorAfter}, expected ${indicatorBefore + 2}`);
    });
    await step('no errors in the page', async () => {
      expect(pageErrors.length === 0, `errors in the page: ${pageErrors.join(' | ')}`);
    });
  } finally {
    await browser.close();
    server.stop();
  }
}

main()
  .catch((e) => {
    // A failure outside a step (the server or Chromium did not start) counts as one.
    if (!results.some((r) => !r.ok)) {
      results.push({ name: 'setup', ok: false });
      console.log(`FAIL  setup\n      ${String(e?.stack ?? e).split('\n').slice(0, 6).join('\n      ')}`);
    }
  })
  .finally(() => {
    const passed = results.filter((r) => r.ok).length;
    const failed = results.length - passed;
    console.log(`forms_offline: ${passed} passed, ${failed} failed`);
    process.exitCode = failed === 0 && results.length > 0 ? 0 : 1;
  });
