// Loading state of one screen: loading → data | error, with reload. Errors stay ApiError so the
// screen can show the server's problem text.
import { ref, shallowRef, type Ref } from 'vue'
import { ApiError } from '@/api/client'

export interface Loaded<T> {
  data: Ref<T | null>
  loading: Ref<boolean>
  error: Ref<ApiError | null>
  reload: () => Promise<void>
}

export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e
  return new ApiError(0, { type: 'client', title: 'error', detail: e instanceof Error ? e.message : String(e) })
}

export function useLoad<T>(fn: () => Promise<T>, immediate = true): Loaded<T> {
  const data = shallowRef<T | null>(null) as Ref<T | null>
  const loading = ref(false)
  const error = shallowRef<ApiError | null>(null)
  let seq = 0
  async function reload() {
    const mine = ++seq
    loading.value = true
    error.value = null
    try {
      const v = await fn()
      if (mine === seq) data.value = v
    } catch (e) {
      if (mine === seq) error.value = toApiError(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }
  if (immediate) void reload()
  return { data, loading, error, reload }
}

/** State of a form submission: busy flag and the last problem, for field-level messages. */
export function useAction() {
  const busy = ref(false)
  const error = shallowRef<ApiError | null>(null)
  async function run<T>(fn: () => Promise<T>): Promise<T | undefined> {
    busy.value = true
    error.value = null
    try {
      return await fn()
    } catch (e) {
      error.value = toApiError(e)
      return undefined
    } finally {
      busy.value = false
    }
  }
  return { busy, error, run }
}
