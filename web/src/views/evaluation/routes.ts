import type { RouteRecordRaw } from 'vue-router'

export const orgRoutes: RouteRecordRaw[] = [
  { path: 'programs/:id/evaluations', name: 'program-evaluations', component: () => import('./EvaluationsView.vue') },
  { path: 'programs/:id/evaluations/new', name: 'evaluation-new', component: () => import('./EvaluationNewView.vue') },
  { path: 'evaluations/:eid', name: 'evaluation', component: () => import('./EvaluationView.vue') },
]
