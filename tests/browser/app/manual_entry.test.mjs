// Browser test: an indicator entered by hand. The field officer enters a quarter's total and a
// breakdown value and submits them; the coordinator returns it with a reason, the officer corrects and
// submits again, the coordinator approves both, and the indicator page shows the latest value and
// the breakdown; a demo indicator's breakdown by area shows dusun names. Then the coordinator merges a duplicate participant from the register
// and edits a whole activity (with If-Match), and attaches and downloads an expenditure's receipt.
// Usage: node tests/browser/app/manual_entry.test.mjs [--out DIR]; $GOTONG_BIN, $GOTONG_WEB_DIR.
import fs from 'node:fs';
import path from 'node:path';
import { apiOf, expect, launch, messageNamespaces, newContext, options, pageText, settled, signIn, startServer, stepper, untranslatedKeys, USERS } from './support.mjs';

const opts = options('manual_entry');
const { step } = stepper();

async function main() {
  fs.mkdirSync(opts.outDir, { recursive: true });
  const server = await startServer(opts, 'manual');
  const { origin } = server;
  const browser = await launch(opts);
  const pageErrors = [];
  const namespaces = messageNamespaces();
  const noRawKeys = async (page, where) => {
    const keys = untranslatedKeys(await pageText(page), namespaces);
    expect(keys.length === 0, `untranslated keys on ${where}: ${keys.join(', ')}`);
  };
  try {
    const coord = await newContext(browser, origin);
    const cp = await coord.newPage();
    cp.on('pageerror', (e) => pageErrors.push(e.message));
    await signIn(cp, origin, USERS.coordinator);
    const api = apiOf(coord, origin);
    const program = await api('POST', '/api/v1/orgs/demo/programs', { name: 'Posyandu Desa Kapan', start_date: '2026-01-01', end_date: '2027-12-31', status: 'active' });
    const outcome = await api('POST', `/api/v1/orgs/demo/programs/${program.id}/results`, { title: 'Balita ditimbang tiap bulan', code: '1' });
    const indicator = await api('POST', `/api/v1/orgs/demo/programs/${program.id}/indicators`, {
      result_node_id: outcome.id, code: '1a', title: 'Kader posyandu aktif', measure: 'unit', direction: 'increase', frequency: 'quarterly',
      source: 'manual', dimensions: [{ name: 'dusun', kind: 'list', values: ['Dusun 1', 'Dusun 2'] }], targets: [{ period: '2026-Q3', value: 50 }],
    });
    const url = `${origin}/o/demo/indicators/${indicator.id}`;

    const officer = await newContext(browser, origin, { width: 360, height: 800 });
    const op = await officer.newPage();
    op.on('pageerror', (e) => pageErrors.push(e.message));
    const rows = (page) => page.locator('[data-testid=manual-entries] tbody tr');
    const row = (page) => rows(page).filter({ hasText: 'Total (tanpa rincian)' });
    const cellRow = (page) => rows(page).filter({ hasText: 'dusun: Dusun 1' });
    const enter = async (page, dusun, value) => {
      await page.getByRole('button', { name: 'Isi nilai' }).click();
      await page.getByLabel('Periode', { exact: true }).fill('2026-Q3');
      if (dusun) await page.getByLabel('dusun').selectOption(dusun);
      await page.getByLabel('Nilai', { exact: true }).fill(value);
      await page.getByRole('button', { name: 'Simpan' }).click();
    };

    await step('the field officer enters a total and a breakdown value on a phone and submits them', async () => {
      await signIn(op, origin, USERS.officer);
      await op.goto(url);
      await settled(op);
      await op.getByText('Belum ada nilai yang diisi.').waitFor();
      await enter(op, null, '41');
      await row(op).getByText('Draf').waitFor();
      await enter(op, 'Dusun 1', '30');
      await cellRow(op).getByText('Draf').waitFor();
      await row(op).getByRole('button', { name: 'Ajukan' }).click();
      await row(op).getByText('Diajukan', { exact: true }).waitFor();
      await cellRow(op).getByRole('button', { name: 'Ajukan' }).click();
      await cellRow(op).getByText('Diajukan', { exact: true }).waitFor();
      await noRawKeys(op, 'the indicator page (officer)');
      await op.screenshot({ path: path.join(opts.outDir, 'officer-submitted.png'), fullPage: true });
      const entries = await api('GET', `/api/v1/orgs/demo/indicators/${indicator.id}/entries`);
      expect(entries.items.length === 2 && entries.items.every((e) => e.state === 'submitted'), `server has ${JSON.stringify(entries.items)}`);
      expect(entries.items.some((e) => e.value === 41 && Object.keys(e.cell).length === 0), 'no total of 41 on the server');
      expect(entries.items.some((e) => e.value === 30 && e.cell.dusun === 'Dusun 1'), 'no Dusun 1 value on the server');
    });

    await step('the coordinator returns it with a reason; the officer sees why, corrects it and submits again', async () => {
      await cp.goto(url);
      await settled(cp);
      await row(cp).getByRole('button', { name: 'Kembalikan' }).click();
      await cp.getByLabel('Alasan pengembalian').fill('Angka dusun 1 menurut buku kader adalah 42');
      await cp.locator('form button.danger', { hasText: 'Kembalikan' }).click();
      await row(cp).getByText('Dikembalikan', { exact: true }).waitFor();
      await op.reload();
      await settled(op);
      expect((await row(op).innerText()).includes('buku kader adalah 42'), 'the officer does not see the reason');
      await row(op).getByRole('button', { name: 'Ubah' }).click();
      await op.getByLabel('Nilai', { exact: true }).fill('42');
      await op.getByRole('button', { name: 'Simpan' }).click();
      await row(op).getByText('Draf').waitFor();
      await row(op).getByRole('button', { name: 'Ajukan' }).click();
      await row(op).getByText('Diajukan', { exact: true }).waitFor();
    });

    await step('the coordinator approves it and the indicator shows the value, with its history', async () => {
      await cp.reload();
      await settled(cp);
      expect((await cp.getByTestId('ind-latest').innerText()).trim() !== '42', 'a value counted before approval');
      await row(cp).getByRole('button', { name: 'Setujui' }).click();
      await row(cp).getByText('Disetujui', { exact: true }).waitFor();
      await cellRow(cp).getByRole('button', { name: 'Setujui' }).click();
      await cellRow(cp).getByText('Disetujui', { exact: true }).waitFor();
      await cp.waitForFunction(() => document.querySelector('[data-testid=ind-latest]')?.textContent?.trim() === '42');
      const history = await row(cp).innerText();
      expect(/Diisi oleh/.test(history) && /Diajukan oleh/.test(history) && /Disetujui oleh/.test(history), `history incomplete: ${history}`);
      expect(!(await row(cp).getByRole('button', { name: 'Ubah' }).count()), 'an approved value can still be edited');
      await noRawKeys(cp, 'the indicator page (coordinator)');
      await cp.screenshot({ path: path.join(opts.outDir, 'coordinator-approved.png'), fullPage: true });
      const values = await api('GET', `/api/v1/orgs/demo/indicators/${indicator.id}/values`);
      const q3 = values.periods.find((p) => p.period === '2026-Q3');
      expect(q3 && q3.value === 42, `the server's values: ${JSON.stringify(q3)}`);
      const breakdown = await cp.locator('.card', { has: cp.locator('h3', { hasText: 'dusun' }) }).innerText();
      expect(/Dusun 1\s+30/.test(breakdown), `the breakdown does not show Dusun 1 = 30: ${breakdown}`);
    });
    await step('a breakdown by area shows the dusun names, not their codes', async () => {
      // The demo's survey indicators are disaggregated by dusun (area codes like 53.02.03.2003.01).
      const programs = await api('GET', '/api/v1/orgs/demo/programs?limit=100');
      let found = null;
      for (const p of programs.items) {
        const inds = await api('GET', `/api/v1/orgs/demo/programs/${p.id}/indicators?limit=100`);
        found = (inds.items ?? []).find((i) => (i.dimensions ?? []).some((d) => d.kind === 'area'));
        if (found) break;
      }
      expect(found, 'the demo has no indicator disaggregated by area');
      const values = await api('GET', `/api/v1/orgs/demo/indicators/${found.id}/values`);
      const dim = found.dimensions.find((d) => d.kind === 'area').name;
      const last = values.periods.filter((p) => p.by_dimension?.[dim]?.length).pop();
      expect(last, 'the demo indicator has no breakdown by area');
      const codes = last.by_dimension[dim].map((r) => r.key).filter(Boolean);
      await cp.goto(`${origin}/o/demo/indicators/${found.id}`);
      await settled(cp);
      const card = cp.locator('.card', { has: cp.locator('h3', { hasText: new RegExp(`^${dim}$`) }) });
      await card.locator('td').first().waitFor();
      await cp.waitForFunction(([d, c]) => {
        const card = [...document.querySelectorAll('.card')].find((x) => x.querySelector('h3')?.textContent?.trim() === d);
        return card && !c.some((code) => card.querySelector('table')?.textContent?.includes(code));
      }, [dim, codes]);
      const text = await card.locator('table').innerText();
      expect(/Dusun|Bosen|Nenas/i.test(text), `no dusun names in the breakdown: ${text}`);
      await cp.screenshot({ path: path.join(opts.outDir, 'breakdown-by-area.png'), fullPage: true });
    });

    await step('the coordinator finds a duplicate participant and merges it, keeping the attendance', async () => {
      const village = (await api('GET', '/api/v1/orgs/demo/areas?q=bosen&limit=1')).items[0];
      const a = await api('POST', '/api/v1/orgs/demo/participants', { name: 'Yohana Taneo', sex: 'female', birth_year: 1992, area_id: village.id, phone: '081234567890' });
      const b = await api('POST', '/api/v1/orgs/demo/participants', { name: 'Yohana Taneo', sex: 'female', birth_year: 1992, area_id: village.id });
      const act = await api('POST', `/api/v1/orgs/demo/programs/${program.id}/activities`, { result_node_id: outcome.id, code: 'A1', title: 'Pelatihan kader', planned_start: '2026-09-01', planned_end: '2026-12-31' });
      const ev = await api('POST', `/api/v1/orgs/demo/activities/${act.id}/events`, { kind: 'training', title: 'Pelatihan hari 1', held_on: '2026-10-05', place: 'Posyandu' });
      await api('POST', `/api/v1/orgs/demo/events/${ev.id}/attendance`, { participant_ids: [b.id] });
      await cp.goto(`${origin}/o/demo/activities`);
      await settled(cp);
      await cp.getByRole('link', { name: 'Daftar peserta dan duplikat' }).click();
      await settled(cp);
      const pair = cp.locator('[data-testid=duplicate-pair]', { hasText: 'Yohana Taneo' });
      await pair.getByText('Nama, tahun lahir dan desa sama').waitFor();
      await noRawKeys(cp, 'the participant register');
      await cp.screenshot({ path: path.join(opts.outDir, 'participant-duplicates.png'), fullPage: true });
      cp.once('dialog', (d) => d.accept());
      // Keep the record with the phone number (the first created); the other's attendance moves to it.
      const keepButtons = pair.getByRole('button', { name: /^Pertahankan Yohana Taneo/ });
      const ids = await pair.locator('li').allInnerTexts();
      const keepIndex = ids.findIndex((x) => !/Kehadiran: 1/.test(x));
      await keepButtons.nth(keepIndex).click();
      await cp.getByText('1 kehadiran dipindahkan').waitFor();
      // The message comes before the register is read again: wait for the pair to go.
      await cp.locator('[data-testid=duplicate-pair]', { hasText: 'Yohana Taneo' }).first()
        .waitFor({ state: 'detached', timeout: 10000 }).catch(() => {});
      expect((await cp.locator('[data-testid=duplicate-pair]', { hasText: 'Yohana Taneo' }).count()) === 0, 'the pair is still listed');
      const kept = await api('GET', `/api/v1/orgs/demo/participants/${a.id}`);
      const gone = await api('GET', `/api/v1/orgs/demo/participants/${b.id}`);
      expect(gone.merged_into === a.id, `the duplicate was not merged into the kept one: ${JSON.stringify(gone)}`);
      expect(kept.phone === '081234567890', 'the kept record lost its phone');
      const att = await api('GET', `/api/v1/orgs/demo/events/${ev.id}/attendance`);
      expect(JSON.stringify(att).includes(a.id), `the attendance did not move: ${JSON.stringify(att)}`);
      await cp.getByLabel('Cari nama peserta').first().fill('Yohana Taneo');
      await cp.waitForFunction(() => {
        const rows = [...document.querySelectorAll('[data-testid=participants] tbody tr')];
        return rows.length > 0 && rows.every((r) => r.textContent.includes('Yohana')) && rows.filter((r) => r.textContent.includes('Yohana Taneo')).length === 1;
      });
    });
    await step('the coordinator edits the whole activity with If-Match and links a budget line', async () => {
      const acts = await api('GET', `/api/v1/orgs/demo/programs/${program.id}/activities`);
      const act = acts.items.find((x) => x.code === 'A1');
      const line = await api('POST', `/api/v1/orgs/demo/programs/${program.id}/budget-lines`, { code: 'B1', name: 'Honor kader', category: 'apbdes_2', funding_source: 'swadaya', planned: [{ period: '2026-10', amount: 1_000_000 }] });
      const members = await api('GET', '/api/v1/orgs/demo/members');
      const officerId = members.items.find((m) => m.email === USERS.officer).id;
      await cp.goto(`${origin}/o/demo/activities/${act.id}`);
      await settled(cp);
      await cp.getByRole('button', { name: 'Ubah kegiatan' }).click();
      const form = cp.getByTestId('activity-edit');
      await form.getByLabel('Judul').fill('Pelatihan kader posyandu');
      await form.getByLabel('Status').selectOption('ongoing');
      await form.getByLabel('Rencana selesai').fill('2027-01-31');
      await form.getByLabel('Penanggung jawab').selectOption(officerId);
      await form.getByLabel('Sasaran perempuan').fill('20');
      await form.getByLabel('Sasaran laki-laki').fill('5');
      await form.getByLabel('Jumlah orang yang disasar').fill('30');
      await form.getByLabel(/Honor kader/).check();
      await noRawKeys(cp, 'the activity edit form');
      await form.getByRole('button', { name: 'Simpan' }).click();
      await cp.getByRole('heading', { name: /Pelatihan kader posyandu/ }).waitFor();
      await cp.getByText('30 orang disasar (perempuan 20, laki-laki 5)').waitFor();
      const after = await api('GET', `/api/v1/orgs/demo/activities/${act.id}`);
      expect(after.status === 'ongoing' && after.planned_end === '2027-01-31' && after.responsible_user?.id === officerId, `activity not saved: ${JSON.stringify(after)}`);
      expect(after.people_targeted_female === 20 && after.people_targeted_male === 5 && after.people_targeted === 30, `targets not saved: ${JSON.stringify(after)}`);
      expect(after.version === act.version + 1, 'the activity was not updated exactly once');
      const l = await api('GET', `/api/v1/orgs/demo/budget-lines/${line.id}`);
      expect(l.activity_id === act.id, 'the budget line is not linked');
      // A second tab's stale copy is refused with 412 and says so.
      await api('PATCH', `/api/v1/orgs/demo/activities/${act.id}`, { title: 'Pelatihan kader posyandu (revisi)' }, { 'If-Match': `"v${after.version}"` });
      await cp.getByRole('button', { name: 'Ubah kegiatan' }).click();
      await form.getByLabel('Judul').fill('Judul usang');
      await form.getByRole('button', { name: 'Simpan' }).click();
      await form.getByRole('alert').filter({ hasText: 'diubah orang lain' }).waitFor();
      await cp.screenshot({ path: path.join(opts.outDir, 'activity-edit.png'), fullPage: true });
    });
    await step('the coordinator attaches a receipt to an expenditure and downloads it', async () => {
      const lines = await api('GET', `/api/v1/orgs/demo/programs/${program.id}/budget-lines`);
      const line = lines.items.find((l) => l.code === 'B1');
      await api('POST', `/api/v1/orgs/demo/budget-lines/${line.id}/expenditures`, { spent_on: '2026-10-06', amount: 250_000, payee: 'Kader posyandu', description: 'Honor pelatihan' });
      await cp.goto(`${origin}/o/demo/programs/${program.id}/budget`);
      await settled(cp);
      const cell = cp.locator('tr', { hasText: 'Kader posyandu' }).getByTestId('receipt');
      await cell.getByText('Belum ada bukti').waitFor();
      const content = Buffer.from('%PDF-1.4\n% kuitansi honor kader\n%%EOF\n');
      await cell.getByLabel('Unggah bukti (foto atau PDF)').setInputFiles({ name: 'kuitansi-honor.pdf', mimeType: 'application/pdf', buffer: content });
      await cell.getByRole('link', { name: 'kuitansi-honor.pdf' }).waitFor();
      await noRawKeys(cp, 'the budget page');
      await cp.screenshot({ path: path.join(opts.outDir, 'budget-receipt.png'), fullPage: true });
      const [download] = await Promise.all([cp.waitForEvent('download'), cell.getByRole('link', { name: 'kuitansi-honor.pdf' }).click()]);
      const saved = path.join(opts.outDir, 'downloaded-receipt.pdf');
      await download.saveAs(saved);
      expect(download.suggestedFilename() === 'kuitansi-honor.pdf', `downloaded as ${download.suggestedFilename()}`);
      expect(fs.readFileSync(saved).equals(content), 'the downloaded receipt differs from the uploaded one');
    });
    await step('the new screens show no untranslated key in English', async () => {
      await cp.selectOption('[data-testid=language]', 'en');
      const acts = await api('GET', `/api/v1/orgs/demo/programs/${program.id}/activities`);
      for (const [where, url] of [
        ['the manual indicator', `/o/demo/indicators/${indicator.id}`],
        ['the participant register', '/o/demo/participants'],
        ['the activity', `/o/demo/activities/${acts.items[0].id}`],
        ['the budget', `/o/demo/programs/${program.id}/budget`],
      ]) {
        await cp.goto(origin + url);
        await settled(cp);
        if (where === 'the manual indicator') await cp.getByText('Values entered by hand').waitFor();
        if (where === 'the activity') await cp.getByRole('button', { name: 'Edit activity' }).click();
        if (where === 'the participant register') await cp.getByText('Possible duplicates').waitFor();
        await noRawKeys(cp, `${where} (en)`);
      }
      await cp.getByRole('columnheader', { name: 'Receipt' }).waitFor();
    });
    expect(pageErrors.length === 0, `errors in the page: ${pageErrors.join(' | ')}`);
  } finally {
    await browser.close();
    server.stop();
  }
}

main().then(
  () => console.log('manual_entry: all steps passed'),
  () => (process.exitCode = 1),
);
