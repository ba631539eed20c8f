// Bahasa Indonesia is the default; English is the other language. Screens owned by other parts
// of the app add their strings in `src/**/messages.ts` (`export default { id: {...}, en: {...} }`),
// merged here under their own top-level key so no two people edit the same file.
import { createI18n } from 'vue-i18n'
import id from './id'
import en from './en'

export type Locale = 'id' | 'en'
export const LOCALES: Locale[] = ['id', 'en']
const KEY = 'gotong.lang'

type Tree = { [k: string]: string | Tree }
interface ModuleMessages {
  id: Tree
  en: Tree
}

function merge(base: Tree, extra: Tree): Tree {
  const out: Tree = { ...base }
  for (const [k, v] of Object.entries(extra)) {
    const b = out[k]
    out[k] = typeof v === 'object' && typeof b === 'object' ? merge(b, v) : v
  }
  return out
}

const modules = import.meta.glob<{ default: ModuleMessages }>('../**/messages.ts', { eager: true })
let idMessages: Tree = id
let enMessages: Tree = en
for (const m of Object.values(modules)) {
  idMessages = merge(idMessages, m.default.id)
  enMessages = merge(enMessages, m.default.en)
}

function initialLocale(): Locale {
  const saved = localStorage.getItem(KEY)
  if (saved === 'id' || saved === 'en') return saved
  return 'id'
}

/** Keys that were asked for but exist in no language: the browser tests read this list. */
export const missingKeys = new Set<string>()

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  // No fallback: a string missing in English must show up as its key, so tests can catch it.
  fallbackLocale: false,
  missingWarn: false,
  fallbackWarn: false,
  missing: (_locale, key) => {
    missingKeys.add(key)
    return key
  },
  messages: { id: idMessages, en: enMessages },
})

export function setLocale(l: Locale): void {
  i18n.global.locale.value = l
  localStorage.setItem(KEY, l)
  document.documentElement.lang = l
}

export function currentLocale(): Locale {
  return i18n.global.locale.value as Locale
}

export function t(key: string, args?: Record<string, unknown>): string {
  return args ? i18n.global.t(key, args) : i18n.global.t(key)
}
