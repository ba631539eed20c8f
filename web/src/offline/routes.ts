// The outbox: submissions made on this device and whether the server has them yet.
import type { AreaRoutes } from '@/router'

export const orgRoutes: AreaRoutes['orgRoutes'] = [{ path: 'outbox', name: 'outbox', component: () => import('./OutboxView.vue') }]
