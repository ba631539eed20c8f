// The browser's own database (IndexedDB, through idb) for everything that must survive a closed
// tab or a lost connection: submissions waiting to be sent (outbox), drafts saved while typing,
// and the forms a field officer may fill offline.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb'

export type OutboxState = 'pending' | 'sending' | 'sent' | 'failed' | 'rejected'

export interface OutboxFile {
  name: string // the file name the XForm refers to (photo.jpg)
  blob: Blob
}

export interface OutboxItem {
  instanceId: string // uuid:..., the server's idempotency key
  org: string
  userId: string // who made it: only that user's session sends it
  formId: string
  formTitle: string
  instanceName: string
  xml: string
  files: OutboxFile[]
  createdAt: string // ISO-8601
  state: OutboxState
  attempts: number
  lastAttemptAt: string | null
  lastError: string | null // the server's problem detail or the network error
  submissionId: string | null // once the server has it
}

export interface Draft {
  key: string // `${org}/${formId}`
  org: string
  formId: string
  xml: string
  savedAt: string
}

export interface CachedForm {
  key: string // `${org}/${formId}`
  org: string
  formId: string
  title: string
  version: string
  xform: string
  media: string[] // names of the form's media files, cached with the form
  fetchedAt: string
}

export interface CachedMedia {
  key: string // `${org}/${formId}/${name}`
  blob: Blob
}

interface GotongOfflineDB extends DBSchema {
  outbox: { key: string; value: OutboxItem; indexes: { byState: OutboxState } }
  drafts: { key: string; value: Draft }
  forms: { key: string; value: CachedForm; indexes: { byOrg: string } }
  media: { key: string; value: CachedMedia }
}

const DB_NAME = 'gotong-offline'

let opened: Promise<IDBPDatabase<GotongOfflineDB>> | null = null

export function offlineDb(): Promise<IDBPDatabase<GotongOfflineDB>> {
  opened ??= openDB<GotongOfflineDB>(DB_NAME, 1, {
    upgrade(db) {
      const outbox = db.createObjectStore('outbox', { keyPath: 'instanceId' })
      outbox.createIndex('byState', 'state')
      db.createObjectStore('drafts', { keyPath: 'key' })
      const forms = db.createObjectStore('forms', { keyPath: 'key' })
      forms.createIndex('byOrg', 'org')
      db.createObjectStore('media', { keyPath: 'key' })
    },
    // Another tab opened a newer version of the app: let it upgrade instead of blocking it.
    blocking() {
      void opened?.then((db) => db.close())
      opened = null
    },
  })
  return opened
}

export const formKey = (org: string, formId: string) => `${org}/${formId}`
