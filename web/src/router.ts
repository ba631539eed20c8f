// Routes: every screen is a lazy chunk. Screens of an organisation live under /o/:org inside
// the app shell. Each area adds its routes in a `routes.ts` next to its views, found by glob,
// so areas never edit one shared list.
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { useSession } from '@/stores/session'

export interface AreaRoutes {
  /** Children of /o/:org (paths relative, e.g. 'forms/:id'). */
  orgRoutes?: RouteRecordRaw[]
  /** Top-level routes outside the shell and without sign-in (e.g. the public feedback page). */
  publicRoutes?: RouteRecordRaw[]
}

const areas = import.meta.glob<AreaRoutes>('./**/routes.ts', { eager: true })
const orgChildren: RouteRecordRaw[] = []
const publicRoutes: RouteRecordRaw[] = []
for (const a of Object.values(areas)) {
  orgChildren.push(...(a.orgRoutes ?? []))
  publicRoutes.push(...(a.publicRoutes ?? []))
}

const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('@/views/LoginView.vue'), meta: { public: true } },
  ...publicRoutes.map((r) => ({ ...r, meta: { ...r.meta, public: true } })),
  {
    path: '/o/:org',
    component: () => import('@/components/AppShell.vue'),
    children: orgChildren,
  },
  { path: '/', name: 'root', component: () => import('@/views/NoOrgView.vue') },
  { path: '/:rest(.*)*', name: 'not-found', component: () => import('@/views/NotFoundView.vue'), meta: { public: true } },
]

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
})

router.beforeEach(async (to) => {
  if (to.meta.public) return true
  const session = useSession()
  const signedIn = await session.restore()
  if (!signedIn) return { name: 'login', query: { next: to.fullPath } }
  const slug = to.params.org as string | undefined
  if (slug) {
    if (!session.me?.organisations.some((o) => o.slug === slug)) return { name: 'not-found', params: { rest: to.path.split('/').slice(1) } }
    if (session.org?.slug !== slug) session.selectOrg(slug)
  } else if (to.name === 'root' && session.org) {
    return { name: 'home', params: { org: session.org.slug } }
  }
  return true
})
