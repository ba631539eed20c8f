#!/usr/bin/env node
// Prints the gzip size of the JavaScript and CSS a browser fetches for the first screens: the
// entry with its static imports, plus the lazy chunks of the login, app shell and home routes.
// Reads dist/.vite/manifest.json, so run `npm run build` first. Exits 1 above the budget.
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const dist = join(root, 'dist')
const budgetKb = Number(process.env.GOTONG_JS_BUDGET_KB ?? 250)
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'))

const screens = {
  login: ['src/views/LoginView.vue'],
  home: ['src/components/AppShell.vue', 'src/views/home/HomeView.vue'],
}

function closure(keys) {
  const seen = new Set()
  const walk = (k) => {
    if (seen.has(k) || !manifest[k]) return
    seen.add(k)
    for (const i of manifest[k].imports ?? []) walk(i)
  }
  keys.forEach(walk)
  return seen
}

function size(file) {
  const buf = readFileSync(join(dist, file))
  return { raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length }
}

const entry = Object.keys(manifest).find((k) => manifest[k].isEntry)
if (!entry) throw new Error('no entry in the manifest')
const kb = (n) => (n / 1024).toFixed(1).padStart(7)
let worst = 0
for (const [name, keys] of Object.entries(screens)) {
  for (const k of keys) if (!manifest[k]) throw new Error(`${k} is not in the build manifest`)
  const chunks = closure([entry, ...keys])
  let js = 0
  let jsRaw = 0
  let css = 0
  console.log(`\n${name}: first screen after ${name === 'login' ? 'opening the app' : 'signing in'}`)
  const files = new Set()
  for (const k of chunks) {
    const c = manifest[k]
    files.add(c.file)
    for (const f of c.css ?? []) files.add(f)
  }
  for (const f of [...files].sort()) {
    const s = size(f)
    if (f.endsWith('.js')) {
      js += s.gzip
      jsRaw += s.raw
    } else css += s.gzip
    console.log(`  ${kb(s.gzip)} KB gzip  ${kb(s.raw)} KB  ${f}`)
  }
  console.log(`  = JavaScript ${kb(js).trim()} KB gzip (${kb(jsRaw).trim()} KB raw), CSS ${kb(css).trim()} KB gzip`)
  worst = Math.max(worst, js)
}
console.log(`\nbudget: ${budgetKb} KB of JavaScript (gzip) for the first screen; largest: ${(worst / 1024).toFixed(1)} KB`)
if (worst > budgetKb * 1024) {
  console.error('over budget')
  process.exit(1)
}
