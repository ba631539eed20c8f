import type { RouteRecordRaw } from 'vue-router'

export const orgRoutes: RouteRecordRaw[] = [
  { path: 'programs/:id/report', name: 'program-report', component: () => import('./ReportView.vue') },
]
