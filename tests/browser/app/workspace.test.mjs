// Browser test of the coordinator's workspace in the built app (web/dist) against the real
// binary with a fresh demo database:
//   1. sign in;
//   2. create a program in the browser, give it a goal, an outcome and an output, and add an
//      indicator computed from the demo household survey (form, calculation, filter built with
//      the field picker); the indicator page shows the value the server computed;
//   3. screenshots of every main screen on a desktop and at 360 px (artifacts in --out).
// Usage: node tests/browser/app/workspace.test.mjs [--out DIR]; $GOTONG_BIN, $GOTONG_WEB_DIR.
import fs from 'node:fs';
import path from 'node:path';
import { apiOf, expect, launch, newContext, options, seedWorkspace, settled, signIn, startServer, stepper, USERS } from './support.mjs';

const opts = options('workspace');
const { step } = stepper();

async function main() {
  fs.mkdirSync(opts.outDir, { recursive: true });
  const server = await startServer(opts, 'workspace');
  const { origin } = server;
  const browser = await launch(opts);
  const pageErrors = [];
  try {
    const context = await newContext(browser, origin);
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const api = apiOf(context, origin);

    await step('sign in', async () => {
      await page.goto(origin + '/');
      await page.waitForURL(/\/login/);
      await page.fill('input[type=email]', USERS.coordinator);
      await page.fill('input[type=password]', 'wrong password');
      await page.click('button[type=submit]');
      await page.waitForSelector('[role=alert]');
      await page.fill('input[type=password]', 'gotong-demo');
      await page.click('button[type=submit]');
      await page.waitForURL(/\/o\/demo$/);
      await page.waitForSelector('text=Kiriman data terbaru');
    });

    let programId = '';
    await step('create a program with a goal, an outcome and an output', async () => {
      await page.click('nav#nav >> text=Program');
      await page.waitForURL(/\/programs$/);
      await page.click('button:has-text("Program baru")');
      // Submitting empty shows the server's message next to the name field.
      await page.click('form.card button[type=submit]');
      await page.waitForSelector('.field.invalid [data-testid=program-name]');
      await page.fill('[data-testid=program-name]', 'Sanitasi Dusun Oelbubuk');
      await page.fill('[data-testid=program-start]', '2025-01-01');
      await page.fill('[data-testid=program-end]', '2027-12-31');
      await page.click('form.card button[type=submit]');
      await page.waitForURL(/\/programs\/\d+$/);
      programId = /\/programs\/(\d+)$/.exec(page.url())[1];
      await page.click('button:has-text("Tambah Goal")');
      await page.fill('[data-testid=top-title]', 'Warga Oelbubuk hidup sehat');
      await page.click('form.card >> button[type=submit]');
      const goal = page.locator('.node', { hasText: 'Warga Oelbubuk hidup sehat' }).first();
      await goal.waitFor();
      await goal.locator('button:has-text("Tambah Outcome")').click();
      await page.fill('[data-testid=node-title]', 'Rumah tangga memakai jamban sehat');
      await page.click('form.node >> button[type=submit]');
      const outcome = page.locator('.node', { hasText: 'Rumah tangga memakai jamban sehat' }).first();
      await outcome.waitFor();
      await outcome.locator('button:has-text("Tambah Output")').click();
      await page.fill('[data-testid=node-title]', 'Jamban keluarga dibangun');
      await page.click('form.node >> button[type=submit]');
      await page.locator('.node', { hasText: 'Jamban keluarga dibangun' }).first().waitFor();
      const tree = await api('GET', `/api/v1/orgs/demo/programs/${programId}/results`);
      const g = tree.nodes[0];
      expect(tree.nodes.length === 1 && g.title === 'Warga Oelbubuk hidup sehat', 'goal not saved');
      expect(g.children[0]?.tier_name === 'Outcome' && g.children[0].children[0]?.tier_name === 'Output', `outcome/output not saved: ${JSON.stringify(tree)}`);
    });

    await step('rename a tier and move an output under another outcome', async () => {
      await page.click('button:has-text("Ubah nama tingkatan")');
      await page.fill('form.card input >> nth=0', 'Tujuan');
      await page.click('form.card button[type=submit]');
      await page.waitForSelector('.node .tier:has-text("Tujuan")');
      const goal = page.locator('.node', { hasText: 'Warga Oelbubuk hidup sehat' }).first();
      await goal.locator('button:has-text("Tambah Outcome")').click();
      await page.fill('[data-testid=node-title]', 'Anak balita bebas diare');
      await page.click('form.node >> button[type=submit]');
      await page.locator('.node', { hasText: 'Anak balita bebas diare' }).first().waitFor();
      const output = page.locator('.node', { hasText: 'Jamban keluarga dibangun' }).first();
      const target = output.locator('select');
      const value = await target.locator('option', { hasText: 'Anak balita bebas diare' }).getAttribute('value');
      await target.selectOption(value);
      // Wait for the move on the page: the new outcome's node (by its data-node title, not by text,
      // since every node's "move under" list names all the nodes) gets the output below it.
      await page.waitForFunction(() => {
        const node = document.querySelector('.tree li > .node[data-node="Anak balita bebas diare"]');
        return node?.parentElement.querySelector(':scope > ul')?.textContent.includes('Jamban keluarga dibangun');
      });
      const program = await api('GET', `/api/v1/orgs/demo/programs/${programId}`);
      expect(program.tiers[0] === 'Tujuan', `tiers: ${program.tiers}`);
      const tree = await api('GET', `/api/v1/orgs/demo/programs/${programId}/results`);
      const moved = tree.nodes[0].children.find((n) => n.title === 'Anak balita bebas diare');
      expect(moved?.children[0]?.title === 'Jamban keluarga dibangun', `output not moved: ${JSON.stringify(tree.nodes[0].children.map((c) => [c.title, c.children.map((x) => x.title)]))}`);
    });

    await step('give the program its village by searching the regions', async () => {
      await page.click('a:has-text("Pengaturan")');
      await page.fill('#program-areas', 'bosen');
      await page.click('[role=listbox] button:has-text("Bosen")');
      await page.click('form.card button[type=submit]');
      await page.waitForSelector('.notice[role=status]');
      const p = await api('GET', `/api/v1/orgs/demo/programs/${programId}`);
      expect(p.areas.some((a) => /Bosen/i.test(a.name)), `area not saved: ${JSON.stringify(p.areas)}`);
      await page.click('a:has-text("Kerangka logis")');
    });

    let indicatorId = '';
    await step('add an indicator computed from a form, with a filter and a disaggregation', async () => {
      const outcome = page.locator('.node', { hasText: 'Rumah tangga memakai jamban sehat' }).first();
      await outcome.locator('a:has-text("Tambah indikator")').first().click();
      await page.waitForURL(/indicators\/new/);
      await page.fill('[data-testid=ind-title]', 'Rumah tangga yang bersedia disurvei');
      const forms = await api('GET', '/api/v1/orgs/demo/forms');
      const form = forms.items.find((f) => f.published);
      await page.selectOption('[data-testid=ind-form]', form.id);
      // The field picker writes the filter expression.
      const picker = page.locator('label.field', { hasText: 'Sisipkan pertanyaan' }).locator('select');
      await picker.locator('option[value=consent]').waitFor({ state: 'attached' });
      await picker.selectOption('consent');
      const filter = await page.inputValue('[data-testid=ind-filter]');
      expect(/^\$\{consent\} = '.+'$/.test(filter), `filter not built: ${filter}`);
      await page.click('button:has-text("Tambah pemilahan")');
      const dim = page.locator('fieldset .row').last();
      await dim.locator('select').nth(1).selectOption('area');
      await page.click('button:has-text("Tambah target")');
      await page.click('[data-testid=ind-save]');
      await page.waitForURL(/\/indicators\/\d+$/);
      indicatorId = /\/indicators\/(\d+)$/.exec(page.url())[1];
      const ind = await api('GET', `/api/v1/orgs/demo/indicators/${indicatorId}`);
      expect(ind.source === 'submissions' && ind.computation.form_id === form.id && ind.computation.filter === filter, `indicator saved wrong: ${JSON.stringify(ind)}`);
      const values = await api('GET', `/api/v1/orgs/demo/indicators/${indicatorId}/values`);
      const lop = values.life_of_program?.value;
      expect(typeof lop === 'number' && lop > 0, `the demo survey should give a value: ${JSON.stringify(values.life_of_program)}`);
      const shown = (await page.locator('[data-testid=ind-lop]').innerText()).trim();
      const expected = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 2 }).format(lop);
      expect(shown === expected, `indicator page shows ${shown}, server says ${expected}`);
      await page.waitForSelector('canvas'); // the chart, loaded on demand
      // The disaggregation by area: one card per dimension with its rows.
      const last = values.periods.filter((p) => p.has_data && p.by_dimension).pop();
      const dims = Object.keys(last?.by_dimension ?? {});
      expect(dims.length === 1, `one dimension expected: ${JSON.stringify(last)}`);
      await page.waitForSelector(`.card h3:has-text("${dims[0]}")`);
      const rows = await page.locator('.card', { has: page.locator(`h3:has-text("${dims[0]}")`) }).locator('tbody tr').count();
      expect(rows === last.by_dimension[dims[0]].length && rows > 0, `breakdown rows: ${rows}`);
    });

    await step('edit the targets; an edit made meanwhile elsewhere is not overwritten (If-Match)', async () => {
      await page.click('button:has-text("Ubah data dasar dan target")');
      await page.click('button:has-text("Tambah target")');
      const row = page.locator('form.card .row').last();
      await row.locator('input').nth(0).fill('LOP');
      await row.locator('input').nth(1).fill('1500');
      // Someone else changes the indicator after this page read it.
      const current = await api('GET', `/api/v1/orgs/demo/indicators/${indicatorId}`);
      await api('PATCH', `/api/v1/orgs/demo/indicators/${indicatorId}`, { definition: 'Diubah di tempat lain' }, { 'If-Match': `"v${current.version}"` });
      await page.click('form.card button[type=submit]');
      await page.waitForSelector('[role=alert]:has-text("diubah orang lain")');
      let saved = await api('GET', `/api/v1/orgs/demo/indicators/${indicatorId}`);
      expect(saved.targets.length === 0, 'the stale edit must not be saved');
      // Reloaded, the same edit goes through.
      await page.reload();
      await settled(page);
      await page.click('button:has-text("Ubah data dasar dan target")');
      await page.click('button:has-text("Tambah target")');
      const again = page.locator('form.card .row').last();
      await again.locator('input').nth(0).fill('LOP');
      await again.locator('input').nth(1).fill('1500');
      await page.click('form.card button[type=submit]');
      await page.waitForSelector('text=/ 1.500');
      saved = await api('GET', `/api/v1/orgs/demo/indicators/${indicatorId}`);
      expect(saved.definition === 'Diubah di tempat lain' && saved.targets.some((x) => x.period === 'LOP' && x.value === 1500), `targets not saved: ${JSON.stringify(saved.targets)}`);
    });

    const seeded = await seedWorkspace(api);
    await step('run a scoring session live: two participants score, the ranking follows', async () => {
      await page.goto(`${origin}/o/demo/prioritisations/${seeded.session.id}`);
      await settled(page);
      const session = await api('GET', `/api/v1/orgs/demo/prioritisations/${seeded.session.id}`);
      const [water, diarrhoea] = session.problems;
      const score = async (who, forWater, forDiarrhoea) => {
        await page.fill('input[placeholder]', who);
        await page.click('button:has-text("Muat isian peserta")');
        for (const [problem, value] of [[water, forWater], [diarrhoea, forDiarrhoea]]) {
          const cells = page.locator('section[aria-labelledby=h-entry] tbody tr', { hasText: problem.title }).locator('select');
          expect((await cells.count()) === session.criteria.length, 'one score per criterion');
          for (let i = 0; i < session.criteria.length; i++) await cells.nth(i).selectOption(String(value));
        }
        await page.click('button:has-text("Simpan skor")');
        await page.waitForSelector(`.notice:has-text("${who}")`);
      };
      await score('Bapak Yakobus', 5, 2);
      await score('Ibu Martha', 4, 3);
      const ranking = await api('GET', `/api/v1/orgs/demo/prioritisations/${seeded.session.id}/ranking`);
      expect(ranking.participants === 2 && ranking.items[0].problem_id === water.id, `ranking wrong: ${JSON.stringify(ranking.items.map((i) => [i.title, i.total]))}`);
      const firstRow = await page.locator('section[aria-labelledby=h-ranking] tbody tr').first().innerText();
      expect(firstRow.includes(water.title) && firstRow.includes(new Intl.NumberFormat('id-ID', { maximumFractionDigits: 1 }).format(ranking.items[0].total)), `the ranking table shows ${firstRow}`);
      await page.click('button:has-text("Mode proyektor")');
      await page.waitForSelector('.projector canvas');
      await page.screenshot({ path: path.join(opts.outDir, 'prioritisation-projector.png'), fullPage: true });
    });

    await step('screenshots of the main screens (desktop and 360 px)', async () => {
      const screens = {
        home: '/o/demo',
        programs: '/o/demo/programs',
        program: `/o/demo/programs/${seeded.program.id}`,
        indicator: `/o/demo/indicators/${seeded.indicator.id}`,
        'indicator-new': `/o/demo/programs/${seeded.program.id}/indicators/new`,
        budget: `/o/demo/programs/${seeded.program.id}/budget`,
        activities: `/o/demo/activities?program=${seeded.program.id}`,
        event: `/o/demo/events/${seeded.event.id}`,
        problems: '/o/demo/problems',
        'problem-tree': `/o/demo/problems/${seeded.problem.id}`,
        prioritisation: `/o/demo/prioritisations/${seeded.session.id}`,
        stakeholders: '/o/demo/stakeholders',
        engagements: '/o/demo/engagements',
        '4w': '/o/demo/4w',
        feedback: '/o/demo/feedback',
        audit: '/o/demo/audit',
        users: '/o/demo/users',
        account: '/o/demo/account',
      };
      const phone = await newContext(browser, origin, { width: 360, height: 740 });
      const phonePage = await phone.newPage();
      phonePage.on('pageerror', (e) => pageErrors.push(e.message));
      // Admin, so the admin screens have content too.
      await signIn(phonePage, origin, USERS.admin);
      const adminDesk = await newContext(browser, origin);
      const desk = await adminDesk.newPage();
      desk.on('pageerror', (e) => pageErrors.push(e.message));
      await signIn(desk, origin, USERS.admin);
      for (const [name, url] of Object.entries(screens)) {
        for (const [p, suffix] of [[desk, 'desktop'], [phonePage, '360']]) {
          await p.goto(origin + url);
          await settled(p);
          if (name === 'indicator' || name === 'budget' || name === 'stakeholders') await p.waitForSelector('canvas');
          await p.screenshot({ path: path.join(opts.outDir, `${name}-${suffix}.png`), fullPage: true });
          if (suffix === '360') {
            const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
            // Names the widest elements, so a failure says what to fix.
            const culprits = overflow > 1 ? await p.evaluate(() => [...document.querySelectorAll('body *')]
              .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && e.parentElement.getBoundingClientRect().right <= window.innerWidth + 1)
              .slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} ${Math.round(e.getBoundingClientRect().right)}`)) : [];
            expect(overflow <= 1, `${name} is wider than a 360 px phone by ${overflow} px: ${culprits.join(', ')}`);
          }
        }
      }
      await phone.close();
      await adminDesk.close();
      const pub = await newContext(browser, origin, { width: 360, height: 740 });
      const pp = await pub.newPage();
      await pp.goto(origin + '/login');
      await pp.screenshot({ path: path.join(opts.outDir, 'login-360.png'), fullPage: true });
    });

    expect(pageErrors.length === 0, `errors in the page: ${pageErrors.join(' | ')}`);
  } finally {
    await browser.close();
    server.stop();
  }
}

main().then(
  () => console.log('workspace: all steps passed'),
  (e) => {
    if (!String(e?.message).startsWith('FAIL')) console.log(`FAIL  ${String(e?.stack ?? e).split('\n').slice(0, 6).join('\n      ')}`);
    process.exitCode = 1;
  },
);
