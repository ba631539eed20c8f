// Program, results framework and indicator shapes (docs/openapi.json: Program, ResultNode, Indicator…).
export interface Program {
  id: string
  name: string
  description: string
  start_date: string
  end_date: string
  status: string
  currency: string
  framework_template: string
  tiers: string[]
  areas: { id: string; name: string; full_name: string }[]
  version: number
}

export interface ResultNode {
  id: string
  program_id: string
  parent_id: string | null
  tier: number
  tier_name: string
  code: string
  title: string
  narrative: string
  assumptions: string
  risks: string
  position: number
  version: number
  children: ResultNode[]
}

export interface ResultTree {
  program_id: string
  framework_template: string
  tiers: string[]
  nodes: ResultNode[]
}

export type IndicatorStatus = 'on_track' | 'behind' | 'ahead' | 'no_data' | null

export interface IndicatorPoint {
  period: string
  start: string
  end: string
  value: number | null
  target: number | null
  status: IndicatorStatus
  has_data: boolean
  units: number | null
  count: number | null
  narrative?: string
  by_dimension?: Record<string, { key: string; value: number | null; units: number | null; count: number | null }[]>
  /** Values entered by hand per breakdown cell (indicators entered manually). */
  cells?: { cell: Record<string, string>; value: number | null }[]
}

export interface DashboardRow {
  id: string
  code: string
  title: string
  result_node_id: string
  level: string
  measure: string
  unit_label: string
  source: string
  latest: IndicatorPoint | null
  life_of_program: IndicatorPoint
  status: IndicatorStatus
  needs_recompute: boolean
}

export interface Dashboard {
  program: { id: string; name: string }
  indicators: DashboardRow[]
}

export interface Computation {
  form_id: string
  calculation: string
  unit?: string
  filter?: string
  denominator_filter?: string
  value_field?: string | null
  denominator_field?: string | null
  period_field?: string | null
  include_has_issues?: boolean
}

export interface Dimension {
  name: string
  kind: 'field' | 'age_band' | 'area' | 'list'
  field?: string
  bands?: number[]
  level?: number
  values?: string[]
}

export interface Indicator {
  id: string
  program_id: string
  result_node_id: string
  level: string
  code: string
  title: string
  definition: string
  measure: string
  direction: string
  unit_label: string
  frequency: string
  aggregation: string
  margin_percent: number
  source: string
  computation: Computation | null
  dimensions: Dimension[]
  baselines: { cell?: Record<string, string>; value: number | null; date: string; note?: string }[]
  targets: { period: string; value: number | null }[]
  means_of_verification: string
  computed_at: string | null
  needs_recompute: boolean
  version: number
}

export interface IndicatorValues {
  indicator_id: string
  title: string
  measure: string
  unit_label: string
  calculation: string | null
  baseline: { value: number | null; date: string } | null
  periods: IndicatorPoint[]
  latest: IndicatorPoint | null
  life_of_program: IndicatorPoint
  computed_at: string | null
  needs_recompute: boolean
}
