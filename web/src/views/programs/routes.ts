import type { RouteRecordRaw } from 'vue-router'

export const orgRoutes: RouteRecordRaw[] = [
  { path: 'programs', name: 'programs', component: () => import('./ProgramsView.vue') },
  {
    path: 'programs/:id',
    component: () => import('./ProgramView.vue'),
    children: [
      { path: '', name: 'program', component: () => import('./FrameworkView.vue') },
      { path: 'indicators/new', name: 'indicator-new', component: () => import('./IndicatorNewView.vue') },
      { path: 'sharing', name: 'program-sharing', component: () => import('./SharingView.vue') },
      { path: 'settings', name: 'program-settings', component: () => import('./ProgramSettingsView.vue') },
      { path: 'activities', name: 'program-activities', component: () => import('../activities/ActivitiesView.vue') },
      { path: 'budget', name: 'program-budget', component: () => import('../budget/BudgetView.vue') },
    ],
  },
  { path: 'indicators/:iid', name: 'indicator', component: () => import('./IndicatorView.vue') },
]
