import type { RouteRecordRaw } from 'vue-router'

export const orgRoutes: RouteRecordRaw[] = [
  { path: 'idm', name: 'idm', component: () => import('./IdmView.vue') },
  { path: 'idm/villages/:area', name: 'idm-village', component: () => import('./IdmVillageView.vue') },
]
