// Names of Indonesia's regions from their codes ("53.03.10.2005" → "Bosen"), for breakdowns by
// area, which the values API keys by code. The areas API lists children by parent, so a code is
// found by walking down its prefixes ("53", "53.03", …); each parent's children are fetched once.
import { api, orgPath, type Page } from '@/api/client'

interface AreaRow {
  id: string
  code: string | null
  name: string
}

const children = new Map<string, Promise<AreaRow[]>>()

function childrenOf(org: string, parent: string | null): Promise<AreaRow[]> {
  const key = `${org}|${parent ?? ''}`
  let p = children.get(key)
  if (!p) {
    p = api.get<Page<AreaRow>>(orgPath(org, '/areas'), parent ? { parent } : {}).then((r) => r.items)
    // A failed request is not remembered, so the next breakdown tries again.
    p.catch(() => children.delete(key))
    children.set(key, p)
  }
  return p
}

async function nameOf(org: string, code: string): Promise<string | null> {
  const parts = code.split('.')
  let parent: string | null = null
  let found: AreaRow | undefined
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join('.')
    found = (await childrenOf(org, parent)).find((a) => a.code === prefix)
    if (!found) return null
    parent = found.id
  }
  return found?.name ?? null
}

/** code → name for the codes that are known areas; unknown ones are left out. */
export async function areaNames(org: string, codes: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  await Promise.all(
    [...new Set(codes.filter((c) => /^\d+(\.\d+)*$/.test(c)))].map(async (c) => {
      const n = await nameOf(org, c).catch(() => null)
      if (n) out.set(c, n)
    }),
  )
  return out
}
