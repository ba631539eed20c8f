// Runs every browser test of the web app in this folder (`*.test.mjs`), one after the other,
// each against its own fresh server (see support.mjs), and prints a summary.
// Usage: node tests/browser/app/run.mjs [--out DIR] [name ...]   (names without .test.mjs)
// CTest runs each file on its own (tests/browser/browser.cmake); this is for running them all.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const out = path.resolve(outAt >= 0 ? args[outAt + 1] : path.join(HERE, 'artifacts'));
const names = args.filter((a, i) => a !== '--out' && (outAt < 0 || i !== outAt + 1));
const all = fs.readdirSync(HERE).filter((f) => f.endsWith('.test.mjs')).map((f) => f.slice(0, -'.test.mjs'.length)).sort();
const chosen = names.length ? names : all;
const failed = [];
for (const name of chosen) {
  if (!all.includes(name)) throw new Error(`no test ${name} (have: ${all.join(', ')})`);
  console.log(`== ${name}`);
  const r = spawnSync(process.execPath, [path.join(HERE, `${name}.test.mjs`), '--out', path.join(out, name)], { stdio: 'inherit' });
  if (r.status !== 0) failed.push(name);
}
console.log(`\n${chosen.length - failed.length} of ${chosen.length} passed${failed.length ? `; failed: ${failed.join(', ')}` : ''}`);
process.exitCode = failed.length ? 1 : 0;
