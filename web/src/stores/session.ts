// Who is signed in, in which organisation, with which CSRF token. The cookie itself is HttpOnly:
// the app only learns about the session through /api/v1/me.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api, ApiError, setCsrfToken } from '@/api/client'
import type { Me, OrgMembership, Role } from '@/api/types'

const ORG_KEY = 'gotong.org'
const ME_KEY = 'gotong.me'

function rememberedMe(): Me | null {
  try {
    return JSON.parse(localStorage.getItem(ME_KEY) ?? 'null') as Me | null
  } catch {
    return null
  }
}

export const useSession = defineStore('session', () => {
  const me = ref<Me | null>(null)
  const checked = ref(false)
  const currentSlug = ref<string | null>(localStorage.getItem(ORG_KEY))

  const org = computed<OrgMembership | null>(() => {
    const orgs = me.value?.organisations ?? []
    return orgs.find((o) => o.slug === currentSlug.value) ?? orgs[0] ?? null
  })
  const role = computed<Role | null>(() => org.value?.role ?? null)
  /** Coordinators and admins shape programs; others read (partners only what is shared). */
  const canManage = computed(() => role.value === 'admin' || role.value === 'coordinator')
  const isAdmin = computed(() => role.value === 'admin')
  const canCollect = computed(() => canManage.value || role.value === 'field_officer')

  function accept(m: Me) {
    me.value = m
    // Remembered for a reload without a connection: a field officer keeps filling forms offline.
    localStorage.setItem(ME_KEY, JSON.stringify({ ...m, csrf_token: undefined }))
    if (m.csrf_token) setCsrfToken(m.csrf_token)
  }

  /** Asks the server once whether a session cookie is already there. */
  async function restore(): Promise<boolean> {
    if (checked.value) return me.value !== null
    try {
      accept(await api.get<Me>('/api/v1/me'))
    } catch (e) {
      if (!(e instanceof ApiError) || (e.status !== 401 && e.status !== 0)) throw e
      me.value = e.status === 0 ? rememberedMe() : null
    } finally {
      checked.value = true
    }
    return me.value !== null
  }

  async function login(email: string, password: string) {
    accept(await api.post<Me>('/api/v1/auth/login', { email, password }))
    checked.value = true
  }

  async function logout() {
    try {
      await api.post('/api/v1/auth/logout')
    } finally {
      forget()
    }
  }

  /** Drops local knowledge of the session (after logout or a 401). */
  function forget() {
    me.value = null
    localStorage.removeItem(ME_KEY)
    setCsrfToken('')
  }

  function selectOrg(slug: string) {
    currentSlug.value = slug
    localStorage.setItem(ORG_KEY, slug)
  }

  return { me, checked, org, role, canManage, isAdmin, canCollect, restore, login, logout, forget, selectOrg }
})
