// The outbox: every submission made in the browser is first stored here (IndexedDB), then sent.
// Sending is retried until the server has it; the server deduplicates by instanceID, so a retry
// after a lost answer never makes a second copy. State is shown in the outbox view.
import { ref, computed } from 'vue'
import { api, ApiError, orgPath, setCsrfToken } from '@/api/client'
import type { Me } from '@/api/types'
import { offlineDb, type OutboxFile, type OutboxItem } from './db'
import { instanceFacts, withoutDeprecatedId } from './instance'

const SENT_KEPT_DAYS = 14 // sent items stay listed this long, then are pruned
const RETRY_EVERY_MS = 30_000

export const outboxItems = ref<OutboxItem[]>([])
export const outboxSending = ref(false)
export const outboxWaiting = computed(
  () => outboxItems.value.filter((i) => i.state === 'pending' || i.state === 'failed' || i.state === 'sending').length,
)
export const outboxRejected = computed(() => outboxItems.value.filter((i) => i.state === 'rejected').length)

export async function refreshOutbox(): Promise<void> {
  const db = await offlineDb()
  const all = await db.getAll('outbox')
  const cutoff = Date.now() - SENT_KEPT_DAYS * 86_400_000
  const kept: OutboxItem[] = []
  for (const item of all) {
    if (item.state === 'sent' && Date.parse(item.lastAttemptAt ?? item.createdAt) < cutoff) {
      await db.delete('outbox', item.instanceId)
    } else {
      kept.push(item)
    }
  }
  kept.sort((a, b) => b.createdAt.localeCompare(a.createdAt))
  outboxItems.value = kept
}

export interface NewSubmission {
  org: string
  userId: string
  formId: string
  formTitle: string
  xml: string
  files?: OutboxFile[]
}

// Stores the submission (durably, before anything is sent) and starts sending. Returns the
// stored item. The same instanceID stored twice stays one item.
export async function enqueueSubmission(s: NewSubmission): Promise<OutboxItem> {
  const xml = withoutDeprecatedId(s.xml)
  const { instanceId, instanceName } = instanceFacts(xml)
  const db = await offlineDb()
  const existing = await db.get('outbox', instanceId)
  const item: OutboxItem = existing ?? {
    instanceId,
    org: s.org,
    userId: s.userId,
    formId: s.formId,
    formTitle: s.formTitle,
    instanceName,
    xml,
    files: s.files ?? [],
    createdAt: new Date().toISOString(),
    state: 'pending',
    attempts: 0,
    lastAttemptAt: null,
    lastError: null,
    submissionId: null,
  }
  if (!existing) await db.put('outbox', item)
  await refreshOutbox()
  void flushOutbox()
  return item
}

async function update(instanceId: string, change: Partial<OutboxItem>): Promise<void> {
  const db = await offlineDb()
  const tx = db.transaction('outbox', 'readwrite')
  const item = await tx.store.get(instanceId)
  if (item) await tx.store.put({ ...item, ...change })
  await tx.done
}

type SendOutcome = 'sent' | 'rejected' | 'retry' | 'offline' | 'signed-out'

// Who is signed in, with a fresh CSRF token (the one the page started with may be from before a
// reload offline, or from an earlier session). Null when nobody is signed in.
async function currentUser(): Promise<Me | null> {
  try {
    const me = await api.get<Me>('/api/v1/me')
    setCsrfToken(me.csrf_token ?? '')
    return me
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null
    throw e
  }
}

function describe(e: ApiError): string {
  const fields = e.errors.map((f) => `${f.field}: ${f.message}`).join('; ')
  return [e.detail || e.title || `HTTP ${e.status}`, fields].filter(Boolean).join(' — ')
}

async function sendOne(item: OutboxItem): Promise<SendOutcome> {
  await update(item.instanceId, { state: 'sending', attempts: item.attempts + 1, lastAttemptAt: new Date().toISOString() })
  const path = orgPath(item.org, `/forms/${encodeURIComponent(item.formId)}/submissions`)
  let body: Blob | FormData
  if (item.files.length === 0) {
    body = new Blob([item.xml], { type: 'application/xml' })
  } else {
    body = new FormData()
    body.append('xml_submission_file', new Blob([item.xml], { type: 'application/xml' }), 'submission.xml')
    for (const f of item.files) body.append(f.name, f.blob, f.name)
  }
  try {
    const res = await api.send('POST', path, { body })
    let submissionId: string | null = null
    try {
      submissionId = ((await res.json()) as { id?: string }).id ?? null
    } catch {
      // the server has it; the id only makes a link in the outbox
    }
    await update(item.instanceId, { state: 'sent', lastError: null, submissionId })
    return 'sent'
  } catch (e) {
    if (!(e instanceof ApiError)) throw e
    if (e.offline) {
      await update(item.instanceId, { state: 'failed', lastError: null })
      return 'offline'
    }
    if (e.status === 401) {
      await update(item.instanceId, { state: 'pending', lastError: describe(e) })
      return 'signed-out'
    }
    // Busy, restarting or a proxy timeout: worth another try later. Anything else the server
    // refused for good (a closed form, other content under the same instanceID).
    const retryable = e.status >= 500 || e.status === 408 || e.status === 429
    await update(item.instanceId, { state: retryable ? 'failed' : 'rejected', lastError: describe(e) })
    return retryable ? 'retry' : 'rejected'
  }
}

let flushing: Promise<void> | null = null

async function flushNow(): Promise<void> {
  const db = await offlineDb()
  // 'sending' left behind by a closed tab is sent again: the server keeps one copy per instanceID.
  const waiting = (await db.getAll('outbox')).filter((i) => i.state === 'pending' || i.state === 'failed' || i.state === 'sending')
  if (waiting.length === 0) return
  let me: Me | null
  try {
    me = await currentUser()
  } catch {
    return // offline or the server is away: the next 'online' event or timer tries again
  }
  if (me === null) return // signed out: sent after the next sign-in
  // On a shared device, what someone else collected waits for their own sign-in: the server
  // records whoever sends it as the submitter.
  const signedIn = me.id
  const due = waiting.filter((i) => !i.userId || i.userId === signedIn)
  due.sort((a, b) => a.createdAt.localeCompare(b.createdAt))
  outboxSending.value = true
  try {
    for (const item of due) {
      const outcome = await sendOne(item)
      await refreshOutbox()
      if (outcome === 'offline' || outcome === 'signed-out') break
    }
  } finally {
    outboxSending.value = false
  }
}

// Sends what is waiting; one flush at a time in this tab, and one across tabs when the browser
// has Web Locks (without them two tabs may both send an item: the server still keeps one).
export function flushOutbox(): Promise<void> {
  if (flushing) return flushing
  const run = async () => {
    try {
      if ('locks' in navigator) await navigator.locks.request('gotong-outbox', () => flushNow())
      else await flushNow()
    } finally {
      flushing = null
      await refreshOutbox()
    }
  }
  flushing = run()
  return flushing
}

export async function retryItem(instanceId: string): Promise<void> {
  await update(instanceId, { state: 'pending', lastError: null })
  await refreshOutbox()
  await flushOutbox()
}

export async function discardItem(instanceId: string): Promise<void> {
  const db = await offlineDb()
  await db.delete('outbox', instanceId)
  await refreshOutbox()
}

let started = false

// Called once when the app starts: loads the outbox, sends on reconnection, and retries on a timer.
export function startOutbox(): void {
  if (started) return
  started = true
  // Ask the browser not to evict this origin's storage under pressure: the outbox may hold the
  // only copy of a day's work. Best effort; browsers decide by their own rules.
  void navigator.storage?.persist?.().catch(() => false)
  void refreshOutbox().then(() => flushOutbox())
  window.addEventListener('online', () => void flushOutbox())
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void flushOutbox()
  })
  setInterval(() => {
    if (navigator.onLine && outboxWaiting.value > 0) void flushOutbox()
  }, RETRY_EVERY_MS)
}
