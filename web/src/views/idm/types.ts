// Answers of the village development index (IDM) API.
export interface AreaBrief {
  id: string
  code?: string
  name: string
  full_name?: string
}

export type Status = 'sangat_tertinggal' | 'tertinggal' | 'berkembang' | 'maju' | 'mandiri'

export interface Score {
  indicator: string
  group: 'IKS' | 'IKE' | 'IKL'
  name: string
  name_en: string
  score: number
  note: string
}

export interface GroupIndex {
  index: number | null
  scored: number
  sum: number
  name: string
  name_en: string
}

export interface Assessment {
  id: string
  area: AreaBrief
  year: number
  notes: string
  source: string
  indicators_total: number
  scores?: Score[]
  iks: number | null
  ike: number | null
  ikl: number | null
  idm: number | null
  groups: Record<'IKS' | 'IKE' | 'IKL', GroupIndex>
  status: Status | null
  status_name: string | null
  status_name_en: string | null
  version: number
}

export interface HistoryYear {
  assessment_id: string
  year: number
  iks: number | null
  ike: number | null
  ikl: number | null
  idm: number | null
  status: Status | null
  status_name: string | null
  status_name_en: string | null
  change: { from_year: number; iks: number; ike: number; ikl: number; idm: number } | null
}

export interface History {
  area: AreaBrief
  years: HistoryYear[]
}

export interface WeakItem {
  code: string
  group: string
  dimension: string
  dimension_en: string
  name: string
  name_en: string
  score: number
  note: string
  problems: { link_id: string; id: string; title: string }[]
  programs: { link_id: string; id: string; title: string }[]
}

export interface Weakest {
  assessment_id: string
  year: number
  area: AreaBrief
  items: WeakItem[]
}

/** Upper bounds of each status (Permendesa 2/2016); above the last is Mandiri. */
export const THRESHOLDS: { status: Status; max: number }[] = [
  { status: 'sangat_tertinggal', max: 0.4907 },
  { status: 'tertinggal', max: 0.5989 },
  { status: 'berkembang', max: 0.7072 },
  { status: 'maju', max: 0.8155 },
]
