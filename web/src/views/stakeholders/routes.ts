import type { RouteRecordRaw } from 'vue-router'

export const orgRoutes: RouteRecordRaw[] = [
  { path: 'stakeholders', name: 'stakeholders', component: () => import('./StakeholdersView.vue') },
  { path: 'engagements', name: 'engagements', component: () => import('./EngagementsView.vue') },
  { path: '4w', name: 'four-w', component: () => import('./FourWView.vue') },
]
