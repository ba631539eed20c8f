export interface Activity {
  id: string
  program_id: string
  result_node: { id: string; tier_name: string; code: string; title: string }
  code: string
  title: string
  description: string
  status: string
  planned_start: string
  planned_end: string
  actual_start: string | null
  actual_end: string | null
  responsible_user: { id: string; name: string } | null
  area: { id: string; name: string } | null
  event_count: number
  people_targeted: number | null
  version: number
}

export interface EventItem {
  id: string
  activity_id: string
  activity_title: string
  program_id: string
  kind: string
  title: string
  held_on: string
  place: string
  notes: string
  attendance_count: number
  version: number
}

export interface Participant {
  id: string
  name: string
  sex: 'female' | 'male'
  birth_year: number | null
  area: { name: string } | null
  phone: string
  disability: string
}

export const ACTIVITY_STATUSES = ['planned', 'ongoing', 'done', 'cancelled', 'postponed']
export const EVENT_KINDS = ['training', 'meeting', 'distribution', 'musyawarah', 'other']
