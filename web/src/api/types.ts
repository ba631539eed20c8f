// Shapes of the API answers the screens use (see docs/openapi.json). Ids are strings.
export type Role = 'admin' | 'coordinator' | 'field_officer' | 'partner' | 'viewer'

export interface OrgMembership {
  id: string
  slug: string
  name: string
  role: Role
}

export interface Me {
  id: string
  email: string
  name: string
  language: string
  organisations: OrgMembership[]
  csrf_token?: string
}
