import type { RouteRecordRaw } from 'vue-router'

export const orgRoutes: RouteRecordRaw[] = [{ path: 'feedback', name: 'feedback', component: () => import('./FeedbackView.vue') }]

// The page villagers open from a program's public link (a QR code on a poster): no sign-in.
export const publicRoutes: RouteRecordRaw[] = [{ path: '/lapor/:org/:token', name: 'public-feedback', component: () => import('./PublicFeedbackView.vue') }]
