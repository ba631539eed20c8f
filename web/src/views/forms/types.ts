// Shapes of the forms API (docs/openapi.json: /api/v1/orgs/{org}/forms...).
export type FormState = 'draft' | 'open' | 'closing' | 'closed' | 'archived'

export interface FormVersion {
  id: string
  version: string
  status: 'draft' | 'published' | 'superseded' | string
  file: string
  hash: string
  warnings: string[]
  created_at: string
  published_at: string | null
}

export interface Form {
  id: string
  xml_form_id: string
  title: string
  state: FormState
  version: number
  published: FormVersion | null
  draft: FormVersion | null
  created_at: string
  updated_at: string
}

export type Localized = Record<string, string>

export interface FieldChoice {
  value: string
  label?: Localized
}

export interface FormFieldDef {
  path: string
  name: string
  kind: 'field' | 'group' | 'repeat' | string
  type?: string
  control?: string
  label?: Localized
  hint?: Localized
  required?: string
  relevant?: string
  constraint?: string
  calculate?: string
  readonly?: string
  choices?: FieldChoice[]
}

export interface FormFields {
  form_id: string
  version: string
  title: string
  languages: string[]
  default_language: string
  fields: FormFieldDef[]
}

export interface MediaFile {
  name: string
  content_type: string
  size: number
  hash: string
}
