import type { RouteRecordRaw } from 'vue-router'

export const orgRoutes: RouteRecordRaw[] = [
  { path: 'audit', name: 'audit', component: () => import('./AuditView.vue') },
  { path: 'users', name: 'users', component: () => import('./UsersView.vue') },
  { path: 'account', name: 'account', component: () => import('./AccountView.vue') },
]
