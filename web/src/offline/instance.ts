// Facts read from a submission's XML instance (the ODK meta block), and the one change made to
// a restored draft before it is sent.
const META_NS = ['http://openrosa.org/xforms', 'http://www.w3.org/2002/xforms', '']

function parse(xml: string): Document {
  const doc = new DOMParser().parseFromString(xml, 'application/xml')
  if (doc.getElementsByTagName('parsererror').length > 0) throw new Error('the submission is not well-formed XML')
  return doc
}

function metaChild(doc: Document, localName: string): Element | null {
  for (const el of Array.from(doc.getElementsByTagNameNS('*', localName))) {
    const parent = el.parentElement
    if (parent?.localName === 'meta' && META_NS.includes(el.namespaceURI ?? '')) return el
  }
  return null
}

export interface InstanceFacts {
  instanceId: string
  instanceName: string
}

export function instanceFacts(xml: string): InstanceFacts {
  const doc = parse(xml)
  const id = metaChild(doc, 'instanceID')?.textContent?.trim() ?? ''
  if (!id) throw new Error('the submission has no meta/instanceID')
  return { instanceId: id, instanceName: metaChild(doc, 'instanceName')?.textContent?.trim() ?? '' }
}

// A draft is restored into the form engine in "edit" mode, which records the draft's id as
// meta/deprecatedID. The draft was never sent, so the submission is a new one: the server must
// not look for an earlier version to replace.
export function withoutDeprecatedId(xml: string): string {
  const doc = parse(xml)
  const deprecated = metaChild(doc, 'deprecatedID')
  if (!deprecated) return xml
  deprecated.remove()
  return new XMLSerializer().serializeToString(doc)
}

// The instance of an edit: a new meta/instanceID, the one it replaces in meta/deprecatedID (the
// server applies it to the submission whose current instanceID that is).
export function asEditOf(xml: string, currentInstanceId: string): string {
  const doc = parse(xml)
  const id = metaChild(doc, 'instanceID')
  if (!id?.parentElement) throw new Error('the submission has no meta/instanceID')
  id.textContent = `uuid:${crypto.randomUUID()}`
  let deprecated = metaChild(doc, 'deprecatedID')
  if (!deprecated) {
    deprecated = doc.createElementNS(id.namespaceURI, id.prefix ? `${id.prefix}:deprecatedID` : 'deprecatedID')
    id.parentElement.insertBefore(deprecated, id.nextSibling)
  }
  deprecated.textContent = currentInstanceId
  return new XMLSerializer().serializeToString(doc)
}
