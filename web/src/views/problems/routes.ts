import type { RouteRecordRaw } from 'vue-router'

export const orgRoutes: RouteRecordRaw[] = [
  { path: 'problems', name: 'problems', component: () => import('./ProblemsView.vue') },
  { path: 'problems/:pid', name: 'problem', component: () => import('./ProblemView.vue') },
  { path: 'prioritisations/:sid', name: 'prioritisation', component: () => import('./SessionView.vue') },
]
