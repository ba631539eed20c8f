export interface Problem {
  id: string
  title: string
  description: string
  area: { id: string; name: string } | null
  affected_groups: { name: string; count: number | null }[]
  source: string
  sdg_goals: number[]
  sectors: string[]
  status: string
  has_tree: boolean
  created_at: string
  version: number
}

export interface TreeNode {
  id: string
  parent_id: string | null
  kind: 'core' | 'cause' | 'effect'
  text: string
  objective_text: string
  position?: number
}

export interface Session {
  id: string
  title: string
  description: string
  held_on: string | null
  method: 'scoring' | 'pairwise'
  status: 'draft' | 'closed'
  problems: { id: string; title: string }[]
  criteria: { id: string; key: string; name: string; weight: number }[]
  participants: { participant: string; name: string; entries: number }[]
  version: number
}

export interface Ranking {
  method: string
  participants: number
  complete?: boolean
  pairs_per_participant?: number
  participant_votes?: { participant: string; name: string; votes: number; missing_pairs: { problem_a: string; problem_b: string }[] }[]
  items: {
    rank: number
    problem_id: string
    title: string
    total?: number
    participants?: number
    complete?: boolean
    criteria?: { criterion_id: string; name: string; weight: number; mean: number | null; scores: number; contribution: number }[]
    points?: number
    wins?: number
    ties?: number
    losses?: number
  }[]
}
