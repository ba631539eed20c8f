// Flattens the /forms/{id}/fields tree into pickable fields, labelled in the user's language.
export interface FormFieldNode {
  path: string
  name: string
  kind: 'field' | 'group' | 'repeat'
  type?: string
  label?: Record<string, string>
  choices?: { value: string; label?: Record<string, string> }[]
  children?: FormFieldNode[]
}

export interface FormFields {
  form_id: string
  title: string
  languages: string[]
  default_language: string
  fields: FormFieldNode[]
}

export interface PickField {
  name: string
  type: string
  label: string
  repeat: string | null
  choices: { value: string; label: string }[]
}

/** The form language matching the app's language ("English (en)" for en), else the default. */
export function pickLanguage(ff: FormFields, locale: string): string {
  return ff.languages.find((l) => l.endsWith(`(${locale})`)) ?? ff.default_language ?? ff.languages[0] ?? ''
}

function text(label: Record<string, string> | undefined, lang: string): string {
  if (!label) return ''
  const raw = label[lang] ?? Object.values(label)[0] ?? ''
  return raw.replace(/\*\*/g, '').replace(/<[^>]+>/g, '')
}

export function flatten(ff: FormFields, locale: string): { fields: PickField[]; repeats: { name: string; label: string }[] } {
  const lang = pickLanguage(ff, locale)
  const fields: PickField[] = []
  const repeats: { name: string; label: string }[] = []
  const walk = (ns: FormFieldNode[], repeat: string | null) => {
    for (const n of ns) {
      if (n.kind === 'repeat') {
        repeats.push({ name: n.name, label: text(n.label, lang) || n.name })
        walk(n.children ?? [], n.name)
      } else if (n.kind === 'group') {
        walk(n.children ?? [], repeat)
      } else if (n.type !== 'binary' && n.name !== 'meta' && n.name !== 'instanceID') {
        fields.push({
          name: n.name,
          type: n.type ?? 'string',
          label: text(n.label, lang) || n.name,
          repeat,
          choices: (n.choices ?? []).map((c) => ({ value: c.value, label: text(c.label, lang) || c.value })),
        })
      }
    }
  }
  walk(ff.fields, null)
  return { fields, repeats }
}
