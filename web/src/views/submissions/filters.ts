// The submissions filters as they live in the URL (shareable, kept by the back button), and
// their translation into the API's query parameters.
import type { LocationQuery } from 'vue-router'

export interface Filters {
  form: string
  states: string[]
  from: string // YYYY-MM-DD, local calendar day
  to: string // YYYY-MM-DD, inclusive
  area: string
  submitter: string
  fieldName: string
  fieldValue: string
  deleted: boolean
}

const one = (v: LocationQuery[string]) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')) as string

export function filtersFromQuery(q: LocationQuery): Filters {
  return {
    form: one(q.form),
    states: one(q.state).split(',').filter(Boolean),
    from: one(q.from),
    to: one(q.to),
    area: one(q.area),
    submitter: one(q.submitter),
    fieldName: one(q.field),
    fieldValue: one(q.value),
    deleted: one(q.deleted) === 'true',
  }
}

export function filtersToQuery(f: Filters): Record<string, string> {
  const q: Record<string, string> = {}
  if (f.form) q.form = f.form
  if (f.states.length) q.state = f.states.join(',')
  if (f.from) q.from = f.from
  if (f.to) q.to = f.to
  if (f.area) q.area = f.area
  if (f.submitter) q.submitter = f.submitter
  if (f.fieldName && f.fieldValue) {
    q.field = f.fieldName
    q.value = f.fieldValue
  }
  if (f.deleted) q.deleted = 'true'
  return q
}

// The start of a local calendar day as an ISO-8601 UTC instant.
function dayStart(day: string, plusDays = 0): string {
  const [y, m, d] = day.split('-').map(Number)
  return new Date(y, m - 1, d + plusDays).toISOString()
}

// Query parameters of GET /submissions and of the exports (which take the same state/from/to).
export function apiParams(f: Filters, forExport = false): Record<string, string> {
  const p: Record<string, string> = {}
  if (f.states.length) p.state = f.states.join(',')
  if (f.from) p.from = dayStart(f.from)
  if (f.to) p.to = dayStart(f.to, 1) // "to" is exclusive on the server; the day picked is included
  if (f.submitter) p.submitter = f.submitter
  if (forExport) return p
  if (f.form) p.form = f.form
  if (f.area) p.area = f.area
  if (f.fieldName && f.fieldValue) p[`field.${f.fieldName}`] = f.fieldValue
  if (f.deleted) p.deleted = 'true'
  return p
}
