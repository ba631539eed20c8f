// Answers of the evaluations API that only this area reads.
export interface AreaBrief {
  id: string
  level: number
  code: string
  name: string
  full_name: string
}

export interface Round {
  form_id: string
  form_title: string
  version_ids: string[]
  from: string | null
  to: string | null
}

export interface Variable {
  id: string
  label: string
  label_en: string
  kind: 'mean' | 'proportion' | 'indicator'
  field: string
  expression: string
  filter: string
  indicator_id: string | null
  unit_label: string
  unit_label_en: string
  desired: 'increase' | 'decrease' | 'none'
}

export interface Criterion {
  criterion: string
  name: string
  name_en: string
  rating: number | null
  rating_label?: string
  rating_label_en?: string
  evidence: string[]
  narrative: string
}

export interface Lesson {
  text: string
  category: string
}

export interface Evaluation {
  id: string
  program_id: string
  program_name: string
  title: string
  description: string
  baseline: Round
  endline: Round
  variables: Variable[]
  treatment_areas: AreaBrief[]
  control_areas: AreaBrief[]
  cluster_level: number | null
  criteria: Criterion[]
  lessons: Lesson[]
  created_at: string
  updated_at: string
  version: number
}

export interface Shortfall {
  key: string
  message: string
  message_en: string
}

export interface Cell {
  n: number
  count?: number
  value: number | null
  ci: [number, number] | null
  shortfall?: Shortfall
}

export interface Change {
  value: number | null
  ci: [number, number] | null
  p_value: number | null
  shortfall?: Shortfall
}

export interface Did {
  estimate: number | null
  ci: [number, number] | null
  p_value: number | null
  clusters?: number
  few_clusters?: boolean
  shortfall?: Shortfall
}

export interface ResultRow {
  variable_id: string
  label: string
  label_en: string
  measure: 'mean' | 'proportion'
  unit: string
  desired: string
  before: Cell
  after: Cell
  change: Change
  control: { before: Cell; after: Cell; change: number | null } | null
  did: Did | null
  sentence: string
  sentence_en: string
}

export interface Results {
  evaluation_id: string
  title: string
  confidence: number
  comparison: boolean
  cluster_level: number | null
  rows: ResultRow[]
}

export interface CriteriaReference {
  criteria: { criterion: string; name: string; name_en: string; question: string; question_en: string }[]
  scale: { rating: number; label: string; label_en: string }[]
}
