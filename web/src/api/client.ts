// The one way the app talks to the server: JSON over fetch with the session cookie, the CSRF
// header on unsafe methods, ETag/If-Match for updates and RFC 9457 problems as typed errors.
export interface FieldError {
  field: string
  message: string
}

/** An RFC 9457 problem answer (or a network failure, status 0) as a throwable value. */
export class ApiError extends Error {
  readonly status: number
  readonly type: string
  readonly title: string
  readonly detail: string
  readonly errors: FieldError[]
  readonly requestId?: string

  constructor(status: number, body: Partial<{ type: string; title: string; detail: string; errors: FieldError[]; request_id: string }>) {
    super(body.detail || body.title || `HTTP ${status}`)
    this.status = status
    this.type = body.type ?? 'about:blank'
    this.title = body.title ?? ''
    this.detail = body.detail ?? ''
    this.errors = Array.isArray(body.errors) ? body.errors : []
    this.requestId = body.request_id
  }

  /** The slug after https://gotong.id/problems/ (e.g. "validation", "conflict"). */
  get kind(): string {
    const i = this.type.lastIndexOf('/')
    return i >= 0 ? this.type.slice(i + 1) : this.type
  }

  get offline(): boolean {
    return this.status === 0
  }

  /** The message the server gave for one field, for showing it next to that control. */
  fieldError(field: string): string | undefined {
    return this.errors.find((e) => e.field === field || e.field.startsWith(field + '.') || e.field.startsWith(field + '['))?.message
  }
}

export interface Page<T> {
  items: T[]
  next_cursor: string | null
}

/** A resource together with the ETag the server sent, to be returned as If-Match. */
export interface Tagged<T> {
  data: T
  etag: string | null
}

type Query = Record<string, string | number | boolean | null | undefined>

let csrfToken = ''
let onUnauthenticated: (() => void) | null = null

export function setCsrfToken(token: string): void {
  csrfToken = token
}

/** Called once when any request answers 401, so the session store can send the user to login. */
export function setUnauthenticatedHandler(fn: () => void): void {
  onUnauthenticated = fn
}

export function buildUrl(path: string, query?: Query): string {
  if (!query) return path
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue
    q.set(k, String(v))
  }
  const s = q.toString()
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path
}

export interface RequestOptions {
  query?: Query
  body?: unknown
  ifMatch?: string | null
  headers?: Record<string, string>
  signal?: AbortSignal
}

async function send(method: string, path: string, opts: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers }
  let body: BodyInit | undefined
  if (opts.body instanceof FormData || opts.body instanceof Blob) {
    body = opts.body
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(opts.body)
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken
  if (opts.ifMatch) headers['If-Match'] = opts.ifMatch
  let res: Response
  try {
    res = await fetch(buildUrl(path, opts.query), { method, headers, body, credentials: 'same-origin', signal: opts.signal })
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e
    throw new ApiError(0, { type: 'network', title: 'offline', detail: '' })
  }
  if (!res.ok) {
    let problem: Record<string, unknown> = {}
    const ct = res.headers.get('Content-Type') ?? ''
    if (ct.includes('json')) {
      try {
        problem = await res.json()
      } catch {
        problem = {}
      }
    }
    const err = new ApiError(res.status, problem)
    if (res.status === 401 && onUnauthenticated && !path.endsWith('/auth/login')) onUnauthenticated()
    throw err
  }
  return res
}

async function json<T>(res: Response): Promise<T> {
  if (res.status === 204) return undefined as T
  const text = await res.text()
  return (text ? JSON.parse(text) : undefined) as T
}

export const api = {
  async get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
    return json<T>(await send('GET', path, { query, signal }))
  },
  /** GET that keeps the ETag, for a later update with If-Match. */
  async getTagged<T>(path: string, query?: Query): Promise<Tagged<T>> {
    const res = await send('GET', path, { query })
    return { data: await json<T>(res), etag: res.headers.get('ETag') }
  },
  async post<T>(path: string, body?: unknown, query?: Query): Promise<T> {
    return json<T>(await send('POST', path, { body, query }))
  },
  async postTagged<T>(path: string, body?: unknown, ifMatch?: string | null): Promise<Tagged<T>> {
    const res = await send('POST', path, { body, ifMatch })
    return { data: await json<T>(res), etag: res.headers.get('ETag') }
  },
  async put<T>(path: string, body: unknown, ifMatch?: string | null): Promise<Tagged<T>> {
    const res = await send('PUT', path, { body, ifMatch })
    return { data: await json<T>(res), etag: res.headers.get('ETag') }
  },
  async patch<T>(path: string, body: unknown, ifMatch?: string | null): Promise<Tagged<T>> {
    const res = await send('PATCH', path, { body, ifMatch })
    return { data: await json<T>(res), etag: res.headers.get('ETag') }
  },
  async del(path: string, ifMatch?: string | null): Promise<void> {
    await send('DELETE', path, { ifMatch })
  },
  /** Every item of a cursor-paged list (bounded, so a runaway list cannot freeze the tab). */
  async all<T>(path: string, query: Query = {}, maxPages = 20): Promise<T[]> {
    const out: T[] = []
    let cursor: string | null = null
    for (let i = 0; i < maxPages; i++) {
      const page: Page<T> = await api.get<Page<T>>(path, { ...query, cursor })
      out.push(...page.items)
      cursor = page.next_cursor
      if (!cursor) break
    }
    return out
  },
  send,
}

/** `/api/v1/orgs/{org}` + rest, with the org slug or id escaped. */
export function orgPath(org: string, rest = ''): string {
  return `/api/v1/orgs/${encodeURIComponent(org)}${rest}`
}

/** The ETag the server gives a resource of this version (for If-Match after a list read). */
export function etagOf(version: number): string {
  return `"v${version}"`
}
