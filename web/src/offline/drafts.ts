// Drafts: the instance being filled is saved to IndexedDB as the user types, so closing the tab
// (or the phone killing it) loses nothing; it is offered again when the form is opened.
import { offlineDb, formKey, type Draft } from './db'

export async function saveDraft(org: string, formId: string, xml: string): Promise<void> {
  const db = await offlineDb()
  const draft: Draft = { key: formKey(org, formId), org, formId, xml, savedAt: new Date().toISOString() }
  await db.put('drafts', draft)
}

export async function loadDraft(org: string, formId: string): Promise<Draft | undefined> {
  const db = await offlineDb()
  return db.get('drafts', formKey(org, formId))
}

export async function deleteDraft(org: string, formId: string): Promise<void> {
  const db = await offlineDb()
  await db.delete('drafts', formKey(org, formId))
}
