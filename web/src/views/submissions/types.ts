// Shapes of the submissions API (docs/openapi.json: /api/v1/orgs/{org}/submissions...).
export type ReviewState = 'received' | 'has_issues' | 'approved' | 'rejected'
export const REVIEW_STATES: ReviewState[] = ['received', 'has_issues', 'approved', 'rejected']

export interface Person {
  id: string
  name: string
}

export interface Issue {
  path: string
  rule: 'required' | 'constraint' | 'type' | 'choice' | string
  message: string
}

export interface Submission {
  id: string
  form_id: string
  form_version: string
  instance_id: string
  current_instance_id: string
  instance_name: string
  state: ReviewState
  source: string
  device_id: string
  submitter: Person | null
  area_code: string | null
  issues: Issue[]
  attachments_expected: number
  attachments_present: number
  submitted_at: string
  updated_at: string
  deleted_at: string | null
  version: number
}

export interface Comment {
  id: string
  author: Person | null
  body: string
  created_at: string
}

export interface Edit {
  id: string
  instance_id: string
  reason: string
  edited_by: Person | null
  edited_at: string
  issue_count: number
}

export interface Attachment {
  name: string
  content_type: string
  size: number
  sha256: string
}

export type AnswerValue = string | number | boolean | null | AnswerValue[] | { [k: string]: AnswerValue }

export interface SubmissionDetail extends Submission {
  xml: string
  answers: Record<string, AnswerValue>
  attachments: Attachment[]
  comments: Comment[]
  edits: Edit[]
}
