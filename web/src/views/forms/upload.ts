// Uploading an XLSForm (or XForm) as the draft of its form, and reading the server's refusal:
// every problem comes as `sheet:row:column` (or just `sheet:` / `workbook:`) plus a message.
import { api, orgPath } from '@/api/client'
import type { Form } from './types'

export async function uploadForm(org: string, file: File): Promise<Form> {
  const body = new FormData()
  body.append('file', file, file.name)
  const res = await api.send('POST', orgPath(org, '/forms'), { body })
  return (await res.json()) as Form
}

export interface SheetProblem {
  sheet: string
  row: number | null
  column: string | null // spreadsheet letters: 4 → D
  message: string
}

export function columnLetters(n: number): string {
  let s = ''
  for (let c = n; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s
  return s
}

export function sheetProblem(field: string, message: string): SheetProblem {
  const [sheet = '', row, column] = field.split(':')
  const r = row ? Number.parseInt(row, 10) : NaN
  const c = column ? Number.parseInt(column, 10) : NaN
  return {
    sheet,
    row: Number.isFinite(r) && r > 0 ? r : null,
    column: Number.isFinite(c) && c > 0 ? columnLetters(c) : null,
    message,
  }
}
