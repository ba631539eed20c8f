import type { RouteRecordRaw } from 'vue-router'

export const orgRoutes: RouteRecordRaw[] = [
  { path: 'activities', name: 'activities', component: () => import('./ActivitiesView.vue') },
  { path: 'activities/:aid', name: 'activity', component: () => import('./ActivityView.vue') },
  { path: 'events/:eid', name: 'event', component: () => import('./EventView.vue') },
  { path: 'participants', name: 'participants', component: () => import('./ParticipantsView.vue') },
]
