// Forms: the list with upload, one form (preview, publish, states, downloads) and filling it.
import type { AreaRoutes } from '@/router'

export const orgRoutes: AreaRoutes['orgRoutes'] = [
  { path: 'forms', name: 'forms', component: () => import('./FormsView.vue') },
  { path: 'forms/:id', name: 'form', component: () => import('./FormView.vue') },
  // The ODK engine is a large chunk: only this route loads it.
  { path: 'forms/:id/fill', name: 'form-fill', component: () => import('./FillFormView.vue') },
]
