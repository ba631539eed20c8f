// The forms a field officer fills, kept in IndexedDB with their XForm and media so they open
// without a connection. Online, every open form is refreshed when its version changed.
import { api, ApiError, orgPath } from '@/api/client'
import { offlineDb, formKey, type CachedForm } from './db'

export interface FormSummary {
  id: string
  xml_form_id: string
  title: string
  state: string
  published: { version: string } | null
}

const getOk = (path: string): Promise<Response> => api.send('GET', path)

// Downloads the XForm and media of one published form into the cache (when its version changed).
export async function cacheForm(org: string, form: FormSummary): Promise<CachedForm> {
  if (!form.published) throw new Error('the form is not published')
  const db = await offlineDb()
  const key = formKey(org, form.id)
  const cached = await db.get('forms', key)
  if (cached && cached.version === form.published.version) return cached
  const base = `${orgPath(org)}/forms/${encodeURIComponent(form.id)}`
  const xform = await (await getOk(`${base}/xform`)).text()
  const media = ((await (await getOk(`${base}/media`)).json()) as { items: { name: string }[] }).items.map((m) => m.name)
  for (const name of media) {
    const blob = await (await getOk(`${base}/media/${encodeURIComponent(name)}`)).blob()
    await db.put('media', { key: `${key}/${name}`, blob })
  }
  const entry: CachedForm = {
    key,
    org,
    formId: form.id,
    title: form.title,
    version: form.published.version,
    xform,
    media,
    fetchedAt: new Date().toISOString(),
  }
  await db.put('forms', entry)
  return entry
}

// Keeps every open (or closing) published form of the organisation available offline, and
// drops those that were closed or archived. Failures leave the cache as it was.
export async function cacheOpenForms(org: string): Promise<CachedForm[]> {
  const res = await getOk(`${orgPath(org)}/forms`)
  const forms = ((await res.json()) as { items: FormSummary[] }).items
  const fillable = forms.filter((f) => f.published && (f.state === 'open' || f.state === 'closing'))
  const kept: CachedForm[] = []
  for (const f of fillable) kept.push(await cacheForm(org, f))
  const db = await offlineDb()
  const keep = new Set(kept.map((k) => k.key))
  for (const old of await db.getAllFromIndex('forms', 'byOrg', org)) {
    if (!keep.has(old.key)) await db.delete('forms', old.key)
  }
  return kept
}

export async function cachedForms(org: string): Promise<CachedForm[]> {
  const db = await offlineDb()
  const all = await db.getAllFromIndex('forms', 'byOrg', org)
  return all.sort((a, b) => a.title.localeCompare(b.title))
}

// The form to fill: fresh from the server when it answers, else the cached copy.
export async function formForFilling(org: string, formId: string): Promise<{ form: CachedForm; offline: boolean }> {
  try {
    const summary = (await (await getOk(`${orgPath(org)}/forms/${encodeURIComponent(formId)}`)).json()) as FormSummary
    return { form: await cacheForm(org, summary), offline: false }
  } catch (e) {
    // Only a missing connection (or a server that is away) falls back to the stored copy.
    if (!(e instanceof ApiError) || (e.status !== 0 && e.status < 500)) throw e
    const db = await offlineDb()
    const cached = await db.get('forms', formKey(org, formId))
    if (cached) return { form: cached, offline: true }
    throw e
  }
}

// A form's media file (jr://images/x.png) from the cache, else from the server.
export async function formMedia(org: string, formId: string, name: string): Promise<Response> {
  const db = await offlineDb()
  const hit = await db.get('media', `${formKey(org, formId)}/${name}`)
  if (hit) return new Response(hit.blob, { status: 200, headers: { 'Content-Type': hit.blob.type } })
  return mediaResponse(`${orgPath(org)}/forms/${encodeURIComponent(formId)}/media/${encodeURIComponent(name)}`)
}

// The engine wants a Response either way: a missing file (404) loads as blank, it is not an error.
export async function mediaResponse(path: string): Promise<Response> {
  try {
    return await api.send('GET', path)
  } catch (e) {
    if (e instanceof ApiError) return new Response(null, { status: e.status || 503 })
    throw e
  }
}
