import type { RouteRecordRaw } from 'vue-router'

export const orgRoutes: RouteRecordRaw[] = [{ path: '', name: 'home', component: () => import('./HomeView.vue') }]
